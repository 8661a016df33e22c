"""Factories for co-training: flush, never commit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.db import utcnow
from app.trainings.models import Mission
from tests.worlds import a_mission


def mission_begun_an_hour_ago(staff, institute) -> Mission:  # noqa: ANN001
    """A published mission whose first session began an hour ago (attendance can be
    recorded) and whose second is in a week; 2 seats, meals covered, 20 euros an hour."""
    start = utcnow() - timedelta(hours=1)
    return a_mission(
        staff,
        institute,
        "Parler du logement",
        seats=2,
        sessions=[
            (start, start + timedelta(hours=3)),
            (start + timedelta(days=7), start + timedelta(days=7, hours=3)),
        ],
        place="IRTS, Lille",
        hourly_rate=Decimal("20.00"),
        covered_costs=["meal"],
    )
