"""In-app notifications: `notify()` writes one for a person in their own language, in the
current transaction, and queues the same words as an e-mail when the person has an address.
Used by every domain that must tell someone that something changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select

from app import db
from app.core.models import Notification
from app.core.outbox import queue_mail
from app.db import utcnow


def notify(
    person: Any,
    subject: Callable[[], str],
    body: Callable[[], str],
    link: str = "",
    urgent: bool = False,
    mail_body: Callable[[], str] | None = None,
) -> Notification:
    """`subject` and `body` are called inside the person's language, so they can use gettext.
    `mail_body`, when given, is what the e-mail says instead of `body`: for a notification
    that quotes personal data (a phone number removed from a message), which is shown on
    Parole and does not travel by e-mail."""
    with force_locale(str(person.language)):
        subject_text = str(subject())
        body_text = str(body())
        mail_text = str(mail_body()) if mail_body is not None else body_text
    if urgent:
        subject_text = f"[URGENT] {subject_text}"
    note = Notification(
        person_id=person.id, subject=subject_text[:200], body=body_text, link=link, urgent=urgent
    )
    db.session.add(note)
    if person.email:
        mail_text = f"{mail_text}\n\n{link}" if link else mail_text
        db.session.flush()  # the mail knows its notification: a failed mail shows at home
        queue_mail(person.email, subject_text, mail_text, notification_id=note.id)
    db.session.flush()
    return note


def for_person(person: Any, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.person_id == person.id)
            .order_by(Notification.read_at.is_not(None), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(person: Any) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.person_id == person.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(person: Any, notification_id: int | None = None) -> None:
    """Mark one notification (or all) of this person as read."""
    query = select(Notification).where(
        Notification.person_id == person.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    now = utcnow()
    for note in db.session.scalars(query):
        note.read_at = now
    db.session.flush()


def with_failed_mail(person: Any, unread_only: bool = False) -> set[int]:
    """The ids of this person's notifications whose e-mail could not be sent (FAILED):
    their home page (unread ones) and notification list say so: nothing is lost with the mail."""
    from app.core.models import OutboxMessage, OutboxStatus

    query = (
        select(Notification.id)
        .join(OutboxMessage, OutboxMessage.notification_id == Notification.id)
        .where(
            Notification.person_id == person.id,
            OutboxMessage.status == OutboxStatus.FAILED,
        )
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return set(db.session.scalars(query))
