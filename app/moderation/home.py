"""What moderation puts in the home page's "For you now" (core's registry, app/core/home.py):
decisions about the person's own messages that they may act on: a message held for a check
(they may still change it), a change asked by a moderator, a message hidden or published
without some words that they may appeal."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import db
from app.core.formatting import date_only
from app.core.home import WaitingItem, register_home_section
from app.moderation.models import Action, ModerationDecision, ModerationItem, ModerationStatus
from app.moderation.services import may_appeal

M = ModerationStatus


def _item(item: ModerationItem) -> WaitingItem | None:
    day = date_only(item.created_at)
    if may_appeal(item):
        if item.status == M.PUBLISHED:
            text = _(
                "Your message of %(date)s was published without some words. "
                "You can say that you disagree.",
                date=day,
            )
        else:
            text = _(
                "Your message of %(date)s was taken off. You can say that you disagree.", date=day
            )
        return _waiting(
            f"appeal:{item.id}:{item.last_decision.id}", text, "moderation.appeal", item_id=item.id
        )
    if item.status == M.TO_CHANGE:
        text = _("Please change your message of %(date)s.", date=day)
        return _waiting(
            f"change:{item.id}:{item.version}", text, "moderation.edit_mine", item_id=item.id
        )
    if item.status == M.HELD:
        text = _("Your message of %(date)s waits to be checked.", date=day)
        return _waiting(f"held:{item.id}:{item.version}", text, "moderation.mine")
    return None


def _waiting(key: str, text: str, endpoint: str, **values: Any) -> WaitingItem:
    """A line of "For you now" about a message: `key` names it for good (with the decision
    or the version it is about), `values` build the link with `endpoint`."""
    return WaitingItem(key=f"moderation.{key}", text=text, endpoint=endpoint, values=values)


def decisions_about_my_messages(actor: Any) -> list[WaitingItem]:
    """The person's messages with something to know or do, oldest first. Three queries (the
    messages, their decisions, their appeals), whatever their number."""
    redacted = select(ModerationDecision.id).where(
        ModerationDecision.item_id == ModerationItem.id,
        ModerationDecision.action == Action.REDACT,
    )
    items = db.session.scalars(
        select(ModerationItem)
        .options(selectinload(ModerationItem.decisions), selectinload(ModerationItem.appeals))
        .where(
            ModerationItem.author_id == actor.id,
            or_(ModerationItem.status.in_((M.HELD, M.HIDDEN, M.TO_CHANGE)), redacted.exists()),
        )
        .order_by(ModerationItem.created_at, ModerationItem.id)
    )
    return [shown for item in items if (shown := _item(item)) is not None]


def register() -> None:
    register_home_section(
        "moderation_decisions", 60, decisions_about_my_messages, "moderation/_home_decisions.html"
    )
