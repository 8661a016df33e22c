"""The rules of disclosure control (app/consultations/disclosure.py), one by one."""

from __future__ import annotations

import pytest

from app import db
from app.accounts.models import Role
from app.consultations import disclosure, services
from app.consultations.disclosure import Table
from app.consultations.kinds import Count, count_of
from app.consultations.models import Question, QuestionKind
from app.consultations.services import AnswerInput, ChoiceData
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")


def _counts(*values: int) -> list[Count]:
    return [count_of(v, 5) for v in values]


def test_a_lone_small_count_takes_the_smallest_other_with_it_a_zero_first():
    cells = _counts(7, 1, 0, 3)  # 3 is small too: two hidden, nothing more to hide
    disclosure.suppress([Table(cells, count_of(11, 5))], 5)
    assert [c.hidden for c in cells] == [False, True, False, True]
    cells = _counts(7, 1, 0, 6)
    disclosure.suppress([Table(cells, count_of(14, 5))], 5)
    assert [c.hidden for c in cells] == [False, True, True, False]  # the zero, not the 6


def test_a_hidden_total_hides_every_count_of_its_group():
    total = count_of(9, 5)
    total.hidden = True  # hidden to protect another count
    cells = _counts(9, 0)
    disclosure.suppress([Table(cells, total)], 5)
    assert all(c.hidden for c in cells)


def test_several_answers_possible_hide_only_the_small_counts():
    cells = _counts(7, 1, 6)  # one person may tick several boxes: nothing adds up
    disclosure.suppress([Table(cells, count_of(9, 5), adds_up=False)], 5)
    assert [c.hidden for c in cells] == [False, True, False]


def test_breakdown_is_all_or_nothing():
    assert disclosure.breakdown({"alone": 8, "helped": 0}, 5) == {"alone": 8, "helped": 0}
    assert disclosure.breakdown({"alone": 8, "helped": 1}, 5) == {}


def _conditional_round(yes: int, no: int):  # noqa: ANN202
    """Question 2 is only for the people who answered "Oui" to question 1."""
    round_, facilitator = make_round(questions=False)
    first = services.add_question(
        facilitator, round_, QuestionKind.YES_NO, "Avez-vous un travail ?", "Vous travaillez ?"
    )
    second = services.add_question(
        facilitator,
        round_,
        QuestionKind.SINGLE,
        "Combien d'heures ?",
        "Combien d'heures ?",
        choices=[ChoiceData("Moins de 20"), ChoiceData("20 ou plus")],
    )
    oui, non = first.choices
    second.condition_choice_id = oui.id
    db.session.flush()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(yes + no)]
    open_round(round_, facilitator, people)
    for n, person in enumerate(people):
        response = services.start_response(person, round_)
        chose_yes = n < yes
        choice = oui if chose_yes else non
        services.save_answer(person, response, first, AnswerInput(choice_ids=[choice.id]))
        if chose_yes:
            hours = second.choices[0 if n % 2 else 1]
            services.save_answer(person, response, second, AnswerInput(choice_ids=[hours.id]))
        services.submit_response(person, response)
    return services.compute_results(facilitator, round_)


def test_conditional_question_counts_the_people_who_saw_it():
    results = _conditional_round(yes=12, no=5)
    second = results.questions[1]
    assert second.condition is not None and second.condition.choice.label == "Oui"
    assert second.condition.total.value == 12 and not second.condition.total.hidden
    assert (second.answered.value, second.declined.value) == (12, 0)
    assert [c.total.value for c in second.choices] == [6, 6]
    assert not any(c.total.hidden for c in second.choices)


def test_conditional_question_of_a_hidden_answer_shows_no_number():
    # 3 people said "Non": hidden, and so is "Oui" (17 - 14 would give it back); the people
    # who saw question 2 are those 14: every number of question 2 is hidden with them.
    results = _conditional_round(yes=14, no=3)
    first, second = results.questions
    assert all(c.total.hidden for c in first.choices)
    assert second.condition.total.hidden
    assert second.answered.hidden and second.declined.hidden
    assert all(c.total.hidden for c in second.choices)
    assert results.protection.hidden == 6


def _free_text(answered: int, declined: int, population: Count, threshold: int = 5):
    question = Question(kind=QuestionKind.LONG_TEXT, text="Q")
    result = services.QuestionResult(
        question, count_of(answered, threshold), count_of(declined, threshold), 0
    )
    disclosure.suppress([Table([result.answered, result.declined], population)], threshold)
    return disclosure.quote_cap(result, population, threshold)


def test_quotes_stop_one_below_the_most_people_who_could_have_answered():
    # 6 saw it, 5 answered, 1 did not (both hidden): at most 5 could have answered, so 4.
    assert _free_text(5, 1, count_of(6, 5)) == 4
    assert _free_text(1, 5, count_of(6, 5)) == 4  # the same page, whatever the truth
    assert _free_text(18, 2, count_of(20, 5)) == 18
    assert _free_text(2, 1, count_of(3, 2), threshold=2) == 1  # only 1 or 2 could have
    # Numbers shown: every chosen quote (None: no cap).
    assert _free_text(20, 0, count_of(20, 5)) is None
    # Who saw it is hidden too (fewer than the threshold): no quote at all.
    assert _free_text(3, 1, Count(4, True)) == 0
