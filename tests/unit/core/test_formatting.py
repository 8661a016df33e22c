"""Amounts, numbers and dates are written the same way on every page, PDF and mail: one set
of helpers in core, in every template whatever domains are installed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Flask, render_template_string
from flask_babel import force_locale

from app.core import formatting


def test_amounts_and_numbers_are_written_the_french_way(ctx: None) -> None:
    with force_locale("fr"):
        assert formatting.money(Decimal("1234.50")) == "1\u202f234,50\xa0€"
        assert formatting.number(Decimal("2.50")) == "2,5"
        assert formatting.number(Decimal("42.00")) == "42"
        assert formatting.money(None) == formatting.number(None) == ""


def test_moments_are_shown_in_france_time(ctx: None) -> None:
    summer_afternoon = datetime(2026, 7, 3, 12, 30, tzinfo=UTC)
    with force_locale("fr"):
        assert formatting.date_time(summer_afternoon) == "3 juillet 2026, 14:30"
        assert formatting.date_time(summer_afternoon, formatting.TIME) == "14:30"
        assert formatting.date_only(datetime(2026, 7, 3, 23, 30, tzinfo=UTC)) == "4 juillet 2026"
        assert formatting.date_only(date(2026, 3, 1)) == "1 mars 2026"


def test_every_template_has_the_format_helpers_from_core(app: Flask, ctx: None) -> None:
    with force_locale("fr"):
        page = render_template_string(
            '{{ money(a) }} | {{ number(h) }} | {{ date_only(d) }} | {{ date_time(m, "HH:mm") }}',
            a=Decimal("12.5"),
            h=Decimal("3.0"),
            d=date(2026, 3, 1),
            m=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        )
    assert page.split(" | ")[1:] == ["3", "1 mars 2026", "09:00"]
    assert "date_time" in app.jinja_env.globals
