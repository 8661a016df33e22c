"""What consultations hold about a person, for "My data", closing an account and the
retention purge (the framework is app/accounts/personal_data.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import db
from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import Closed, PersonalDataProvider, Section, Step, iso, rows
from app.consultations.curation import quotes_of_answers
from app.consultations.curation_models import Quote
from app.consultations.kinds import display_value
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    Comment,
    ConsultationRound,
    Evaluation,
    Invitation,
    Response,
)
from app.consultations.own_pictogram_models import OwnPictogram


def _answers(person: Person) -> list[dict[str, Any]]:
    responses = rows(
        select(Response)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.person_id == person.id)
        .order_by(Response.started_at)
    )
    # What a facilitator did with a free answer (chosen as a quote, the version shown): it
    # is about the person's words, so it comes with them (and goes with them: curation.py).
    quotes = quotes_of_answers(a.id for r in responses for a in r.answers)
    return [
        {
            "round": r.invitation.round.title,
            "started_at": iso(r.started_at),
            "sent_at": iso(r.submitted_at),
            "channel": str(r.channel),
            **r.provenance_export(),
            "answers": [
                {
                    "question": a.question.text,
                    "declined": a.declined,
                    "answer": display_value(a),
                    "text": a.value_text,
                    "number": a.value_int,
                    "choices": [
                        c.label
                        for c in a.question.choices
                        if c.id in {s.choice_id for s in a.selections}
                    ],
                    **_quote(quotes.get(a.id)),
                }
                for a in sorted(r.answers, key=lambda a: a.question.position)
            ],
        }
        for r in responses
    ]


def _quote(quote: Quote | None) -> dict[str, Any]:
    if quote is None:
        return {}
    return {"chosen_as_quote": quote.chosen, "shown_version": quote.shown_text}


def _comments(person: Person) -> list[dict[str, Any]]:
    return [
        {"round": c.round.title, "text": c.body, "at": iso(c.created_at)}
        for c in rows(select(Comment).where(Comment.author_id == person.id))
    ]


def _evaluations(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "round": title,
            **{name: str(getattr(e, name)) for name in EVALUATION_QUESTIONS},
            "comment": e.comment,
            "at": iso(e.created_at),
        }
        for e, title in db.session.execute(
            select(Evaluation, ConsultationRound.title)
            .join(Invitation, Evaluation.invitation_id == Invitation.id)
            .join(ConsultationRound, Evaluation.round_id == ConsultationRound.id)
            .where(Invitation.person_id == person.id)
            .order_by(Evaluation.created_at)
        )
    ]


def _invitations(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "round": i.round.title,
            "invited_at": iso(i.created_at),
            "paper_code": i.paper_code,
        }
        for i in rows(
            select(Invitation)
            .where(Invitation.person_id == person.id)
            .order_by(Invitation.created_at)
        )
    ]


def _own_pictures(person: Person) -> list[dict[str, Any]]:
    """The pictures the person uploaded for their organisation's questions (the file stays
    the organisation's; its name and words are listed)."""
    return [
        {"picture": p.title, "shows": p.alt, "uploaded_at": iso(p.created_at)}
        for p in rows(
            select(OwnPictogram)
            .where(OwnPictogram.uploaded_by_id == person.id)
            .order_by(OwnPictogram.created_at)
        )
    ]


def _delete_answers_never_sent(person: Person, closed: Closed) -> None:
    """Answers never sent are not contributions."""
    for response in db.session.scalars(
        select(Response)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.person_id == person.id, Response.submitted_at.is_(None))
    ):
        db.session.delete(response)


def _last_answer(person: Person) -> datetime | None:
    return db.session.scalar(
        select(func.max(Response.started_at))
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.person_id == person.id)
    )


PROVIDER = PersonalDataProvider(
    domain="consultations",
    sections=(
        Section("consultation_answers", 40, _answers),
        Section("comments", 50, _comments),
        Section("evaluations", 60, _evaluations),
        Section("consultation_invitations", 140, _invitations),
        Section("own_pictures", 145, _own_pictures),
    ),
    exported={
        "consultation_own_pictograms.uploaded_by_id": "own_pictures",
        "consultation_comments.author_id": "comments",
        "consultation_invitations.person_id": "consultation_invitations",
    },
    erasure=(Step(30, _delete_answers_never_sent),),
    last_contact=_last_answer,
    labels={
        "consultation_answers": _l("Your answers to consultations"),
        "round": _l("Consultation"),
        "started_at": _l("Started on"),
        "channel": _l("How"),
        "answers": _l("Answers"),
        "question": _l("Question"),
        "declined": _l("I prefer not to answer"),
        "answer": _l("Your answer"),
        "number": _l("Number given"),
        "choices": _l("Chosen"),
        "chosen_as_quote": _l("Shown to participants as a quote"),
        "shown_version": _l("Version shown, shortened or masked by the facilitator"),
        "comments": _l("Your messages"),
        "evaluations": _l("Your opinion on how consultations went"),
        **EVALUATION_QUESTIONS,
        "consultation_invitations": _l("Your invitations to consultations"),
        "paper_code": _l("Code to answer on paper"),
        "own_pictures": _l("Pictures you added for your organisation"),
        "picture": _l("Name of the picture"),
        "shows": _l("What the picture shows"),
        "uploaded_at": _l("Added on"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)
