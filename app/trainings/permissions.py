"""Who may manage missions (the training institute's staff and administrators) and act on a
sign-up (the person, or whoever acts for them)."""

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


@rule("trainings.own_signup")
def _own_signup(actor: Person, signup: Any) -> bool:
    """The person who signed up, or someone who acts for them (their facilitator)."""
    from app.core.permissions import can
    from app.trainings.models import Signup

    if not isinstance(signup, Signup):
        return False
    return getattr(actor, "id", None) == signup.person_id or can(
        actor, "person.act_for", signup.person
    )
