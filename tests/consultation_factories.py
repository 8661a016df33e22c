"""Builders for consultation tests (flush, never commit)."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import QuestionKind, RoundStatus
from app.consultations.services import ChoiceData, RoundData
from app.db import utcnow
from tests.factories import make_org, make_person


def make_round(
    org=None, facilitator=None, *, questions=True, opens_in_days=10, title="Le logement"
):
    org = org or make_org()
    facilitator = facilitator or make_person((org, Role.FACILITATOR))
    now = utcnow()
    round_ = services.create_round(
        facilitator,
        org,
        RoundData(
            title=title,
            title_easy=f"{title} : votre avis",
            subject="Le département prépare un nouveau plan pour le logement.",
            subject_easy="Le département veut aider les gens à trouver un logement.",
            opens_at=now + timedelta(days=opens_in_days),
            closes_at=now + timedelta(days=opens_in_days + 14),
            costs_covered="Le ticket de bus est payé.",
        ),
    )
    if questions:
        services.add_question(
            facilitator,
            round_,
            QuestionKind.SINGLE,
            "Quel est votre logement ?",
            "Où habitez-vous ?",
            [
                ChoiceData("Un appartement", "house"),
                ChoiceData("Un foyer"),
                ChoiceData("Dans la rue"),
            ],
        )
        services.add_question(
            facilitator, round_, QuestionKind.SCALE, "Êtes-vous satisfait ?", "Vous êtes content ?"
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.YES_NO,
            "Avez-vous besoin d'aide ?",
            "Vous voulez de l'aide ?",
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.LONG_TEXT,
            "Que faudrait-il changer ?",
            "Qu'est-ce qu'il faut changer ?",
        )
    return round_, facilitator


def open_round(round_, facilitator, participants):
    """Invite `participants`, announce, then open (time moved forward past the notice)."""
    services.invite_people(facilitator, round_, [p.id for p in participants])
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    services.transition(facilitator, round_, RoundStatus.OPEN, now=utcnow() + timedelta(days=8))
    return round_


def publish_feedback(round_, facilitator):
    """An open round closed, given one feedback item, results and feedback published: the
    evaluation is open."""
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    services.add_feedback_item(
        facilitator, round_, services.FeedbackData("a", "b", "a facile", "b facile")
    )
    services.transition(facilitator, round_, RoundStatus.RESULTS)
    services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    return round_


def add_free_texts(round_, n):
    """n answers sent on paper to the round's free-text question (its fourth),
    "Texte 1" to "Texte n". The round must be open."""
    from sqlalchemy import insert

    from app import db
    from app.consultations.models import Answer, Channel, Invitation, Response

    now = utcnow()
    question = round_.questions[3]
    for i in range(n):
        invitation = Invitation(round_id=round_.id, paper_code=f"T{round_.id}-{i:05d}")
        db.session.add(invitation)
        db.session.flush()
        response = Response(
            round_id=round_.id,
            invitation_id=invitation.id,
            channel=Channel.PAPER,
            started_at=now,
            submitted_at=now,
        )
        db.session.add(response)
        db.session.flush()
        db.session.execute(
            insert(Answer),
            [
                {
                    "response_id": response.id,
                    "question_id": question.id,
                    "declined": False,
                    "updated_at": now,
                    "value_text": f"Texte {i + 1}",
                }
            ],
        )
    return question


def choose_all_texts(round_, question):
    """Every free text sent to `question` chosen as a quote as written, and the choice
    finished: what participants read is then every text (app/consultations/curation.py)."""
    from sqlalchemy import insert, select

    from app import db
    from app.consultations.curation_models import Quote, QuotesReady
    from app.consultations.models import Answer

    now = utcnow()
    answer_ids = db.session.scalars(
        select(Answer.id).where(Answer.question_id == question.id, Answer.value_text.is_not(None))
    ).all()
    if answer_ids:
        db.session.execute(
            insert(Quote),
            [{"answer_id": a, "chosen": True, "updated_at": now} for a in answer_ids],
        )
    db.session.add(QuotesReady(question_id=question.id, ready_at=now))
    db.session.flush()
