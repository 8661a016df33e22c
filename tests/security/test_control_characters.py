"""Invisible characters and broken bodies: never a 500, always a clear answer.

- Every form of the app (found and submitted through the XSS suite's recipes, see
  tests/security/test_xss.py) gets a NUL byte in every text field: the page comes back
  refused (400) with the message next to each field, never a 500 (PostgreSQL refuses NUL in a
  text, SQLite would have kept it).
- One-line texts that go into e-mails (a mission message subject) lose their line breaks.
- Addresses and query strings with a NUL, pages read without a form, a form sent as JSON,
  multipart bodies that are broken: a 400 with Parole's error page.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import db
from app.core.forms import INVISIBLE, INVISIBLE_SECRET
from app.core.web import ERROR_TEXTS
from tests import figures
from tests.conftest import app_on_own_database, csrf_from, is_postgres
from tests.security import test_xss as xss
from tests.security.test_xss import fast_secrets  # noqa: F401 - the fixture
from tests.security.world import build_world, clients, csrf_token, jpeg

NUL = "Bonjour\x00 à tous"


def _confirm_signup(app: Flask, w: dict) -> None:
    """The mission's sign-up confirmed: the institute can write to the person."""
    from app.accounts.models import Person
    from app.trainings import services as trainings
    from app.trainings.models import Signup

    with app.app_context():
        staff = db.session.get(Person, w["institute_staff"])
        trainings.confirm(staff, db.session.get(Signup, w["signup"]))
        db.session.commit()


# What a recipe's world lacks for its form to be on the page.
PREPARE = {"app.trainings.manage_forms.MessageForm": _confirm_signup}
# Who submits, when it is not the recipe's "actor" (the XSS suite only echoes these forms).
ACTOR = {"app.consultations.answering_forms.PaperForm": "fac"}
# Views that show a refused form again with a 200 where the house rule says 400 (left to
# their owners; a 400 there is welcome too). Every other form must answer 400.
SHOWN_AGAIN_WITH_200 = {
    "app.accounts.forms.ChangeSecretForm",
    "app.accounts.forms.ChooseCodeForm",
    "app.accounts.forms.CloseAccountForm",
    "app.accounts.forms.CreateParticipantForm",
    "app.accounts.forms.LoginForm",
    "app.accounts.forms.OrganisationForm",
    "app.consultations.answering_forms.AnswerForm",
    "app.consultations.answering_forms.AssistForm",
    "app.consultations.answering_forms.PaperForm",
    "app.consultations.forms.CommentForm",
    "app.consultations.forms.EvaluationForm",
    "app.consultations.forms.FeedbackForm",
    "app.consultations.forms.QuestionForm",
    "app.consultations.forms.RoundForm",
    "app.falc.forms.GlossaryForm",
    "app.falc.proofreading_forms.AssistedSentencesForm",
    "app.falc.proofreading_forms.ProofreaderForm",
    "app.falc.proofreading_forms.RequestForm",
}


def _text(app: Flask, message: Any) -> str:
    """The message as the test client reads it (default language, no Accept-Language)."""
    with app.test_request_context("/"):
        return str(message)


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _forms_posting_to(page: str, url: str) -> str:
    """The markup of the page's forms whose action is `url` (what a person can fill in)."""
    path = url.split("?", 1)[0]
    found = re.findall(r'<form action="' + re.escape(path) + r'[?"].*?</form>', page, re.S)
    return "".join(found)


@pytest.mark.usefixtures("fast_secrets")
@pytest.mark.parametrize("key", sorted(xss.RECIPES))
def test_nul_in_every_text_field_is_refused_next_to_the_field(app: Flask, key: str) -> None:
    """The recipe's form with a NUL in each of its text fields: refused, with the message
    next to each field and in the summary; what was typed comes back without the NUL."""
    rcp = xss.RECIPES[key]
    cls = xss.form_classes()[key]
    run = xss.Run(app, key, cls, rcp)
    w = rcp.setup(app)
    if rcp.fresh:
        w = rcp.fresh(app, w)
    if key in PREPARE:
        PREPARE[key](app, w)
    with app.app_context():
        names = rcp.fields(w) if rcp.fields else sorted(xss.text_fields(cls))
        prefix = rcp.prefix(w) if rcp.prefix else ""
    unbound = xss.text_fields(cls)
    secrets = {n for n in names if n in unbound and "Password" in unbound[n].field_class.__name__}
    data = dict(rcp.base(w)) | dict.fromkeys(names, NUL)
    who = w[ACTOR.get(key, "actor")]
    form_page = run.client(who).get(rcp.page(w) if rcp.page else rcp.url(w)).get_data(as_text=True)
    response = run.post(who, w, data)
    page = _page(response)
    assert response.status_code < 500, f"{key}: {response.status_code}"
    allowed = (200, 400) if key in SHOWN_AGAIN_WITH_200 else (400,)
    assert response.status_code in allowed, f"{key}: {response.status_code}"
    form_html = _forms_posting_to(form_page, rcp.url(w))
    shown = [name for name in names if f'id="{prefix}{name}"' in form_html]
    figures.add("control characters: forms refused with a NUL", 1)
    figures.add("control characters: text fields refused next to the field", len(shown))
    if not shown:
        # Hidden values (a target state) or a part of the page shown only to others (pay
        # for work on a reimbursement request): refused, that is all a person can see.
        return
    assert "error-summary" in page, f"{key}: no error summary"
    for name in names:
        message = _text(app, INVISIBLE_SECRET if name in secrets else INVISIBLE)
        if name not in shown:
            # A field this page does not show (help given to someone else): in the summary.
            assert message in page, f"{key}: {name} is not refused"
            continue
        error = page.split(f'id="{prefix}{name}-error"', 1)
        assert len(error) == 2, f"{key}: no error shown next to {name}"
        assert message in error[1][:600], f"{key}: {name} shows another error"
    assert "\x00" not in response.get_data(as_text=True)
    if not secrets.issuperset(names):
        assert "Bonjour à tous" in page  # what was typed, without the invisible sign


