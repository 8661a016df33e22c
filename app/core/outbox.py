"""Mail outbox: `queue_mail()` writes a message in the current transaction;
`send_due()` (run by `flask outbox send`) delivers it after commit over SMTP,
with retries and an exponential backoff. Several workers may run at once (see `_claim`)."""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask
from sqlalchemy import select, update

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


def _worker_id() -> str:
    """Who holds a claim: host, process and a random part (a pid can be reused)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:64]


def _claim(app: Flask, now: datetime, limit: int, worker: str) -> tuple[list[OutboxMessage], int]:
    """Claim up to `limit` due messages in one short transaction, committed before any SMTP.

    Due: PENDING whose next attempt has come, or SENDING whose lease has run out (the worker
    that claimed it died). On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets each worker take
    rows no other worker is claiming at that moment; on SQLite the transaction starts with
    BEGIN IMMEDIATE (app/db.py), so claims are made one after the other. A claimed message
    gets status SENDING and next_attempt_at = end of the lease. Returns the claimed messages
    and how many expired claims were given up as FAILED (too many attempts)."""
    session = db.session
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    lease_end = now + timedelta(seconds=app.config["OUTBOX_CLAIM_TIMEOUT"])
    claimed: list[OutboxMessage] = []
    given_up = 0
    for message in rows:
        if message.status == OutboxStatus.SENDING:
            log.warning("outbox message %s: claim of %s ran out", message.id, message.claimed_by)
            if message.attempts >= app.config["OUTBOX_MAX_ATTEMPTS"]:
                message.status = OutboxStatus.FAILED
                message.last_error = "ClaimExpired"
                message.claimed_by = None
                given_up += 1
                continue
        message.status = OutboxStatus.SENDING
        message.claimed_by = worker
        message.claimed_at = now
        message.next_attempt_at = lease_end
        message.attempts += 1  # counted when started, so a message that kills workers stops
        claimed.append(message)
    session.commit()
    return claimed, given_up


def _record(message: OutboxMessage, worker: str, **values: object) -> bool:
    """Write the outcome only if this worker still holds the claim; commit at once."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker,
        )
        .values(claimed_by=None, **values)
    )
    db.session.commit()
    if result.rowcount != 1:
        db.session.expire(message)
        log.warning("outbox message %s: claim lost before its outcome was written", message.id)
        return False
    return True


def _release(messages: list[OutboxMessage], worker: str) -> None:
    """Give unsent claimed messages back at once (stopping, or the lease is half gone)."""
    if not messages:
        return
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_([m.id for m in messages]),
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker,
        )
        .values(
            status=OutboxStatus.PENDING,
            claimed_by=None,
            attempts=OutboxMessage.attempts - 1,
            next_attempt_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    for message in messages:
        db.session.expire(message)


def send_due(app: Flask, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the messages that are due. Returns (sent, failed).

    Safe with several workers at once: a batch is claimed and committed before SMTP (see
    `_claim`), then each outcome is committed as soon as it is known, so a message marked
    SENT is never sent again. A worker that dies between SMTP and that commit leaves a
    claim that runs out after OUTBOX_CLAIM_TIMEOUT: that one message is then sent again
    (at least once, never lost)."""
    now = now or utcnow()
    worker = _worker_id()
    claimed, failed = _claim(app, now, limit, worker)
    if not claimed:
        return 0, failed
    sent = 0
    client: smtplib.SMTP | None = None
    # Stop taking new messages of this batch once half the lease is gone: the rest are
    # given back rather than sent late under a claim another worker may already have taken.
    deadline = time.monotonic() + app.config["OUTBOX_CLAIM_TIMEOUT"] / 2
    remaining = list(claimed)
    try:
        while remaining and time.monotonic() < deadline:
            # Off the list before SMTP: if this process stops right now, the message stays
            # claimed until its lease runs out rather than being given back and sent twice.
            message = remaining.pop(0)
            try:
                if client is None:
                    client = _smtp(app)
                client.send_message(_build(app, message))
            except (OSError, smtplib.SMTPException) as exc:
                client = None
                if message.attempts >= app.config["OUTBOX_MAX_ATTEMPTS"]:
                    outcome = {"status": OutboxStatus.FAILED}
                else:
                    delay = app.config["OUTBOX_BASE_BACKOFF"] * 2 ** (message.attempts - 1)
                    outcome = {
                        "status": OutboxStatus.PENDING,
                        "next_attempt_at": now + timedelta(seconds=delay),
                    }
                _record(message, worker, last_error=type(exc).__name__, **outcome)
                failed += 1
                log.warning("outbox message %s failed (attempt %s)", message.id, message.attempts)
            else:
                if _record(
                    message, worker, status=OutboxStatus.SENT, sent_at=utcnow(), last_error=None
                ):
                    sent += 1
    finally:
        _release(remaining, worker)
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
        db.get_db().session.remove()  # a fresh session (and identity map) for each round
        if max_loops is None or loops < max_loops:
            time.sleep(interval)
