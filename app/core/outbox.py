"""Mail outbox: `queue_mail()` writes a message in the current transaction;
`send_due()` (run by `flask outbox send`) delivers it after commit over SMTP,
with retries and an exponential backoff."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask
from sqlalchemy import select

from app import db
from app.core.models import OutboxMessage, OutboxStatus
from app.db import utcnow

log = logging.getLogger(__name__)


def queue_mail(to_address: str, subject: str, body_text: str) -> OutboxMessage:
    message = OutboxMessage(to_address=to_address, subject=subject[:200], body_text=body_text)
    db.session.add(message)
    db.session.flush()
    return message


def _smtp(app: Flask) -> smtplib.SMTP:
    cfg = app.config
    client = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
    if cfg.get("MAIL_USE_TLS"):
        client.starttls()
    if cfg.get("MAIL_USERNAME"):
        client.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
    return client


def _build(app: Flask, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}")
    email.set_content(message.body_text)
    return email


def send_due(app: Flask, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the messages that are due. Returns (sent, failed). Commits per message,
    so a crash never sends a message twice after it was marked sent."""
    now = now or utcnow()
    session = db.session
    due = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    session.commit()
    if not due:
        return 0, 0
    sent = failed = 0
    client: smtplib.SMTP | None = None
    try:
        for message in due:
            try:
                if client is None:
                    client = _smtp(app)
                client.send_message(_build(app, message))
            except (OSError, smtplib.SMTPException) as exc:
                client = None
                message.attempts += 1
                message.last_error = type(exc).__name__
                if message.attempts >= app.config["OUTBOX_MAX_ATTEMPTS"]:
                    message.status = OutboxStatus.FAILED
                else:
                    delay = app.config["OUTBOX_BASE_BACKOFF"] * 2 ** (message.attempts - 1)
                    message.next_attempt_at = now + timedelta(seconds=delay)
                failed += 1
                log.warning("outbox message %s failed (attempt %s)", message.id, message.attempts)
            else:
                message.attempts += 1
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            session.commit()
    finally:
        if client is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
    return sent, failed


def run_worker(app: Flask, interval: float = 10.0, max_loops: int | None = None) -> None:
    loops = 0
    while max_loops is None or loops < max_loops:
        sent, failed = send_due(app)
        if sent or failed:
            log.info("outbox: %s sent, %s failed", sent, failed)
        loops += 1
        db.session.remove()
        if max_loops is None or loops < max_loops:
            time.sleep(interval)
