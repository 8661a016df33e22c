"""Feedback followed over time in Chromium with axe-core (French, French easy-read, English
easy-read): from the round's page, the news form of a published point, "not kept" refused
without its reason, the news saved, the timeline, the point's own form; the participant's
timeline; and news given with the keyboard only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import FeedbackItem, FeedbackStatus, RoundStatus
from app.db import utcnow
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    submit,
    tab_until,
)

FACILITATOR = "animatrice@demo.parole.invalid"
PARTICIPANT = "paul@demo.parole.invalid"


def _published_round(live_app, title: str, paper: bool = False) -> dict:
    """A round of the demo organisation answered by Paul (and, with `paper`, on one paper
    questionnaire typed in), one point, its feedback published."""
    from app.consultations import feedback, services
    from app.consultations.services import AnswerInput
    from tests.consultation_factories import make_round, open_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        paul = db.session.scalar(select(Person).where(Person.email == PARTICIPANT))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title=title)
        open_round(round_, facilitator, [paul])
        response = services.start_response(paul, round_)
        for question in round_.questions:
            services.save_answer(paul, response, question, AnswerInput(declined=True))
        services.submit_response(paul, response)
        codes = services.create_paper_codes(facilitator, round_, 1) if paper else []
        for code in codes:
            typed = services.start_paper_response(facilitator, round_, code)
            for question in round_.questions:
                services.save_answer(facilitator, typed, question, AnswerInput(declined=True))
            services.submit_response(facilitator, typed)
        later = utcnow() + timedelta(days=30)
        services.transition(facilitator, round_, RoundStatus.CLOSED, now=later)
        item = feedback.add_feedback_item(
            facilitator,
            round_,
            feedback.FeedbackData(
                you_said="Les bus sont rares le soir.",
                we_did="Le département étudie une ligne du soir.",
                you_said_easy="Il y a peu de bus le soir.",
                we_did_easy="On regarde pour un bus le soir.",
                theme="Les bus du soir",
            ),
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS, now=later)
        services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED, now=later)
        db.session.commit()
        return {"round": round_.id, "item": item.id, "codes": codes}


def _item(live_app, item_id: int) -> FeedbackItem:
    with live_app.app_context():
        item = db.session.get(FeedbackItem, item_id)
        updates = list(item.updates)
        db.session.expunge(item)
        item.__dict__["_news"] = updates
        return item


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("fr", True), ("en", True)], ids=["fr", "fr-easy", "en-easy"]
)
def test_the_feedback_pages_in_every_state(page, axe, live_app, browser, live_server, lang, easy):
    w = _published_round(live_app, f"Suivi {lang} {easy}")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{w['round']}")
    news_link = "Donner des nouvelles du point 1" if lang == "fr" else "Give news about point 1"
    page.get_by_role("link", name=news_link).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{w['round']}/feedback/1/news")
    axe.check(page, f"news form ({lang}, easy={easy})")
    # "Not kept" without its reason: refused, the summary focused, the field marked.
    page.check("input[name=status][value=not_kept]")
    submit(page)
    expect_error_state(page)
    assert page.locator("#reason[aria-invalid=true]").count() == 1
    axe.check(page, f"news refused ({lang}, easy={easy})")
    # In progress, 40 %, with news: saved, then the timeline.
    page.check("input[name=status][value=in_progress]")
    page.fill("#progress", "40")
    page.fill("#text", "Les horaires sont votés.")
    page.fill("#text_easy", "Les heures du bus sont choisies.")
    submit(page)
    assert f"/consultations/{w['round']}/feedback" in page.url
    assert page.locator(".feedback-timeline li").count() == 2
    assert page.locator("progress[value='40']").count() == 1
    axe.check(page, f"timeline, staff ({lang}, easy={easy})")
    edit_link = "Modifier le point 1" if lang == "fr" else "Change point 1"
    page.get_by_role("link", name=edit_link).click()
    page.wait_for_load_state()
    assert page.locator("#we_did_easy").input_value() == "On regarde pour un bus le soir."
    axe.check(page, f"point's form ({lang}, easy={easy})")
    page.fill("#we_did_easy", "")
    submit(page)
    expect_error_state(page)
    axe.check(page, f"point's form refused ({lang}, easy={easy})")
    item = _item(live_app, w["item"])
    assert (item.status, item.progress) == (FeedbackStatus.IN_PROGRESS, 40)
    # The participant's timeline, in the same language and display.
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    paul = context.new_page()
    try:
        login(paul, PARTICIPANT, DEMO_PASSWORD)
        set_preferences(paul, lang, easy)
        paul.goto(f"/consultations/{w['round']}/feedback")
        assert paul.locator(".feedback-status strong").inner_text() == (
            "En cours" if lang == "fr" else "In progress"
        )
        assert paul.locator("a[href$='/news']").count() == 0
        axe.check(paul, f"timeline, participant ({lang}, easy={easy})")
    finally:
        context.close()
    axe.assert_clean()


def test_news_given_with_the_keyboard_only(page, axe, live_app):
    w = _published_round(live_app, "Suivi au clavier")
    keyboard_login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{w['round']}")
    tab_until(page, lambda s: (s["href"] or "").endswith("/feedback/1/news"), limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The status: Tab reaches the chosen radio button, the arrows move the choice.
    state = tab_until(page, lambda s: s["name"] == "status")
    assert state["value"] == "under_study"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "in_progress"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "progress"
    page.keyboard.type("50")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "text"
    page.keyboard.type("Les arrêts sont posés.")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "text_easy"
    page.keyboard.type("Les arrêts de bus sont là.")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["value"] is None)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert f"/consultations/{w['round']}/feedback" in page.url
    axe.check(page, "timeline after news given with the keyboard")
    item = _item(live_app, w["item"])
    assert (item.status, item.progress) == (FeedbackStatus.IN_PROGRESS, 50)
    assert [u.text_easy for u in item.__dict__["_news"]] == ["Les arrêts de bus sont là."]
    axe.assert_clean()


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("fr", True), ("en", True)], ids=["fr", "fr-easy", "en-easy"]
)
def test_the_paper_evaluation_page_in_every_state(page, axe, live_app, lang, easy):
    w = _published_round(live_app, f"Papier {lang} {easy}", paper=True)
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{w['round']}")
    name = (
        "Saisir une évaluation écrite sur papier"
        if lang == "fr"
        else "Type in an evaluation written on paper"
    )
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{w['round']}/evaluation/paper")
    axe.check(page, f"paper evaluation ({lang}, easy={easy})")
    submit(page)  # nothing chosen: refused
    expect_error_state(page)
    axe.check(page, f"paper evaluation refused ({lang}, easy={easy})")
    page.select_option("#code", w["codes"][0])
    for name in ("understood", "could_speak", "costs_covered", "sees_change"):
        page.check(f"input[name={name}][value=yes]")
    page.fill("#consent_note", "Elle l'a écrit sur sa feuille le 7 décembre.")
    submit(page)
    assert page.url.endswith(f"/consultations/{w['round']}#evaluation")
    page.goto(f"/consultations/{w['round']}/evaluation/paper")
    assert page.locator("select#code").count() == 0  # nothing more waits
    axe.check(page, f"paper evaluation, none left ({lang}, easy={easy})")
    axe.assert_clean()
