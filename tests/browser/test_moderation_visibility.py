"""Held texts in Chromium, with axe-core: the people who decide see a held message in the
discussion and a held co-trainer's word on the mission, with its state and nothing else
changes for them; a participant of the round does not see it at all."""

from __future__ import annotations

import itertools

import pytest

from app import db
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus
from tests.browser.conftest import login, set_preferences
from tests.factories import PASSWORD
from tests.moderation_factories import comment_scene, feedback_scene, set_state

_prefixes = itertools.count(1)
VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]


def _scene(live_app, make) -> dict:  # noqa: ANN001
    prefix = f"bvis{next(_prefixes)}"
    with live_app.app_context():
        scene = make(prefix)
        set_state(scene.content, ModerationStatus.HELD)
        item = moderation.item_for(scene.content)
        found = {
            "text": scene.text,
            "pages": scene.pages,
            "item": item.id if item else None,
            "email": {r: p.email for r, p in scene.people.items() if p is not None},
        }
        db.session.commit()
    return found


@pytest.mark.parametrize(("language", "easy"), VARIANTS, ids=IDS)
def test_a_held_message_in_the_discussion_accessible(page, axe, live_app, language, easy):
    scene = _scene(live_app, comment_scene)
    round_page = scene["pages"][0]

    login(page, scene["email"]["facilitator"], PASSWORD)
    set_preferences(page, language, easy)
    page.goto(round_page)
    held = page.locator("main article.comment--held")
    assert held.count() == 1
    assert scene["text"] in held.inner_text()
    assert held.locator(".moderation-notice").count() == 1
    assert (
        held.locator(".moderation-notice a").get_attribute("href")
        == f"/moderation/items/{scene['item']}"
    )
    assert held.locator(".report-link").count() == 0  # a held text is not reported
    axe.check(page, f"the facilitator sees a held message ({language}, easy={easy})")

    page.context.clear_cookies()
    login(page, scene["email"]["reader"], PASSWORD)
    set_preferences(page, language, easy)
    page.goto(round_page)
    assert scene["text"] not in page.locator("main").inner_text()
    axe.check(page, f"a participant does not see it ({language}, easy={easy})")
    axe.assert_clean()


def test_a_held_co_trainer_word_accessible(page, axe, live_app):
    scene = _scene(live_app, feedback_scene)
    feedback_page, manage_page = scene["pages"]

    login(page, scene["email"]["moderator_in_space"], PASSWORD)
    set_preferences(page, "fr", False)
    for url, what in ((manage_page, "the mission"), (feedback_page, "the feedback page")):
        page.goto(url)
        main = page.locator("main")
        assert scene["text"] in main.inner_text()
        assert main.locator(".moderation-notice").count() == 1
        axe.check(page, f"the institute's administrator sees a held word on {what}")

    page.context.clear_cookies()
    login(page, scene["email"]["reader"], PASSWORD)
    for url in (manage_page, feedback_page):
        page.goto(url)
        assert scene["text"] not in page.locator("main").inner_text()
    axe.check(page, "the institute's staff do not see it")
    axe.assert_clean()
