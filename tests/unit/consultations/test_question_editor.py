"""The question editor edits: a draft round's questions change texts and choices, and move
up or down one place, positions staying 1..n; once the round is announced they are fixed."""

from __future__ import annotations

import pytest

from app import db
from app.consultations import services
from app.consultations.kinds import ChoiceData
from app.consultations.models import RoundStatus
from app.consultations.services import QuestionData
from app.core.errors import DomainError, InvalidTransition
from app.core.models import AuditEntry
from tests.consultation_factories import make_round

pytestmark = pytest.mark.usefixtures("ctx")


def _order(round_) -> list[tuple[int, str]]:  # noqa: ANN001
    db.session.refresh(round_, ["questions"])
    return [(q.position, q.text) for q in round_.questions]


def test_edit_question_changes_texts_and_replaces_choices_in_a_draft():
    round_, facilitator = make_round()
    question = round_.questions[0]
    services.edit_question(
        facilitator,
        question,
        QuestionData(
            "Où vivez-vous ?",
            "Votre maison ?",
            [ChoiceData("Chez moi", "house"), ChoiceData("Chez un ami"), ChoiceData("")],
        ),
    )
    db.session.expire_all()
    assert (question.text, question.text_easy) == ("Où vivez-vous ?", "Votre maison ?")
    assert [(c.position, c.label, c.pictogram) for c in question.choices] == [
        (1, "Chez moi", "house"),
        (2, "Chez un ami", None),
    ]
    assert question.choices[0].pictogram_alt  # the picture's words, as when it was added
    assert db.session.query(AuditEntry).filter_by(action="consultation.question_edited").count()


def test_edit_question_refuses_too_few_choices_and_changes_nothing():
    round_, facilitator = make_round()
    question = round_.questions[0]
    with pytest.raises(DomainError) as refused:
        services.edit_question(facilitator, question, QuestionData("Où ?", "", [ChoiceData("Un")]))
    assert refused.value.field == "choices"
    with pytest.raises(DomainError) as refused:
        services.edit_question(facilitator, question, QuestionData("  ", "", []))
    assert refused.value.field == "text"


def test_edit_question_keeps_no_choices_for_a_kind_without_choices():
    round_, facilitator = make_round()
    question = round_.questions[3]  # a long text
    services.edit_question(
        facilitator, question, QuestionData("Que changer ?", "", [ChoiceData("Oui")])
    )
    db.session.expire_all()
    assert question.text == "Que changer ?" and question.choices == []


def test_move_question_swaps_with_its_neighbour_and_keeps_positions_without_gaps():
    round_, facilitator = make_round()
    before = [text for _position, text in _order(round_)]
    assert services.move_question(facilitator, round_.questions[2], -1)
    assert _order(round_) == list(enumerate([before[0], before[2], before[1], before[3]], 1))
    assert services.move_question(facilitator, round_.questions[0], +1)
    assert _order(round_) == list(enumerate([before[2], before[0], before[1], before[3]], 1))


def test_move_question_does_nothing_at_the_ends():
    round_, facilitator = make_round()
    before = _order(round_)
    assert not services.move_question(facilitator, round_.questions[0], -1)
    assert not services.move_question(facilitator, round_.questions[-1], +1)
    assert _order(round_) == before


@pytest.mark.parametrize("status", [RoundStatus.ANNOUNCED, RoundStatus.OPEN])
def test_edit_and_move_are_refused_once_the_round_is_announced(status):
    round_, facilitator = make_round()
    round_.status = status
    db.session.flush()
    before = _order(round_)
    question = round_.questions[1]
    with pytest.raises(InvalidTransition):
        services.edit_question(facilitator, question, QuestionData("Autre", "Autre"))
    with pytest.raises(InvalidTransition):
        services.move_question(facilitator, question, -1)
    assert _order(round_) == before
