"""Conditional questions in Chromium: the question editor with a condition (the round's page,
adding, an error, a refused move) with axe-core, and a round with a conditional question
answered with the keyboard only, in French, French easy-read and English easy-read."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import services
from app.consultations.models import ConsultationRound, QuestionKind, Response, RoundStatus
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
FACILITATOR = "animatrice@demo.parole.invalid"
_counter = itertools.count(1)


def _conditional_round(live_app, *, step: str) -> dict:  # noqa: ANN001
    """A round of the demo organisation: the four usual questions (single, scale, yes/no,
    long text), question 5 only for people who answered "Oui" to question 3, question 6 for
    everybody. Open: Paul is invited."""
    with live_app.test_request_context("/"):
        org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORG))
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        paul = db.session.scalar(select(Person).where(Person.email == "paul@demo.parole.invalid"))
        round_, _ = make_round(org, facilitator, title=f"Conditions {next(_counter)}")
        yes = round_.questions[2].choices[0]
        five = services.add_question(
            facilitator,
            round_,
            QuestionKind.SHORT_TEXT,
            "Quelle aide voulez-vous ?",
            "Quelle aide ?",
            condition_choice_id=yes.id,
        )
        services.add_question(
            facilitator, round_, QuestionKind.SHORT_TEXT, "Votre quartier ?", "Où vivez-vous ?"
        )
        if step == "open":
            open_round(round_, facilitator, [paul])
        db.session.commit()
        return {"id": round_.id, "five": five.id, "yes": yes.id}


@pytest.fixture
def draft_round(live_app) -> dict:  # noqa: ANN001
    return _conditional_round(live_app, step="draft")


@pytest.fixture
def answer_round(live_app) -> dict:  # noqa: ANN001
    return _conditional_round(live_app, step="open")


def _move_up(page, question_id: int) -> None:  # noqa: ANN001
    form = page.locator(
        f"form[action$='/questions/{question_id}/move']:has(input[name=direction][value=up])"
    )
    form.locator("button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_question_editor_with_a_condition_every_state_accessible(
    page, axe, live_app, draft_round, lang, easy
):
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    base = f"/consultations/{draft_round['id']}"
    page.goto(base)
    condition = page.locator("#condition-5")
    assert "3" in condition.inner_text() and "Oui" in condition.inner_text()
    axe.check(page, "round page with a conditional question")

    page.goto(f"{base}/questions/new")
    assert page.locator("#condition_choice_id option").count() == 6  # everybody + 3 + 2
    axe.check(page, "new question, the condition's list")
    page.select_option("#kind", "long_text")
    page.select_option("#condition_choice_id", label="Question 3 — Non")
    submit(page)  # no text: refused, the choice of condition kept
    expect_error_state(page)
    assert page.locator("#condition_choice_id option:checked").inner_text() == "Question 3 — Non"
    axe.check(page, "new question with a condition, error")
    page.fill("#text", "Pourquoi pas ?")
    submit(page)
    assert page.url.endswith("#questions") or page.url.endswith(base)
    assert "Non" in page.locator("#condition-7").inner_text()
    axe.check(page, "round page with two conditional questions")

    page.goto(f"{base}/questions/{draft_round['five']}/edit")
    assert page.locator("#condition_choice_id option:checked").get_attribute("value") == str(
        draft_round["yes"]
    )
    axe.check(page, "change a conditional question")

    page.goto(base)
    _move_up(page, draft_round["five"])  # 5 above 4: still after question 3
    _move_up(page, draft_round["five"])  # above question 3, which shows it: refused
    message = page.locator(".flash-region").inner_text()
    assert "3" in message and "4" in message
    axe.check(page, "round page after a refused move")
    with live_app.app_context():
        round_ = db.session.get(ConsultationRound, draft_round["id"])
        assert [q.id for q in round_.questions].index(draft_round["five"]) == 3
    set_preferences(page, "fr", False)
    axe.assert_clean()


def test_demo_round_open_has_a_conditional_question(page, live_app):
    with live_app.app_context():
        round_id = db.session.scalar(
            select(ConsultationRound.id)
            .where(ConsultationRound.status == RoundStatus.OPEN)
            .order_by(ConsultationRound.id)
        )
    login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}")
    assert page.locator(".question-condition").count() == 1
    assert "question 3" in page.locator(".question-condition").inner_text()


# --- keyboard only -----------------------------------------------------------------------


def expect_question(page, number: int, total: int) -> None:  # noqa: ANN001
    progress = page.locator("#progress")
    assert progress.get_attribute("data-position") == str(number), page.url
    assert progress.get_attribute("data-total") == str(total), page.url


def tab_to_action(page, action: str) -> None:  # noqa: ANN001
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["value"] == action)


def enter_and_wait(page) -> None:  # noqa: ANN001
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_keyboard_only_answers_a_round_with_a_conditional_question(
    page, axe, live_app, answer_round, lang, easy
):
    login(page, "paul@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{answer_round['id']}")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/start"))
    enter_and_wait(page)

    expect_question(page, 1, 6)  # question 5 counts until question 3 says otherwise
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("ArrowDown")
    tab_to_action(page, "next")
    enter_and_wait(page)

    expect_question(page, 2, 6)
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("Space")
    tab_to_action(page, "next")
    enter_and_wait(page)

    # 3. yes or no: "Non" (the second answer), so question 5 is not for this person
    expect_question(page, 3, 6)
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("ArrowDown")
    assert page.locator("#answer-1").is_checked()
    tab_to_action(page, "next")
    enter_and_wait(page)

    expect_question(page, 4, 5)
    axe.check(page, "question 4 of 5, after no")
    tab_to_action(page, "decline")
    enter_and_wait(page)

    # the next page is question 6, "5 of 5"
    assert page.url.endswith("/questions/6"), page.url
    expect_question(page, 5, 5)
    tab_until(page, lambda s: s["id"] == "answer")
    page.keyboard.type("Près de la gare")
    enter_and_wait(page)

    assert page.url.endswith("/review"), page.url
    assert page.locator(".answer-review-item").count() == 5
    axe.check(page, "review without the conditional question")

    # "Oui" now: question 5 is asked before going back to the review
    tab_until(page, lambda s: s["change"] == "3")
    enter_and_wait(page)
    tab_until(page, lambda s: s["name"] == "answer")
    assert focused(page)["id"] == "answer-1"
    page.keyboard.press("ArrowUp")
    assert page.locator("#answer-0").is_checked()
    tab_to_action(page, "next")
    enter_and_wait(page)
    assert page.url.endswith("/questions/5?from=review"), page.url
    expect_question(page, 5, 6)
    axe.check(page, "the conditional question, from the review")
    tab_until(page, lambda s: s["id"] == "answer")
    page.keyboard.type("Un logement")
    enter_and_wait(page)
    assert page.url.endswith("/review")
    assert page.locator(".answer-review-item").count() == 6
    tab_until(page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/submit"))
    enter_and_wait(page)
    assert page.url.endswith("/done")

    with live_app.app_context():
        [response] = db.session.scalars(
            select(Response).where(
                Response.round_id == answer_round["id"], Response.submitted_at.is_not(None)
            )
        ).all()
        values = {a.question.position: a for a in response.answers}
        assert values[5].value_text == "Un logement" and values[6].value_text == "Près de la gare"
    set_preferences(page, "fr", False)
    axe.assert_clean()
