"""Listening in Chromium with axe-core: the player of a question (the question and its choices)
and the player of the published feedback, in French, French easy-read and English easy-read in
one page; each player reached with the keyboard, and its sound served."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import RoundStatus
from app.db import utcnow
from tests.browser.conftest import DEMO_PASSWORD, login, set_preferences, tab_until

FACILITATOR = "animatrice@demo.parole.invalid"
PARTICIPANT = "paul@demo.parole.invalid"


def _rounds(live_app) -> dict:
    """Two rounds of the demo organisation for Paul: one open (his answers started), one with
    its feedback published."""
    from app.consultations import feedback, services
    from tests.consultation_factories import make_round, open_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        paul = db.session.scalar(select(Person).where(Person.email == PARTICIPANT))
        org = facilitator.memberships[0].organisation
        open_one, _ = make_round(org, facilitator, title="Écouter les questions")
        open_round(open_one, facilitator, [paul])
        response = services.start_response(paul, open_one)
        done, _ = make_round(org, facilitator, title="Écouter le retour")
        open_round(done, facilitator, [paul])
        later = utcnow() + timedelta(days=30)
        services.transition(facilitator, done, RoundStatus.CLOSED, now=later)
        feedback.add_feedback_item(
            facilitator,
            done,
            feedback.FeedbackData(
                you_said="Le CCAS ferme trop tôt.",
                we_did="Il ouvre jusqu'à 18h30.",
                you_said_easy="Le CCAS ferme trop tôt.",
                we_did_easy="Il ouvre jusqu'à 18h30.",
                theme="Les horaires",
            ),
        )
        services.transition(facilitator, done, RoundStatus.RESULTS, now=later)
        services.transition(facilitator, done, RoundStatus.FEEDBACK_PUBLISHED, now=later)
        db.session.commit()
        return {"response": response.id, "feedback": done.id}


@pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("oggenc")), reason="no espeak-ng / oggenc"
)
def test_question_and_feedback_players_in_every_language(page, axe, live_app):
    w = _rounds(live_app)
    login(page, PARTICIPANT, DEMO_PASSWORD)
    pages = {
        "question": f"/consultations/responses/{w['response']}/questions/1",
        "feedback": f"/consultations/{w['feedback']}/feedback",
    }
    for lang, easy in (("fr", False), ("fr", True), ("en", True)):
        set_preferences(page, lang, easy)
        for name, url in pages.items():
            page.goto(url)
            player = page.locator("main audio[controls]")
            assert player.count() == 1, (name, lang, easy)
            label = page.locator(f"#{player.get_attribute('aria-labelledby')}").inner_text()
            assert label.startswith("Écouter" if lang == "fr" else "Listen"), label
            axe.check(page, f"{name} page with its player ({lang}, easy={easy})")
            reached = tab_until(page, lambda state: state["tag"] == "AUDIO")
            assert reached["tag"] == "AUDIO"
            if lang == "en":  # the sound itself: French words, whatever the interface
                sound = page.request.get(player.get_attribute("src"))
                assert sound.status == 200 and sound.body()[:4] == b"OggS"
