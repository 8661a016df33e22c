"""The answers' CSV as a facilitator downloads it: empty cells stay empty, what a person
typed like a formula is written as text, everything else as it was given."""

import csv
import io

import pytest

from app.accounts.models import Role
from app.consultations import services
from app.consultations.services import AnswerInput
from tests.conftest import login
from tests.consultation_factories import open_round
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation("CRPA Tableur", domain="t.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"])
        open_round(round_, team["fac"], people)
        facilitator = team["fac"]
        # Someone helped on the phone: a consent note written like a formula, a free text too.
        helped = services.start_response(
            facilitator, round_, person=people[0], consent_note='=HYPERLINK("x") elle a dit oui'
        )
        for question in round_.questions[:3]:
            services.save_answer(facilitator, helped, question, AnswerInput(declined=True))
        services.save_answer(
            facilitator, helped, round_.questions[3], AnswerInput(value_text="-2+3 pas assez")
        )
        services.submit_response(facilitator, helped)
        # Someone alone: nothing typed like a formula, no helper, no consent note.
        alone = services.start_response(people[1], round_)
        single = round_.questions[0]
        services.save_answer(
            people[1], alone, single, AnswerInput(choice_ids=[single.choices[0].id])
        )
        services.save_answer(people[1], alone, round_.questions[1], AnswerInput(value_int=3))
        services.save_answer(people[1], alone, round_.questions[2], AnswerInput(declined=True))
        services.save_answer(
            people[1], alone, round_.questions[3], AnswerInput(value_text="Un logement plus grand")
        )
        services.submit_response(people[1], alone)
        return {"round": round_.id, "fac": facilitator.id, "choice": single.choices[0].label}


def _rows(client, world):
    login(client, "fac@t.test", PASSWORD)
    response = client.get(f"/consultations/{world['round']}/answers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_keeps_empty_cells_empty_and_guards_formulas_in_every_column(client, world, app):
    rows = _rows(client, world)
    assert list(rows[0]) == list(services.CSV_COLUMNS)
    helped = [r for r in rows if r["response"] == "1"]
    alone = [r for r in rows if r["response"] == "2"]
    assert len(helped) == 4 and len(alone) == 4
    # response and question: numbers as they are.
    assert [r["question"] for r in helped] == ["1", "2", "3", "4"]
    # channel, entered_with_help, entered_by_id: words and a number, never a quote.
    assert {r["channel"] for r in helped} == {"assisted"}
    assert {r["entered_with_help"] for r in helped} == {"yes"}
    assert {r["entered_by_id"] for r in helped} == {str(world["fac"])}
    assert {r["entered_with_help"] for r in alone} == {"no"}
    # empty cells stay empty (no helper, no consent note, a declined answer).
    assert {r["entered_by_id"] for r in alone} == {""}
    assert {r["consent_note"] for r in alone} == {""}
    assert [r["answer"] for r in helped[:3]] == ["", "", ""]
    assert alone[2]["answer"] == "" and alone[2]["declined"] == "yes"
    # formula-like texts are written as text, with one leading quote.
    assert {r["consent_note"] for r in helped} == {'\'=HYPERLINK("x") elle a dit oui'}
    assert helped[3]["answer"] == "'-2+3 pas assez" and helped[3]["declined"] == "no"
    # normal values unchanged.
    assert alone[0]["answer"] == world["choice"]
    assert alone[1]["answer"] == "3"
    assert alone[3]["answer"] == "Un logement plus grand"
    assert {r["declined"] for r in helped[:3]} == {"yes"}
    assert "''" not in "".join(v for r in rows for v in r.values())
