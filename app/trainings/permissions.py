"""Who may manage missions: the training institute's staff and administrators."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule


@rule("trainings.manage")
def _manage(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.INSTITUTE_STAFF, organisation_id) or has_role(
        actor, Role.ADMIN, organisation_id
    )
