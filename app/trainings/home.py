"""What co-training puts in the home page's "For you now" (core's registry, app/core/home.py):
the places offered to the person from a waiting list, with the time left to answer."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import db
from app.core.home import WaitingItem, register_home_section, time_left
from app.db import utcnow
from app.trainings.models import Signup, SignupStatus


def places_offered(actor: Any) -> list[WaitingItem]:
    """The person's sign-ups offered a place that they can still accept, the first to expire
    first. One query."""
    now = utcnow()
    signups = db.session.scalars(
        select(Signup)
        .options(joinedload(Signup.mission))
        .where(
            Signup.person_id == actor.id,
            Signup.status == SignupStatus.OFFERED,
            Signup.offer_expires_at > now,
        )
        .order_by(Signup.offer_expires_at, Signup.id)
    )
    return [
        WaitingItem(
            key=f"trainings.offer:{s.id}:{int(s.offer_expires_at.timestamp())}",
            text=_("A place is free for you: %(title)s", title=s.mission.easy("title")),
            endpoint="trainings.mine",
            anchor=f"signup-{s.id}",
            due_at=s.offer_expires_at,
            when=time_left(s.offer_expires_at, now),
        )
        for s in signups
    ]


def register() -> None:
    register_home_section("training_offers", 30, places_offered, "trainings/_home_offers.html")
