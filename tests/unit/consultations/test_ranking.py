"""The ranking question: people put the possible answers in order. Its rules, its results
(average place, how many put each answer first, the small-group rule) and its CSV value."""

from __future__ import annotations

import io

import pytest

from app import db
from app.accounts.models import Role
from app.consultations import printing, services
from app.consultations.models import QuestionKind, RoundStatus
from app.consultations.services import AnswerInput, ChoiceData
from app.core.errors import DomainError
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")

PRIORITIES = ["Le logement", "Le travail", "La santé"]


def _ranking_round(people: int = 1, threshold: int = 5):
    round_, facilitator = make_round(questions=False)
    round_.small_group_threshold = threshold
    question = services.add_question(
        facilitator,
        round_,
        QuestionKind.RANKING,
        "Qu'est-ce qui compte le plus pour vous ?",
        "Qu'est-ce qui est le plus important ?",
        [ChoiceData(label) for label in PRIORITIES],
    )
    participants = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(people)]
    open_round(round_, facilitator, participants)
    return round_, facilitator, question, participants


def _ranks(question, *labels_in_order: str) -> AnswerInput:
    ids = {c.label: c.id for c in question.choices}
    return AnswerInput(choice_values={ids[label]: n for n, label in enumerate(labels_in_order, 1)})


def _answer(person, round_, question, data: AnswerInput, send: bool = True):
    response = services.start_response(person, round_)
    services.save_answer(person, response, question, data)
    if send:
        services.submit_response(person, response)
    return response


def test_ranking_answer_keeps_each_place_and_exports_in_order():
    round_, facilitator, question, (person,) = _ranking_round()
    _answer(person, round_, question, _ranks(question, "La santé", "Le logement", "Le travail"))
    rows = services.export_answers_rows(facilitator, round_)
    assert [r["answer"] for r in rows] == ["La santé > Le logement > Le travail"]


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ({}, "Donnez un numéro à chaque réponse, ou choisissez"),
        ({0: 1, 1: 2}, "Donnez un numéro à chaque réponse, de 1 à 3."),
        (
            {0: 1, 1: 1, 2: 2},
            "Chaque numéro peut servir une seule fois. Numéros donnés plusieurs fois : 1.",
        ),
        ({0: 1, 1: 2, 2: 4}, "Donnez un numéro à chaque réponse, de 1 à 3."),
    ],
    ids=["nothing", "one-missing", "twice", "out-of-range"],
)
def test_ranking_refuses_a_missing_or_repeated_place(places, message):
    round_, _facilitator, question, (person,) = _ranking_round()
    ids = [c.id for c in question.choices]
    response = services.start_response(person, round_)
    with pytest.raises(DomainError) as error:
        services.save_answer(
            person,
            response,
            question,
            AnswerInput(choice_values={ids[i]: n for i, n in places.items()}),
        )
    assert error.value.field == "answer"
    assert message in str(error.value.message)


def test_ranking_question_has_2_to_8_possible_answers():
    round_, facilitator = make_round(questions=False)
    for count in (1, 9):
        with pytest.raises(DomainError) as error:
            services.add_question(
                facilitator,
                round_,
                QuestionKind.RANKING,
                "Classez",
                choices=[ChoiceData(f"Réponse {n}") for n in range(count)],
            )
        assert error.value.field == "choices"
    question = services.add_question(
        facilitator,
        round_,
        QuestionKind.RANKING,
        "Classez",
        choices=[ChoiceData(f"Réponse {n}") for n in range(8)],
    )
    assert len(question.choices) == 8


def _ranking_results(answers: list[tuple[str, ...]], threshold: int):
    round_, facilitator, question, people = _ranking_round(len(answers), threshold)
    for person, order in zip(people, answers, strict=True):
        _answer(person, round_, question, _ranks(question, *order))
    db.session.flush()
    return round_, facilitator, services.compute_results(facilitator, round_).questions[0]


def test_ranking_results_give_average_place_and_firsts_in_order_of_preference():
    answers = [
        ("La santé", "Le logement", "Le travail"),
        ("La santé", "Le travail", "Le logement"),
        ("Le logement", "La santé", "Le travail"),
        ("La santé", "Le logement", "Le travail"),
        ("Le travail", "Le logement", "La santé"),
    ]
    # Threshold 1: nothing is hidden (one hidden count hides the averages: disclosure.py).
    round_, facilitator, result = _ranking_results(answers, threshold=1)
    ranked = [
        (r.choice.label, r.average, r.firsts.value, r.firsts.hidden) for r in result.kind_figures
    ]
    # santé: 1+1+2+1+3 = 8/5; logement: 2+3+1+2+2 = 10/5; travail: 3+2+3+3+1 = 12/5
    assert ranked == [
        ("La santé", 1.6, 3, False),
        ("Le logement", 2.0, 1, False),
        ("Le travail", 2.4, 1, False),
    ]
    summary = _pdf_text(printing.summary_pdf(round_, services.compute_results(facilitator, round_)))
    assert "1. La santé" in summary and "3. Le travail" in summary


def test_ranking_results_keep_the_order_secret_under_the_threshold():
    answers = [("Le travail", "La santé", "Le logement")] * 2
    _round, _facilitator, result = _ranking_results(answers, threshold=5)
    assert result.answered.hidden
    # Averages hidden, the answers in the order they were written: nothing tells the order.
    assert [(r.choice.label, r.average) for r in result.kind_figures] == [
        (label, None) for label in PRIORITIES
    ]
    assert all(r.firsts.hidden or r.firsts.value == 0 for r in result.kind_figures)


def test_paper_questionnaire_asks_for_numbers_in_boxes():
    round_, facilitator, _question, _people = _ranking_round()
    assert round_.status == RoundStatus.OPEN
    text = _pdf_text(printing.questionnaire_pdf(round_, [None]))
    assert "Écrivez 1 dans la case de la réponse la plus importante" in text
    assert all(label in text for label in PRIORITIES)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    # Words as read, whatever the line breaks and the non-breaking spaces.
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_person_finds_the_order_of_a_ranking_in_my_data():
    from app.accounts.personal_data import export_person_data

    round_, _facilitator, question, (person,) = _ranking_round()
    _answer(person, round_, question, _ranks(question, "Le travail", "La santé", "Le logement"))
    (round_answers,) = export_person_data(person)["consultation_answers"]
    (answer,) = round_answers["answers"]
    assert answer["answer"] == "Le travail > La santé > Le logement"
