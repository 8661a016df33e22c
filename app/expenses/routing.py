"""Who reviews a request: routing that never strands one.

A request is reviewed by its paying organisation. In order, the first of these that has
somebody other than the person the request is for:

1. the organisation's facilitators and finance people (the usual reviewers);
2. its administrators (an institute without finance: a co-trainer's pay is still reviewed);
3. Parole's platform administrators (an organisation with none of the above).

When a sent request lands on 2 or 3, the platform administrators are warned once (and the
organisation's administrators told it is theirs), with a link to name a finance person
(a role offered on the organisation's page). Paying follows the same order from finance and
administrators. The rules of `permissions.py` ask these functions."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Person, Role


class Stage(StrEnum):
    REVIEWERS = "reviewers"
    ADMINS = "admins"
    PLATFORM = "platform"
    NOBODY = "nobody"


REVIEW_ROLES = (Role.FACILITATOR, Role.FINANCE)
PAY_ROLES = (Role.FINANCE, Role.ADMIN)


def _active(person: Person) -> bool:
    return bool(person.is_active) and person.closed_at is None


def members_with(organisation_id: int, roles: tuple[Role, ...]) -> list[Person]:
    """The active people holding one of these roles in the organisation, each once."""
    found = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.organisation_id == organisation_id, Membership.role.in_(roles))
        .order_by(Person.id)
    ).unique()
    return [p for p in found if _active(p)]


def organisations_without_staff() -> list[int]:
    """Organisations with no facilitator, finance person or administrator."""
    from app.accounts.models import Organisation

    staffed = select(Membership.organisation_id).where(
        Membership.role.in_((*REVIEW_ROLES, Role.ADMIN))
    )
    return list(db.session.scalars(select(Organisation.id).where(Organisation.id.not_in(staffed))))


def platform_admins() -> list[Person]:
    found = db.session.scalars(
        select(Person).where(Person.is_platform_admin.is_(True)).order_by(Person.id)
    )
    return [p for p in found if _active(p)]


def _chain(organisation_id: int, roles: tuple[Role, ...]) -> list[tuple[Stage, Any]]:
    return [
        (Stage.REVIEWERS, lambda: members_with(organisation_id, roles)),
        (Stage.ADMINS, lambda: members_with(organisation_id, (Role.ADMIN,))),
        (Stage.PLATFORM, platform_admins),
    ]


def route(
    organisation_id: int,
    person_id: int | None,
    roles: tuple[Role, ...] = REVIEW_ROLES,
    also_not: int | None = None,
) -> tuple[Stage, list[Person]]:
    """The first stage with somebody other than the person the request is for (and other
    than `also_not`: the first reviewer, when a second check is due)."""
    for stage, people in _chain(organisation_id, roles):
        found = [p for p in people() if p.id not in (person_id, also_not)]
        if found:
            return stage, found
    return Stage.NOBODY, []


def reviewers(request: Any) -> tuple[Stage, list[Person]]:
    """Who may decide now. A second check needs a second person: when the first reviewer was
    the only one of their stage, the second check goes to the next stage (an institute whose
    one administrator accepted a co-trainer's pay: Parole's administrators give the second)."""
    from app.expenses.models import RequestStatus

    second = request.status == RequestStatus.AWAITING_SECOND
    return route(
        request.organisation_id,
        request.person_id,
        also_not=request.first_reviewer_id if second else None,
    )


def payers(organisation_id: int) -> tuple[Stage, list[Person]]:
    """Finance people and administrators of the paying organisation, else the platform's."""
    return route(organisation_id, None, PAY_ROLES)


def second_check_possible(request: Any) -> bool:
    """Somebody other than the person and the first reviewer may give the second check."""
    stage, _people = route(
        request.organisation_id, request.person_id, also_not=request.first_reviewer_id
    )
    return stage != Stage.NOBODY


def may_review(actor: Person, request: Any) -> bool:
    """The actor reviews this request: they are on its first stage with somebody, and it is
    not their own request."""
    if actor.id == request.person_id:
        return False
    _stage, people = reviewers(request)
    return any(p.id == actor.id for p in people)


def pays_for_organisation(actor: Person, organisation_id: int) -> bool:
    _stage, people = payers(organisation_id)
    return any(p.id == actor.id for p in people)


def reviews_for_organisation(actor: Person, organisation_id: int) -> bool:
    """The organisation's requests come to the actor when the person is none of them: used
    for the lists and the organisation-level rule."""
    _stage, people = route(organisation_id, None)
    return any(p.id == actor.id for p in people)


# --- the warning ------------------------------------------------------------------------

WARNED = "expenses.routed_without_reviewer"
WARNED_SECOND = "expenses.second_check_routed"


def warn_second_check(actor: Person, request: Any) -> None:
    """Called when a request waits for its second check: when nobody of the usual reviewers
    but the first one may give it, the people it now goes to are told, once per request."""
    from app.core import audit
    from app.core.notifications import notify
    from app.core.urls import external_url

    stage, people = reviewers(request)
    if stage == Stage.REVIEWERS or _warned(request, WARNED_SECOND):
        return
    audit.record(
        actor, WARNED_SECOND, request, organisation_id=request.organisation_id, stage=stage.value
    )
    organisation = request.organisation
    link = external_url("expenses.review", request_id=request.id)
    for person in people:
        notify(
            person,
            lambda: _("A request waits for a second check: %(org)s", org=organisation.name),
            lambda: _(
                "Above a certain amount, two different people check a request. Nobody else in "
                "%(org)s can give the second check, so it comes to you.",
                org=organisation.name,
            ),
            link=link,
        )


def _warned(request: Any, action: str) -> bool:
    from app.core.models import AuditEntry

    return (
        db.session.scalar(
            select(AuditEntry.id)
            .where(
                AuditEntry.action == action,
                AuditEntry.object_type == "expense_requests",
                AuditEntry.object_id == request.id,
            )
            .limit(1)
        )
        is not None
    )


def warn_when_stranded(actor: Person, request: Any) -> None:
    """Called when a request is sent: if the organisation has no facilitator or finance
    person to review it, its administrators are told it is theirs to review and the
    platform administrators are warned, once per request."""
    from app.core import audit
    from app.core.notifications import notify
    from app.core.urls import external_url

    stage, people = reviewers(request)
    if stage == Stage.REVIEWERS or _warned(request, WARNED):
        return
    audit.record(actor, WARNED, request, organisation_id=request.organisation_id, stage=stage.value)
    organisation = request.organisation
    review_link = external_url("expenses.review", request_id=request.id)
    name_link = external_url("admin.organisation", org_id=request.organisation_id)
    told: set[int] = set()
    for person in people:
        told.add(person.id)
        notify(
            person,
            lambda: _("A request waits for your check: %(org)s", org=organisation.name),
            lambda: _(
                "%(org)s has no facilitator and no finance person to check requests. "
                "This request comes to you. You can also name a finance person.",
                org=organisation.name,
            ),
            link=review_link,
        )
    for admin in platform_admins():
        if admin.id in told or admin.id == request.person_id:
            continue
        notify(
            admin,
            lambda: _("No finance person in %(org)s", org=organisation.name),
            lambda: _(
                "A request was sent to %(org)s, which has no facilitator and no finance "
                "person. Its administrators check it. Ask them to name a finance person.",
                org=organisation.name,
            ),
            link=name_link if stage == Stage.ADMINS else review_link,
        )
