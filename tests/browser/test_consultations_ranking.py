"""A ranking question in Chromium: answered with numbered lists (French, English, easy-read
display), typed in from paper by a facilitator, its results page, all with axe-core; and a
ranking answered with the keyboard only."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import services
from app.consultations.models import QuestionKind, Response
from app.consultations.services import AnswerInput, ChoiceData
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    login,
    set_preferences,
    submit,
    tab_until,
)
from tests.consultation_factories import make_round, open_round

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
DEMO_ORG = "CRPA Région Exemple (démo)"
PRIORITIES = ["Le logement", "Le travail", "La santé", "Les transports"]
_counter = itertools.count(1)


@pytest.fixture
def ranking_round(live_app) -> dict:  # noqa: ANN001
    """An open round of the demo organisation with one ranking question, Paul and Bernard
    (DEMO-01) invited, and 6 paper questionnaires already typed in (enough for results)."""
    with live_app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORG))
        facilitator = db.session.scalar(
            select(Person).where(Person.email == "animatrice@demo.parole.invalid")
        )
        people = [
            db.session.scalar(select(Person).where(Person.email == "paul@demo.parole.invalid")),
            db.session.scalar(select(Person).where(Person.login_identifier == "DEMO-01")),
        ]
        round_, _ = make_round(org, facilitator, questions=False, title=f"Classer {next(_counter)}")
        question = services.add_question(
            facilitator,
            round_,
            QuestionKind.RANKING,
            "Qu'est-ce qui compte le plus pour vous cette année ?",
            "Qu'est-ce qui est le plus important ?",
            [ChoiceData(label, "house" if n == 0 else None) for n, label in enumerate(PRIORITIES)],
        )
        open_round(round_, facilitator, people)
        codes = services.create_paper_codes(facilitator, round_, 7)
        ids = [c.id for c in question.choices]
        for n, code in enumerate(codes[1:]):
            response = services.start_paper_response(facilitator, round_, code)
            # Everybody puts the first answer first (the others in turn): no count of firsts
            # under the threshold, so the results show the order (disclosure.py).
            rest = ids[1:]
            order = [ids[0], *rest[n % 3 :], *rest[: n % 3]]
            places = {choice_id: place for place, choice_id in enumerate(order, start=1)}
            services.save_answer(facilitator, response, question, AnswerInput(choice_values=places))
            services.submit_response(facilitator, response)
        db.session.commit()
        return {"id": round_.id, "code": codes[0], "question": question.id}


def _choose(page, places: list[str]) -> None:  # noqa: ANN001
    for index, place in enumerate(places):
        page.select_option(f"#answer-{index}", place)


def _next(page) -> None:  # noqa: ANN001
    page.locator("main button[name=action][value=next]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_ranking_answer_paper_entry_and_results_pages_accessible(
    page, axe, live_app, ranking_round, lang, easy
):
    login(page, "paul@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{ranking_round['id']}")
    page.locator(f"form[action$='/{ranking_round['id']}/start'] button").click()
    page.wait_for_load_state()
    assert page.locator("fieldset select").count() == 4
    assert page.locator("label[for=answer-0] img.pictogram[src$='house.svg']").count() == 1
    axe.check(page, "ranking")
    _next(page)
    expect_error_state(page)
    axe.check(page, "ranking, nothing chosen")
    _choose(page, ["1", "1", "2", "3"])
    _next(page)
    expect_error_state(page)
    assert page.input_value("#answer-1") == "1" and page.input_value("#answer-3") == "3"
    axe.check(page, "ranking, a number twice")
    _choose(page, ["2", "4", "1", "3"])
    _next(page)
    assert page.url.endswith("/review")
    assert page.locator(".answer-choices li").all_inner_texts() == [
        "La santé",
        "Le logement",
        "Les transports",
        "Le travail",
    ]
    axe.check(page, "review of a ranking")

    page.locator("form[action='/logout'] button").first.click()
    page.wait_for_load_state()
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{ranking_round['id']}/paper")
    page.fill("#code", ranking_round["code"])
    submit(page)
    axe.check(page, "ranking typed in from paper")
    _choose(page, ["1", "2", "3", "4"])
    _next(page)
    assert page.url.endswith("/review")
    submit(page)
    assert page.url.endswith("/done")

    page.goto(f"/consultations/{ranking_round['id']}/results")
    rows = page.locator(".result table tbody th").all_inner_texts()
    assert len(rows) == 4 and rows[0].startswith("1. ")
    assert page.locator(f"img.chart[src$='/{ranking_round['question']}/chart.svg']").count() == 1
    axe.check(page, "ranking results")
    page.set_viewport_size({"width": 375, "height": 800})
    axe.check(page, "ranking results, 375 px wide")
    page.set_viewport_size({"width": 1024, "height": 800})
    set_preferences(page, "fr", False)
    axe.assert_clean()
    refused = [e for e in page.console_errors if "status of 400" in e]
    assert [e for e in page.console_errors if e not in refused] == []


def test_keyboard_only_ranks_the_answers(page, live_app, ranking_round):
    login(page, "DEMO-01", "482913")
    page.goto(f"/consultations/{ranking_round['id']}")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/start"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    # Tab to each numbered list, type its number (the list jumps to it), Tab on.
    for index, place in enumerate(["3", "1", "4", "2"]):
        tab_until(page, lambda s, index=index: s["id"] == f"answer-{index}")
        assert focused(page)["tag"] == "SELECT"
        page.keyboard.type(place)
        assert page.input_value(f"#answer-{index}") == place
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["value"] == "next")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith("/review"), page.url
    with live_app.app_context():
        response = db.session.scalar(
            select(Response).where(
                Response.round_id == ranking_round["id"], Response.submitted_at.is_(None)
            )
        )
        (answer,) = response.answers
        labels = {c.id: c.label for c in answer.question.choices}
        ordered = sorted(answer.selections, key=lambda s: s.position)
        assert [labels[s.choice_id] for s in ordered] == [
            "Le travail",
            "Les transports",
            "Le logement",
            "La santé",
        ]
