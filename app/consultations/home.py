"""What consultations puts in the home page's "For you now" (core's registry, app/core/home.py):
the open rounds the person is invited to and has not answered yet (with the closing date), the
feedback published in the last 30 days ("what we did with your answers": Parole does not record
who read it), and the evaluations the person can still give. One query each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.consultations import pictograms
from app.consultations.lifecycle import Allow, RoundStatus, statuses_allowing
from app.consultations.models import ConsultationRound, Evaluation, Invitation, Response
from app.core.home import WaitingItem, answer_until
from app.db import utcnow

# Feedback stays in "For you now" this long after it is published.
FEEDBACK_SHOWN_FOR = timedelta(days=30)


def _rounds_invited_to(actor: Any) -> Any:
    """The query of the rounds the person is invited to, for each list to narrow."""
    return (
        select(ConsultationRound)
        .join(Invitation, Invitation.round_id == ConsultationRound.id)
        .where(Invitation.person_id == actor.id)
    )


def _item(
    what: str, endpoint: str, round_: ConsultationRound, text: str, **when: Any
) -> WaitingItem:
    """One line of "For you now" that opens the round's page `endpoint`."""
    return WaitingItem(
        key=f"consultations.{what}:{round_.id}",
        text=text,
        endpoint=endpoint,
        values={"round_id": round_.id},
        **when,
    )


def rounds_to_answer(actor: Any) -> list[WaitingItem]:
    """Open rounds the person is invited to and has not sent their answers to, closing first."""
    rounds = db.session.scalars(
        _rounds_invited_to(actor)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(
            ConsultationRound.status == RoundStatus.OPEN,
            Response.submitted_at.is_(None),
        )
        .order_by(ConsultationRound.closes_at, ConsultationRound.id)
    )
    return [
        _item(
            "round",
            "consultations.show",
            r,
            _("Give your opinion: %(title)s", title=r.easy("title")),
            due_at=r.closes_at,
            when=answer_until(r.closes_at),
            data={"pictogram": r.pictogram} if pictograms.find(r.pictogram) else None,
        )
        for r in rounds
    ]


def feedback_to_read(actor: Any) -> list[WaitingItem]:
    """Rounds the person was invited to whose feedback was published in the last 30 days."""
    rounds = db.session.scalars(
        _rounds_invited_to(actor)
        .where(
            ConsultationRound.status.in_(statuses_allowing(Allow.FEEDBACK_SHOWN)),
            ConsultationRound.feedback_published_at >= utcnow() - FEEDBACK_SHOWN_FOR,
        )
        .order_by(ConsultationRound.feedback_published_at.desc(), ConsultationRound.id)
    )
    return [
        _item(
            "feedback",
            "consultations.feedback",
            r,
            _("What we did with your answers: %(title)s", title=r.easy("title")),
        )
        for r in rounds
    ]


def evaluations_to_give(actor: Any) -> list[WaitingItem]:
    """Rounds in their evaluation step that the person answered and has not evaluated yet."""
    evaluated = select(Evaluation.id).where(Evaluation.invitation_id == Invitation.id)
    rounds = db.session.scalars(
        _rounds_invited_to(actor)
        .join(Response, Response.invitation_id == Invitation.id)
        .where(
            ConsultationRound.status.in_(statuses_allowing(Allow.EVALUATION)),
            Response.submitted_at.is_not(None),
            ~evaluated.exists(),
        )
        .order_by(ConsultationRound.feedback_published_at, ConsultationRound.id)
    )
    return [
        _item(
            "evaluation",
            "consultations.evaluation",
            r,
            _("Tell us how the consultation went for you: %(title)s", title=r.easy("title")),
        )
        for r in rounds
    ]
