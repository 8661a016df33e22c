"""The person's view of a request, told whole: its name in a sentence ("your request of
3 March, bus ticket"), what was accepted line by line and why, the advance and the request
that settles it, and the balance owed either way, before the decision too (an estimate
from the amounts asked, said as such). Read-only helpers for the pages and notifications."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.db import utcnow
from app.expenses import money
from app.expenses.models import (
    ExpenseLine,
    ExpenseRequest,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from app.expenses.payment_models import ExpensePayee, PayeeMethod, PayeeRole

# The kind of a request inside its name: two requests of one activity (its pay and its
# costs) are never named alike.
NAME_PATTERNS = {
    RequestKind.REIMBURSEMENT: _l("costs of %(day)s, %(what)s"),
    RequestKind.ADVANCE: _l("advance of %(day)s, %(what)s"),
    RequestKind.PAY: _l("pay of %(day)s, %(what)s"),
    RequestKind.COMPENSATION: _l("compensation of %(day)s, %(what)s"),
    RequestKind.DIRECT_PURCHASE: _l("purchase of %(day)s, %(what)s"),
}


def name(request: ExpenseRequest) -> str:
    """ "costs of 3 March, bus ticket": the kind, the activity's day (or the day the request
    was made) and what it is for (the activity's name, else its first cost, else the kind of
    activity)."""
    day = request.activity_on or request.created_at.date()
    pattern = "d MMMM" if day.year == utcnow().year else "d MMMM yyyy"
    what = request.activity_label  # as the person wrote it
    if not what:
        label = request.lines[0].category.label if request.lines else request.activity_type.label
        what = _lower_first(label)
    return str(NAME_PATTERNS[request.kind]) % {"day": format_date(day, pattern), "what": what}


def title(request: ExpenseRequest) -> str:
    """The name at the start of a line: "Costs of 3 March, bus ticket"."""
    text = name(request)
    return text[:1].upper() + text[1:]


def status_word(request: ExpenseRequest) -> str:
    """The state inside a sentence: "paid", "partly accepted"."""
    return _lower_first(request.status.label)


def _lower_first(text: str) -> str:
    text = str(text)
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def partly_accepted(request: ExpenseRequest) -> bool:
    """Less was accepted than asked (still true once it is paid)."""
    return (
        request.approved_amount is not None
        and request.status not in (RequestStatus.REFUSED, RequestStatus.CANCELLED)
        and request.approved_amount < request.asked_amount
    )


@dataclass(frozen=True)
class Balance:
    """An advance and the request with the real costs: what is still owed either way.
    amount > 0: the organisation owes it; < 0: the person gives it back. `estimate`: the
    real costs are not accepted yet (or the advance not paid), so the sentence says so."""

    advance: ExpenseRequest
    settlement: ExpenseRequest | None
    advance_amount: Decimal
    costs: Decimal | None
    amount: Decimal | None
    estimate: bool


def settlement_of(advance: ExpenseRequest) -> ExpenseRequest | None:
    return db.session.scalar(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.settles_id == advance.id,
            ExpenseRequest.status != RequestStatus.CANCELLED,
        )
        .order_by(ExpenseRequest.id.desc())
        .limit(1)
    )


def balance(request: ExpenseRequest) -> Balance | None:
    """For an advance or its settlement; None for any other request."""
    if request.settles_id and request.settles is not None:
        advance, settlement = request.settles, request
    elif request.kind.value == "advance":
        advance, settlement = request, settlement_of(request)
    else:
        return None
    advance_amount = _first(advance.paid_amount, advance.approved_amount, advance.asked_amount)
    if settlement is None:
        return Balance(advance, None, advance_amount, None, None, True)
    costs = _first(settlement.approved_amount, settlement.asked_amount)
    estimate = advance.paid_amount is None or settlement.approved_amount is None
    return Balance(
        advance, settlement, advance_amount, costs, money.balance(advance_amount, costs), estimate
    )


def _first(*amounts: Decimal | None) -> Decimal:
    return next((a for a in amounts if a is not None), Decimal("0.00"))


def list_amount(request: ExpenseRequest) -> str:
    """The amount of the person's list: after an advance, what is still owed either way
    (not the costs accepted, which the advance already partly paid)."""
    found = balance(request) if request.settles_id else None
    if found is not None and found.amount is not None and not found.estimate:
        if found.amount > 0:
            return _("We still owe you %(amount)s", amount=money.format_amount(found.amount))
        if found.amount < 0:
            return _("To give back: %(amount)s", amount=money.format_amount(-found.amount))
        return _("Nothing more to pay")
    if request.status == RequestStatus.PAID and request.paid_amount is not None:
        return money.format_amount(request.paid_amount)
    if request.approved_amount is not None:
        return money.format_amount(request.approved_amount)
    return money.format_amount(request.asked_amount)


# Who received a transfer, inside a sentence: "by bank transfer to ATN, curator".
ROLE_WORDS = {
    PayeeRole.GUARDIAN: _l("guardian"),
    PayeeRole.CURATOR: _l("curator"),
    PayeeRole.MANDATAIRE: _l("court-appointed agent"),
}


def payees_of(requests: list[ExpenseRequest]) -> dict[int, ExpensePayee]:
    """Who each of these requests is paid to, in one query (for a list of requests)."""
    ids = [r.id for r in requests if r.payment_method is not None]
    if not ids:
        return {}
    found = db.session.scalars(select(ExpensePayee).where(ExpensePayee.request_id.in_(ids)))
    return {p.request_id: p for p in found}


_UNKNOWN: Any = object()


def method_words(request: ExpenseRequest, payee: ExpensePayee | None = _UNKNOWN) -> str:
    """How it was paid and to whom, inside a sentence: "by bank transfer to your account",
    "by bank transfer to ATN, curator", "paid directly to SNCF", "in cash". A list passes
    each request's payee (`payees_of`); alone, it is looked up."""
    method = request.payment_method
    if method is None:
        return ""
    if payee is _UNKNOWN:
        payee = db.session.get(ExpensePayee, request.id)
    who = request.third_party_name
    if (  # the bank file pays the payee's account (sepa.py): said with their name
        payee is not None
        and payee.iban_encrypted
        and payee.method in (PayeeMethod.THIRD_PARTY, PayeeMethod.DIRECT)
        and (
            method == PaymentMethod.TRANSFER
            or (method == PaymentMethod.THIRD_PARTY and who == payee.name)
        )
    ):
        if payee.role is not None:
            role = ROLE_WORDS[payee.role]
            return _("by bank transfer to %(name)s, %(role)s", name=payee.name, role=role)
        return _("by bank transfer to %(name)s", name=payee.name)
    if method == PaymentMethod.TRANSFER:
        return _("by bank transfer to your account")
    if method == PaymentMethod.CASH:
        return _("in cash, handed over by the organisation")
    if method == PaymentMethod.VOUCHER:
        return _("with a voucher, handed over by the organisation")
    if payee is not None and payee.method == PayeeMethod.DIRECT and who == payee.name:
        return _("paid directly to %(name)s", name=who)
    third = payee is not None and payee.method == PayeeMethod.THIRD_PARTY
    if third and who == payee.name and payee.role is not None:
        return _("paid to %(name)s, %(role)s", name=who, role=ROLE_WORDS[payee.role])
    return _("paid to %(name)s", name=who) if who else _lower_first(method.label)


def _called(person_id: int | None) -> str:
    from app.accounts.models import Person

    person = db.session.get(Person, person_id) if person_id else None
    if person is None:
        return _("a person")
    return person.display_name or person.login_identifier or _("a person")


def sworn_sentence(line: ExpenseLine, request: ExpenseRequest, viewer_id: int | None) -> str:
    """Who declared the cost on their honour, said to whoever reads: the person themselves
    ("you declared"), or, when a facilitator signed for them or someone else reads, the
    person by their name and who signed for them."""
    for_them = line.sworn_by_id is not None and line.sworn_by_id != request.person_id
    if viewer_id == request.person_id:
        if for_them:
            return _(
                "Sworn statement: %(signer)s signed it for you, with your agreement.",
                signer=_called(line.sworn_by_id),
            )
        return _("Sworn statement: you declared this cost on your honour.")
    person = _called(request.person_id)
    if for_them:
        return _(
            "%(person)s declared this cost on their honour (signed by %(signer)s for them,"
            " with their agreement).",
            person=person,
            signer=_called(line.sworn_by_id),
        )
    return _("%(person)s declared this cost on their honour.", person=person)
