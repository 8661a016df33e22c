"""The question editor of a draft round in Chromium with axe-core (French, French easy-read,
English easy-read): the round's page with its "change", "up" and "down" buttons, the edit
page fresh and after an error; and a question moved up with the keyboard only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import ConsultationRound
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    login,
    set_preferences,
    submit,
    tab_until,
)

FACILITATOR = "animatrice@demo.parole.invalid"


def _draft_round(live_app, title: str) -> int:
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        round_, _ = make_round(facilitator.memberships[0].organisation, facilitator, title=title)
        db.session.commit()
        return round_.id


def _texts(live_app, round_id: int) -> list[str]:
    with live_app.app_context():
        round_ = db.session.get(ConsultationRound, round_id)
        return [q.text for q in round_.questions]


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("fr", True), ("en", True)], ids=["fr", "fr-easy", "en-easy"]
)
def test_the_question_editor_edits_and_moves_questions(page, axe, live_app, lang, easy):
    round_id = _draft_round(live_app, f"Éditeur {lang} {easy}")
    before = _texts(live_app, round_id)
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)

    page.goto(f"/consultations/{round_id}")
    moves = page.locator("form[action$='/move'] button")
    assert moves.count() == 6  # 4 questions: no "up" for the first, no "down" for the last
    axe.check(page, "round page with the question buttons")
    up = "Monter la question 2" if lang == "fr" else "Move question 2 up"
    page.get_by_role("button", name=up).click()
    page.wait_for_load_state()
    assert _texts(live_app, round_id) == [before[1], before[0], *before[2:]]
    axe.check(page, "round page after a move")

    page.get_by_role(
        "link", name="Modifier la question 1" if lang == "fr" else "Change question 1"
    ).click()
    page.wait_for_load_state()
    assert page.locator("#text").input_value() == before[1]
    axe.check(page, "edit page")
    page.locator("#text").fill("")
    submit(page)
    expect_error_state(page)
    axe.check(page, "edit page with an error")
    page.locator("#text").fill("Êtes-vous content du logement ?")
    submit(page)
    assert page.url.endswith(f"/consultations/{round_id}#questions")
    assert _texts(live_app, round_id)[0] == "Êtes-vous content du logement ?"


def test_a_question_moves_up_with_the_keyboard_only(page, live_app):
    round_id = _draft_round(live_app, "Clavier")
    before = _texts(live_app, round_id)
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, "fr", False)
    page.goto(f"/consultations/{round_id}")
    tab_until(page, lambda s: s["text"] == "Monter la question 4", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _texts(live_app, round_id) == [*before[:2], before[3], before[2]]
    assert "/move" not in (focused(page)["action"] or "")
