"""Moderation in Chromium: the moderator's pages (queue, a text to check, reports, appeals,
settings, reasons, numbers, the urgent alert) and the participant's pages (the discussion,
reporting, my messages, changing a message, disagreeing, the charter) in every state they
reach, with axe-core; the participant's pages in French, French easy-read and English
easy-read. Then a decision taken with the keyboard only.

Each test makes its own organisation (`make_discussion` with a new prefix): the live database
is shared by the whole session and also holds the demo data."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from app import db
from app.consultations import services as consultations
from app.moderation import services as moderation
from app.moderation.models import Action, ModerationItem, ModerationStatus
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    tab_until,
)
from tests.factories import PASSWORD
from tests.moderation_factories import make_discussion

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
PHONE_TEXT = "Appelez-moi au 06 12 34 56 78"
PHONE = "06 12 34 56 78"
DISTRESS_TEXT = "Je veux en finir."
PUBLISHED_TEXT = "Le bus passe trop peu le soir."
HIDDEN_TEXT = "Le loyer est trop cher pour nous."
EMAIL_TEXT = "Écrivez-moi à paul@example.org pour le bus."
REDACTED_TEXT = "Écrivez-moi à […] pour le bus."
_prefixes = itertools.count(1)


def _discussion(live_app, setup: Callable[..., dict] | None = None) -> dict:  # noqa: ANN001
    """A new organisation with an open discussion; `setup(d)` adds texts and returns ids."""
    prefix = f"bmod{next(_prefixes)}-"
    with live_app.app_context():
        d = make_discussion(prefix)
        world = {"prefix": prefix, "org": d.org.id, "round": d.round.id}
        if setup is not None:
            world.update(setup(d))
        db.session.commit()
    return world


def _email(world: dict, who: str) -> str:
    return f"{world['prefix']}{who}@m.test"


def _item_id(comment) -> int:  # noqa: ANN001
    item = moderation.item_for(comment)
    assert item is not None
    return item.id


def _item(live_app, item_id: int) -> dict:  # noqa: ANN001
    with live_app.app_context():
        item = db.session.get(ModerationItem, item_id)
        return {
            "status": item.status,
            "in_queue": item.in_queue,
            "reports": len(item.open_reports),
            "appeal": item.open_appeal is not None,
            "decisions": [(d.action, d.note) for d in item.decisions],
        }


def _console_errors(page) -> list[str]:  # noqa: ANN001
    """Console errors, except Chromium's note on the 400 answers of the error states."""
    return [e for e in page.console_errors if "status of 400" not in e]


def _duplicate_ids(page) -> list[str]:  # noqa: ANN001
    return page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach("
        "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(id => seen[id] > 1); }"
    )


def _post(page, action: str) -> None:  # noqa: ANN001
    """Press the submit button of the form posting to `action` and wait for the new page
    (the URL may stay the same: wait for the navigation itself)."""
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] button[type=submit]").click()
    page.wait_for_load_state()


# --- the moderator's pages -----------------------------------------------------------------