def test_mission_message_subject_loses_its_line_breaks(app: Flask) -> None:
    """A subject typed with a line break (here with a mail header after it) is sent as one
    line: the notification and the e-mail have it without a header of its own."""
    from app.core.models import Notification, OutboxMessage

    rcp = xss.RECIPES["app.trainings.manage_forms.MessageForm"]
    cls = xss.form_classes()["app.trainings.manage_forms.MessageForm"]
    run = xss.Run(app, "message", cls, rcp)
    w = rcp.setup(app)
    _confirm_signup(app, w)
    with app.app_context():
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        seen = db.session.scalar(select(func.max(Notification.id))) or 0
    data = {
        "subject": "Réunion\r\nBcc: tous@example.org\tlundi",
        "body": "Bonjour,\r\nla réunion est lundi.",
    }
    response = run.post(w["actor"], w, data)
    assert response.status_code == 303, _page(response)[:2000]
    with app.app_context():
        mails = db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.id > before)
        ).all()
        notes = db.session.scalars(
            select(Notification).where(Notification.id > seen, Notification.body != "")
        ).all()
        message = [n for n in notes if "Bonjour" in n.body]
        assert message, "the confirmed person got no message"
        for subject in [*mails, *(n.subject for n in message)]:
            assert "\n" not in subject and "\r" not in subject and "\t" not in subject
        assert "Réunion Bcc: tous@example.org lundi" in message[0].subject
        assert "\r\n" in message[0].body  # a multi-line text keeps its lines


# --- without a form: addresses, query strings, JSON --------------------------------------


@pytest.fixture
def world(app: Flask, tmp_path: Any) -> Any:
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with app.app_context():
        found = build_world(seed_fiches=False)
        db.session.commit()
        return found


@pytest.fixture
def actors(app: Flask, world: Any) -> dict[str, Any]:
    with app.app_context():
        return clients(app, world)


def _is_error_page(app: Flask, response: Any) -> bool:
    """Parole's page for a request it could not use (templates/errors/error.html)."""
    return _text(app, ERROR_TEXTS[400][0]) in _page(response)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("facilitator_a", "/relecture/request?subject_type=round%00&subject_id={round_id}&field=x"),
        ("facilitator_a", "/consultations/{round_id}/questionnaire.pdf?codes=P-%00"),
        ("anonymous", "/login?identifier=ABCD%00"),
        ("participant_a", "/account/data/{token}%00/readable"),
        ("anonymous", "/kit/fiches%00"),
    ],
)
def test_nul_in_an_address_is_a_400_never_a_500(
    app: Flask, world: Any, actors: dict, who: str, path: str
) -> None:
    response = actors[who].get(path.format(**world.ids))
    assert response.status_code == 400, response.status_code
    assert _is_error_page(app, response)


def test_nul_in_a_text_read_without_a_form_is_never_a_500(
    app: Flask, world: Any, actors: dict
) -> None:
    """The live easy-read check reads the text itself: a NUL is not a crash."""
    response = actors["facilitator_a"].post(
        "/relecture/check",
        data={"csrf_token": csrf_token(app), "text": NUL, "field": "text"},
    )
    assert response.status_code < 500


@pytest.mark.usefixtures("fast_secrets")
@pytest.mark.parametrize(
    "body",
    [
        '{"identifier": 12, "secret": ["a"]}',
        '["identifier", "secret"]',
        '{"identifier": "AB\\u0000CD", "secret": "x"}',
        '{"identifier": ',
    ],
)
def test_a_form_sent_as_json_is_refused_cleanly(app: Flask, body: str) -> None:
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 400, response.status_code
    assert _is_error_page(app, response)


