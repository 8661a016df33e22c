"""What time does to consultation rounds (run by `flask jobs run`, see app/core/jobs.py):
open an announced round at its opening date, close an open round at its closing date,
remind the invited people who have not answered 2 days before closing, tell the staff
once that the feedback is late."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app import db
from app.consultations import services
from app.consultations.lifecycle import RoundStatus
from app.consultations.models import ConsultationRound, Invitation, Response
from app.core.errors import DomainError
from app.core.formatting import date_only
from app.core.jobs import claim, register_job

log = logging.getLogger(__name__)

REMIND_BEFORE_CLOSING = timedelta(days=2)


def register() -> None:
    minute, hour, day = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
    register_job("consultations.open_rounds", minute, open_due_rounds)
    register_job("consultations.close_rounds", minute, close_due_rounds)
    register_job("consultations.remind_before_closing", hour, remind_before_closing)
    register_job("consultations.overdue_feedback", day, services.notify_overdue_feedback)


def _dated_steps(
    status: RoundStatus, date_column: object, target: RoundStatus, now: datetime
) -> int:
    due = db.session.scalars(
        claim(
            select(ConsultationRound)
            .where(ConsultationRound.status == status, date_column <= now)  # type: ignore[operator]
            .order_by(ConsultationRound.id)
        )
    ).all()
    done = 0
    for round_ in due:
        try:
            with db.session.begin_nested():
                done += services.take_dated_step(round_, target, now)
        except DomainError as exc:  # left for a facilitator; the others go on
            log.warning("round %s not moved to %s: %s", round_.id, target.value, type(exc).__name__)
    return done


def open_due_rounds(now: datetime) -> int:
    """Announced rounds whose opening date has come are opened (once: checked under lock)."""
    return _dated_steps(RoundStatus.ANNOUNCED, ConsultationRound.opens_at, RoundStatus.OPEN, now)


def close_due_rounds(now: datetime) -> int:
    """Open rounds whose closing date has passed are closed (once: checked under lock)."""
    return _dated_steps(RoundStatus.OPEN, ConsultationRound.closes_at, RoundStatus.CLOSED, now)


def remind_before_closing(now: datetime) -> int:
    """Two days before a round closes, each invited person who has not sent their answers
    gets one reminder (a notification on Parole, and an e-mail when they have an address).
    Once per invitation: `reminded_at` is set in the same transaction as the message."""
    from app.core.notifications import notify
    from app.core.urls import external_url

    sent_answers = exists().where(
        Response.invitation_id == Invitation.id, Response.submitted_at.is_not(None)
    )
    waiting = db.session.scalars(
        claim(
            select(Invitation)
            .join(ConsultationRound, ConsultationRound.id == Invitation.round_id)
            .where(
                ConsultationRound.status == RoundStatus.OPEN,
                ConsultationRound.closes_at > now,
                ConsultationRound.closes_at <= now + REMIND_BEFORE_CLOSING,
                Invitation.person_id.is_not(None),
                Invitation.reminded_at.is_(None),
                ~sent_answers,
            )
            .order_by(Invitation.id)
        )
    ).all()
    done = 0
    for found in waiting:
        invitation = db.lock(found)  # checked again: another run may have sent it just now
        if invitation.reminded_at is not None or invitation.person is None:
            continue
        round_ = invitation.round
        person = invitation.person

        def body(round_: ConsultationRound = round_) -> str:
            return "\n".join(
                [
                    _("Give your opinion: %(title)s.", title=round_.easy("title")),
                    _(
                        "You can answer until %(date)s.",
                        date=date_only(round_.closes_at),
                    ),
                    _("Answer on Parole, on paper, or with the help of a facilitator."),
                ]
            )

        notify(
            person,
            lambda round_=round_: _("Reminder: %(title)s closes soon", title=round_.easy("title")),
            body,
            link=external_url("consultations.show", round_id=round_.id),
            due_at=round_.closes_at,  # by when a facilitator passes it on ("À prévenir")
        )
        invitation.reminded_at = now
        done += 1
    db.session.flush()
    return done