def test_moderator_queue_and_text_pages_accessible(page, axe, live_app):
    def setup(d) -> dict:  # noqa: ANN001
        phone = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        distress = consultations.add_comment(d.reader, d.round, DISTRESS_TEXT)
        return {"phone": _item_id(phone), "distress": _item_id(distress)}

    world = _discussion(live_app, setup)
    login(page, _email(world, "mod"), PASSWORD)
    set_preferences(page, "fr", False)

    # the queue: the urgent text first, although it was written last
    page.goto("/moderation/")
    assert page.locator("h1").count() == 1
    entries = page.locator("main ol.queue > li")
    assert entries.count() == 2
    assert "queue-item--urgent" in entries.nth(0).get_attribute("class")
    assert entries.nth(0).locator("h2 a").get_attribute("href") == (
        f"/moderation/items/{world['distress']}"
    )
    assert entries.nth(0).locator("h2 a").inner_text().startswith("Urgent")
    assert entries.nth(1).locator("h2 a").get_attribute("href") == (
        f"/moderation/items/{world['phone']}"
    )
    assert PHONE_TEXT in entries.nth(1).inner_text()
    axe.check(page, "queue with an urgent and a held text")

    # the urgent text
    page.goto(f"/moderation/items/{world['distress']}")
    assert page.locator("main .flash--error").count() == 1
    assert page.locator("main mark").inner_text() == "en finir"
    axe.check(page, "urgent text")

    # the text with a phone number: the number is highlighted
    url = f"/moderation/items/{world['phone']}"
    page.goto(url)
    marks = page.locator("main .moderated-text mark")
    assert marks.count() == 1
    assert marks.inner_text() == PHONE
    assert "Paul" not in page.locator("main").inner_text()  # moderators do not see who
    assert page.input_value("#redacted") == "Appelez-moi au […]"
    axe.check(page, "held text with a phone number")

    # a decision with no reason: the error is shown and nothing typed is lost
    page.check("#action-1")
    assert page.locator("#action-1").get_attribute("value") == "hide"
    decision = page.locator(f"main form[action='{url}']")
    assert decision.locator("select[name='reason_id']").input_value() == "0"
    page.fill("#note", "Gardez le numéro pour vous.")
    _post(page, url)
    expect_error_state(page)
    assert page.locator("#reason_id-error").count() == 1
    reason = decision.locator("select[name='reason_id']")
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.input_value("#note") == "Gardez le numéro pour vous."
    assert page.locator("#action-1").is_checked()
    axe.check(page, "decision with an error")
    assert _item(live_app, world["phone"])["status"] == ModerationStatus.HELD

    axe.assert_clean()
    assert _console_errors(page) == []
    # Each form control has its own label: the decision and "Limit the author's messages"
    # must not share one id (axe does not see it; a screen reader reads an unnamed list).
    assert _duplicate_ids(page) == []
    measure = page.locator(f"main form[action='{url}/measure'] select[name='measure-reason_id']")
    assert measure.evaluate("select => select.labels.length") == 1


def test_moderator_sees_reports_and_an_appeal_accessible(page, axe, live_app):
    def setup(d) -> dict:  # noqa: ANN001
        published = consultations.add_comment(d.author, d.round, PUBLISHED_TEXT)
        moderation.report(d.reader, published, "rude", "Pas gentil pour le chauffeur.")
        appealed = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        item = moderation.item_for(appealed)
        moderation.decide(d.moderator, item, Action.HIDE, -2, "Retirez le numéro.")
        moderation.appeal(d.author, item, "Je voulais juste aider.")
        return {"reported": _item_id(published), "appealed": item.id}

    world = _discussion(live_app, setup)
    assert _item(live_app, world["reported"])["status"] == ModerationStatus.PUBLISHED
    login(page, _email(world, "mod2"), PASSWORD)
    set_preferences(page, "fr", False)

    page.goto("/moderation/")
    hrefs = page.locator("main ol.queue > li h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs == [  # a report of a nasty text comes before an appeal
        f"/moderation/items/{world['reported']}",
        f"/moderation/items/{world['appealed']}",
    ]
    axe.check(page, "queue with an appeal and a report")

    # a published text that someone reported: the reports are listed, it stays published
    url = f"/moderation/items/{world['reported']}"
    page.goto(url)
    reports = page.locator("main section[aria-labelledby=reports-title]")
    assert reports.count() == 1
    assert "Pas gentil pour le chauffeur." in reports.inner_text()
    assert page.locator("main .moderated-text").inner_text() == PUBLISHED_TEXT
    assert page.locator("main input[name=action][value=dismiss]").count() == 1
    axe.check(page, "reported published text")

    # the appeal, seen by the second moderator, who may decide
    url = f"/moderation/items/{world['appealed']}"
    page.goto(url)
    appeal = page.locator("main section[aria-labelledby=appeal-title]")
    assert appeal.count() == 1
    assert "Je voulais juste aider." in appeal.inner_text()
    history = page.locator("main section[aria-labelledby=history-title]")
    assert "Retirez le numéro." in history.inner_text()
    assert page.locator(f"main form[action='{url}'] input[name=action]").count() == 6
    axe.check(page, "text with an open appeal, second moderator")

    axe.assert_clean()
    assert _console_errors(page) == []


