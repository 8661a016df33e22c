"""The login page's new states in Chromium with axe-core: sent back after a login unused for
30 days (with its message), told to wait, and a code too easy to guess refused; in French
and in English easy-to-read."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import update

from app import db
from app.accounts.models import LoginSession, Role
from app.db import utcnow
from tests.browser.conftest import login, set_preferences
from tests.factories import PASSWORD, make_org, make_person

_n = itertools.count(1)


def _people(live_app) -> dict:  # noqa: ANN001
    n = next(_n)
    with live_app.test_request_context("/"):
        org = make_org(f"bls{n}-CRPA des Connexions")
        person = make_person((org, Role.PARTICIPANT), email=f"bls{n}@example.test")
        card = make_person(
            (org, Role.PARTICIPANT),
            identifier=f"BLS{chr(ord('A') + n)}-{10 + n}",
            secret="736251",
            must_choose_code=True,
        )
        world = {"id": person.id, "email": person.email, "card": card.login_identifier}
        db.session.commit()
    return world


@pytest.mark.parametrize(
    ("language", "easy_read"), [("fr", False), ("en", True)], ids=["fr", "en-easy"]
)
def test_login_states_have_no_axe_violation(page, axe, live_app, language, easy_read):  # noqa: ANN001
    w = _people(live_app)
    login(page, w["email"], PASSWORD)
    set_preferences(page, language, easy_read)
    with live_app.app_context():  # thirty-one days without a visit
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.person_id == w["id"])
            .values(last_used_at=utcnow() - timedelta(days=31))
        )
        db.session.commit()
    page.goto("/account")
    assert "/login" in page.url
    expected = "30 jours sans visite" if language == "fr" else "30 days without a visit"
    assert expected in page.content()
    axe.check(page, f"login page after a login ended ({language})")

    for _ in range(6):  # the sixth try waits
        page.fill("#identifier", w["email"])
        page.fill("#secret", "not the password")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe.check(page, f"login page, told to wait ({language})")

    login(page, w["card"], "736251")
    page.goto("/account/choose-code")
    page.fill("#new_secret", "111222")
    page.fill("#confirm", "111222")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#new_secret[aria-invalid=true]").count() == 1
    axe.check(page, f"choose a code, too easy ({language})")
    axe.assert_clean()
