"""Parole's calendar: days, years and hours are those of France (Europe/Paris); the database
keeps UTC. Every conversion between the two goes through here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
# The years Parole takes, in forms and addresses: beyond, a year is a typing mistake (0001 for
# 2001), and the first and last ones cannot even be turned into UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def known_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def paris(moment: datetime) -> datetime:
    """A stored UTC moment as the hour people read in France."""
    return moment.astimezone(PARIS)


class NonexistentTime(ValueError):
    """An hour that French clocks skip: on the last Sunday of March they go from 2:00 to 3:00,
    so 2:30 does not exist that day."""


def exists(day: date, hour: time) -> bool:
    """False for an hour that the clocks skip that day in France (spring forward)."""
    local = datetime.combine(day, hour, tzinfo=PARIS)
    return paris(local.astimezone(UTC)).replace(tzinfo=None) == local.replace(tzinfo=None)


def at(day: date, hour: time) -> datetime:
    """A day and an hour typed in France, as UTC.

    An hour that does not exist that day (2:00 to 2:59 on the last Sunday of March) raises
    NonexistentTime: forms check `exists` first and say why. An hour that happens twice
    (2:00 to 2:59 on the last Sunday of October) is the first one, summer time (UTC+2);
    pages show it with "summer time" next to it (`repeated_hour`)."""
    if not exists(day, hour):
        raise NonexistentTime(f"{day} {hour} does not exist in France")
    return datetime.combine(day, hour, tzinfo=PARIS).replace(fold=0).astimezone(UTC)


def repeated_hour(moment: datetime) -> str | None:
    """For a UTC moment whose French hour happens twice that day: "summer" for the first
    time (summer time), "winter" for the second; None for every other moment."""
    local = paris(moment)
    first = local.replace(fold=0).utcoffset()
    second = local.replace(fold=1).utcoffset()
    if first == second:
        return None
    return "summer" if local.utcoffset() == first else "winter"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 in Paris, this year and the next, as UTC."""
    return at(date(year, 1, 1), time.min), at(date(year + 1, 1, 1), time.min)


def days_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of `first` to the start of the day after `last`, in Paris, as UTC."""
    return at(first, time.min), at(date.fromordinal(last.toordinal() + 1), time.min)


def current_year(now: datetime) -> int:
    return paris(now).year
