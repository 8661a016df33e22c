"""The facilitators' "À prévenir" list: for people who chose to be told through their
facilitator, each notification they get becomes a line on the list of their holder
organisation's facilitators (who, what to tell them, by when), until a facilitator presses
"C'est fait", which records who passed it on and when.

Core knows no domain: the line is written by `add_for_notification`, a hook accounts
registers with `app.core.notifications.on_notified` from its `init_app`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.contact import FACILITATOR
from app.accounts.models import Person, Role, ToTellItem
from app.accounts.permissions import has_role
from app.core import audit
from app.core.errors import NotFound
from app.core.formatting import date_only
from app.core.home import WaitingItem
from app.core.permissions import require, rule
from app.db import utcnow

DONE_SHOWN_FOR = timedelta(days=7)  # lines passed on stay visible (struck out) for a week
MAX_LINES = 300


@rule("to_tell.see")
def _to_tell_see(actor: Person, obj: Any) -> bool:
    return has_role(actor, Role.FACILITATOR)


@rule("to_tell.mark_done")
def _to_tell_mark_done(actor: Person, item: ToTellItem) -> bool:
    return isinstance(item, ToTellItem) and has_role(actor, Role.FACILITATOR, item.organisation_id)


def add_for_notification(person: Any, note: Any, due_at: datetime | None) -> ToTellItem | None:
    """Called for every notification (in its transaction): a line for the holder
    organisation's facilitators when the person chose to be told by them."""
    if getattr(person, "contact_channel", "") != FACILITATOR:
        return None
    organisation_id = getattr(person, "holder_organisation_id", None)
    if organisation_id is None:
        return None
    item = ToTellItem(
        person_id=person.id,
        organisation_id=organisation_id,
        notification_id=note.id,
        text=(note.subject or "")[:400],
        link=(note.link or "")[:300],
        due_at=due_at,
    )
    db.session.add(item)
    db.session.flush()
    return item


def _organisation_ids(actor: Person) -> list[int]:
    return [m.organisation_id for m in actor.memberships if m.role == Role.FACILITATOR]


def open_items(actor: Person) -> list[ToTellItem]:
    """What the facilitator's organisations still have to pass on: the nearest deadline first,
    then the oldest."""
    ids = _organisation_ids(actor)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(ToTellItem)
            .where(ToTellItem.organisation_id.in_(ids), ToTellItem.done_at.is_(None))
            .order_by(
                ToTellItem.due_at.is_(None),
                ToTellItem.due_at,
                ToTellItem.created_at,
                ToTellItem.id,
            )
            .limit(MAX_LINES)
        )
    )


def recently_done(actor: Person, now: datetime | None = None) -> list[ToTellItem]:
    """Lines passed on in the last week, the latest first (who did it, when)."""
    ids = _organisation_ids(actor)
    if not ids:
        return []
    since = (now or utcnow()) - DONE_SHOWN_FOR
    return list(
        db.session.scalars(
            select(ToTellItem)
            .where(ToTellItem.organisation_id.in_(ids), ToTellItem.done_at >= since)
            .order_by(ToTellItem.done_at.desc(), ToTellItem.id.desc())
            .limit(MAX_LINES)
        )
    )


def get_item(item_id: int) -> ToTellItem:
    item = db.session.get(ToTellItem, item_id)
    if item is None:
        raise NotFound(_l("This page does not exist."))
    return item


def mark_done(actor: Person, item: ToTellItem) -> ToTellItem:
    """ "C'est fait": the facilitator passed it on. Done already (twice at once, another
    facilitator first): nothing changes, the first one stays recorded."""
    require(actor, "to_tell.mark_done", item)
    item = db.lock(item)
    if item.done_at is not None:
        return item
    item.done_at = utcnow()
    item.done_by_id = actor.id
    audit.record(
        actor,
        "to_tell.done",
        item,
        organisation_id=item.organisation_id,
        person_id=item.person_id,
    )
    db.session.flush()
    return item


def home_items(actor: Any) -> list[WaitingItem]:
    """ "For you now" of a facilitator: one line when people wait for news from them."""
    if not has_role(actor, Role.FACILITATOR):
        return []
    items = open_items(actor)
    if not items:
        return []
    people = len({item.person_id for item in items})
    due = [item.due_at for item in items if item.due_at is not None]
    return [
        WaitingItem(
            key=f"accounts.to_tell:{max(item.id for item in items)}",
            text=_("%(num)s people wait for news from you. Tell them what is new.", num=people)
            if people > 1
            else _("1 person waits for news from you. Tell them what is new."),
            endpoint="participants.to_tell",
            due_at=min(due) if due else None,
            when=_("The first one before %(date)s.", date=date_only(min(due))) if due else "",
        )
    ]


def register() -> None:
    """From accounts' `init_app`: the hook on every notification, and the line on a
    facilitator's home page (the pages are in contact_views.py)."""
    from app.core.home import register_home_section
    from app.core.notifications import on_notified

    on_notified(add_for_notification)
    register_home_section("to_tell", 15, home_items, "participants/_home_to_tell.html")