def test_moderator_organisation_pages_accessible(page, axe, live_app):
    """Nothing waits (the only text was decided); settings, reasons and numbers."""

    def setup(d) -> dict:  # noqa: ANN001
        held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        moderation.decide(d.moderator, moderation.item_for(held), Action.HIDE, -2)
        return {}

    world = _discussion(live_app, setup)
    org = world["org"]
    login(page, _email(world, "mod2"), PASSWORD)
    set_preferences(page, "fr", False)

    page.goto("/moderation/")
    assert page.locator("main ol.queue").count() == 0
    assert "Rien n'attend. Merci." in page.locator("main").inner_text()
    assert page.locator(f"main a[href='/moderation/organisations/{org}/settings']").count() == 1
    axe.check(page, "empty queue")

    # settings, then an error (0 days), then saved
    url = f"/moderation/organisations/{org}/settings"
    page.goto(url)
    assert page.input_value("#premoderation_days") == "14"
    assert page.locator("#default_policy-0").is_checked()
    axe.check(page, "settings")
    page.fill("#premoderation_days", "0")
    page.fill("#staff_names", "Madame Lefèvre")
    _post(page, url)
    expect_error_state(page)
    assert page.locator("#premoderation_days-error").count() == 1
    assert page.input_value("#premoderation_days") == "0"
    assert page.input_value("#staff_names") == "Madame Lefèvre"
    axe.check(page, "settings with an error")
    page.fill("#premoderation_days", "10")
    _post(page, url)
    assert page.locator(".flash--success").count() == 1
    assert page.input_value("#premoderation_days") == "10"
    with live_app.app_context():
        assert moderation.settings_for(org).premoderation_days == 10

    # the reasons: Parole's own, then changing the first one
    url = f"/moderation/organisations/{org}/reasons"
    page.goto(url)
    rows = page.locator("main table tbody tr")
    assert rows.count() == 7
    first = rows.nth(0).locator("td").nth(0).inner_text()
    assert page.input_value("#text") == ""
    axe.check(page, "reasons")
    page.locator(f"main a[href='{url}?reason_id=-1']").click()
    page.wait_for_load_state()
    assert page.url.endswith("?reason_id=-1")
    assert page.input_value("#text") == first
    assert page.locator("#active").is_checked()
    axe.check(page, "reasons, changing one")

    # the numbers of the month: one text held, one decision to hide
    page.goto(f"/moderation/organisations/{org}/numbers")
    table = page.locator("main table")
    assert table.count() == 1
    cells = table.locator("tbody tr").nth(0).locator("td")
    assert cells.nth(0).inner_text() == "1"  # held
    assert cells.nth(1).inner_text() == "0"  # reports
    assert cells.nth(2 + list(Action).index(Action.HIDE)).inner_text() == "1"
    axe.check(page, "numbers")

    axe.assert_clean()
    assert _console_errors(page) == []


def test_facilitator_notifications_after_an_urgent_alert_accessible(page, axe, live_app):
    def setup(d) -> dict:  # noqa: ANN001
        distress = consultations.add_comment(d.author, d.round, DISTRESS_TEXT)
        return {"distress": _item_id(distress)}

    world = _discussion(live_app, setup)
    login(page, _email(world, "fac"), PASSWORD)
    set_preferences(page, "fr", False)

    page.goto("/notifications")
    urgent = page.locator("main li.notification--urgent")
    assert urgent.count() == 1
    assert "[URGENT]" in urgent.locator("h2").inner_text()
    assert DISTRESS_TEXT not in page.locator("main").inner_text()  # never the text itself
    link = urgent.locator(f"a[href$='/moderation/items/{world['distress']}']")
    assert link.count() == 1
    axe.check(page, "notifications with an urgent alert")

    # the referent (here the facilitator) reads the text and the author's name
    page.goto(f"/moderation/items/{world['distress']}")
    assert "Paul" in page.locator("main dl.summary-list").inner_text()
    axe.check(page, "urgent text, seen by the referent")

    axe.assert_clean()
    assert _console_errors(page) == []


# --- the participant's pages ---------------------------------------------------------------


