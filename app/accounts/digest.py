"""The e-mail digest of "For you now": the same list as the home page (core's registry,
app/core/home.py `waiting_items`), sent by e-mail to people who have an address, at most once
a day per person and only when something in it is new.

Run by the scheduler (`flask jobs run`, job `accounts.home_digest`, every hour): each run
writes to the people whose last digest is more than a day old. What was sent is remembered
in the audit log (`accounts.digest_sent`, the items' keys only: identifiers, never words), so
an item already told is not a reason to write again; an item that appears is."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.core import audit
from app.core.home import WaitingItem, waiting_items
from app.core.models import AuditEntry
from app.core.outbox import queue_mail
from app.core.urls import external_url

SENT = "accounts.digest_sent"
AT_MOST_EVERY = timedelta(days=1)


def register() -> None:
    from app.core.jobs import register_job

    register_job("accounts.home_digest", timedelta(hours=1), send_digests)


def _link(item: WaitingItem) -> str:
    url = external_url(item.endpoint, **item.values)
    return f"{url}#{item.anchor}" if item.anchor else url


def digest_text(person: Any, items: list[WaitingItem], new: set[str]) -> str:
    """The mail, in the person's language (call inside `force_locale`): one short paragraph
    per item, the new ones marked, most urgent first."""
    lines = [
        _("Hello %(name)s,", name=person.display_name),
        "",
        _("This is waiting for you on Parole."),
    ]
    for item in items:
        lines.append("")
        text = _("New: %(text)s", text=item.text) if item.key in new else item.text
        lines.append(f"- {text}")
        if item.when:
            lines.append(f"  {item.when}")
        lines.append(f"  {_link(item)}")
    lines += [
        "",
        _("We write to you at most once a day, and only when there is something new."),
        _("You can also see this list on the home page of Parole."),
    ]
    return "\n".join(lines) + "\n"


def _last_keys(person: Any) -> set[str]:
    entry = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == SENT,
            AuditEntry.object_type == Person.__tablename__,
            AuditEntry.object_id == person.id,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
    return set(entry.details.get("keys", [])) if entry is not None else set()


def send_digest(person: Any, now: datetime) -> bool:
    """Queue this person's digest if something in their list is new since the last one.
    Does not check the once-a-day rule (`send_digests` does)."""
    if not person.email or not person.is_active:
        return False
    with force_locale(str(person.language)):
        items = waiting_items(person)
        keys = [item.key for item in items]
        new = set(keys) - _last_keys(person)
        if not new:
            return False
        subject = _("Parole: what is waiting for you")
        body = digest_text(person, items, new)
    queue_mail(person.email, subject, body)
    entry = audit.record(None, SENT, person, keys=keys)
    entry.at = now
    return True


def send_digests(now: datetime) -> int:
    """Everyone with an e-mail address whose last digest is at least a day old and whose
    list has something new gets one. Returns how many were queued."""
    recent = set(
        db.session.scalars(
            select(AuditEntry.object_id).where(
                AuditEntry.action == SENT,
                AuditEntry.object_type == Person.__tablename__,
                AuditEntry.at > now - AT_MOST_EVERY,
            )
        )
    )
    people = db.session.scalars(
        select(Person)
        .where(Person.email.is_not(None), Person.is_active.is_(True))
        .order_by(Person.id)
    ).all()
    return sum(1 for person in people if person.id not in recent and send_digest(person, now))
