"""Amounts typed the French way and the arithmetic of costs: always Decimal, rounded to the
cent half up at each line, never floats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from app.core import formatting
from app.core.errors import DomainError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999.99")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str | None, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """ "12,50", "12.50", "1 234,5", "12 €", "12,50 euros" -> Decimal("12.50")."""
    raw = _SPACES.sub("", (text or "").lower())
    raw = raw.removesuffix("euros").removesuffix("euro").removesuffix("eur").removesuffix("€")
    if not raw:
        raise DomainError(_l("Write the amount, for example 12,50."), field=field)
    if not _AMOUNT.match(raw):
        raise DomainError(_l("Write the amount with numbers only, for example 12,50."), field=field)
    try:
        value = Decimal(raw.replace(",", ".")).quantize(CENT)
    except InvalidOperation:
        raise DomainError(_l("Write the amount, for example 12,50."), field=field) from None
    if value > MAX_AMOUNT:
        raise DomainError(_l("This amount is too big. Check it."), field=field)
    if value == 0 and not allow_zero:
        raise DomainError(_l("The amount must be more than 0."), field=field)
    return value


def parse_quantity(text: str | None, field: str) -> Decimal:
    """Kilometres or hours: "12", "12,5", "1,25"."""
    raw = _SPACES.sub("", text or "")
    if not raw or not _AMOUNT.match(raw):
        raise DomainError(_l("Write a number, for example 12 or 12,5."), field=field)
    value = Decimal(raw.replace(",", ".")).quantize(CENT)
    if value <= 0 or value > Decimal("10000"):
        raise DomainError(_l("Write a number between 0 and 10000."), field=field)
    return value


def times(quantity: Decimal, rate: Decimal) -> Decimal:
    """Kilometres x rate per km, hours x hourly rate: rounded to the cent, half up."""
    return (quantity * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    return sum((a for a in amounts if a is not None), Decimal("0.00")).quantize(CENT)


def balance(advance_paid: Decimal, approved_costs: Decimal) -> Decimal:
    """After an advance: positive, the organisation still owes this; negative, the person
    has this to give back. Zero: settled."""
    return (approved_costs - advance_paid).quantize(CENT)


# Amounts and quantities are written for people by app/core/formatting.py (one set of
# helpers for every domain); these names stay for the expenses code that uses them.
format_amount = formatting.money
format_quantity = formatting.number
