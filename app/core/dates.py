"""Days typed as people write them: "21/03/2027", "21-03-27", "21.03.2027", "21 03 2027",
"21 mars 2027", "1er avril 2027", "mardi 21 mars 2027", "21032027", and 2027-03-21.

The day always comes before the month (French order), except in the ISO form (year first)
and, in the English display, "March 21, 2027". Two-digit years are 20xx. Month names are read
in French (with or without accents, short forms like "janv." or "sept.") and, when the
interface is English, in English. Anything else (no year, an unknown word, "31/02/2027") is
refused with an example of a date Parole reads.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DateField

# Unknown or unclear text. The same words as the day fields that existed before.
BAD_DATE = _l("Write a date like this: 21/03/2027.")
# Numbers that make no day of the calendar (31/02, month 13).
NO_SUCH_DAY = _l("This day does not exist. Write a date like this: 21/03/2027.")

FRENCH_MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
ENGLISH_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Words people put around a date and that say nothing of it.
_WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FILLERS_FR = ("le", "du", "l")
_FILLERS_EN = ("the", "of", "on")

_SEPARATORS = re.compile(r"[\s/.\-,']+")
_ORDINAL_FR = re.compile(r"^(\d{1,2})(?:er|re|e|eme)$")
_ORDINAL_EN = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")


class DayNotRead(ValueError):
    """The text is not a day Parole can read; `message` says what to write instead."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _plain(text: str) -> str:
    """Lower case, without accents: "Février" -> "fevrier"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month(word: str, english: bool) -> int | None:
    """A month's number from its name or a short form of it (3 letters at least) that
    fits only one month: "sept" -> 9, "juil" -> 7; "jui" (June or July?) -> None."""
    names = FRENCH_MONTHS + (ENGLISH_MONTHS if english else ())
    if len(word) < 3:
        return None
    found = {names.index(n) % 12 + 1 for n in names if n.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _year(token: str) -> int | None:
    if len(token) == 4:
        return int(token)
    if len(token) == 2:
        return 2000 + int(token)
    return None


def _tokens(text: str, english: bool) -> list[str]:
    fillers = _WEEKDAYS_FR + _FILLERS_FR + ((_WEEKDAYS_EN + _FILLERS_EN) if english else ())
    tokens = []
    for token in _SEPARATORS.split(_plain(text)):
        if not token or token in fillers:
            continue
        ordinal = _ORDINAL_FR.match(token) or (_ORDINAL_EN.match(token) if english else None)
        tokens.append(ordinal.group(1) if ordinal else token)
    return tokens


def _numbers(tokens: list[str], english: bool) -> tuple[int, int, int] | None:
    """(year, month, day) from the tokens, before checking that the day exists."""
    if len(tokens) == 1 and tokens[0].isdigit() and len(tokens[0]) in (6, 8):
        run = tokens[0]  # 21032027 or 210327
        tokens = [run[:2], run[2:4], run[4:]]
    if len(tokens) != 3:
        return None
    first, second, third = tokens
    if all(t.isdigit() for t in tokens):
        if len(first) == 4 and len(second) <= 2 and len(third) <= 2:
            return int(first), int(second), int(third)
        if len(first) <= 2 and len(second) <= 2:
            year = _year(third)
            return None if year is None else (year, int(second), int(first))
        return None
    if first.isdigit() and third.isdigit() and len(first) <= 2:
        month = _month(second, english)  # 21 mars 2027
        year = _year(third)
    elif english and second.isdigit() and third.isdigit() and len(second) <= 2:
        month = _month(first, english)  # March 21, 2027
        year = _year(third)
        first = second
    else:
        return None
    if month is None or year is None:
        return None
    return year, month, int(first)


def read_day(text: str | None, language: str = "fr") -> date | None:
    """The day written in `text`; None for an empty text. Raises DayNotRead otherwise."""
    if text is None or not text.strip():
        return None
    english = language.startswith("en")
    numbers = _numbers(_tokens(text, english), english)
    if numbers is None:
        raise DayNotRead(BAD_DATE)
    try:
        return date(*numbers)
    except ValueError:
        raise DayNotRead(NO_SUCH_DAY) from None


def interface_language() -> str:
    if not has_request_context():
        return "fr"
    locale = get_locale()
    return locale.language if locale is not None else "fr"


class DayField(DateField):
    """A day as people type it (see the module). The typed text stays in the field when it
    is refused; the message, next to the field, gives an example."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%d/%m/%Y")  # how a known day is shown again
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = " ".join(str(v) for v in valuelist)
        self.data = None
        try:
            self.data = read_day(text, interface_language())
        except DayNotRead as refused:
            raise ValueError(str(refused.message)) from None
