"""The person's view of a request, told whole: its name in a sentence ("your request of
3 March, bus ticket"), what was accepted line by line and why, the advance and the request
that settles it, and the balance owed either way, before the decision too (an estimate
from the amounts asked, said as such). Read-only helpers for the pages and notifications."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.db import utcnow
from app.expenses import money
from app.expenses.models import ExpenseRequest, RequestStatus


def name(request: ExpenseRequest) -> str:
    """ "3 March, bus ticket": the activity's day (or the day the request was made) and what
    it is for (the activity's name, else its first cost, else its kind)."""
    day = request.activity_on or request.created_at.date()
    pattern = "d MMMM" if day.year == utcnow().year else "d MMMM yyyy"
    what = request.activity_label  # as the person wrote it
    if not what:
        label = request.lines[0].category.label if request.lines else request.kind.label
        what = _lower_first(label)
    return _("%(day)s, %(what)s", day=format_date(day, pattern), what=what)


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


def method_words(request: ExpenseRequest) -> str:
    """How it was paid, inside a sentence: "bank transfer"."""
    return _lower_first(request.payment_method.label) if request.payment_method else ""
