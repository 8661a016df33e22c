"""Mail outbox: `queue_mail()` writes a message in the current transaction;
`send_due()` (run by `flask outbox send`) delivers it after commit over SMTP,
with retries and an exponential backoff. Text messages (`queue_sms()`, channel SMS) wait in
the same table and go through the same worker, retries and failures, by the SMS provider of
app/core/sms.py. Several workers may run at once (see `_claim`).

One message never stops the worker: a message that cannot be written (a line break in a
header, an invalid address) or that the server refuses for good is marked FAILED with a
short reason and the worker goes on; a server out of reach is tried again later. Failed
messages are listed for platform administrators (/admin/outbox, `retry_failed`), and the
person's home page says which notification did not reach them by e-mail."""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from app import db
from app.core import audit
from app.core.errors import DomainError
from app.core.models import OutboxChannel, OutboxMessage, OutboxStatus
from app.core.permissions import require, rule
from app.core.retry import forget_session, is_transient, next_delay
from app.core.sanitize import single_line
from app.core.sms import SmsError, fit, provider_for
from app.db import utcnow

log = logging.getLogger(__name__)

# Why a message was given up: the first word of `last_error` (the rest is a class name or an
# SMTP code, never an address or a text). Shown to platform administrators.
INVALID = "invalid"  # could not be written: a header with a line break, a bad address
REFUSED = "refused"  # the mail server refused it for good (5xx)
UNREACHABLE = "unreachable"  # still no server after OUTBOX_MAX_ATTEMPTS tries
CLAIM_EXPIRED = "claim_expired"  # workers kept dying while sending it


@rule("outbox.manage")
def _outbox_manage(actor: object, obj: object) -> bool:
    return bool(getattr(actor, "is_platform_admin", False))


