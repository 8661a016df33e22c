"""The paper codes page of a round (listed with their state, printed again, cancelled after a
confirmation) in Chromium with axe-core: French, French easy-read, English easy-read, and a
keyboard-only cancel. On the demo's open round."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations import paper_codes, services
from app.consultations.models import ConsultationRound, RoundStatus
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    keyboard_login,
    login,
    set_preferences,
    tab_until,
)

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
FACILITATOR = "animatrice@demo.parole.invalid"


@pytest.fixture
def open_round(live_app) -> int:  # noqa: ANN001
    with live_app.app_context():
        return db.session.scalar(
            select(ConsultationRound.id)
            .where(ConsultationRound.status == RoundStatus.OPEN)
            .order_by(ConsultationRound.id)
        )


def _new_code(live_app, round_id: int) -> str:  # noqa: ANN001
    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        (code,) = services.create_paper_codes(facilitator, services.get_round(round_id), 1)
        db.session.commit()
    return code


def _cancel_behind_the_page(live_app, round_id: int, code: str) -> None:  # noqa: ANN001
    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        invitation = paper_codes.find_paper_code(services.get_round(round_id), code)
        paper_codes.cancel_paper_code(facilitator, invitation)
        db.session.commit()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_paper_codes_pages_in_every_state(page, axe, live_app, open_round, lang, easy):
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{open_round}")
    page.fill("#count", "2")
    page.locator("form[action$='/paper-codes'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{open_round}/paper-codes")
    assert page.locator("h1").count() == 1
    axe.check(page, "codes page after creating codes")
    page.reload()  # used to answer 405
    assert page.url.endswith("/paper-codes") and page.locator("tbody tr").count() >= 2
    axe.check(page, "codes page reloaded")
    # the demo's typed-in paper questionnaires show as used
    used = "Utilisé" if lang == "fr" else "Used"
    assert page.locator("tbody td", has_text=used).count() >= 1
    code = _new_code(live_app, open_round)
    page.goto(f"/consultations/{open_round}/paper-codes/{code}/cancel")
    axe.check(page, "cancel confirmation")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/paper-codes")
    row = page.locator("tbody tr", has=page.locator("th", has_text=code))
    assert (
        row.locator("td")
        .first.inner_text()
        .strip()
        .endswith("Code annulé" if lang == "fr" else "Code cancelled")
    )
    axe.check(page, "codes page with a cancelled code")
    # the confirmation sent after someone else cancelled the code: the error, focused
    other = _new_code(live_app, open_round)
    page.goto(f"/consultations/{open_round}/paper-codes/{other}/cancel")
    _cancel_behind_the_page(live_app, open_round, other)
    with page.expect_response(lambda r: r.url.endswith("/cancel")) as sent:
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert sent.value.status == 400
    expect_error_state(page)
    axe.check(page, "cancel confirmation with an error")
    set_preferences(page, "fr", False)
    axe.assert_clean()


def test_keyboard_only_cancel_of_a_paper_code(page, live_app, open_round):
    code = _new_code(live_app, open_round)
    keyboard_login(page, FACILITATOR, DEMO_PASSWORD)
    page.goto(f"/consultations/{open_round}/paper-codes")
    tab_until(page, lambda s: (s["href"] or "").endswith(f"/paper-codes/{code}/cancel"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/paper-codes/{code}/cancel")
    button = tab_until(
        page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/cancel")
    )
    assert button["text"] in ("Oui, annuler ce code", "Yes, cancel this code")
    page.keyboard.press("Enter")
    page.wait_for_url("**/paper-codes")
    row = page.locator("tbody tr", has=page.locator("th", has_text=code))
    assert row.locator("td").first.inner_text().strip().endswith(("Code annulé", "Code cancelled"))
    assert row.locator("a").count() == 0  # nothing more to do with it
