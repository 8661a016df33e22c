"""`flask demo advance-days N`: the demo's dates moved N days earlier, as if N days had
passed, so that a newcomer sees a round go through its dates with `flask jobs run`
(opened at its opening date, reminders 2 days before closing, closed...).

Only the demo organisations' rows move (rounds, co-training missions, their sessions, the
offers of their waiting lists and the dates of their cost and pay requests: a payment moved
into the quarter before is told by the quarterly statement notice); what the jobs did is left
in `job_runs`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation
from app.consultations.models import ConsultationRound
from app.demo.base import ORGANISATIONS
from app.expenses.models import ExpenseRequest
from app.trainings.models import Mission, MissionSession, Signup

# The columns that say when something is due or happened, per table.
ROUND_DATES = (
    "opens_at",
    "closes_at",
    "feedback_due_at",
    "announced_at",
    "opened_at",
    "closed_at",
    "feedback_published_at",
    "evaluated_at",
)
MISSION_DATES = ("preparation_at", "signup_deadline")
SESSION_DATES = ("starts_at", "ends_at")
SIGNUP_DATES = ("offer_expires_at",)
REQUEST_DATES = ("created_at", "submitted_at", "decided_at", "paid_at")


def _earlier(row: object, columns: tuple[str, ...], by: timedelta) -> None:
    for column in columns:
        value = getattr(row, column)
        if value is not None:
            setattr(row, column, value - by)


def advance_days(days: int) -> dict[str, int]:
    """Move the demo's dates `days` days earlier; how many rows of each kind moved."""
    by = timedelta(days=days)
    names = [name for name, _kind in ORGANISATIONS]
    org_ids = db.session.scalars(select(Organisation.id).where(Organisation.name.in_(names))).all()
    rounds = db.session.scalars(
        select(ConsultationRound).where(ConsultationRound.organisation_id.in_(org_ids))
    ).all()
    missions = db.session.scalars(select(Mission).where(Mission.organisation_id.in_(org_ids))).all()
    mission_ids = [m.id for m in missions]
    sessions = db.session.scalars(
        select(MissionSession).where(MissionSession.mission_id.in_(mission_ids))
    ).all()
    signups = db.session.scalars(
        select(Signup).where(
            Signup.mission_id.in_(mission_ids), Signup.offer_expires_at.is_not(None)
        )
    ).all()
    requests = db.session.scalars(
        select(ExpenseRequest).where(ExpenseRequest.organisation_id.in_(org_ids))
    ).all()
    for rows, columns in (
        (requests, REQUEST_DATES),
        (rounds, ROUND_DATES),
        (missions, MISSION_DATES),
        (sessions, SESSION_DATES),
        (signups, SIGNUP_DATES),
    ):
        for row in rows:
            _earlier(row, columns, by)
    db.session.flush()
    return {
        "rounds": len(rounds),
        "missions": len(missions),
        "sessions": len(sessions),
        "offers": len(signups),
        "requests": len(requests),
    }
