"""Fixing typos after announcing: the words of a question (text, easy-to-read version, the
words of each possible answer) may be corrected until the round closes, never its meaning
(kind, number, order or pictures of the answers); each fix is dated and audited."""

from __future__ import annotations

import pytest

from app import db
from app.consultations import corrections, services
from app.consultations.kinds import ChoiceData
from app.consultations.models import RoundStatus
from app.consultations.services import QuestionData
from app.core.errors import DomainError, InvalidTransition
from app.core.models import AuditEntry
from app.db import utcnow
from tests.consultation_factories import make_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")


def _announced(status: RoundStatus = RoundStatus.ANNOUNCED):
    round_, facilitator = make_round()
    round_.status = status
    db.session.flush()
    return round_, facilitator


@pytest.mark.parametrize("status", [RoundStatus.ANNOUNCED, RoundStatus.OPEN])
def test_correct_question_changes_the_words_and_dates_the_fix_after_announcing(status):
    round_, facilitator = _announced(status)
    question = round_.questions[0]
    ids = [c.id for c in question.choices]
    when = utcnow()
    assert corrections.correct_question(
        facilitator,
        question,
        QuestionData(
            "Quel est votre logement actuel ?",
            "Où habitez-vous maintenant ?",
            [ChoiceData("Un appartement", "house"), ChoiceData("Un foyer"), ChoiceData("Dehors")],
        ),
        now=when,
    )
    db.session.expire_all()
    assert question.text == "Quel est votre logement actuel ?"
    assert question.text_easy == "Où habitez-vous maintenant ?"
    assert [(c.id, c.label, c.pictogram) for c in question.choices] == [
        (ids[0], "Un appartement", "house"),
        (ids[1], "Un foyer", None),
        (ids[2], "Dehors", None),
    ]  # the same choices, so every answer given keeps its meaning
    assert question.edited_at == when
    entry = db.session.query(AuditEntry).filter_by(action="consultation.question_corrected").one()
    assert entry.details["changed"] == "text,text_easy,choices"


def test_correct_question_refuses_adding_removing_or_picturing_answers():
    round_, facilitator = _announced(RoundStatus.OPEN)
    question = round_.questions[0]
    for choices in (
        [ChoiceData("Un appartement", "house"), ChoiceData("Un foyer")],
        [ChoiceData("A"), ChoiceData("B"), ChoiceData("C"), ChoiceData("D")],
        [ChoiceData("Un appartement", "money"), ChoiceData("Un foyer"), ChoiceData("La rue")],
    ):
        with pytest.raises(DomainError) as refused:
            corrections.correct_question(
                facilitator, question, QuestionData(question.text, question.text_easy, choices)
            )
        assert refused.value.field == "choices"
    db.session.expire_all()
    assert [c.label for c in question.choices] == ["Un appartement", "Un foyer", "Dans la rue"]
    assert question.edited_at is None


def test_correct_question_keeps_an_easy_version_and_does_not_date_an_unchanged_question():
    round_, facilitator = _announced()
    question = round_.questions[1]  # the scale
    with pytest.raises(DomainError) as refused:
        corrections.correct_question(facilitator, question, QuestionData("Content ?", ""))
    assert refused.value.field == "text_easy"
    assert not corrections.correct_question(
        facilitator, question, QuestionData(question.text, question.text_easy)
    )
    assert question.edited_at is None


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.RESULTS])
def test_correct_question_is_refused_once_the_round_is_closed(status):
    round_, facilitator = _announced(status)
    question = round_.questions[1]
    with pytest.raises(InvalidTransition):
        corrections.change_question(facilitator, question, QuestionData("Autre", "Autre"))
    assert question.text == "Êtes-vous satisfait ?"


def test_change_question_edits_everything_in_a_draft_and_only_words_after():
    round_, facilitator = make_round()
    question = round_.questions[0]
    corrections.change_question(
        facilitator,
        question,
        QuestionData("Logement ?", "Maison ?", [ChoiceData("A"), ChoiceData("B")]),
    )
    assert [c.label for c in question.choices] == ["A", "B"]
    assert question.edited_at is None  # nobody read it yet: no note
    round_.status = RoundStatus.OPEN
    db.session.flush()
    with pytest.raises(DomainError):
        corrections.change_question(
            facilitator,
            question,
            QuestionData(
                "Logement ?", "Maison ?", [ChoiceData("A"), ChoiceData("B"), ChoiceData("C")]
            ),
        )


def test_correct_question_needs_a_manager_of_the_round():
    round_, _facilitator = _announced()
    stranger = make_person()
    with pytest.raises(DomainError):
        corrections.correct_question(stranger, round_.questions[1], QuestionData("Autre", "Autre"))
    assert services.get_round(round_.id).questions[1].text == "Êtes-vous satisfait ?"
