"""Tables shared by every domain: the audit log and the mail outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.personal import personal
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who did what to which object, and when. Written by services only.

    `details` holds identifiers and states, never personal data (no names, codes, e-mails).
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker, until its lease (next_attempt_at) runs out
    SENT = "sent"
    FAILED = "failed"


class OutboxChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"  # a text message: `to_address` holds the number (E.164), no subject


class OutboxMessage(Base):
    """An e-mail (or a text message, `channel`) written in the same transaction as the change that caused it.

    The `flask outbox send` worker delivers it after commit, with retries and backoff.
    Several workers may run at once: each claims a batch (status SENDING, claimed_by,
    claimed_at, next_attempt_at = end of the lease) in a short transaction before talking
    to SMTP, so no two workers send the same message; a crashed worker's claims run out
    and the messages are sent again later (see app/core/outbox.py).
    """

    __tablename__ = "outbox_messages"
    # A text message goes to a number, not to the address: it is found by its notification.
    personal_rows: ClassVar[str] = (
        "to_address = :email OR notification_id IN "
        "(SELECT id FROM notifications WHERE person_id = :pid)"
    )
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    channel: Mapped[OutboxChannel] = mapped_column(
        StrEnumType(OutboxChannel, 8), default=OutboxChannel.EMAIL, server_default="email"
    )
    to_address: Mapped[str] = mapped_column(String(254), info=personal())
    subject: Mapped[str] = mapped_column(String(200), info=personal())
    body_text: Mapped[str] = mapped_column(Text, info=personal())
    status: Mapped[OutboxStatus] = mapped_column(
        StrEnumType(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When it was given up (FAILED): shown to platform administrators on /admin/outbox.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The in-app notification holding the same words (see app/core/notifications.py): when
    # the mail fails, the person's home page says so and points to it.
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)


class Notification(Base):
    """A message for one person inside Parole, written in their language when it is created.
    People without e-mail read it on their home page; people with e-mail also get a mail."""

    __tablename__ = "notifications"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    subject: Mapped[str] = mapped_column(String(200), info=personal())
    body: Mapped[str] = mapped_column(Text, default="", info=personal())
    link: Mapped[str] = mapped_column(String(300), default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_notifications_person", "person_id", "read_at"),)


class IdempotencyKey(Base):
    """A form that was sent and done: the random key its page carried, who sent it, and where
    the first answer led (see app/core/idempotency.py).

    The unique key is what makes a sent form count once: a copy of the same POST (a retry after
    a lost connection, a double click) finds the row and gets the same redirect; two copies at
    the same moment cannot both insert it. Rows hold no personal data beyond the person's id.
    """

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class JobRun(Base):
    """One row per scheduled job (app/core/jobs.py): when it last started, finished and
    succeeded, how much it did, and the kind of its last error (a class name, never a value:
    an error's text may hold personal data). An administrator reads it to see that the
    jobs run; the scheduler claims a job by setting `started_at` under the row's lock."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(120), default="")
