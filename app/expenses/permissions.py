"""Who may see, fill in, review and pay expense requests. Views, templates (`can()`) and
services ask these rules; each condition is written once, here."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule
from app.expenses import routing


@rule("expenses.view")
def _view(actor: Person, request: Any) -> bool:
    from app.expenses.models import ExpenseRequest

    if not isinstance(request, ExpenseRequest):
        return False
    if _made_it(actor, request):
        return True
    return (
        _review(actor, request.organisation_id)
        or routing.may_review(actor, request)
        or (request.status.awaits_payment and _pay(actor, request.organisation_id))
        or (request.kind.is_direct_purchase and _buy_directly(actor, request.organisation_id))
    )


@rule("expenses.review")
def _review(actor: Person, organisation_id: Any) -> bool:
    """Facilitators and finance people of the paying organisation; when it has none, its
    administrators, and when it has no administrator either, the platform's (routing.py)."""
    if not isinstance(organisation_id, int):
        return False
    return (
        has_role(actor, Role.FACILITATOR, organisation_id)
        or has_role(actor, Role.FINANCE, organisation_id)
        or routing.reviews_for_organisation(actor, organisation_id)
    )


@rule("expenses.pay")
def _pay(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return (
        has_role(actor, Role.FINANCE, organisation_id)
        or has_role(actor, Role.ADMIN, organisation_id)
        or routing.pays_for_organisation(actor, organisation_id)
    )


@rule("expenses.buy_directly")
def _buy_directly(actor: Person, organisation_id: Any) -> bool:
    """Record a ticket or a room the organisation bought for a person (direct.py): its
    facilitators, finance people and institute staff."""
    if not isinstance(organisation_id, int):
        return False
    return any(
        has_role(actor, role, organisation_id)
        for role in (Role.FACILITATOR, Role.FINANCE, Role.INSTITUTE_STAFF)
    )


@rule("expenses.see_iban")
def _see_iban(actor: Person, organisation_id: Any) -> bool:
    """Only finance sees a whole IBAN; everybody else sees it masked. In an organisation with
    no finance person, whoever pays in its place (its administrators: routing.py) makes the
    transfers, so sees what a transfer needs."""
    if not isinstance(organisation_id, int):
        return False
    if has_role(actor, Role.FINANCE, organisation_id):
        return True
    return not routing.members_with(
        organisation_id, (Role.FINANCE,)
    ) and routing.pays_for_organisation(actor, organisation_id)


@rule("expenses.settings")
def _settings(actor: Person, organisation_id: Any) -> bool:
    """The organisation's administrators and finance people set rates and rules."""
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.ADMIN, organisation_id) or has_role(
        actor, Role.FINANCE, organisation_id
    )


@rule("expenses.set_compensation")
def _set_compensation(actor: Person, request: Any) -> bool:
    """The amount paid for time spent in a body follows the paying organisation's rates: its
    finance people set it, or a facilitator who acts for the person. Never the person."""
    from app.expenses.models import ExpenseRequest

    if not isinstance(request, ExpenseRequest) or actor.id == request.person_id:
        return False
    if has_role(actor, Role.FINANCE, request.organisation_id):
        return True
    stage, people = routing.reviewers(request)
    if stage != routing.Stage.REVIEWERS and any(p.id == actor.id for p in people):
        return True  # no finance nor facilitator there: whoever reviews sets it
    from app.core.permissions import can

    return (
        has_role(actor, Role.FACILITATOR, request.organisation_id)
        and request.person is not None
        and can(actor, "person.act_for", request.person)
    )


def _request(obj: Any) -> Any:
    from app.expenses.models import ExpenseRequest

    return obj if isinstance(obj, ExpenseRequest) else None


@rule("expenses.fill")
def _fill(actor: Person, request: Any) -> bool:
    """The person the request is for, or someone who acts for them (their facilitator).
    Never a direct purchase: the organisation recorded it (direct.py)."""
    if _request(request) is None or not request.kind.person_asks:
        return False
    if actor.id == request.person_id:
        return True
    from app.core.permissions import can

    return request.person is not None and can(actor, "person.act_for", request.person)


@rule("expenses.edit")
def _edit(actor: Person, request: Any) -> bool:
    """Change the costs, receipts, hours, and send: while it is not sent (or sent back with a
    question), by the person or their helper."""
    return _fill(actor, request) and request.status.is_editable


def _made_it(actor: Person, request: Any) -> bool:
    """The person, or whoever entered the request for them."""
    return actor.id in (request.person_id, request.entered_by_id)


@rule("expenses.cancel")
def _cancel(actor: Person, request: Any) -> bool:
    """Before a reviewer decided: while it may be changed, or once sent by the person or by
    whoever entered it for them."""
    from app.expenses.models import RequestStatus

    if _edit(actor, request):
        return True
    return (
        _request(request) is not None
        and request.status == RequestStatus.SUBMITTED
        and request.kind.person_asks
        and _made_it(actor, request)
    )


@rule("expenses.settle")
def _settle(actor: Person, request: Any) -> bool:
    """After the activity, a paid advance is settled with the real receipts."""
    from app.expenses.models import RequestKind, RequestStatus

    return (
        _request(request) is not None
        and request.kind == RequestKind.ADVANCE
        and request.status == RequestStatus.PAID
        and _made_it(actor, request)
    )


@rule("expenses.review_this")
def _review_this(actor: Person, request: Any) -> bool:
    """A reviewer of the paying organisation, and never for their own request; when nobody
    else there may, the next in line (routing.py: administrators, then the platform's)."""
    if _request(request) is None or actor.id == request.person_id:
        return False
    return (
        has_role(actor, Role.FACILITATOR, request.organisation_id)
        or has_role(actor, Role.FINANCE, request.organisation_id)
        or routing.may_review(actor, request)
    )


def second_check_by_first_reviewer(actor: Person, request: Any) -> bool:
    """Above the organisation's threshold two different people approve: the first one may
    not give the second check."""
    from app.expenses.models import RequestStatus

    return request.status == RequestStatus.AWAITING_SECOND and request.first_reviewer_id == actor.id


@rule("expenses.decide")
def _decide(actor: Person, request: Any) -> bool:
    """Accept, refuse or ask a question: a request waiting for a decision this reviewer may
    give."""
    return (
        _review_this(actor, request)
        and request.status.awaits_decision
        and not second_check_by_first_reviewer(actor, request)
    )


@rule("expenses.pay_this")
def _pay_this(actor: Person, request: Any) -> bool:
    """Record the payment of an accepted request: finance or an administrator of the paying
    organisation."""
    return (
        _request(request) is not None
        and request.status.awaits_payment
        and _pay(actor, request.organisation_id)
    )
