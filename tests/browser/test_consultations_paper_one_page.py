"""A whole paper questionnaire typed in on one page, in Chromium with axe-core (French,
French easy-read, English easy-read): the page fresh, refused with its errors, and saved;
and a questionnaire typed with the keyboard only, in the natural tab order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import Confusion, Invitation, Response
from app.db import utcnow
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    tab_until,
)
from tests.factories import make_person

FACILITATOR = "animatrice@demo.parole.invalid"


def _open_round_with_codes(live_app, title: str) -> tuple[int, list[str]]:
    """An open round of the 4 usual questions (single, scale, yes/no, long text), 2 codes."""
    from app.consultations.models import RoundStatus
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title=title)
        person = make_person((org, Role.PARTICIPANT))
        services.invite_people(facilitator, round_, [person.id])
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
        services.transition(facilitator, round_, RoundStatus.OPEN, now=utcnow() + timedelta(days=8))
        codes = services.create_paper_codes(facilitator, round_, 2)
        db.session.commit()
        return round_.id, codes


def _response(live_app, code: str) -> Response | None:
    with live_app.app_context():
        response = db.session.scalar(
            select(Response).join(Invitation).where(Invitation.paper_code == code)
        )
        if response is not None:
            db.session.expunge(response)
        return response


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("fr", True), ("en", True)], ids=["fr", "fr-easy", "en-easy"]
)
def test_the_one_page_entry_in_every_state(page, axe, live_app, lang, easy):
    round_id, codes = _open_round_with_codes(live_app, f"Papier {lang} {easy}")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{round_id}")
    name = (
        "Saisir tout un questionnaire papier sur une seule page"
        if lang == "fr"
        else "Type in a whole paper questionnaire on one page"
    )
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{round_id}/paper/one-page")
    assert page.locator("h1").count() == 1 and page.locator("section h2").count() == 4
    axe.check(page, "one-page entry")
    page.fill("#code", "P-NOPE00")
    page.check("#q3-0")
    page.check("#q3_declined")  # an answer and "I prefer not to answer": refused
    page.fill("#q4", "Plus de bus le soir.")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect_error_state(page)
    assert page.locator("#q4").input_value() == "Plus de bus le soir."
    assert page.locator("#q3-0").is_checked()
    axe.check(page, "one-page entry refused (unknown code)")
    page.fill("#code", codes[0])
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect_error_state(page)
    assert page.locator("#q3-error").count() == 1
    axe.check(page, "one-page entry refused (two boxes ticked)")
    page.uncheck("#q3_declined")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("/paper/one-page") and not page.title().startswith(("Erreur", "Error"))
    assert codes[0] in page.locator(".flash, [role=status]").first.inner_text()
    axe.check(page, "one-page entry saved, ready for the next")
    axe.assert_clean()
    assert _response(live_app, codes[0]).submitted_at is not None


def test_a_paper_questionnaire_typed_with_the_keyboard_only(page, live_app):
    round_id, codes = _open_round_with_codes(live_app, "Papier au clavier")
    keyboard_login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}/paper/one-page")
    tab_until(page, lambda s: s["id"] == "code", limit=80)
    page.keyboard.type(codes[1])
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q1-0"  # the first answer of question 1
    page.keyboard.press("ArrowDown")  # the second answer: "Un foyer"
    assert focused(page)["id"] == "q1-1"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q1_declined"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q1_confused"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q2-0"  # the faces of question 2
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "q2-3"  # 4: happy
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q2_confused"
    page.keyboard.press("Space")  # "I do not understand" ticked on the paper
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q3-0"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q3_declined"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q4"
    page.keyboard.type("Des bus le dimanche.")
    state = tab_until(page, lambda s: s["tag"] == "BUTTON", limit=5)
    assert state["action"].endswith("/paper/one-page")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/paper/one-page")
    with live_app.app_context():
        response = db.session.scalar(
            select(Response).join(Invitation).where(Invitation.paper_code == codes[1])
        )
        assert response.submitted_at is not None
        by_position = {a.question.position: a for a in response.answers}
        assert by_position[1].selections[0].choice_id == by_position[1].question.choices[1].id
        assert by_position[2].value_int == 4
        assert by_position[3].declined
        assert by_position[4].value_text == "Des bus le dimanche."
        confusions = db.session.scalars(
            select(Confusion).where(Confusion.response_id == response.id)
        ).all()
        assert [c.question_id for c in confusions] == [by_position[2].question_id]
