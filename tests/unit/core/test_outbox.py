"""The outbox over a real SMTP server (aiosmtpd on 127.0.0.1)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.core.models import OutboxMessage, OutboxStatus
from app.core.outbox import queue_mail, send_due
from app.db import utcnow


@pytest.fixture
def smtp_app(app, smtp):
    controller, _ = smtp
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield app
    app.config["MAIL_PORT"] = old


def test_queued_mail_is_delivered_after_commit(smtp_app, smtp, ctx):
    _, inbox = smtp
    queue_mail("lucie@example.test", "Invitation : réunion du 3 mars", "Bonjour Lucie,\nÀ bientôt.")
    db.session.commit()
    assert send_due(smtp_app) == (1, 0)
    ((rcpt, message),) = inbox.messages
    assert rcpt == ["lucie@example.test"]
    assert message["Subject"] == "Invitation : réunion du 3 mars"
    assert "À bientôt." in message.get_content()
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.SENT and row.sent_at is not None
    assert send_due(smtp_app) == (0, 0)  # never sent twice


def test_rolled_back_change_sends_nothing(smtp_app, smtp, ctx):
    _, inbox = smtp
    queue_mail("x@example.test", "Sujet", "Texte")
    db.session.rollback()
    assert send_due(smtp_app) == (0, 0)
    assert inbox.messages == []


def test_unreachable_server_retries_with_backoff_then_gives_up(app, ctx):
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 9  # nothing listens on the discard port here
    try:
        message = queue_mail("y@example.test", "Sujet", "Texte")
        db.session.commit()
        now = utcnow()
        assert send_due(app, now=now) == (0, 1)
        first_retry = message.next_attempt_at
        assert first_retry > now
        assert send_due(app, now=now) == (0, 0)  # not due yet
        delays = []
        for _ in range(app.config["OUTBOX_MAX_ATTEMPTS"] - 1):
            due = message.next_attempt_at
            delays.append(due)
            send_due(app, now=due + timedelta(seconds=1))
        assert message.status == OutboxStatus.FAILED
        assert message.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
        gaps = [(b - a).total_seconds() for a, b in zip(delays, delays[1:], strict=False)]
        assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False))
    finally:
        app.config["MAIL_PORT"] = old


def test_a_crashed_workers_claim_runs_out_then_the_message_is_sent(smtp_app, smtp, ctx):
    from app.core.outbox import _claim

    _, inbox = smtp
    message = queue_mail("z@example.test", "Sujet", "Texte")
    db.session.commit()
    now = utcnow()
    claimed, _ = _claim(smtp_app, now, 10, "dead-worker")  # claimed, then the worker dies
    assert claimed == [message] and message.status == OutboxStatus.SENDING
    lease = timedelta(seconds=smtp_app.config["OUTBOX_CLAIM_TIMEOUT"])
    assert send_due(smtp_app, now=now + lease - timedelta(seconds=1)) == (0, 0)
    assert inbox.messages == []
    assert send_due(smtp_app, now=now + lease) == (1, 0)
    assert len(inbox.messages) == 1
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert message.claimed_by is None


def test_a_line_break_in_a_subject_cannot_add_a_header(smtp_app, smtp, ctx):
    _, inbox = smtp
    queue_mail("lucie@example.test", "Réunion\r\nBcc: victime@example.test", "Texte")
    db.session.commit()
    assert send_due(smtp_app) == (1, 0)
    ((rcpt, message),) = inbox.messages
    assert rcpt == ["lucie@example.test"]
    assert message["Subject"] == "Réunion Bcc: victime@example.test"
    assert message["Bcc"] is None


def test_one_poisoned_message_fails_alone_and_the_worker_goes_on(smtp_app, smtp, ctx, caplog):
    from app.core.outbox import run_worker

    _, inbox = smtp
    for number in range(100):
        if number == 50:  # written straight into the table, as an older version could have
            poisoned = OutboxMessage(
                to_address="p50@example.test",
                subject="Mission\r\nBcc: victime@example.test",
                body_text="Bonjour.",
            )
            db.session.add(poisoned)
        else:
            queue_mail(f"p{number}@example.test", f"Message {number:03d}", "Bonjour.")
    db.session.commit()
    poisoned_id = poisoned.id
    run_worker(smtp_app, interval=0, max_loops=3)  # returns: the loop was never broken
    assert len(inbox.messages) == 99
    assert {m["Subject"] for _, m in inbox.messages} == {
        f"Message {n:03d}" for n in range(100) if n != 50
    }
    poisoned = db.session.get(OutboxMessage, poisoned_id)
    assert poisoned.status == OutboxStatus.FAILED and poisoned.failed_at is not None
    assert poisoned.last_error == "invalid: ValueError"  # a reason, no address, no text
    assert poisoned.attempts == 1  # not tried again: the same header would fail again
    assert "victime" not in caplog.text and "p50@" not in caplog.text


class RefusingInbox:
    """A mail server that refuses one address for good (550) and accepts the others."""

    def __init__(self, inbox):
        self.inbox = inbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return await self.inbox.handle_DATA(server, session, envelope)


def test_a_refused_address_fails_at_once_and_the_next_message_goes(app, smtp, ctx):
    controller, inbox = smtp
    controller.handler = RefusingInbox(inbox)
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    try:
        refused = queue_mail("nobody@example.test", "Sujet", "Texte")
        queue_mail("somebody@example.test", "Sujet", "Texte")
        db.session.commit()
        assert send_due(app) == (1, 1)
        assert [rcpt for rcpt, _ in inbox.messages] == [["somebody@example.test"]]
        assert refused.status == OutboxStatus.FAILED and refused.last_error == "refused: 550"
        assert send_due(app, now=utcnow() + timedelta(days=1)) == (0, 0)
    finally:
        app.config["MAIL_PORT"] = old
