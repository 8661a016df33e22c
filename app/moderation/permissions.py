"""Who may decide on held texts: moderators and facilitators of the organisation."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule


@rule("moderation.decide")
def _decide(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.MODERATOR, organisation_id) or has_role(
        actor, Role.FACILITATOR, organisation_id
    )
