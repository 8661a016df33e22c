"""Codes too easy to guess: refused when a person chooses a code, never given on a card.

Someone who tries codes on a stranger's identifier starts with the codes people choose most:
the same digit six times, runs (123456), pairs and triples said twice (121212, 123123), the
patterns of a phone keypad (147258, 159753) and dates, above all birthdays (an acquaintance
may know it). Studies of leaked PIN lists (4 and 6 digits) find these families at the top; we
do not ship such a list, we build the families here, in code, so that the set is the same on
every server and anyone can read what is refused and why.

`WEAK_SIX_DIGIT_CODES` holds every 6-digit code of these families (about 63,000 of the
1,000,000, most of them dates); `is_weak_code` also refuses, for codes of other lengths or
with letters, one repeated character, runs of digits and a few keyboard words.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from itertools import product

DIGITS = "0123456789"

# A phone keypad and a computer's number pad (7 8 9 on top): rows, columns and diagonals
# people draw with a finger, both ways, joined two by two.
_PAD_LINES = (
    "123", "456", "789", "147", "258", "369", "159", "357", "741", "852", "963", "951",
    "753", "321", "654", "987", "0123", "2580", "0852",
)  # fmt: skip
_KNOWN = (
    "147258", "258369", "369258", "159753", "357159", "951357", "753951", "789456",
    "456789", "987654", "654987", "456123", "321654", "147852", "741852", "963852",
    "852963", "258456", "124578", "142536", "102030", "010203", "112358", "314159",
    "271828", "101010", "202020", "696969", "420420", "123654", "123789", "789123",
    "741963", "147369", "159357", "258852", "852258", "000007", "007007", "110110",
)  # fmt: skip
# Codes may also hold letters: the words people type first.
WEAK_WORDS = frozenset(
    {"azerty", "qwerty", "abcdef", "abc123", "azerty1", "motdepasse", "password", "parole"}
)
FIRST_YEAR, LAST_YEAR = 1930, 2029  # birthdays of living people, and dates of the years ahead


def _repeats() -> Iterator[str]:
    for a, b in product(DIGITS, repeat=2):
        yield (a + b) * 3  # 121212, and 111111 when a == b
        yield a * 3 + b * 3  # 111222
        yield a * 2 + b * 2 + a * 2  # 112211
    for a, b, c in product(DIGITS, repeat=3):
        yield (a + b + c) * 2  # 123123
        yield a * 2 + b * 2 + c * 2  # 112233
        yield a + b + c + c + b + a  # 123321: the same read both ways


def _runs() -> Iterator[str]:
    doubled = DIGITS * 2
    for start in range(10):
        up = doubled[start : start + 6]  # 123456, 789012
        yield up
        yield up[::-1]  # 654321
        yield up[:3] + up[:3][::-1]  # 123321 is above; 345543 here too
    for step in (2, 3):
        for start in range(10):
            yield "".join(str((start + step * i) % 10) for i in range(6))  # 135791, 246802


def _pads() -> Iterator[str]:
    yield from _KNOWN
    for first, second in product(_PAD_LINES, repeat=2):
        code = first + second
        if len(code) == 6:
            yield code


def _dates() -> Iterator[str]:
    """DDMMYY (the French way), MMDDYY, and the year with a month (MMYYYY, YYYYMM)."""
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        yy, yyyy = f"{year % 100:02d}", f"{year:04d}"
        for month in range(1, 13):
            mm = f"{month:02d}"
            yield mm + yyyy
            yield yyyy + mm
            for day in range(1, calendar.monthrange(year, month)[1] + 1):
                dd = f"{day:02d}"
                yield dd + mm + yy
                yield mm + dd + yy


def _build() -> frozenset[str]:
    codes: set[str] = set()
    for family in (_repeats(), _runs(), _pads(), _dates()):
        codes.update(code for code in family if len(code) == 6 and code.isdigit())
    return frozenset(codes)


WEAK_SIX_DIGIT_CODES: frozenset[str] = _build()


def _is_run(digits: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return len(steps) == 1 and steps <= {1, 9}


def is_weak_code(code: str) -> bool:
    """True for a code someone would try early: see the module's docstring."""
    value = (code or "").strip().lower()
    if len(set(value)) <= 1 or value in WEAK_WORDS:
        return True
    if value.isascii() and value.isdigit():
        if len(value) == 6:
            return value in WEAK_SIX_DIGIT_CODES
        return _is_run(value) or (value[:6] in WEAK_SIX_DIGIT_CODES and len(set(value[6:])) <= 1)
    return False