def queue_mail(
    to_address: str, subject: str, body_text: str, notification_id: int | None = None
) -> OutboxMessage:
    """Queue one e-mail in the current transaction. The subject and the address become one
    clean line (no line break can add a header); the body is sent as it is."""
    message = OutboxMessage(
        to_address=single_line(to_address)[:254],
        subject=single_line(subject)[:200],
        body_text=body_text,
        notification_id=notification_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def queue_sms(
    to_number: str, text: str, notification_id: int | None = None, link: str = ""
) -> OutboxMessage:
    """Queue one text message in the current transaction: to a number in the international
    form (E.164), the text cut to fit two parts at most with the link kept whole after it
    (app/core/sms.py `fit`)."""
    message = OutboxMessage(
        channel=OutboxChannel.SMS,
        to_address=single_line(to_number)[:16],
        subject="",
        body_text=fit(text, link),
        notification_id=notification_id,
    )
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
    """The e-mail; ValueError when a header cannot be written (the message is then FAILED)."""
    address = message.to_address or ""
    if address.count("@") != 1 or any(c.isspace() or not c.isprintable() for c in address):
        raise ValueError("invalid recipient address")
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
                message.last_error = CLAIM_EXPIRED
                message.failed_at = now
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


RECORD_TRIES = 5  # an outcome already happened (the mail left): try hard to write it


def _record(message: OutboxMessage, worker: str, **values: object) -> bool:
    """Write the outcome only if this worker still holds the claim; commit at once.

    A busy database is waited for (a few tries with backoff): the e-mail has left already,
    and an outcome never written means the message is sent again when the claim runs out."""
    for attempt in range(1, RECORD_TRIES + 1):
        try:
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
            break
        except SQLAlchemyError as exc:
            db.session.rollback()
            if attempt == RECORD_TRIES or not is_transient(exc):
                raise
            log.warning("outbox message %s: database busy, outcome written later", message.id)
            time.sleep(next_delay(attempt))
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
    sms = provider_for(app)
    # Stop taking new messages of this batch once half the lease is gone: the rest are
    # given back rather than sent late under a claim another worker may already have taken.
    deadline = time.monotonic() + app.config["OUTBOX_CLAIM_TIMEOUT"] / 2
    remaining = list(claimed)
    try:
        while remaining and time.monotonic() < deadline:
            # Off the list before SMTP: if this process stops right now, the message stays
            # claimed until its lease runs out rather than being given back and sent twice.
            message = remaining.pop(0)
            attempts = message.attempts
            try:
                if message.channel == OutboxChannel.SMS:
                    sms.send(message.to_address, message.body_text)
                else:
                    email = _build(app, message)
                    if client is None:
                        client = _smtp(app)
                    client.send_message(email)
            except SQLAlchemyError:
                raise  # the database, not this message: the worker's loop waits and retries
            except Exception as exc:  # noqa: BLE001 - one message must never stop the worker
                permanent = _permanent_reason(exc)
                if not isinstance(
                    exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError | SmsError
                ):
                    client = None  # after anything else the connection is in doubt
                if permanent is None and attempts < app.config["OUTBOX_MAX_ATTEMPTS"]:
                    delay = app.config["OUTBOX_BASE_BACKOFF"] * 2 ** (attempts - 1)
                    outcome: dict[str, object] = {
                        "status": OutboxStatus.PENDING,
                        "next_attempt_at": now + timedelta(seconds=delay),
                        "last_error": f"{UNREACHABLE}: {_kind(exc)}"[:300],
                    }
                else:
                    outcome = {
                        "status": OutboxStatus.FAILED,
                        "failed_at": utcnow(),
                        "last_error": (permanent or f"{UNREACHABLE}: {_kind(exc)}")[:300],
                    }
                _record(message, worker, **outcome)
                failed += 1
                log.warning(
                    "outbox message %s failed (attempt %s, %s)",
                    message.id,
                    attempts,
                    outcome["last_error"],
                )
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


def _kind(exc: Exception) -> str:
    """What went wrong in a word: the SMS provider's answer ("http 503") or a class name."""
    return exc.reason if isinstance(exc, SmsError) else type(exc).__name__


def _permanent_reason(exc: Exception) -> str | None:
    """Why trying again cannot help, or None when it may (no server, a 4xx answer).
    Short, without personal data: a kind, then a class name or an SMTP code."""
    if isinstance(exc, SmsError):  # the SMS provider's answer: "http 400", "http 503"...
        return f"{REFUSED}: {exc.reason}" if exc.permanent else None
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        return f"{REFUSED}: {codes[0]}" if codes and codes[0] >= 500 else None
    if isinstance(exc, smtplib.SMTPDataError | smtplib.SMTPNotSupportedError):
        code = getattr(exc, "smtp_code", 0)
        if not code:  # SMTPNotSupportedError: the server cannot take this address (SMTPUTF8)
            return f"{REFUSED}: {type(exc).__name__}"
        return f"{REFUSED}: {code}" if code >= 500 else None
    if isinstance(exc, OSError | smtplib.SMTPException):
        return None  # out of reach, disconnected, busy: later
    # Anything else comes from the message itself (a header that cannot be written, an
    # address the mail library refuses): the same message would fail the same way again.
    return f"{INVALID}: {type(exc).__name__}"


def run_worker(
    app: Flask,
    interval: float = 10.0,
    max_loops: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    until_idle: bool = False,
    limit: int = 100,
) -> int:
    """`flask outbox send --loop`: send what is due every `interval` seconds, for ever
    (`until_idle`: stop after a round that found nothing to do). Returns how many were sent.

    The database out of reach (locked past the busy timeout, restarted, a dropped connection)
    never ends the loop: the round is rolled back and tried again after 1, 2, 4... seconds
    (at most a minute); messages claimed by a round that broke are sent when their claim
    runs out. Any other error of a round is logged (its class only) and the loop goes on."""
    loops = 0
    failures = 0
    total = 0
    while (max_loops is None or loops < max_loops) and not should_stop():
        loops += 1
        try:
            sent, failed = send_due(app, limit=limit)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive any one round
            failures += 1
            delay = next_delay(failures, base=min(interval, 1.0) or 1.0)
            forget_session()
            level = logging.WARNING if is_transient(exc) else logging.ERROR
            log.log(
                level,
                "outbox: round failed (%s), next try in %.0f s",
                type(exc).__name__,
                delay,
            )
            time.sleep(delay)
            continue
        failures = 0
        total += sent
        if sent or failed:
            log.info("outbox: %s sent, %s failed", sent, failed)
        db.get_db().session.remove()  # a fresh session (and identity map) for each round
        if until_idle and not (sent or failed):
            break
        if (max_loops is None or loops < max_loops) and not should_stop():
            time.sleep(interval)
    return total


def counts() -> dict[OutboxStatus, int]:
    """How many messages are in each state (every state present, zero when none)."""
    found = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return {status: found.get(status, 0) for status in OutboxStatus}


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.failed_at.desc().nulls_last(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def retry_failed(actor: object, message: OutboxMessage) -> OutboxMessage:
    """A platform administrator sends a failed message again (after fixing the address or
    the mail server): back to PENDING, due now, with a full set of attempts."""
    message = db.lock(message)  # sent again from two tabs: queued once, so mailed once
    require(actor, "outbox.manage")
    if message.status != OutboxStatus.FAILED:
        raise DomainError(_l("This e-mail has not failed. There is nothing to send again."))
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.failed_at = None
    message.claimed_by = None
    audit.record(actor, "outbox.retry", message, reason=(message.last_error or "")[:40])
    db.session.flush()
    return message
