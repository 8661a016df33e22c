"""Logs keep no secrets. The watch (tests/security/watch.py) keeps every log record of the
run and searches them at the end for the test passwords, login codes, IBANs, session
cookies and login tokens, and the values sent in fields like answer, comment or secret.

Here: the scanner itself finds what it must, and one focused run through the places that
log (a failed login, two kinds of 500, bank details saved and refused) leaks nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask, request
from sqlalchemy import text

from app import db
from app.accounts.models import Role
from app.extensions import csrf
from config import TestConfig
from tests import figures
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_org, make_person
from tests.security import watch

IBAN = "FR76 3000 6000 0112 3456 7890 189"
ANSWER = "Je dors dans ma voiture depuis mars, personne ne le sait"
SECRET = "Zq9 not-to-be-logged 41"


def test_iban_pattern_needs_a_valid_checksum():
    assert watch.find_ibans(f"paid to {IBAN}.") == [IBAN]
    assert watch.find_ibans("FR7630006000011234567890189") == ["FR7630006000011234567890189"]
    assert watch.find_ibans("FR76 3000 6000 0112 3456 7890 188") == []  # checksum wrong
    assert watch.find_ibans("request AB12CDEF34567890XYZ took 3 ms") == []


def test_scanner_finds_planted_secrets_and_redacts_them():
    cookie = "eyJfZnJlc2giOmZhbHNlLCJzaWQiOiJhYmMifQ.ZkX1aw.3pQ9x-7LrT0"
    secrets = {
        PASSWORD: "test password",
        ANSWER: "POST field 'answer'",
        cookie: "session cookie",
        "482913": "login code",
    }
    records = [
        watch.Record("app.core.web", "ERROR", f"form was {{'secret': '{PASSWORD}'}}"),
        watch.Record("werkzeug", "INFO", f"Cookie: parole_session={cookie}; lang=fr"),
        watch.Record("app.x", "DEBUG", f"saving answer {ANSWER!r}"),
        watch.Record("app.y", "WARNING", f"bank: {IBAN}"),
        watch.Record("app.z", "INFO", "code=482913"),
        watch.Record("app.z", "INFO", "request 14829131 took 0.482913 s"),  # not the code
        watch.Record("sqlalchemy", "WARNING", "nothing to see"),
    ]
    found = watch.scan_records(records, secrets)
    assert len(found) == 5, found
    for line in found:
        for secret in (PASSWORD, ANSWER, cookie, IBAN, "482913"):
            assert secret not in line
    assert found[0].startswith("app.core.web ERROR (test password): ")
    assert any("an IBAN" in line for line in found)
    figures.add("logs: scanner cases", len(records))


def test_the_capture_sees_app_records_at_debug():
    before = len(watch.STATE.records)
    logging.getLogger("app.anything").debug("hello from a debug call")
    assert watch.STATE.records[before:] == [
        watch.Record("app.anything", "DEBUG", "hello from a debug call")
    ]
    del watch.STATE.records[before:]


@pytest.fixture
def failing_app() -> Iterator[Flask]:
    """A fresh app with two routes that fail with the person's words in the request."""
    fresh = watch.build_app(TestConfig)

    @fresh.route("/__test__/crash", methods=["POST"])
    def crash() -> str:
        request.form.get("answer")
        raise RuntimeError("crash after reading the form")

    @fresh.route("/__test__/database-error", methods=["POST"])
    def database_error() -> str:
        db.session.execute(
            text("SELECT :answer, :secret FROM no_such_table"),
            {"answer": request.form["answer"], "secret": request.form["secret"]},
        )
        return "unreachable"

    csrf.exempt(crash)
    csrf.exempt(database_error)
    yield fresh
    watch.close_app(fresh)


@pytest.fixture
def paul(app: Flask, tmp_path) -> None:  # noqa: ANN001
    with app.app_context():
        make_person((make_org(), Role.PARTICIPANT), email="paul.logs@example.test")
        db.session.commit()


def test_failed_login_errors_and_bank_details_leave_no_secret_in_the_logs(app, failing_app, paul):
    start = len(watch.STATE.records)
    sent = {PASSWORD, SECRET, ANSWER, IBAN, IBAN.replace(" ", "")}

    client = app.test_client()
    refused = post_form(
        client, "/login", {"identifier": "paul.logs@example.test", "secret": SECRET}
    )
    assert refused.status_code == 400
    unknown = post_form(client, "/login", {"identifier": "nobody@example.test", "secret": SECRET})
    assert unknown.status_code == 400

    form = {"answer": ANSWER, "secret": SECRET, "iban": IBAN}
    for url in ("/__test__/crash", "/__test__/database-error"):
        crashed = failing_app.test_client().post(url, data=form)
        assert crashed.status_code == 500
        assert ANSWER not in crashed.get_data(as_text=True)

    login(client, "paul.logs@example.test", PASSWORD)
    wrong = post_form(client, "/expenses/bank", {"iban": IBAN[:-1] + "8", "holder_name": ANSWER})
    assert wrong.status_code == 400
    saved = post_form(client, "/expenses/bank", {"iban": IBAN, "holder_name": "Paul Logs"})
    assert saved.status_code == 303

    records = watch.STATE.records[start:]
    errors = [r for r in records if r.level == "ERROR" and r.logger.startswith("app.")]
    assert len(errors) == 2, records  # the two 500s were logged, with their tracebacks
    assert all("Traceback" in r.text for r in errors)
    leaks = watch.scan_records(records, {value: "sent by the test" for value in sent})
    assert leaks == []
    for record in records:
        for value in sent:
            assert value not in record.text, (record.logger, value)
    figures.add("logs: focused secret checks", len(sent) * max(1, len(records)))