@pytest.fixture
def author_world(live_app) -> dict:  # noqa: ANN001
    """Paul's texts: one held, one hidden with a reason, one redacted; Nadia's published."""

    def setup(d) -> dict:  # noqa: ANN001
        held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        hidden = consultations.add_comment(d.author, d.round, HIDDEN_TEXT)
        hidden_decision = moderation.decide(
            d.moderator, moderation.item_for(hidden), Action.HIDE, -5, "Parlez du bus."
        )
        redacted = consultations.add_comment(d.author, d.round, EMAIL_TEXT)
        redacted_decision = moderation.decide(
            d.moderator, moderation.item_for(redacted), Action.REDACT, -2, "", REDACTED_TEXT
        )
        other = consultations.add_comment(d.reader, d.round, PUBLISHED_TEXT)
        return {
            "held": held.id,
            "held_item": _item_id(held),
            "hidden": hidden.id,
            "hidden_item": _item_id(hidden),
            "hidden_reason": hidden_decision.reason,
            "redacted": redacted.id,
            "redacted_item": _item_id(redacted),
            "redacted_reason": redacted_decision.reason,
            "other": other.id,
            "other_item": _item_id(other),
        }

    return _discussion(live_app, setup)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_pages_every_state_accessible(page, axe, live_app, author_world, lang, easy):
    world = author_world
    login(page, _email(world, "author"), PASSWORD)
    set_preferences(page, lang, easy)

    # the round page: my held text with its notice, another person's text with a report link
    round_url = f"/consultations/{world['round']}"
    page.goto(round_url)
    if easy:
        assert "easy-read" in (page.locator("body").get_attribute("class") or "")
    mine = page.locator(f"#comment-{world['held']}")
    assert "comment--held" in mine.get_attribute("class")
    assert mine.locator(".moderation-notice").count() == 1
    assert mine.locator(f"a[href='/moderation/mine/{world['held_item']}/edit']").count() == 1
    assert mine.locator(".report-link").count() == 0
    report_url = f"/moderation/report/consultation_comment/{world['other']}"
    other = page.locator(f"#comment-{world['other']}")
    assert other.locator(".moderation-notice").count() == 0
    assert other.locator(f".report-link a[href='{report_url}']").count() == 1
    axe.check(page, "round page with my held text and another's text")

    # reporting: an error (no reason), the comment is kept, then sent
    other.locator(".report-link a").click()
    page.wait_for_load_state()
    assert page.url.endswith(report_url)
    assert page.locator("main blockquote").inner_text() == PUBLISHED_TEXT
    axe.check(page, "report page")
    page.fill("#comment", "Pas gentil pour le chauffeur.")
    _post(page, report_url)
    expect_error_state(page)
    assert page.locator("#reason-error").count() == 1
    assert page.input_value("#comment") == "Pas gentil pour le chauffeur."
    axe.check(page, "report page with an error")
    page.check("#reason-1")
    _post(page, report_url)
    assert page.url.endswith(f"{round_url}#comment-{world['other']}")
    assert page.locator(".flash--success").count() == 1
    assert page.locator(f"#comment-{world['other']}").count() == 1  # still published
    reported = _item(live_app, world["other_item"])
    assert reported["reports"] == 1 and reported["status"] == ModerationStatus.PUBLISHED

    # my messages: held, hidden with its reason, redacted with what was removed
    page.goto("/moderation/mine")
    assert page.locator("main ul.my-messages > li").count() == 3
    notices = page.locator("main .moderation-notice")
    assert notices.count() == 3
    hidden = page.locator("main ul.my-messages > li", has_text=HIDDEN_TEXT)
    assert world["hidden_reason"] in hidden.inner_text()
    assert "Parlez du bus." in hidden.inner_text()
    assert hidden.locator(f"a[href='/moderation/mine/{world['hidden_item']}/appeal']").count()
    redacted = page.locator("main ul.my-messages > li", has_text=REDACTED_TEXT)
    assert world["redacted_reason"] in redacted.inner_text()
    assert "paul@example.org" in redacted.locator(".moderation-notice").inner_text()
    held = page.locator("main ul.my-messages > li", has_text=PHONE_TEXT)
    assert held.locator(f"a[href='/moderation/mine/{world['held_item']}/edit']").count() == 1
    assert held.locator("a[href*='/appeal']").count() == 0
    axe.check(page, "my messages: held, hidden, redacted")

    # changing the held text: an error (empty), then sent again
    edit_url = f"/moderation/mine/{world['held_item']}/edit"
    page.goto(edit_url)
    assert page.input_value("#body") == PHONE_TEXT
    axe.check(page, "change my message")
    page.fill("#body", "")
    _post(page, edit_url)
    expect_error_state(page)
    assert page.locator("#body-error").count() == 1
    axe.check(page, "change my message with an error")
    page.fill("#body", "Appelez la mairie pour le bus.")
    _post(page, edit_url)
    assert page.url.endswith("/moderation/mine")
    assert page.locator(".flash--success").count() == 1
    assert _item(live_app, world["held_item"])["status"] == ModerationStatus.PUBLISHED

    # disagreeing with the decision to hide
    appeal_url = f"/moderation/mine/{world['hidden_item']}/appeal"
    page.goto(appeal_url)
    assert page.locator("main blockquote").inner_text() == HIDDEN_TEXT
    assert world["hidden_reason"] in page.locator("main").inner_text()
    axe.check(page, "appeal page")
    page.fill("#text", "Le loyer compte aussi pour venir en bus.")
    _post(page, appeal_url)
    assert page.url.endswith("/moderation/mine")
    assert page.locator(".flash--success").count() == 1
    assert _item(live_app, world["hidden_item"])["appeal"] is True
    assert page.locator(f"main a[href='{appeal_url}']").count() == 0
    axe.check(page, "my messages after changing one and disagreeing")

    axe.assert_clean()
    assert _console_errors(page) == []


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_charter_for_an_anonymous_visitor_accessible(page, axe, lang, easy):
    set_preferences(page, lang, easy)
    page.goto("/moderation/charter")
    assert page.url.endswith("/moderation/charter")  # no login needed
    assert page.locator("h1").count() == 1
    assert page.locator("main h2").count() == 8
    assert "3114" in page.locator("main").inner_text()
    if easy:
        assert "easy-read" in (page.locator("body").get_attribute("class") or "")
    axe.check(page, "charter")
    axe.assert_clean()
    assert _console_errors(page) == []


