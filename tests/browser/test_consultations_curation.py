"""The curation of free texts in Chromium with axe-core (French, French easy-read, English
easy-read): the round's list of questions, a question's answers with what was found marked,
a refused choice, a masked text, the choice finished and the results; and a quote chosen,
shortened and masked with the keyboard only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.curation_models import Quote
from app.consultations.models import Answer, RoundStatus
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    tab_until,
)

FACILITATOR = "animatrice@demo.parole.invalid"
PHONE = "Appelez-moi au 06 12 34 56 78, le bus est trop cher."
PLAIN = "Il faut plus de bus le soir."


def _closed_round(live_app, title: str) -> dict:
    """A closed round of the demo organisation with three free texts sent on paper: a phone
    number, the facilitator's name, nothing personal."""
    from app.consultations import services
    from tests.consultation_factories import add_free_texts, make_round, open_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title=title)
        round_.small_group_threshold = 3  # 3 people answer: their numbers and quotes are shown
        services.create_paper_codes(facilitator, round_, 1)  # someone to announce it to
        open_round(round_, facilitator, [])
        question = add_free_texts(round_, 3)
        named = f"{facilitator.display_name} nous a bien aidés."
        answers = db.session.scalars(
            select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
        ).all()
        for answer, text in zip(answers, (PHONE, named, PLAIN), strict=True):
            answer.value_text = text
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        db.session.commit()
        return {
            "round": round_.id,
            "question": question.id,
            "answers": [a.id for a in answers],
            "name": facilitator.display_name,
        }


def _quote(live_app, answer_id: int) -> Quote | None:
    with live_app.app_context():
        quote = db.session.scalar(select(Quote).where(Quote.answer_id == answer_id))
        if quote is not None:
            db.session.expunge(quote)
        return quote


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("fr", True), ("en", True)], ids=["fr", "fr-easy", "en-easy"]
)
def test_the_curation_pages_in_every_state(page, axe, live_app, lang, easy):
    w = _closed_round(live_app, f"Citations {lang} {easy}")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{w['round']}")
    name = (
        "Choisir les réponses écrites à montrer"
        if lang == "fr"
        else "Choose the written answers to show"
    )
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{w['round']}/curation")
    axe.check(page, f"curation overview ({lang}, easy={easy})")
    page.locator(f"a[href$='/curation/{w['question']}']").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1 and page.locator("section.card").count() == 3
    assert page.locator("mark", has_text="06 12 34 56 78").count() == 1
    assert page.locator("mark", has_text=w["name"]).count() == 1
    axe.check(page, f"curation of a question ({lang}, easy={easy})")
    first, second, third = w["answers"]
    # Chosen with an empty text: refused, next to the field, with the summary focused.
    page.check(f"#a{third}-chosen")
    page.fill(f"#a{third}-text", "")
    page.locator(f"#answer-{third} button[value=save]").click()
    page.wait_for_load_state()
    expect_error_state(page)
    assert page.locator(f"#a{third}-text[aria-invalid=true]").count() == 1
    axe.check(page, f"curation refused ({lang}, easy={easy})")
    # Mask what was found in the first answer, and choose it.
    page.goto(f"/consultations/{w['round']}/curation/{w['question']}")
    page.check(f"#a{first}-chosen")
    page.locator(f"#answer-{first} button[value=mask]").click()
    page.wait_for_load_state()
    assert page.locator(f"#a{first}-text").input_value() == (
        "Appelez-moi au […], le bus est trop cher."
    )
    axe.check(page, f"curation saved, masked ({lang}, easy={easy})")
    assert _quote(live_app, first).chosen and _quote(live_app, second) is None
    page.locator("main form button[type=submit]").last.click()  # show the chosen quotes
    page.wait_for_load_state()
    axe.check(page, f"curation finished ({lang}, easy={easy})")
    page.goto(f"/consultations/{w['round']}/results")
    assert page.locator(".quotes li").all_inner_texts() == [
        "Appelez-moi au […], le bus est trop cher."
    ]
    axe.check(page, f"results with one quote ({lang}, easy={easy})")
    axe.assert_clean()


def test_a_quote_chosen_shortened_and_masked_with_the_keyboard_only(page, axe, live_app):
    w = _closed_round(live_app, "Citations au clavier")
    first, _second, third = w["answers"]
    keyboard_login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{w['round']}/curation/{w['question']}")
    # The third answer: chosen, shortened, saved.
    tab_until(page, lambda s: s["id"] == f"a{third}-chosen", limit=120)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"a{third}-text"
    page.keyboard.press("Control+A")
    page.keyboard.type("Plus de bus le soir.")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "save"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(f"#answer-{third}")
    quote = _quote(live_app, third)
    assert quote.chosen and quote.shown_text == "Plus de bus le soir."
    axe.check(page, "curation after a keyboard save")
    # The first answer: chosen, then "mask what was found".
    page.goto(f"/consultations/{w['round']}/curation/{w['question']}")
    tab_until(page, lambda s: s["id"] == f"a{first}-chosen", limit=120)
    page.keyboard.press("Space")
    tab_until(page, lambda s: s["value"] == "mask", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert _quote(live_app, first).shown_text == "Appelez-moi au […], le bus est trop cher."
    # Finished: participants read the two quotes.
    state = tab_until(page, lambda s: (s["action"] or "").endswith("/ready"), limit=150)
    assert state["tag"] == "BUTTON"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"/consultations/{w['round']}/results")
    assert page.locator(".quotes li").all_inner_texts() == [
        "Appelez-moi au […], le bus est trop cher.",
        "Plus de bus le soir.",
    ]
    axe.assert_clean()
