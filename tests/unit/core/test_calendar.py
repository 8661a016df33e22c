"""French hours and UTC at the two changes of the year, years Parole takes, and the date
check every date field of every form gets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from wtforms import DateField
from wtforms.validators import Optional

from app.core import calendar
from app.core.forms import Form
from app.core.web import hour_note

SPRING = date(2030, 3, 31)  # last Sunday of March 2030: 2:00 becomes 3:00
AUTUMN = date(2030, 10, 27)  # last Sunday of October 2030: 3:00 becomes 2:00 again


@pytest.mark.parametrize("hour", [time(2, 0), time(2, 30), time(2, 59)])
def test_hour_the_clocks_skip_is_refused(hour):
    assert not calendar.exists(SPRING, hour)
    with pytest.raises(calendar.NonexistentTime):
        calendar.at(SPRING, hour)


def test_hours_around_the_skipped_hour_are_one_hour_apart():
    assert calendar.at(SPRING, time(1, 59)) == datetime(2030, 3, 31, 0, 59, tzinfo=UTC)
    assert calendar.at(SPRING, time(3, 0)) == datetime(2030, 3, 31, 1, 0, tzinfo=UTC)


def test_hour_that_happens_twice_is_the_first_summer_time():
    first = calendar.at(AUTUMN, time(2, 30))
    assert first == datetime(2030, 10, 27, 0, 30, tzinfo=UTC)  # UTC+2
    assert calendar.repeated_hour(first) == "summer"
    second = datetime(2030, 10, 27, 1, 30, tzinfo=UTC)  # the same 2:30, UTC+1
    assert calendar.repeated_hour(second) == "winter"
    assert calendar.repeated_hour(calendar.at(AUTUMN, time(3, 0))) is None
    assert calendar.repeated_hour(calendar.at(AUTUMN, time(1, 59))) is None


def test_page_says_which_of_the_two_hours(app: Flask):
    with app.test_request_context("/"):
        assert hour_note(calendar.at(AUTUMN, time(2, 30))) == " (heure d'été)"
        assert hour_note(datetime(2030, 10, 27, 1, 30, tzinfo=UTC)) == " (heure d'hiver)"
        assert hour_note(calendar.at(AUTUMN, time(14, 0))) == ""


@pytest.mark.parametrize(("year", "known"), [(1, False), (1899, False), (1900, True), (2100, True), (2101, False), (9999, False)])  # fmt: skip
def test_years_parole_takes(year, known):
    assert calendar.known_year(year) is known


class _DayForm(Form):
    class Meta:
        csrf = False

    day = DateField("Day", format=["%d/%m/%Y"], validators=[Optional()])


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/1899", "01/01/2101", "31/12/9999"])
def test_every_date_field_refuses_a_year_before_1900_or_after_2100(app: Flask, typed):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context("/"):
        form = _DayForm(formdata=MultiDict({"day": typed}))
        assert not form.validate()
        assert form.day.errors == ["Écrivez une date entre 1900 et 2100."]
        ok = _DayForm(formdata=MultiDict({"day": "21/03/2030"}))
        assert ok.validate() and ok.day.data == date(2030, 3, 21)
