"""How to reach a person and the facilitators' "À prévenir" list in Chromium with axe-core:
the phone field with an error (the person's page and a facilitator's page), the list empty,
with lines and after "C'est fait", in French, French easy-read and English easy-read; then a
keyboard-only journey from the facilitator's home page to "C'est fait"."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from app import db
from app.accounts.models import Person, Role, ToTellItem
from app.core.notifications import notify
from app.db import utcnow
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    submit,
    tab_until,
)
from tests.factories import PASSWORD
from tests.worlds import an_organisation

_n = itertools.count(1)
LANGUAGES = pytest.mark.parametrize(
    ("language", "easy_read"),
    [("fr", False), ("fr", True), ("en", True)],
    ids=["fr", "fr-easy", "en-easy"],
)


def _world(live_app, lines: int = 2) -> dict:  # noqa: ANN001
    """A facilitator, Bernard (told through his facilitator) with `lines` things to tell."""
    n = next(_n)
    with live_app.test_request_context("/"):
        team = an_organisation(
            f"btell{n}-CRPA Prévenir",
            domain=f"btell{n}.test",
            fac=Role.FACILITATOR,
            bernard=Role.PARTICIPANT,
            sonia=Role.PARTICIPANT,
        )
        bernard = team["bernard"]
        bernard.contact_channel, bernard.phone = "facilitator", "+33612345678"
        subjects = ["Rappel : La cantine se termine bientôt", "Co-formation : place proposée"]
        for i in range(lines):
            notify(
                bernard,
                lambda s=subjects[i % 2]: s,
                lambda: "…",
                link="/",
                due_at=utcnow() + timedelta(days=2 + i),
            )
        db.session.commit()
        return {"fac": team["fac"].email, "sonia": team["sonia"].email, "bernard": bernard.id}


@LANGUAGES
def test_phone_field_with_an_error_has_no_axe_violation(page, axe, live_app, language, easy_read):  # noqa: ANN001
    w = _world(live_app, lines=0)
    login(page, w["sonia"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto("/account/contact")
    axe.check(page, f"how to reach me ({language}, easy={easy_read})")
    page.check("#contact_channel-1")  # a text message
    page.fill("#phone", "06 12")
    submit(page)
    expect_error_state(page)
    assert page.locator("#phone-error").count() == 1
    assert "phone-error" in (page.locator("#phone").get_attribute("aria-describedby") or "")
    axe.check(page, f"how to reach me, wrong number ({language}, easy={easy_read})")
    page.fill("#phone", "06 12 34 56 78")
    submit(page)
    assert page.url.endswith("/account")
    assert "06 12 34 56 78" in page.locator("main").inner_text()
    axe.check(page, f"my account with a number ({language}, easy={easy_read})")

    page.context.clear_cookies()
    login(page, w["fac"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto(f"/participants/{w['bernard']}/contact")
    page.fill("#phone", "12")
    submit(page)
    expect_error_state(page)
    assert page.locator("#consent_note-error").count() == 1
    axe.check(page, f"a facilitator's page, two errors ({language}, easy={easy_read})")
    axe.assert_clean()


@LANGUAGES
def test_to_tell_list_empty_with_lines_and_after_its_done_has_no_axe_violation(
    page, axe, live_app, language, easy_read
):  # noqa: ANN001
    w = _world(live_app, lines=0)
    login(page, w["fac"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto("/participants/a-prevenir")
    assert page.locator(".to-tell-item").count() == 0
    axe.check(page, f"to tell, empty ({language}, easy={easy_read})")
    w = _world(live_app, lines=2)
    page.context.clear_cookies()
    login(page, w["fac"], PASSWORD)
    page.goto("/participants/a-prevenir")
    lines = page.locator("main .to-tell-list").first.locator(".to-tell-item")
    assert lines.count() == 2
    assert page.locator("main time").count() >= 2  # by when, and the date of the message
    axe.check(page, f"to tell, two lines ({language}, easy={easy_read})")
    lines.first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".flash, [role=status]").count() >= 1
    axe.check(page, f"to tell, after it is done ({language}, easy={easy_read})")
    axe.assert_clean()


def test_keyboard_only_from_the_home_page_to_its_done(page, live_app):  # noqa: ANN001
    w = _world(live_app, lines=1)
    keyboard_login(page, w["fac"], PASSWORD)
    page.goto("/")
    tab_until(page, lambda f: (f["href"] or "").endswith("/participants/a-prevenir"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/participants/a-prevenir")
    tab_until(
        page,
        lambda f: f["tag"] == "BUTTON" and "/participants/a-prevenir/" in (f["action"] or ""),
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with live_app.app_context():
        db.session.expire_all()
        item = db.session.query(ToTellItem).filter_by(person_id=w["bernard"]).one()
        facilitator = db.session.query(Person).filter_by(email=w["fac"]).one()
        assert item.done_by_id == facilitator.id and item.done_at is not None
    assert focused(page) is not None
    page.goto("/")
    assert page.locator("a[href$='/participants/a-prevenir']").count() == 0
