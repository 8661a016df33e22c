"""Who may do what in moderation. The queue is limited to the actor's own organisations."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule

DECIDING_ROLES = (Role.MODERATOR, Role.FACILITATOR, Role.ADMIN)


def _is_referent(actor: Person, organisation_id: int) -> bool:
    from app import db
    from app.moderation.models import ModerationSettings

    settings = db.session.get(ModerationSettings, organisation_id)
    return settings is not None and settings.referent_id == actor.id


@rule("moderation.decide")
def _decide(actor: Person, organisation_id: Any) -> bool:
    """Moderators, facilitators and administrators of the organisation, and its referent."""
    if not isinstance(organisation_id, int):
        return False
    return any(has_role(actor, r, organisation_id) for r in DECIDING_ROLES) or _is_referent(
        actor, organisation_id
    )


@rule("moderation.queue")
def _queue(actor: Person, obj: Any) -> bool:
    from app.moderation.services import moderated_organisations

    return bool(moderated_organisations(actor))


@rule("moderation.settings")
def _settings(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.ADMIN, organisation_id) or has_role(
        actor, Role.MODERATOR, organisation_id
    )


@rule("moderation.ban")
def _ban(actor: Person, organisation_id: Any) -> bool:
    """No permanent ban without an administrator."""
    if not isinstance(organisation_id, int):
        return False
    return actor.is_platform_admin or has_role(actor, Role.ADMIN, organisation_id)


@rule("moderation.stats")
def _stats(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return any(m.organisation_id == organisation_id for m in actor.memberships)
