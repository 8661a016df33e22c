"""The error pages in Chromium with axe-core, in every state: a page that does not exist
(anonymous, and logged in with the short menu's log-out button), the database unreachable
("Parole is not answering") and the database taking no writes ("not saved"); in French and
in English easy-to-read. The error pages read nothing from the database: the two 503 states
are made real on the live server's engine (every new connection fails, or is read-only)."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from app import db
from app.accounts.models import Role
from tests.browser.conftest import login, set_preferences
from tests.factories import PASSWORD, make_org, make_person

_n = itertools.count(1)


def _person(live_app: Any) -> str:
    n = next(_n)
    with live_app.test_request_context("/"):
        org = make_org(f"bep{n}-CRPA des Erreurs")
        person = make_person((org, Role.PARTICIPANT), email=f"bep{n}@example.test")
        db.session.commit()
        return person.email


@contextmanager
def database(live_app: Any, trouble: str) -> Iterator[None]:
    """Every new connection of the live server fails ("unreachable") or takes no writes
    ("read-only") until the block ends."""
    engine = live_app.extensions["parole.db"].engine
    sqlite = engine.dialect.name == "sqlite"

    def refuse(dialect, conn_rec, cargs, cparams) -> None:  # noqa: ANN001
        if sqlite:
            raise sqlite3.OperationalError("unable to open database file")
        import psycopg

        raise psycopg.OperationalError("connection refused")

    def read_only(dbapi_connection, connection_record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        if sqlite:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()

    name, listener = ("do_connect", refuse) if trouble == "unreachable" else ("connect", read_only)
    event.listen(engine, name, listener)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, name, listener)
        engine.dispose()


@pytest.mark.parametrize(
    ("language", "easy_read"), [("fr", False), ("en", True)], ids=["fr", "en-easy"]
)
def test_error_pages_have_no_axe_violation(page, axe, live_app, language, easy_read):  # noqa: ANN001
    texts = {
        "fr": (
            "Cette page n'existe pas",
            "Parole ne répond pas",
            "Parole ne peut rien enregistrer",
        ),
        "en": (
            "This page does not exist",
            "Parole is not answering",
            "Parole cannot save anything",
        ),
    }[language]
    page.goto("/kit/fiches/99999999999999999999")
    assert "Cette page n'existe pas" in page.locator("h1").inner_text()  # French by default
    assert page.locator("nav a[href='/login']").count() == 1
    axe.check(page, f"404 anonymous ({language})")

    login(page, _person(live_app), PASSWORD)
    set_preferences(page, language, easy_read)
    response = page.goto("/expenses/99999999999")
    assert response.status == 404
    assert texts[0] in page.locator("h1").inner_text()
    assert page.locator("nav form[action='/logout'] button").count() == 1
    axe.check(page, f"404 logged in ({language})")

    page.goto("/preferences")
    with database(live_app, "read-only"):
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert texts[2] in page.locator("h1").inner_text()
        assert page.locator("html").get_attribute("lang") == language
        axe.check(page, f"503 not saved ({language})")

    with database(live_app, "unreachable"):
        response = page.goto("/expenses/")
        assert response.status == 503
        assert texts[1] in page.locator("h1").inner_text()
        assert page.locator("html").get_attribute("lang") == language
        assert ("easy-read" in (page.locator("body").get_attribute("class") or "")) is easy_read
        axe.check(page, f"503 not answering ({language})")

    assert page.goto("/expenses/").status == 200  # the database is back
    axe.assert_clean()
