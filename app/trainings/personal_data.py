"""What co-training holds about a person, for "My data", closing an account and the
retention purge (the framework is app/accounts/personal_data.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import db
from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import (
    Closed,
    PersonalDataProvider,
    Section,
    Step,
    iso,
    money_text,
    rows,
)
from app.trainings import services
from app.trainings.models import CoTrainerProfile, MissionFeedback, Signup


def _signups(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "mission": s.mission.title,
            "status": str(s.status),
            "why": s.why,
            "what_i_can_share": s.can_share,
            "needs": {
                "childcare": s.needs_childcare,
                "companion": s.needs_companion,
                "travel_help": s.needs_travel_help,
                "access": s.access_needs,
                "food": s.dietary_needs,
            },
            "contact": s.contact_channel,
            "created_at": iso(s.created_at),
            **s.provenance_export(),
            "attendance": [
                {
                    "session": iso(a.session.starts_at),
                    "present": a.present,
                    "attended_hours": money_text(a.hours),
                }
                for a in sorted(s.attendance, key=lambda a: a.session.starts_at)
            ],
        }
        for s in rows(select(Signup).where(Signup.person_id == person.id))
    ]


def _profile(person: Person) -> dict[str, Any] | None:
    profile = db.session.get(CoTrainerProfile, person.id)
    if profile is None:
        return None
    return {
        "themes": profile.themes,
        "availability": profile.availability,
        "places": profile.places,
        "shown": profile.visible,
    }


def _feedback(person: Person) -> list[dict[str, Any]]:
    return [
        {"went_well": f.went_well, "text": f.body, "at": iso(f.created_at)}
        for f in rows(select(MissionFeedback).where(MissionFeedback.author_id == person.id))
    ]


def _journal(person: Person) -> list[tuple[str, list[int]]]:
    ids = db.session.scalars(select(Signup.id).where(Signup.person_id == person.id))
    return [("training_signups", list(ids))]


def _give_up_places(person: Person, closed: Closed) -> None:
    """Places held in co-training go to the next person waiting."""
    for signup in db.session.scalars(
        select(Signup).where(Signup.person_id == person.id, Signup.status.in_(services.OPEN_SIGNUP))
    ):
        services.cancel(person, signup)


def _last_signup(person: Person) -> datetime | None:
    return db.session.scalar(
        select(func.max(Signup.updated_at)).where(Signup.person_id == person.id)
    )


PROVIDER = PersonalDataProvider(
    domain="trainings",
    sections=(
        Section("co_training_signups", 90, _signups),
        Section("co_trainer_profile", 100, _profile),
        Section("co_training_feedback", 110, _feedback),
    ),
    exported={
        "training_feedback.author_id": "co_training_feedback",
        "training_profiles.person_id": "co_trainer_profile",
        "training_signups.person_id": "co_training_signups",
    },
    deleted_at_closure=("training_profiles.person_id",),
    journal=_journal,
    erasure=(Step(10, _give_up_places),),
    last_contact=_last_signup,
    labels={
        "co_training_signups": _l("Your co-training sign-ups"),
        "mission": _l("Mission"),
        "what_i_can_share": _l("What you can share"),
        "needs": _l("Your needs"),
        "childcare": _l("Childcare"),
        "companion": _l("Someone to come with you"),
        "travel_help": _l("Help to travel"),
        "access": _l("Access"),
        "food": _l("Food"),
        "contact": _l("Contact"),
        "attendance": _l("Your attendance"),
        "session": _l("Session of"),
        "present": _l("Present"),
        "attended_hours": _l("Hours counted"),
        "co_trainer_profile": _l("Your co-trainer profile"),
        "themes": _l("Themes"),
        "availability": _l("When you are free"),
        "places": _l("Places"),
        "shown": _l("Shown to institutes"),
        "co_training_feedback": _l("What you said after co-training"),
        "went_well": _l("Did it go well"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)
