"""Permission rules of the accounts domain."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Organisation, Person, Role
from app.core.permissions import rule


def has_role(person: Person, role: Role, organisation: Organisation | int | None = None) -> bool:
    org_id = organisation.id if isinstance(organisation, Organisation) else organisation
    return any(
        m.role == role and (org_id is None or m.organisation_id == org_id)
        for m in person.memberships
    )


def organisations_where(person: Person, role: Role) -> list[Organisation]:
    return [m.organisation for m in person.memberships if m.role == role]


@rule("admin.access")
def _admin_access(actor: Person, obj: Any) -> bool:
    return actor.is_platform_admin or has_role(actor, Role.ADMIN)


@rule("organisation.create")
def _org_create(actor: Person, obj: Any) -> bool:
    return actor.is_platform_admin


@rule("organisation.manage")
def _org_manage(actor: Person, org: Organisation) -> bool:
    return isinstance(org, Organisation) and (
        actor.is_platform_admin or has_role(actor, Role.ADMIN, org)
    )


@rule("participants.access")
def _participants_access(actor: Person, obj: Any) -> bool:
    """The participants page: a facilitator's people, or everyone of an administrator's
    organisations."""
    return has_role(actor, Role.FACILITATOR) or has_role(actor, Role.ADMIN)


@rule("participants.create_in")
def _participants_create(actor: Person, org: Organisation) -> bool:
    """A card account (identifier and code) is made by a facilitator or an administrator of
    the organisation."""
    return isinstance(org, Organisation) and (
        has_role(actor, Role.FACILITATOR, org) or has_role(actor, Role.ADMIN, org)
    )


@rule("onboarding.invite")
def _onboarding_invite(actor: Person, org: Organisation | None) -> bool:
    """Invite someone by e-mail: into an organisation where the actor is an administrator or
    a facilitator (the roles each may give: `onboarding.roles_to_give`); without an
    organisation, whether the invitation page opens at all."""
    if org is None:
        return actor.is_platform_admin or any(
            m.role in (Role.ADMIN, Role.FACILITATOR) for m in actor.memberships
        )
    return isinstance(org, Organisation) and (
        actor.is_platform_admin
        or has_role(actor, Role.ADMIN, org)
        or has_role(actor, Role.FACILITATOR, org)
    )


def holder_facilitates(actor: Person, person: Person) -> bool:
    """True when `actor` is a facilitator of the organisation that holds `person`'s account
    and the person has an accepted participant role there."""
    holder = person.holder_organisation_id
    return (
        holder is not None
        and has_role(actor, Role.FACILITATOR, holder)
        and has_role(person, Role.PARTICIPANT, holder)
    )


@rule("person.act_for")
def _act_for(actor: Person, person: Person) -> bool:
    """A facilitator may act for a participant only in the organisation that holds the
    person's account. A role accepted in another organisation gives that organisation's
    facilitators nothing over the account (no page, no code, no bank details)."""
    if not isinstance(person, Person) or person.id == actor.id:
        return False
    return holder_facilitates(actor, person)


@rule("person.reset_code")
def _reset_code(actor: Person, person: Person) -> bool:
    return isinstance(person, Person) and person.uses_code and _act_for(actor, person)


@rule("person.close")
def _close(actor: Person, person: Person) -> bool:
    """People close their own account; a platform administrator can, on their request."""
    return isinstance(person, Person) and (person.id == actor.id or actor.is_platform_admin)
