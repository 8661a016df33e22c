"""Days typed as people write them (app/core/dates.py)."""

from datetime import date

import pytest

from app.core.dates import BAD_DATE, NO_SUCH_DAY, DayNotRead, read_day

MARCH_21 = date(2027, 3, 21)


@pytest.mark.parametrize(
    "typed",
    [
        "21/03/2027",
        "2027-03-21",
        "21-03-2027",
        "21.03.2027",
        "21 03 2027",
        "21/3/2027",
        "21/03/27",
        "21-3-27",
        "  21 / 03 / 2027 ",
        "21032027",
        "210327",
        "21 mars 2027",
        "21 Mars 2027",
        "21 MARS 27",
        "mardi 21 mars 2027",
        "le 21 mars 2027",
        "21 mar. 2027",
        "21-mars-2027",
    ],
)
def test_read_day_accepts_the_ways_people_write_a_date(typed):
    assert read_day(typed) == MARCH_21


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("1er avril 2027", date(2027, 4, 1)),
        ("1 avril 2027", date(2027, 4, 1)),
        ("15 août 2027", date(2027, 8, 15)),
        ("15 aout 2027", date(2027, 8, 15)),
        ("3 février 2028", date(2028, 2, 3)),
        ("3 fevrier 2028", date(2028, 2, 3)),
        ("3 févr. 2028", date(2028, 2, 3)),
        ("12 décembre 2027", date(2027, 12, 12)),
        ("12 sept 2027", date(2027, 9, 12)),
        ("2 juil. 2027", date(2027, 7, 2)),
        ("29/02/2028", date(2028, 2, 29)),
    ],
)
def test_read_day_accepts_french_month_names_with_or_without_accents(typed, day):
    assert read_day(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "21 March 2027",
        "March 21, 2027",
        "March 21st 2027",
        "the 21st of March 2027",
        "21 mars 2027",
    ],
)
def test_read_day_accepts_english_month_names_in_the_english_display(typed):
    assert read_day(typed, "en") == MARCH_21


def test_read_day_refuses_english_month_names_in_the_french_display():
    with pytest.raises(DayNotRead):
        read_day("March 21, 2027", "fr")


@pytest.mark.parametrize(
    "typed", ["31/02/2027", "29/02/2027", "32/01/2027", "21/13/2027", "00/03/2027"]
)
def test_read_day_refuses_a_day_that_does_not_exist(typed):
    with pytest.raises(DayNotRead) as refused:
        read_day(typed)
    assert refused.value.message == NO_SUCH_DAY
    assert "21/03/2027" in str(refused.value)


@pytest.mark.parametrize(
    "typed",
    [
        "demain",
        "21 mars",
        "mars 2027",
        "21/03",
        "21 jui 2027",
        "21 truc 2027",
        "21/03/227",
        "2027/21",
        "21/03/2027/5",
        "1234567",
    ],
)
def test_read_day_refuses_unclear_text_with_an_example(typed):
    with pytest.raises(DayNotRead) as refused:
        read_day(typed)
    assert refused.value.message == BAD_DATE
    assert "21/03/2027" in str(refused.value)


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_read_day_gives_nothing_for_an_empty_field(typed):
    assert read_day(typed) is None
