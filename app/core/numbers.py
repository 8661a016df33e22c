"""Numbers written so that people who read with difficulty understand them (issue 23):
counts as words ("7 personnes sur 20"), times as people say them ("9 h 30"), ranges of hours
("de 9 h à 12 h"), averages ("En moyenne : 3 sur 5") and days with their name ("mardi 3 mars
2026"). Registered by core in every template (`init_app`, called by web.init_app).

Counts may be plain integers or results' `Count` objects (anything with `value` and
`hidden`): a hidden count is written "hidden" ("caché"), never its value, and a share of a
hidden total is never given (app/consultations/disclosure.py decides what is hidden).
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask
from flask_babel import format_date, format_percent, get_locale, gettext, ngettext, to_user_timezone

from app.core import calendar
from app.core.formatting import number

# The day with its name: "mardi 3 mars 2026".
DAY_WITH_NAME = "EEEE d MMMM yyyy"


def _parts(count: Any) -> tuple[int | None, bool]:
    """(value, hidden) of an integer or of a Count-like object."""
    if count is None:
        return None, False
    if hasattr(count, "hidden"):
        return int(count.value), bool(count.hidden)
    return int(count), False


def people_of(n: Any, total: Any = None) -> str:
    """ "7 people out of 20" ("7 personnes sur 20"). A hidden count reads "hidden"; when only
    the total is hidden (or not given), the count alone: "7 people"."""
    value, hidden = _parts(n)
    if hidden or value is None:
        return gettext("hidden")
    whole, whole_hidden = _parts(total)
    if whole is None or whole_hidden:
        return ngettext("%(num)s person", "%(num)s people", value)
    return ngettext(
        "%(num)s person out of %(total)s",
        "%(num)s people out of %(total)s",
        value,
        total=number(whole),
    )


def share(n: Any, total: Any) -> str:
    """The percentage of `total`, for staff, to print beside the count: "35 %". Nothing when
    either number is hidden (a share of a hidden total gives it back) or the total is 0."""
    value, hidden = _parts(n)
    whole, whole_hidden = _parts(total)
    if hidden or whole_hidden or value is None or not whole:
        return ""
    return format_percent(Decimal(round(100 * value / whole)) / 100)


def _french() -> bool:
    return str(get_locale() or "fr").startswith("fr")


def clock(moment: Any) -> str:
    """An hour as people say it: "9 h", "9 h 30" in French, "9:00", "9:30" in English. A
    datetime is shown in France's time; a `time` as it is."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = to_user_timezone(moment).time()
    if not isinstance(moment, time):
        raise TypeError("clock() takes a datetime or a time")
    if _french():
        return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour}:{moment.minute:02d}"


def _hour_note(moment: Any) -> str:
    """As web.hour_note: which of the two 2 o'clocks of the autumn night it is."""
    which = calendar.repeated_hour(moment) if isinstance(moment, datetime) else None
    if which == "summer":
        return " " + gettext("(summer time)")
    if which == "winter":
        return " " + gettext("(winter time)")
    return ""


def hours(start: Any, end: Any) -> str:
    """ "from 9 h to 12 h" ("de 9 h à 12 h"), each hour followed by "(summer time)" or
    "(winter time)" when it happens twice that day in France."""
    return gettext(
        "from %(start)s to %(end)s",
        start=clock(start) + _hour_note(start),
        end=clock(end) + _hour_note(end),
    )


def day_name(value: Any) -> str:
    """A day with its name: "mardi 3 mars 2026" ("Tuesday 3 March 2026")."""
    return "" if value is None else format_date(value, DAY_WITH_NAME)


def day_and_clock(moment: Any) -> str:
    """A moment with its day's name and its hour: "mardi 3 mars 2026 à 14 h"."""
    if moment is None:
        return ""
    return gettext(
        "%(day)s at %(time)s", day=day_name(moment), time=clock(moment) + _hour_note(moment)
    )


def average_of(value: Any, out_of: int = 5) -> str:
    """ "On average: 3 out of 5" ("En moyenne : 3 sur 5"), rounded to a tenth, without a
    useless ",0". Nothing when there is no average."""
    if value is None:
        return ""
    tenth = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return gettext(
        "On average: %(avg)s out of %(max)s", avg=number(tenth), max=number(Decimal(out_of))
    )


def init_app(app: Flask) -> None:
    """`people_of(n, total)`, `share(n, total)`, `hours(start, end)`, `average_of(x)` and the
    filters `|clock`, `|day_name` and `|day_and_clock` in every template."""
    app.jinja_env.globals.update(
        people_of=people_of, share=share, hours=hours, average_of=average_of
    )
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["day_name"] = day_name
    app.jinja_env.filters["day_and_clock"] = day_and_clock
