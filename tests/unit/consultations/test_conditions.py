"""Conditional questions: the rules of the question editor (a condition points to a choice
of an earlier question; moves that would break it are refused; removing a question or a
choice drops it with a note), who is shown what, what sending keeps, and the paper's lines."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app import db
from app.accounts.models import Role
from app.consultations import conditions, services
from app.consultations.kinds import AnswerInput, ChoiceData
from app.consultations.models import Answer, QuestionKind, Response
from app.consultations.services import QuestionData
from app.core.errors import DomainError
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture(autouse=True)
def _english(ctx):  # noqa: ANN001
    """The messages in English (the msgids), the yes/no choices made "Yes" and "No"."""
    with force_locale("en"):
        yield


def _conditional_round():
    """The four usual questions (single, scale, yes/no, long text), then question 5 shown
    only to people who answered "Yes" to question 3, and question 6 only to people who
    chose "Le bus" at question 5."""
    round_, facilitator = make_round()
    yes = round_.questions[2].choices[0]
    assert yes.label == "Yes"
    five = services.add_question(
        facilitator,
        round_,
        QuestionKind.MULTIPLE,
        "Quelle aide voulez-vous ?",
        "Quelle aide ?",
        [ChoiceData("Le bus"), ChoiceData("Un logement")],
        condition_choice_id=yes.id,
    )
    six = services.add_question(
        facilitator,
        round_,
        QuestionKind.SHORT_TEXT,
        "Quel bus ?",
        "Quel bus ?",
        condition_choice_id=five.choices[0].id,
    )
    return round_, facilitator, five, six


def _positions(questions) -> list[int]:  # noqa: ANN001
    return [q.position for q in questions]


def test_add_question_keeps_a_condition_on_a_choice_of_an_earlier_question():
    round_, _facilitator, five, six = _conditional_round()
    db.session.expire_all()
    assert five.condition_choice.label == "Yes" and five.condition_choice.question.position == 3
    assert six.condition_choice.label == "Le bus"
    options = dict(conditions.condition_options(round_, five))
    # Questions 1 (one answer) and 3 (yes or no) may show it; 2 (a scale) and 4 (a text) not.
    assert list(options.values())[1:] == [
        "Question 1 — Un appartement",
        "Question 1 — Un foyer",
        "Question 1 — Dans la rue",
        "Question 3 — Yes",
        "Question 3 — No",
    ]


@pytest.mark.parametrize("which", ["later", "scale_question", "other_round", "ranking"])
def test_condition_is_refused_unless_a_choice_of_an_earlier_question_that_may_show(which):
    round_, facilitator = make_round()
    if which == "later":
        target, choice_id = round_.questions[1], round_.questions[2].choices[0].id
    elif which == "other_round":
        other, _fac = make_round()
        target, choice_id = round_.questions[3], other.questions[0].choices[0].id
    elif which == "ranking":
        ranking = services.add_question(
            facilitator,
            round_,
            QuestionKind.RANKING,
            "Classez",
            choices=[ChoiceData("A"), ChoiceData("B")],
        )
        with pytest.raises(DomainError) as refused:
            services.add_question(
                facilitator,
                round_,
                QuestionKind.LONG_TEXT,
                "Pourquoi ?",
                condition_choice_id=ranking.choices[0].id,
            )
        assert refused.value.field == "condition_choice_id"
        return
    else:
        target, choice_id = round_.questions[3], 999_999
    with pytest.raises(DomainError) as refused:
        services.edit_question(
            facilitator, target, QuestionData(target.text, condition_choice_id=choice_id)
        )
    assert refused.value.field == "condition_choice_id"
    db.session.expire_all()
    assert target.condition_choice_id is None


def test_moving_a_question_above_its_condition_is_refused_and_nothing_moves():
    round_, facilitator, five, six = _conditional_round()
    with pytest.raises(DomainError) as refused:
        services.move_question(facilitator, six, -1)  # above question 5, which shows it
    assert "Question 6" in str(refused.value.message)
    assert "question 5" in str(refused.value.message)
    db.session.expire_all()
    assert _positions([five, six]) == [5, 6]


def test_moving_the_condition_question_below_the_question_it_shows_is_refused():
    round_, facilitator, five, _six = _conditional_round()
    four = round_.questions[3]
    assert services.move_question(facilitator, four, +1)  # 4 and 5 swap: 5 still after 3
    assert _positions([five]) == [4]
    three = round_.questions[2]
    with pytest.raises(DomainError):
        services.move_question(facilitator, three, +1)  # 3 below the question it shows


def test_removing_the_condition_question_shows_its_questions_to_everybody():
    round_, facilitator, five, six = _conditional_round()
    dropped = services.remove_question(facilitator, round_.questions[2])
    assert [q.id for q in dropped] == [five.id]
    db.session.expire_all()
    assert five.condition_choice_id is None and five.position == 4
    assert six.condition_choice_id is not None  # still shown by question 5's "Le bus"
    assert conditions.dropped_note(five).startswith("Question 4 is now shown to everybody")


def test_editing_choices_keeps_the_condition_on_the_same_words_or_the_same_place():
    round_, facilitator, five, six = _conditional_round()
    bus = ChoiceData("Le bus")
    # The order changes: the condition follows the words.
    services.edit_question(
        facilitator, five, QuestionData(five.text, "", [ChoiceData("Rien"), bus])
    )
    assert six.condition_choice_id == five.choices[1].id
    # A typo corrected, as many choices as before: the condition stays at the same place.
    fixed = [ChoiceData("Rien"), ChoiceData("Le bus de ville")]
    assert services.edit_question(facilitator, five, QuestionData(five.text, "", fixed)) == []
    assert six.condition_choice_id == five.choices[1].id
    # The choice is gone: the condition is dropped, and said.
    fewer = [ChoiceData("Rien"), ChoiceData("Autre"), ChoiceData("Encore")]
    dropped = services.edit_question(facilitator, five, QuestionData(five.text, "", fewer))
    assert [q.id for q in dropped] == [six.id]
    db.session.expire_all()
    assert six.condition_choice_id is None


def test_editing_a_question_without_condition_field_keeps_its_condition():
    round_, facilitator, five, _six = _conditional_round()
    choices = [ChoiceData(c.label) for c in five.choices]
    services.edit_question(facilitator, five, QuestionData("Autre texte", "", choices))
    assert five.condition_choice_id == round_.questions[2].choices[0].id
    services.edit_question(facilitator, five, QuestionData("Autre", "", choices, 0))
    assert five.condition_choice_id is None


def _answered(round_, answers: dict[int, list[int] | str | None]) -> dict[int, Answer]:  # noqa: ANN001
    """Answers in memory by question position: choice ids, a text, or None (declined)."""
    made = {}
    for position, value in answers.items():
        question = round_.questions[position - 1]
        answer = Answer(question_id=question.id, declined=value is None)
        if isinstance(value, list):
            from app.consultations.models import AnswerChoice

            answer.selections = [AnswerChoice(choice_id=c) for c in value]
        made[question.id] = answer
    return made


def test_shown_questions_follow_the_answers_given_so_far():
    round_, _facilitator, five, _six = _conditional_round()
    yes, no = (c.id for c in round_.questions[2].choices)
    bus, housing = (c.id for c in five.choices)
    shown = conditions.shown_questions
    # Not answered yet: counted as shown ("question 3 of 6" may become "of 4", never more).
    assert _positions(shown(round_, {})) == [1, 2, 3, 4, 5, 6]
    assert _positions(shown(round_, _answered(round_, {3: [no]}))) == [1, 2, 3, 4]
    assert _positions(shown(round_, _answered(round_, {3: None}))) == [1, 2, 3, 4]  # declined
    assert _positions(shown(round_, _answered(round_, {3: [yes], 5: [housing]}))) == [1, 2, 3, 4, 5]
    assert _positions(shown(round_, _answered(round_, {3: [yes], 5: [bus, housing]}))) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    # Question 6 depends on question 5, hidden by "No": hidden too, whatever 5 said before.
    assert _positions(shown(round_, _answered(round_, {3: [no], 5: [bus]}))) == [1, 2, 3, 4]


def _respond(round_, facilitator):  # noqa: ANN001
    person = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [person])
    response = services.start_response(person, round_)
    return person, response


def test_sending_deletes_the_answers_a_changed_earlier_answer_hides():
    round_, facilitator, five, six = _conditional_round()
    person, response = _respond(round_, facilitator)
    q = round_.questions
    yes, no = (c.id for c in q[2].choices)
    services.save_answer(person, response, q[0], AnswerInput(choice_ids=[q[0].choices[0].id]))
    services.save_answer(person, response, q[1], AnswerInput(value_int=3))
    services.save_answer(person, response, q[2], AnswerInput(choice_ids=[yes]))
    services.save_answer(person, response, q[3], AnswerInput(value_text="Plus de bus"))
    services.save_answer(person, response, five, AnswerInput(choice_ids=[five.choices[0].id]))
    services.save_answer(person, response, six, AnswerInput(value_text="Le 12"))
    # The person goes back and answers "No" to question 3: 5 and 6 are no longer for them.
    services.save_answer(person, response, q[2], AnswerInput(choice_ids=[no]))
    services.submit_response(person, response)
    db.session.expire_all()
    kept = {a.question_id for a in db.session.get(Response, response.id).answers}
    assert kept == {q[0].id, q[1].id, q[2].id, q[3].id}


def test_sending_asks_only_for_the_questions_shown():
    round_, facilitator, five, _six = _conditional_round()
    person, response = _respond(round_, facilitator)
    q = round_.questions
    yes, _no = (c.id for c in q[2].choices)
    services.save_answer(person, response, q[0], AnswerInput(declined=True))
    services.save_answer(person, response, q[1], AnswerInput(declined=True))
    services.save_answer(person, response, q[2], AnswerInput(choice_ids=[yes]))
    services.save_answer(person, response, q[3], AnswerInput(declined=True))
    with pytest.raises(DomainError) as refused:
        services.submit_response(person, response)
    # Question 5 is for them; 6 too as long as 5 has no answer.
    assert "no answer yet: 5, 6." in str(refused.value.message)
    services.save_answer(person, response, five, AnswerInput(choice_ids=[five.choices[1].id]))
    services.submit_response(person, response)  # 6 is not for them: nothing missing
    assert response.submitted_at is not None


def test_paper_lines_say_where_to_go_in_easy_words():
    round_, facilitator, five, six = _conditional_round()
    services.add_question(facilitator, round_, QuestionKind.LONG_TEXT, "Autre chose ?")
    lines = conditions.paper_lines(round_)
    four = round_.questions[3]
    # Questions 5 and 6 both hang on "Yes" at question 3: "No" goes straight to question 7.
    assert lines[four.id].after == [
        'If you ticked "Yes" at question 3, answer question 5. Otherwise, go to question 7.'
    ]
    assert lines[five.id].before == [
        'Answer this question only if you ticked "Yes" at question 3. Otherwise, go to question 7.'
    ]
    assert lines[five.id].after == [
        'If you ticked "Le bus" at question 5, answer question 6. Otherwise, go to question 7.'
    ]
    assert lines[round_.questions[0].id] == conditions.PaperLines()
    services.remove_question(facilitator, round_.questions[-1])
    lines = conditions.paper_lines(round_)
    assert lines[six.id].before[0].endswith("Otherwise, you have finished. Thank you!")
