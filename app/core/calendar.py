"""Parole's calendar: days, years and hours are those of France (Europe/Paris); the database
keeps UTC. Every conversion between the two goes through here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris(moment: datetime) -> datetime:
    """A stored UTC moment as the hour people read in France."""
    return moment.astimezone(PARIS)


def at(day: date, hour: time) -> datetime:
    """A day and an hour typed in France, as UTC."""
    return datetime.combine(day, hour, tzinfo=PARIS).astimezone(UTC)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 in Paris, this year and the next, as UTC."""
    return at(date(year, 1, 1), time.min), at(date(year + 1, 1, 1), time.min)


def days_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of `first` to the start of the day after `last`, in Paris, as UTC."""
    return at(first, time.min), at(date.fromordinal(last.toordinal() + 1), time.min)


def current_year(now: datetime) -> int:
    return paris(now).year
