"""Pictures found by a French word in the question editor, and the correction of a question
after announcing, in Chromium with axe-core (French, French easy-read, English easy-read):
the editor with search results, a picture put on an answer, none found, the correction page
fresh and refused, and "Changed on" on the participant's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import ConsultationRound, RoundStatus
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
from tests.factories import PASSWORD, make_person

FACILITATOR = "animatrice@demo.parole.invalid"
VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr", "fr-easy", "en-easy"]


def _round(live_app, title: str, step: str = "draft") -> tuple[int, list[int], str]:
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title=title)
        email = f"lecteur{round_.id}@demo.parole.invalid"
        person = make_person((org, Role.PARTICIPANT), email=email)
        services.invite_people(facilitator, round_, [person.id])
        if step == "open":
            services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
            services.transition(
                facilitator, round_, RoundStatus.OPEN, now=utcnow() + timedelta(days=8)
            )
            services.start_response(person, round_)
        db.session.commit()
        return round_.id, [q.id for q in round_.questions], email


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_find_a_picture_by_word_in_the_editor(page, axe, live_app, lang, easy):
    round_id, questions, _email = _round(live_app, f"Images {lang} {easy}")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{round_id}/questions/{questions[0]}/edit")
    axe.check(page, "editor with the picture search")
    page.fill("#picture_search", "médecin")
    page.locator("button[value=find]").click()
    page.wait_for_load_state()
    assert page.locator("#pictures-found img[src$='/doctor.svg']").count() == 1
    axe.check(page, "editor with pictures found")
    # Forced colours (Windows high contrast): the dark outlines stay on a light plate.
    page.emulate_media(forced_colors="active")
    plate = page.evaluate(
        "getComputedStyle(document.querySelector('#pictures-found img')).backgroundColor"
    )
    assert plate == "rgb(255, 255, 255)", plate
    page.emulate_media(forced_colors="none")
    page.locator("input[name=picture][value=doctor]").check()
    page.select_option("#picture_line", "2")
    page.locator("button[value=pick]").click()
    page.wait_for_load_state()
    assert "Un foyer | doctor" in page.locator("#choices").input_value()
    axe.check(page, "editor after a picture is put")
    page.fill("#picture_search", "xylophone")
    page.locator("button[value=find]").click()
    page.wait_for_load_state()
    assert page.locator("#pictures-none").count() == 1
    axe.check(page, "editor with no picture found")
    submit(page)
    with live_app.app_context():
        round_ = db.session.get(ConsultationRound, round_id)
        assert [c.pictogram for c in round_.questions[0].choices] == ["house", "doctor", None]
    axe.assert_clean()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_correct_the_words_after_announcing(page, axe, live_app, lang, easy, browser):
    round_id, questions, email = _round(live_app, f"Correction {lang} {easy}", step="open")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{round_id}")
    name = (
        "Corriger les mots de la question 1" if lang == "fr" else "Correct the words of question 1"
    )
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state()
    assert page.locator("#correcting").count() == 1 and page.locator("#picture-search").count() == 0
    axe.check(page, "correction page")
    page.fill("#choices", "Un appartement | house\nUn foyer")
    submit(page)
    expect_error_state(page)
    axe.check(page, "correction page refused (an answer removed)")
    page.fill("#choices", "Un appartement | house\nUn foyer\nDehors")
    page.fill("#text_easy", "Où habitez-vous en ce moment ?")
    submit(page)
    assert page.url.endswith(f"/consultations/{round_id}#questions")
    assert page.locator(f"#changed-{questions[0]}").count() == 1
    axe.check(page, "round page with a corrected question")

    reader = browser.new_context(base_url=page.url.split("/consultations")[0])
    other = reader.new_page()
    login(other, email, PASSWORD)
    set_preferences(other, lang, easy)
    other.goto(f"/consultations/{round_id}")
    other.locator("form[action$='/start'] button").click()
    other.wait_for_load_state()
    assert other.locator(f"#changed-{questions[0]}").count() == 1
    axe.check(other, "answering page with the changed note")
    reader.close()
    axe.assert_clean()


def test_a_picture_found_and_put_with_the_keyboard_only(page, live_app):
    round_id, questions, _email = _round(live_app, "Images au clavier")
    keyboard_login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}/questions/{questions[0]}/edit")
    tab_until(page, lambda s: s["id"] == "picture_search", limit=80)
    page.keyboard.type("argent")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "find"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    state = tab_until(page, lambda s: s["name"] == "picture", limit=80)
    assert state["value"] == "money"  # the first (and only) picture for "argent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "picture_line"
    page.keyboard.press("ArrowDown")  # line 2: "Un foyer"
    page.keyboard.press("ArrowDown")  # line 3: "Dans la rue"
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "pick"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#choices").input_value().endswith("Dans la rue | money")
