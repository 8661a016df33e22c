"""Who may edit the kit's fiches, and who sees an organisation's checklists, dashboard and
yearly report. Everybody, even without an account, reads the fiches."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule


@rule("kit.edit")
def _edit(actor: Person, obj: Any) -> bool:
    """The kit is the same for every organisation: Parole's administrators edit it."""
    return bool(getattr(actor, "is_platform_admin", False))


@rule("kit.follow")
def _follow(actor: Person, organisation_id: Any) -> bool:
    """Checklists, dashboard and yearly report of an organisation: the people who run its
    participation (facilitators, institute staff, administrators)."""
    if not isinstance(organisation_id, int):
        return False
    return any(
        has_role(actor, role, organisation_id)
        for role in (Role.FACILITATOR, Role.INSTITUTE_STAFF, Role.ADMIN)
    )
