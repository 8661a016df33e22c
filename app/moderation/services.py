"""Moderation service: the one entry point for user text that others will read.

This first version holds for a human any text that looks like personal data (a phone
number, an e-mail address) and publishes the rest; a moderator or facilitator of the
organisation publishes or hides what is held. The queue, the other detectors, reports and
appeals extend this same interface.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l

from app import db
from app.core import audit
from app.core.errors import InvalidTransition
from app.core.permissions import require

PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class ModerationStatus(StrEnum):
    PUBLISHED = "published"
    HELD = "held"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    ModerationStatus.PUBLISHED: _l("Published"),
    ModerationStatus.HELD: _l("Waiting for a check"),
    ModerationStatus.HIDDEN: _l("Hidden"),
}
REASONS = {
    "phone": _l("It looks like a phone number. We check it to protect you."),
    "email": _l("It looks like an e-mail address. We check it to protect you."),
}


class Moderated(Protocol):
    id: int
    body: str
    moderation_status: ModerationStatus
    moderation_reason: str | None
    organisation_id: int


def detect(text: str) -> list[str]:
    """Reasons to hold a text for a human (rule ids, see REASONS)."""
    found = []
    if PHONE.search(text or ""):
        found.append("phone")
    if EMAIL.search(text or ""):
        found.append("email")
    return found


def submit(actor: Any, content: Moderated) -> ModerationStatus:
    reasons = detect(content.body)
    content.moderation_status = ModerationStatus.HELD if reasons else ModerationStatus.PUBLISHED
    content.moderation_reason = ",".join(reasons) or None
    db.session.flush()
    audit.record(
        actor,
        "moderation.submitted",
        content,
        organisation_id=content.organisation_id,
        status=content.moderation_status.value,
        reasons=reasons,
    )
    return content.moderation_status


def decide(actor: Any, content: Moderated, publish: bool) -> None:
    require(actor, "moderation.decide", content.organisation_id)
    if content.moderation_status != ModerationStatus.HELD:
        raise InvalidTransition(_l("This text was already checked."))
    content.moderation_status = ModerationStatus.PUBLISHED if publish else ModerationStatus.HIDDEN
    db.session.flush()
    audit.record(
        actor,
        "moderation.decided",
        content,
        organisation_id=content.organisation_id,
        status=content.moderation_status.value,
    )


def reason_texts(content: Moderated) -> list[str]:
    return [str(REASONS[r]) for r in (content.moderation_reason or "").split(",") if r in REASONS]
