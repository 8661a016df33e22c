"""In-app notifications: `notify()` writes one for a person in their own language, in the
current transaction, and queues the same words as an e-mail when the person has an address,
and as a short text message when they chose text messages and gave a number. Hooks registered
with `on_notified()` see each notification (accounts: the facilitators' "À prévenir" list for
people who chose to be told by their facilitator). Used by every domain that must tell
someone that something changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import db
from app.core.models import Notification
from app.core.outbox import queue_mail, queue_sms
from app.db import utcnow


def notify(
    person: Any,
    subject: Callable[[], str],
    body: Callable[[], str],
    link: str = "",
    urgent: bool = False,
    mail_body: Callable[[], str] | None = None,
    sms_body: Callable[[], str] | None = None,
    due_at: datetime | None = None,
) -> Notification:
    """`subject` and `body` are called inside the person's language, so they can use gettext.
    `mail_body`, when given, is what the e-mail says instead of `body`: for a notification
    that quotes personal data (a phone number removed from a message), which is shown on
    Parole and does not travel by e-mail.
    `sms_body`, when given, is the text message (short, easy French: two parts at most);
    without it the text message is "Parole : " and the subject, with the link.
    `due_at`: by when the person must act (a closing date, an offer's end), for the hooks."""
    wants_sms = getattr(person, "contact_channel", "") == SMS and getattr(person, "phone", None)
    with force_locale(str(person.language)):
        subject_text = str(subject())
        body_text = str(body())
        mail_text = str(mail_body()) if mail_body is not None else body_text
        sms_text = ""
        if wants_sms:
            sms_text = (
                str(sms_body())
                if sms_body is not None
                else _("Parole: %(subject)s", subject=subject_text)
            )
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
    if wants_sms:
        queue_sms(person.phone, sms_text, note.id, link=link)
    for hook in _notified_hooks:
        hook(person, note, due_at)
    return note


def tell_beyond_mail(
    person: Any, subject: Callable[[], str], link: str = "", due_at: datetime | None = None
) -> None:
    """For a message a domain sends by e-mail only (a round's invitation), without an in-app
    notification: the same text message as `notify()` to a person who chose text messages,
    and the same hooks (the "À prévenir" line for a person told through their facilitator)."""
    wants_sms = getattr(person, "contact_channel", "") == SMS and getattr(person, "phone", None)
    if not wants_sms and not _notified_hooks:
        return
    with force_locale(str(person.language)):
        subject_text = str(subject())
        if wants_sms:
            queue_sms(person.phone, _("Parole: %(subject)s", subject=subject_text), link=link)
    note = SimpleNamespace(id=None, subject=subject_text[:200], link=link)
    for hook in _notified_hooks:
        hook(person, note, due_at)


SMS = "sms"  # the contact choice (people.contact_channel) of people who get text messages

NotifiedHook = Callable[[Any, Notification, "datetime | None"], None]
_notified_hooks: list[NotifiedHook] = []


def on_notified(hook: NotifiedHook) -> NotifiedHook:
    """Register `hook(person, notification, due_at)`, called in the same transaction after each
    notification is written. Core knows no domain: accounts registers the "À prévenir" list
    from its `init_app`. Registering the same hook again does nothing."""
    if hook not in _notified_hooks:
        _notified_hooks.append(hook)
    return hook


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
