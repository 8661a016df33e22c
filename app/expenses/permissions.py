"""Who may see, review and pay expense requests."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule


@rule("expenses.view")
def _view(actor: Person, request: Any) -> bool:
    from app.expenses.models import ExpenseRequest

    if not isinstance(request, ExpenseRequest):
        return False
    if actor.id in (request.person_id, request.entered_by_id):
        return True
    return _review(actor, request.organisation_id)


@rule("expenses.review")
def _review(actor: Person, organisation_id: Any) -> bool:
    """Facilitators and finance people of the paying organisation."""
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.FACILITATOR, organisation_id) or has_role(
        actor, Role.FINANCE, organisation_id
    )


@rule("expenses.pay")
def _pay(actor: Person, organisation_id: Any) -> bool:
    if not isinstance(organisation_id, int):
        return False
    return has_role(actor, Role.FINANCE, organisation_id) or has_role(
        actor, Role.ADMIN, organisation_id
    )


@rule("expenses.see_iban")
def _see_iban(actor: Person, organisation_id: Any) -> bool:
    """Only finance sees a whole IBAN; everybody else sees it masked."""
    return isinstance(organisation_id, int) and has_role(actor, Role.FINANCE, organisation_id)


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
    from app.core.permissions import can

    return (
        has_role(actor, Role.FACILITATOR, request.organisation_id)
        and request.person is not None
        and can(actor, "person.act_for", request.person)
    )
