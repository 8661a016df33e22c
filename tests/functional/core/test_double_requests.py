"""The rules of `idempotency.protect` itself, on a small blueprint of the test's own (what
each domain's forms do is in tests/functional/<domain>/test_double_requests.py): a copy of a
POST whose first answer was a page is not done again; a form refused with its errors can be
sent again with the same key; another person's key is not theirs to replay; a copy that
arrives while the first is still at work waits for it."""

import re
import time

import pytest
from flask import Blueprint, redirect, render_template_string
from flask import request as http
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core import audit, idempotency
from app.core.models import AuditEntry
from app.core.web import current_actor
from tests.concurrency import form_fields, logged_in, replayed, twice_at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person

PAGE = """{% from "macros/forms.html" import form_start, form_end, button_form %}
{{ form_start("/drill/code") }}{{ form_end() }}
{{ form_start("/drill/named") }}{{ form_end() }}
{{ button_form("/drill/slow", "Slow") }}"""
SLOW = 0.5  # how long the slow view works after recording its change: a copy must wait


@pytest.fixture
def drill_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_core") as app:
        bp = idempotency.protect(Blueprint("drill", __name__, url_prefix="/drill"))

        @bp.route("/")
        def page():
            return render_template_string(PAGE)

        @bp.route("/code", methods=["POST"])
        def code():  # like a new login code: shown once, on a page
            audit.record(current_actor(), "drill.code")
            db.session.commit()
            return f"<p>Your new code: {time.monotonic_ns()}</p>"

        @bp.route("/named", methods=["POST"])
        def named():  # a form that can be refused
            if not http.form.get("name"):
                return "<p>Write a name.</p>", 400
            audit.record(current_actor(), "drill.named", name=http.form["name"])
            db.session.commit()
            return redirect("/drill/?done=" + http.form["name"], 303)

        @bp.route("/slow", methods=["POST"])
        def slow():
            audit.record(current_actor(), "drill.slow")
            db.session.flush()
            time.sleep(SLOW)
            db.session.commit()
            return redirect("/drill/?slow=done", 303)

        app.register_blueprint(bp)
        with app.test_request_context("/"):
            org = make_org()
            make_person((org, Role.FACILITATOR), email="ines@e.test")
            make_person((org, Role.FACILITATOR), email="omar@e.test")
            db.session.commit()
        yield app


def _done(app, action):
    with app.test_request_context("/"):
        return db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        )


def test_a_copy_of_a_form_answered_with_a_page_is_not_done_again(drill_app):
    (client,) = logged_in(drill_app, "ines@e.test", n=1)
    fields = form_fields(client, "/drill/", "/drill/code")
    first, copy = replayed(client, "/drill/code", fields)
    assert first.status_code == 200 and "Your new code" in first.get_data(as_text=True)
    assert copy.status_code == 409
    text = copy.get_data(as_text=True)
    assert "Your new code" not in text and "déjà été envoyé" in text
    assert _done(drill_app, "drill.code") == 1


def test_a_refused_form_is_saved_when_sent_again_corrected(drill_app):
    (client,) = logged_in(drill_app, "ines@e.test", n=1)
    fields = form_fields(client, "/drill/", "/drill/named")
    refused, refused_again = replayed(client, "/drill/named", {**fields, "name": ""})
    assert (refused.status_code, refused_again.status_code) == (400, 400)
    saved = client.post("/drill/named", data={**fields, "name": "Lina"})
    assert saved.status_code == 303 and saved.location.endswith("done=Lina")
    assert _done(drill_app, "drill.named") == 1


def test_a_page_sent_again_with_other_content_is_not_taken_for_a_copy(drill_app):
    (client,) = logged_in(drill_app, "ines@e.test", n=1)
    fields = form_fields(client, "/drill/", "/drill/named")
    for name in ("Lina", "Noah"):
        sent = client.post("/drill/named", data={**fields, "name": name})
        assert sent.status_code == 303 and sent.location.endswith(f"done={name}")
    assert _done(drill_app, "drill.named") == 2


def test_someone_elses_key_does_not_replay_their_answer(drill_app):
    (ines,) = logged_in(drill_app, "ines@e.test", n=1)
    (omar,) = logged_in(drill_app, "omar@e.test", n=1)
    key = form_fields(ines, "/drill/", "/drill/named")["idempotency_key"]
    sent = ines.post(
        "/drill/named",
        data={**form_fields(ines, "/drill/", "/drill/named"), "name": "Lina"},
    )
    assert sent.status_code == 303
    stolen = {**form_fields(omar, "/drill/", "/drill/named"), "idempotency_key": key}
    done = omar.post("/drill/named", data={**stolen, "name": "Lina"})
    assert done.status_code == 303
    assert _done(drill_app, "drill.named") == 2


def test_a_copy_sent_while_the_first_is_at_work_waits_and_gets_its_answer(drill_app):
    clients = logged_in(drill_app, "ines@e.test")
    fields = form_fields(clients[0], "/drill/", "/drill/slow")
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", fields["idempotency_key"])
    started = time.monotonic()
    responses = twice_at_once(clients, "/drill/slow", fields)
    assert [r.status_code for r in responses] == [303, 303]
    assert {r.location for r in responses} == {"/drill/?slow=done"}
    assert _done(drill_app, "drill.slow") == 1
    assert time.monotonic() - started >= SLOW