# --- broken multipart bodies ---------------------------------------------------------------

BOUNDARY = "parole-broken"


def _multipart(*parts: bytes, end: bool = True) -> bytes:
    body = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return body + (b"--" + BOUNDARY.encode() + b"--\r\n" if end else b"")


def _token_part(token: str, key: bytes = b"") -> bytes:
    part = b'Content-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode()
    return part + (b"\r\n--" + BOUNDARY.encode() + b"\r\n" + key if key else b"")


def _broken_bodies(token: str, field: str, key: bytes) -> dict[str, tuple[bytes, str]]:
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    file_part = (
        b'Content-Disposition: form-data; name="' + field.encode() + b'"; filename="a.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n" + jpeg()
    )
    return {
        "a part without a name": (
            _multipart(_token_part(token, key), b"Content-Disposition: form-data\r\n\r\nbonjour"),
            content_type,
        ),
        "a file without a name": (
            _multipart(
                _token_part(token, key),
                b'Content-Disposition: form-data; filename="a.jpg"\r\n'
                b"Content-Type: image/jpeg\r\n\r\n" + jpeg(),
            ),
            content_type,
        ),
        "a part without headers": (
            _multipart(_token_part(token, key), b"\r\nbonjour"),
            content_type,
        ),
        "a truncated body": (
            _multipart(_token_part(token, key), file_part, end=False)[:-40],
            content_type,
        ),
        "a bad boundary": (
            _multipart(_token_part(token, key), file_part),
            "multipart/form-data; boundary=autre",
        ),
        "no boundary": (_multipart(_token_part(token, key), file_part), "multipart/form-data"),
        "a boundary too long": (
            _multipart(_token_part(token, key), file_part),
            "multipart/form-data; boundary=" + "x" * 300,
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "a part without a name",
        "a file without a name",
        "a part without headers",
        "a truncated body",
        "a bad boundary",
        "no boundary",
        "a boundary too long",
    ],
)
@pytest.mark.parametrize("route", ["receipt", "comment", "answer"])
def test_broken_multipart_body_is_a_400_never_a_500(
    app: Flask, world: Any, actors: dict, tmp_path: Any, case: str, route: str
) -> None:
    """An upload route (a receipt), a plain form route (a comment in the discussion) and a
    form with a repeat-proof key (an answer) get a broken body: the answer is the error page
    with a 400, never a 500."""
    ids = world.ids
    key = b""
    if route == "receipt":
        who, url = "participant_a", f"/expenses/lines/{ids['line_id']}/receipts"
        field = f"line{ids['line_id']}-receipt"
    elif route == "comment":
        who, url, field = "participant_a", f"/consultations/{ids['round_id']}/comments", "body"
    else:
        who, field = "participant_a", "answer"
        url = f"/consultations/responses/{ids['response_id']}/questions/1"
        key = (
            b'Content-Disposition: form-data; name="idempotency_key"\r\n\r\n'
            + b"k" * 32
            + b"\r\n--"
            + BOUNDARY.encode()
            + b"\r\n"
            b'Content-Disposition: form-data; name="action"\r\n\r\nnext'
        )
    body, content_type = _broken_bodies(csrf_token(app), field, key)[case]
    response = actors[who].post(url, data=body, content_type=content_type)
    assert response.status_code == 400, f"{case}: {response.status_code}"
    assert _is_error_page(app, response) or "error-summary" in _page(response)


def test_a_well_formed_upload_still_works(app: Flask, world: Any, actors: dict) -> None:
    line = world.ids["line_id"]
    response = actors["participant_a"].post(
        f"/expenses/lines/{line}/receipts",
        data={"csrf_token": csrf_token(app), f"line{line}-receipt": (io.BytesIO(jpeg()), "b.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, _page(response)[:2000]


def test_a_nul_that_reaches_the_database_is_a_400(
    request: pytest.FixtureRequest, tmp_path: Any
) -> None:
    """The last net, for a text no form and no address check stopped (a view reading the body
    itself): PostgreSQL refuses it, the person gets the error page with a 400, not a 500.
    SQLite keeps the NUL: there the same request simply works."""
    from app.accounts.models import Person

    with app_on_own_database(request, tmp_path, "nul") as own:

        @own.route("/test-only/lookup")
        def lookup() -> str:
            from flask import request as http

            found = db.session.scalar(
                select(Person).where(Person.email == http.get_data(as_text=True))
            )
            return "found" if found else "nobody"

        response = own.test_client().get(
            "/test-only/lookup", data="a\x00b@example.org", content_type="text/plain"
        )
        if is_postgres():
            assert response.status_code == 400
            assert _is_error_page(own, response)
        else:
            assert response.status_code == 200
