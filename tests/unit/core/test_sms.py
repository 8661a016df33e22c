"""Text messages through the outbox, against a real HTTP server on 127.0.0.1 that records
what it receives (http.server in a thread, as the mail tests use aiosmtpd)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts.models import Language
from app.core.models import OutboxChannel, OutboxMessage, OutboxStatus
from app.core.notifications import notify
from app.core.outbox import send_due
from app.core.sms import fit, segments
from app.db import utcnow
from tests.factories import make_org, make_person

TOKEN = "test-token-not-a-secret"  # noqa: S105


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.answers: list[int] = []  # status codes to give, in order; then 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1/sms"


class _Handler(BaseHTTPRequestHandler):
    server: _Recorder

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "type": self.headers.get("Content-Type"),
                "body": json.loads(self.rfile.read(length).decode("utf-8")),
            }
        )
        status = self.server.answers.pop(0) if self.server.answers else 200
        payload = b'{"status": "ok"}' if status == 200 else b'{"error": "busy"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def sms_server(app):
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = {k: app.config.get(k) for k in ("SMS_API_URL", "SMS_API_TOKEN", "SMS_SENDER")}
    app.config.update(SMS_API_URL=server.url, SMS_API_TOKEN=TOKEN, SMS_SENDER="Parole")
    yield server
    app.config.update(saved)
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def smtp_app(app, smtp):
    controller, _ = smtp
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield app
    app.config["MAIL_PORT"] = old


def _people():
    org = make_org()
    by_sms = make_person(identifier="SMSA-11", name="Sami")
    by_sms.contact_channel, by_sms.phone = "sms", "+33612345678"
    by_mail = make_person(email="mina@example.test", name="Mina")
    by_mail.contact_channel, by_mail.phone = "email", "+33698765432"  # a number, but e-mail
    no_number = make_person(identifier="SMSB-22", name="Noé")
    no_number.contact_channel = "sms"
    db.session.flush()
    return org, by_sms, by_mail, no_number


def _tell(person):
    notify(
        person,
        lambda: _("Reminder: %(title)s closes soon", title="Les transports"),
        lambda: "Vous pouvez répondre jusqu'au 21 décembre.",
        link="https://parole.example/c/4",
    )


def test_text_message_is_sent_once_to_the_person_who_chose_sms(smtp_app, smtp, ctx, sms_server):
    _org, by_sms, by_mail, no_number = _people()
    for person in (by_sms, by_mail, no_number):
        _tell(person)
    db.session.commit()
    assert send_due(smtp_app) == (2, 0)  # the text message, and Mina's e-mail
    ((request,),) = [sms_server.requests]
    assert request["path"] == "/v1/sms"
    assert request["authorization"] == f"Bearer {TOKEN}"
    assert request["type"].startswith("application/json")
    assert request["body"]["recipients"] == ["+33612345678"]
    assert request["body"]["sender"] == "Parole"
    text = request["body"]["message"]
    assert text == "Parole : Rappel : Les transports se termine bientôt https://parole.example/c/4"
    assert segments(text) <= 2
    assert send_due(smtp_app) == (0, 0)  # never sent twice
    assert len(sms_server.requests) == 1
    assert len(smtp[1].messages) == 1  # Mina's e-mail; nothing for Noé (no number)
    sms = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
    assert sms.status == OutboxStatus.SENT and sms.to_address == "+33612345678"


def test_nothing_is_sent_by_sms_to_someone_who_did_not_choose_it(smtp_app, smtp, ctx, sms_server):
    _org, _by_sms, by_mail, no_number = _people()
    _tell(by_mail)
    _tell(no_number)
    db.session.commit()
    assert send_due(smtp_app) == (1, 0)
    assert sms_server.requests == []
    (mail,) = db.session.scalars(select(OutboxMessage)).all()
    assert mail.channel == OutboxChannel.EMAIL and mail.to_address == "mina@example.test"


def test_text_message_is_tried_again_after_a_server_error(app, ctx, sms_server):
    _org, by_sms, _by_mail, _no_number = _people()
    _tell(by_sms)
    db.session.commit()
    sms_server.answers = [500]
    now = utcnow()
    assert send_due(app, now=now) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.PENDING and message.next_attempt_at > now
    assert message.last_error == "unreachable: http 500"
    assert send_due(app, now=message.next_attempt_at + timedelta(seconds=1)) == (1, 0)
    assert len(sms_server.requests) == 2
    assert message.status == OutboxStatus.SENT


def test_text_message_fails_after_the_attempts_limit_and_shows_on_the_outbox_page(
    app, ctx, sms_server
):
    _org, by_sms, _by_mail, _no_number = _people()
    _tell(by_sms)
    db.session.commit()
    limit = app.config["OUTBOX_MAX_ATTEMPTS"]
    sms_server.answers = [503] * limit
    message = db.session.scalar(select(OutboxMessage))
    for _attempt in range(limit):
        send_due(app, now=message.next_attempt_at + timedelta(seconds=1))
    assert message.status == OutboxStatus.FAILED and message.attempts == limit
    assert len(sms_server.requests) == limit
    assert send_due(app, now=utcnow() + timedelta(days=30)) == (0, 0)
    assert len(sms_server.requests) == limit


def test_text_message_refused_by_the_provider_fails_at_once(app, ctx, sms_server):
    _org, by_sms, _by_mail, _no_number = _people()
    _tell(by_sms)
    db.session.commit()
    sms_server.answers = [400]
    assert send_due(app) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.FAILED and message.last_error == "refused: http 400"
    assert len(sms_server.requests) == 1


def test_text_message_in_french_is_short_and_keeps_its_link(app, ctx, sms_server):
    _org, by_sms, _by_mail, _no_number = _people()
    by_sms.language = Language.FR
    long_title = "la mobilité et les transports dans le département " * 6
    notify(
        by_sms,
        lambda: _("Reminder: %(title)s closes soon", title=long_title),
        lambda: "…",
        link="https://parole.example/c/4",
    )
    db.session.commit()
    send_due(app)
    text = sms_server.requests[0]["body"]["message"]
    assert segments(text) <= 2
    assert "…" in text and text.endswith(" https://parole.example/c/4")


def test_log_only_provider_writes_no_number_and_no_text(app, ctx, caplog):
    _org, by_sms, _by_mail, _no_number = _people()
    app.config["SMS_API_URL"] = ""
    _tell(by_sms)
    db.session.commit()
    with caplog.at_level("INFO"):
        assert send_due(app) == (1, 0)
    logged = caplog.text
    assert "text message sent" in logged
    assert "612345678" not in logged and "transports" not in logged.lower()


def test_fit_cuts_at_a_word_within_two_parts():
    text = "Parole : " + "une question importante pour vous " * 20
    cut = fit(text)
    assert segments(cut) == 2 and cut.endswith("…")
    assert segments("Parole : votre place est confirmée.") == 1
    assert segments("œ" * 71) == 2  # outside the GSM alphabet: 70 characters a part
