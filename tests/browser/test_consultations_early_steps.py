"""Opening and closing a round by hand before its dates, in Chromium with axe-core (French,
and English easy-read): the confirmation page names the date, "Go back" changes nothing,
the confirmation takes the step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import ConsultationRound, RoundStatus
from tests.browser.conftest import DEMO_PASSWORD, login, set_preferences

FACILITATOR = "animatrice@demo.parole.invalid"


def _round_due_later(live_app, title: str) -> int:
    """An announced round of the facilitator's organisation, its notice passed, due to open
    in 2 days and to close in 20."""
    from app.consultations import services
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title=title)
        people = services.invitable_people(facilitator, round_)
        services.invite_people(facilitator, round_, [people[0].id])
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
        now = db.utcnow()
        round_.announced_at = now - timedelta(days=8)
        round_.opens_at = now + timedelta(days=2)
        round_.closes_at = now + timedelta(days=20)
        db.session.commit()
        return round_.id


def _status(live_app, round_id: int) -> RoundStatus:
    with live_app.app_context():
        return db.session.get(ConsultationRound, round_id).status


def _press_step(page, round_id: int, step: str) -> None:
    page.goto(f"/consultations/{round_id}")
    page.locator(f"form[action$='/{round_id}/{step}'] button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("lang", "easy"), [("fr", False), ("en", True)], ids=["fr", "en-easy"])
def test_opening_and_closing_before_the_dates_ask_first(page, axe, live_app, lang, easy):
    round_id = _round_due_later(live_app, f"Dates {lang}")
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)

    _press_step(page, round_id, "open")
    lead = page.locator("p.lead").inner_text()
    assert lead.startswith(
        "Cette consultation doit ouvrir le" if lang == "fr" else "This consultation is due to open"
    )
    axe.check(page, "open before the date: confirmation")
    page.locator("main .actions a").click()  # go back: nothing changed
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{round_id}")
    assert _status(live_app, round_id) == RoundStatus.ANNOUNCED

    _press_step(page, round_id, "open")
    page.locator("main .actions form button[type=submit]").click()
    page.wait_for_load_state()
    assert _status(live_app, round_id) == RoundStatus.OPEN

    _press_step(page, round_id, "close")
    assert ("doit fermer le" if lang == "fr" else "due to close on") in page.locator(
        "p.lead"
    ).inner_text()
    axe.check(page, "close before the date: confirmation")
    page.locator("main .actions form button[type=submit]").click()
    page.wait_for_load_state()
    assert _status(live_app, round_id) == RoundStatus.CLOSED
    set_preferences(page, "fr", False)
    axe.assert_clean()
