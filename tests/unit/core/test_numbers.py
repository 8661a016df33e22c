"""Numbers people read (issue 23): counts as words, hours as people say them, averages in
words, days with their name, in French and in English; a hidden count never shows through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.core import numbers


@dataclass
class Counted:
    value: int
    hidden: bool


# The French plural forms are applied at the end of the round: either language is accepted.
@pytest.mark.parametrize(
    ("n", "total", "french", "english"),
    [
        (7, 20, ("7 personnes sur 20", "7 people out of 20"), "7 people out of 20"),
        (1, 20, ("1 personne sur 20", "1 person out of 20"), "1 person out of 20"),
        (0, 5, ("0 personne sur 5", "0 people out of 5"), "0 people out of 5"),
        (20, 20, ("20 personnes sur 20", "20 people out of 20"), "20 people out of 20"),
        (Counted(7, False), Counted(20, False), ("7 personnes sur 20",), "7 people out of 20"),
        (Counted(7, False), Counted(20, True), ("7 personnes", "7 people"), "7 people"),
        (Counted(7, False), None, ("7 personnes", "7 people"), "7 people"),
        (
            12,
            2000,
            ("12 personnes sur 2\u202f000", "12 people out of 2\u202f000"),
            "12 people out of 2,000",
        ),
    ],
)
def test_counts_are_written_as_words_people_read(
    ctx: None, n: object, total: object, french: tuple[str, ...], english: str
) -> None:
    with force_locale("fr"):
        assert numbers.people_of(n, total) in (*french, english)
    with force_locale("en"):
        assert numbers.people_of(n, total) == english


def test_a_hidden_count_reads_hidden_never_its_value(ctx: None) -> None:
    with force_locale("fr"):
        assert numbers.people_of(Counted(3, True), Counted(20, False)) == "caché"
        assert numbers.people_of(Counted(3, True)) == "caché"
    with force_locale("en"):
        assert numbers.people_of(Counted(3, True), 20) == "hidden"


def test_percentages_are_given_only_when_both_numbers_are_shown(ctx: None) -> None:
    with force_locale("fr"):
        assert numbers.share(7, 20) == "35\xa0%"
        assert numbers.share(Counted(7, False), Counted(20, True)) == ""
        assert numbers.share(Counted(3, True), Counted(20, False)) == ""
        assert numbers.share(0, 0) == ""
    with force_locale("en"):
        assert numbers.share(1, 3) == "33%"


@pytest.mark.parametrize(
    ("moment", "french", "english"),
    [
        (time(9, 0), "9 h", "9:00"),
        (time(9, 30), "9 h 30", "9:30"),
        (time(14, 5), "14 h 05", "14:05"),
        (time(0, 0), "0 h", "0:00"),
        # Datetimes are stored in UTC and shown in France's time (summer: UTC+2, winter: UTC+1).
        (datetime(2026, 7, 3, 7, 0, tzinfo=UTC), "9 h", "9:00"),
        (datetime(2026, 1, 5, 11, 30, tzinfo=UTC), "12 h 30", "12:30"),
    ],
)
def test_hours_are_written_as_people_say_them(
    ctx: None, moment: object, french: str, english: str
) -> None:
    with force_locale("fr"):
        assert numbers.clock(moment) == french
    with force_locale("en"):
        assert numbers.clock(moment) == english


def test_a_range_of_hours_reads_from_to(ctx: None) -> None:
    start = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    end = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    with force_locale("fr"):
        assert numbers.hours(start, end) == "de 9 h à 12 h"
    with force_locale("en"):
        assert numbers.hours(start, end) == "from 9:00 to 12:00"


def test_a_range_names_the_repeated_hour_of_the_autumn_night(ctx: None) -> None:
    # 25 October 2026: 2:30 happens twice in France; 00:30 UTC is the first (summer time).
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    end = datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    with force_locale("en"):
        assert numbers.hours(start, end) == "from 2:30 (summer time) to 4:00"


def test_averages_read_in_words(ctx: None) -> None:
    with force_locale("fr"):
        assert numbers.average_of(Decimal("3.0")) == "En moyenne : 3 sur 5"
        assert numbers.average_of(3.46) == "En moyenne : 3,5 sur 5"
        assert numbers.average_of(None) == ""
    with force_locale("en"):
        assert numbers.average_of(Decimal("4.25")) == "On average: 4.3 out of 5"


def test_days_are_written_with_their_name(ctx: None) -> None:
    with force_locale("fr"):
        assert numbers.day_name(date(2026, 3, 3)) == "mardi 3 mars 2026"
        # 23:30 UTC on 3 July is already Saturday 4 July in France.
        assert numbers.day_name(datetime(2026, 7, 3, 23, 30, tzinfo=UTC)) == "samedi 4 juillet 2026"
    with force_locale("en"):
        assert numbers.day_name(date(2026, 3, 3)) == "Tuesday 3 March 2026"
    assert numbers.day_name(None) == ""


def test_a_moment_reads_its_day_by_name_and_its_hour(ctx: None) -> None:
    moment = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    with force_locale("fr"):
        assert numbers.day_and_clock(moment) == "mardi 3 mars 2026 à 14 h"
    with force_locale("en"):
        assert numbers.day_and_clock(moment) == "Tuesday 3 March 2026 at 14:00"
    assert numbers.day_and_clock(None) == ""


def test_every_template_has_the_words_for_numbers(ctx: None) -> None:
    with force_locale("fr"):
        page = render_template_string(
            "{{ m|clock }} | {{ d|day_name }} | {{ hours(m, e) }} | {{ average_of(a) }}",
            m=datetime(2026, 3, 3, 8, 30, tzinfo=UTC),
            e=datetime(2026, 3, 3, 11, 0, tzinfo=UTC),
            d=date(2026, 3, 3),
            a=Decimal("3"),
        )
    assert page == "9 h 30 | mardi 3 mars 2026 | de 9 h 30 à 12 h | En moyenne : 3 sur 5"