# --- keyboard only -----------------------------------------------------------------------


def test_keyboard_only_moderator_hides_a_text(page, live_app):
    def setup(d) -> dict:  # noqa: ANN001
        held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        return {"item": _item_id(held)}

    world = _discussion(live_app, setup)
    item_url = f"/moderation/items/{world['item']}"

    # log in with the keyboard
    keyboard_login(page, _email(world, "mod"), PASSWORD)

    # the queue: Tab to the text, Enter
    page.goto("/moderation/")
    tab_until(page, lambda s: s["href"] == item_url)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(item_url)

    # the decision: Space chooses the first answer, an arrow moves to "hide"
    state = tab_until(page, lambda s: s["name"] == "action")
    assert state["value"] == "publish"
    page.keyboard.press("Space")
    assert page.locator("#action-0").is_checked()
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "hide"
    assert page.locator("#action-1").is_checked()
    # the reason: Tab to the list, an arrow chooses the first reason
    tab_until(page, lambda s: s["id"] == "reason_id")
    page.keyboard.press("ArrowDown")
    reason = page.locator(f"main form[action='{item_url}'] select[name='reason_id']")
    assert reason.input_value() == "-1"
    tab_until(page, lambda s: s["id"] == "note")
    page.keyboard.type("Merci de votre message.")
    state = tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == item_url)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()

    # back on the queue, with the message in the flash region, and the text hidden
    assert page.url.endswith("/moderation/")
    flash = page.locator(".flash-region .flash--success")
    assert flash.count() == 1
    assert flash.is_visible()
    assert page.locator(f"main a[href='{item_url}']").count() == 0
    item = _item(live_app, world["item"])
    assert item["status"] == ModerationStatus.HIDDEN
    assert item["in_queue"] is False
    assert item["decisions"] == [(Action.HIDE, "Merci de votre message.")]
    assert _console_errors(page) == []
