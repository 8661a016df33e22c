"""A round with exactly one helped person (disclosure control tests: functional, browser).

Nine people answer the four usual questions: eight alone, and one with a facilitator's help,
whose answers are the only ones of their kind ("Dans la rue", the face 1, "Non"). Threshold 5.
The results are published: every participant may read them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import RoundStatus
from app.consultations.services import AnswerInput, FeedbackData
from tests.consultation_factories import open_round
from tests.worlds import a_round, an_organisation, saved

HELPED_CHOICES = ("Dans la rue", "Non")  # what only the helped person answered


def _answer(actor, round_, choice: str, face: int, yes_no: str, person=None) -> None:  # noqa: ANN001
    single, scale, yes_no_question, text = round_.questions
    response = services.start_response(
        actor, round_, person=person, consent_note="Elle a dit oui, au téléphone."
    )
    labels = {c.label: c.id for q in (single, yes_no_question) for c in q.choices}
    services.save_answer(actor, response, single, AnswerInput(choice_ids=[labels[choice]]))
    services.save_answer(actor, response, scale, AnswerInput(value_int=face))
    services.save_answer(actor, response, yes_no_question, AnswerInput(choice_ids=[labels[yes_no]]))
    services.save_answer(actor, response, text, AnswerInput(declined=True))
    services.submit_response(actor, response)


def a_round_with_one_helped_person(app: Flask) -> dict[str, Any]:
    with saved(app):
        team = an_organisation("CRPA Protection", domain="d.test", fac=Role.FACILITATOR)
        alone = team.join_many("p", 8)
        helped = team.join("aide")
        facilitator = team["fac"]
        round_ = a_round(team.org, facilitator)
        open_round(round_, facilitator, [*alone, helped])
        for n, person in enumerate(alone):
            choice = "Un appartement" if n < 5 else "Un foyer"
            _answer(person, round_, choice, 4 if n < 5 else 5, "Oui")
        _answer(facilitator, round_, "Dans la rue", 1, "Non", person=helped)
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            facilitator, round_, FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS)
        return {
            "round": round_.id,
            "questions": [q.id for q in round_.questions],
            "facilitator": "fac@d.test",
            "participant": "p0@d.test",
        }


def a_round_with_a_conditional_question(app: Flask, yes: int, no: int) -> dict[str, Any]:
    """Question 2 is only for the people who answered "Oui" to question 1: `yes` people did,
    `no` people did not. The results are published."""
    from app import db
    from app.consultations.models import QuestionKind
    from app.consultations.services import ChoiceData

    with saved(app):
        team = an_organisation("CRPA Condition", domain="k.test", fac=Role.FACILITATOR)
        people = team.join_many("p", yes + no)
        facilitator = team["fac"]
        round_ = a_round(team.org, facilitator)
        for question in list(round_.questions):
            services.remove_question(facilitator, question)
        first = services.add_question(
            facilitator, round_, QuestionKind.YES_NO, "Avez-vous un travail ?", "Vous travaillez ?"
        )
        second = services.add_question(
            facilitator,
            round_,
            QuestionKind.SINGLE,
            "Combien d'heures par semaine ?",
            "Combien d'heures ?",
            [ChoiceData("Moins de 20"), ChoiceData("20 ou plus")],
        )
        oui, non = first.choices
        second.condition_choice_id = oui.id
        db.session.flush()
        open_round(round_, facilitator, people)
        for n, person in enumerate(people):
            response = services.start_response(person, round_)
            choice = oui if n < yes else non
            services.save_answer(person, response, first, AnswerInput(choice_ids=[choice.id]))
            if n < yes:
                hours = second.choices[n % 2]
                services.save_answer(person, response, second, AnswerInput(choice_ids=[hours.id]))
            services.submit_response(person, response)
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            facilitator, round_, FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS)
        return {"round": round_.id, "participant": "p0@k.test"}


QUOTE_TEXTS = [f"Il faut plus de bus le soir, numéro {n}." for n in range(1, 6)]


def a_round_with_five_quotes(app: Flask, english: bool = True) -> dict[str, Any]:
    """The walk that found quotes giving a hidden number back: 6 people, threshold 5; the
    free-text question (question 4) has 5 answers (QUOTE_TEXTS) and 1 "prefer not to
    answer", both hidden. The facilitator chose the 5 texts and finished choosing; the
    results are published and shown on the organisation's public page."""
    from sqlalchemy import select

    from app import db
    from app.consultations import curation, public
    from app.consultations.models import Answer
    from tests.worlds import everyone_reads_english

    with saved(app):
        team = an_organisation("CRPA Citations", domain="w.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 6)
        facilitator = team["fac"]
        round_ = a_round(team.org, facilitator, step="open", invited=people)
        question = round_.questions[3]
        for n, person in enumerate(people):
            response = services.start_response(person, round_)
            for other in round_.questions[:3]:
                services.save_answer(person, response, other, AnswerInput(declined=True))
            given = AnswerInput(value_text=QUOTE_TEXTS[n]) if n < 5 else AnswerInput(declined=True)
            services.save_answer(person, response, question, given)
            services.submit_response(person, response)
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            facilitator, round_, FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS)
        for answer in db.session.scalars(select(Answer).where(Answer.question_id == question.id)):
            if answer.value_text:
                curation.save_quote(
                    facilitator, round_, answer.id, curation.QuoteData(True, answer.value_text)
                )
        curation.mark_quotes_ready(facilitator, round_, question.id)
        public.set_shown_publicly(facilitator, round_, True)
        if english:
            everyone_reads_english()
        return {
            "round": round_.id,
            "question": question.id,
            "public": f"/public/{round_.organisation.public_slug}/{round_.id}",
            "facilitator": "fac@w.test",
            "participant": "p0@w.test",
        }
