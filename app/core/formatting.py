"""How Parole writes amounts, numbers and dates for people: one set of helpers, used by
Python code (PDFs, mails, reports) and registered by core as template globals.

Dates and times are shown in France's time (flask-babel's user time zone) and in the page's
language. Reading what people type is not here: amounts are parsed by app/expenses/money.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal

# The patterns of every page: "3 mars 2026", "3 mars 2026, 14:30".
DAY = "d MMMM yyyy"
DAY_AND_TIME = "d MMMM yyyy, HH:mm"
TIME = "HH:mm"


def money(value: Decimal | None) -> str:
    """An amount in euros the way of the page's language: "12,50 €". Nothing for None."""
    return "" if value is None else format_currency(value, "EUR")


def number(value: Decimal | None) -> str:
    """Hours, kilometres, days the French way, without useless zeros: 3, 2,5, 42."""
    return "" if value is None else format_decimal(Decimal(value).normalize(), "#,##0.##")


def date_only(value: Any, pattern: str = DAY) -> str:
    """A day ("3 mars 2026"), from a date or a moment (its day in France)."""
    return "" if value is None else format_date(value, pattern)


def date_time(value: Any, pattern: str = DAY_AND_TIME) -> str:
    """A moment in France's time ("3 mars 2026, 14:30"); `TIME` for the hour alone."""
    return "" if value is None else format_datetime(value, pattern)


def init_app(app: Flask) -> None:
    """The same helpers in every template: `money(x)`, `number(x)`, `date_only(x)`,
    `date_time(x)` (with an optional pattern, e.g. `date_time(x, "HH:mm")`)."""
    app.jinja_env.globals.update(
        money=money, number=number, date_only=date_only, date_time=date_time
    )
