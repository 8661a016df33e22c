"""The time left to answer, as "For you now" and the digest say it: whole hours up to two
days, then whole days; never "1 hours"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.core.home import answer_until, time_left
from app.db import utcnow


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(minutes=50), "Il vous reste moins de 2 heures pour répondre."),
        (timedelta(hours=1, minutes=59), "Il vous reste moins de 2 heures pour répondre."),
        (timedelta(hours=2), "Il vous reste 2 heures pour répondre."),
        (timedelta(hours=47, minutes=59), "Il vous reste 47 heures pour répondre."),
        (timedelta(hours=48), "Il vous reste 48 heures pour répondre."),
        (timedelta(hours=49), "Il vous reste 2 jours pour répondre."),
        (timedelta(days=6, hours=23), "Il vous reste 6 jours pour répondre."),
    ],
)
def test_time_left_is_said_in_hours_then_days(ctx, left, words):
    now = utcnow()
    with force_locale("fr"):
        assert time_left(now + left, now) == words


def test_answer_until_names_the_day_in_france(ctx):
    from datetime import UTC, datetime

    # 23:30 UTC on 20 December is already 21 December in Paris.
    with force_locale("fr"):
        assert answer_until(datetime(2026, 12, 20, 23, 30, tzinfo=UTC)) == (
            "Vous pouvez répondre jusqu'au 21 décembre 2026."
        )
