"""The French that organisations wrote, marked lang="fr" in the English display, in Chromium
with axe-core (English, English easy-read): the round's page and the feedback page of a
participant, 0 violation, and the French texts inside a lang="fr" element."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import RoundStatus
from app.db import utcnow
from tests.browser.conftest import DEMO_PASSWORD, login, set_preferences

FACILITATOR = "animatrice@demo.parole.invalid"
PARTICIPANT = "paul@demo.parole.invalid"


def _round_with_feedback(live_app, title: str) -> int:
    from app.consultations import feedback, services
    from tests.consultation_factories import make_round, open_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        paul = db.session.scalar(select(Person).where(Person.email == PARTICIPANT))
        round_, _ = make_round(facilitator.memberships[0].organisation, facilitator, title=title)
        open_round(round_, facilitator, [paul])
        later = utcnow() + timedelta(days=30)
        services.transition(facilitator, round_, RoundStatus.CLOSED, now=later)
        feedback.add_feedback_item(
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
        return round_.id


@pytest.mark.parametrize("easy", [False, True], ids=["en", "en-easy"])
def test_french_texts_are_marked_french_in_english_pages(page, axe, live_app, easy):
    round_id = _round_with_feedback(live_app, f"Le logement {easy}")
    login(page, PARTICIPANT, DEMO_PASSWORD)
    set_preferences(page, "en", easy)
    page.goto(f"/consultations/{round_id}")
    assert page.locator("h1 [lang=fr]").inner_text() == f"Le logement {easy} : votre avis"
    axe.check(page, f"round's page (en, easy={easy})")
    page.goto(f"/consultations/{round_id}/feedback")
    assert page.locator(".feedback-item h2 [lang=fr]").inner_text() == "Les bus du soir"
    assert page.locator(".feedback-said [lang=fr]").inner_text() == "Il y a peu de bus le soir."
    axe.check(page, f"feedback page (en, easy={easy})")
    axe.assert_clean()
