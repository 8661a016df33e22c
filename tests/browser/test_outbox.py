"""The outbox page (/admin/outbox) and a person's failed e-mail, in Chromium with axe-core:
no failed e-mail, failed e-mails, and "nothing to send again" (error), in French and in
English; "Send again" with the keyboard only; the person's home page and notification list when their e-mail failed."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.core.models import OutboxMessage, OutboxStatus
from app.core.notifications import notify
from app.db import utcnow
from tests.browser.conftest import focused, keyboard_login, login, set_preferences, tab_until
from tests.factories import PASSWORD, make_org, make_person

_n = itertools.count(1)


def _world(live_app) -> dict:
    """A platform administrator, and a person whose e-mail about a mission failed."""
    n = next(_n)
    with live_app.test_request_context("/"):
        org = make_org(f"box{n}-CRPA du Courriel")
        person = make_person((org, Role.PARTICIPANT), email=f"box{n}.durand@example.test")
        admin = make_person(email=f"box{n}-admin@example.test", admin=True)
        # Failed mails already there (other tests of the session) are not this test's: sent.
        for old in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        ):
            old.status = OutboxStatus.SENT
        db.session.commit()
        world = {"person": person.email, "admin": admin.email, "person_id": person.id}
    return world


def _fail_a_mail(live_app, world: dict) -> int:
    """The person is notified; their e-mail is given up (as after 8 tries without a server)."""
    with live_app.test_request_context("/"):
        from app.accounts.models import Person

        person = db.session.get(Person, world["person_id"])
        note = notify(person, lambda: "Votre mission de mardi", lambda: "Rendez-vous à 10 h.")
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.notification_id == note.id)
        ).one()
        message.status = OutboxStatus.FAILED
        message.attempts = 8
        message.failed_at = utcnow()
        message.last_error = "unreachable: ConnectionRefusedError"
        db.session.commit()
        return message.id


def test_outbox_page_and_failed_mail_have_no_axe_violation(page, axe, live_app):  # noqa: ANN001
    w = _world(live_app)
    login(page, w["admin"], PASSWORD)
    set_preferences(page, "fr", False)
    page.goto("/admin/outbox")
    assert page.locator("h1").count() == 1 and page.locator("main table").count() == 0
    axe.check(page, "outbox, nothing failed (fr)")
    _fail_a_mail(live_app, w)
    page.goto("/admin/outbox")
    assert "b***@example.test" in page.content() and "durand" not in page.content()
    axe.check(page, "outbox, one failed e-mail (fr)")
    set_preferences(page, "en", False)
    second = _fail_a_mail(live_app, w)
    page.goto("/admin/outbox")
    assert "Send again to b***@example.test" in page.content()
    axe.check(page, "outbox, two failed e-mails (en)")
    with live_app.app_context():  # someone else sent it again meanwhile
        db.session.get(OutboxMessage, second).status = OutboxStatus.PENDING
        db.session.commit()
    page.locator(f'main form[action="/admin/outbox/{second}/retry"] button').click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "outbox, nothing to send again: error (en)")
    page.goto("/admin/outbox")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("main table").count() == 0
    axe.check(page, "outbox, sent again: nothing failed (en)")
    page.goto("/admin")
    assert page.locator('main a[href="/admin/outbox"]').count() == 1
    # the refused "send again" answers 400 on purpose: Chromium logs that status
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    axe.assert_clean()


def test_person_sees_the_failed_mail_at_home_without_axe_violation(page, axe, live_app):  # noqa: ANN001
    w = _world(live_app)
    _fail_a_mail(live_app, w)
    login(page, w["person"], PASSWORD)
    for language in ("fr", "en"):
        set_preferences(page, language, False)
        page.goto("/")
        notice = page.locator('main .notice a[href="/notifications"]').last
        assert notice.count() == 1
        axe.check(page, f"home page, an e-mail failed ({language})")
        notice.click()
        page.wait_for_load_state()
        assert "Votre mission de mardi" in page.content()
        assert page.locator("main .notification .notice").count() == 1
        axe.check(page, f"notifications, an e-mail failed ({language})")
    assert not page.console_errors
    axe.assert_clean()


def test_send_again_with_the_keyboard_only(page, live_app):  # noqa: ANN001
    w = _world(live_app)
    message_id = _fail_a_mail(live_app, w)
    keyboard_login(page, w["admin"], PASSWORD)
    page.goto("/admin/outbox")
    tab_until(page, lambda s: s["action"] == f"/admin/outbox/{message_id}/retry")
    assert focused(page)["tag"] == "BUTTON"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/admin/outbox")
    assert page.locator(".flash").count() == 1
    with live_app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PENDING
