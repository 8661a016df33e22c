""" "My data" in Chromium with axe-core: the page with and without agreements, the download
page, the readable export and the page inside the downloaded ZIP, closing (empty, with errors, blocked, done), the public page on
data protection, the retention setting with an error; closing an account with the keyboard
only."""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest

from app import db
from app.accounts.models import Role
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from tests.browser.conftest import focused, keyboard_login, login, set_preferences, tab_until
from tests.factories import PASSWORD, make_org, make_person

_n = itertools.count(1)


def _person(live_app, blocked: bool = False) -> dict:
    n = next(_n)
    with live_app.test_request_context("/"):
        org = make_org(f"bmd{n}-CRPA des Données")
        person = make_person(
            (org, Role.PARTICIPANT), email=f"bmd{n}@example.test", name="Sam Lecteur"
        )
        admin = make_person(email=f"bmd{n}-admin@example.test", admin=True)
        if blocked:
            db.session.add(
                ExpenseRequest(
                    organisation_id=org.id,
                    person_id=person.id,
                    kind=RequestKind.REIMBURSEMENT,
                    activity_type=ActivityType.CONSULTATION,
                    status=RequestStatus.SUBMITTED,
                )
            )
        world = {"email": person.email, "admin": admin.email, "org": org.id}
        db.session.commit()
    return world


@pytest.mark.parametrize(
    ("language", "easy_read"), [("fr", False), ("en", True)], ids=["fr", "en-easy"]
)
def test_my_data_pages_have_no_axe_violation(page, axe, live_app, language, easy_read):  # noqa: ANN001
    w = _person(live_app)
    login(page, w["email"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto("/account/data")
    assert page.locator("h1").count() == 1
    axe.check(page, f"my data, no agreement ({language})")
    page.locator('form[action="/account/consents/photos/give"] button').click()
    page.wait_for_load_state()
    assert page.locator('form[action="/account/consents/photos/withdraw"]').count() == 1
    axe.check(page, f"my data, an agreement given ({language})")
    page.locator('form[action="/account/data/link"] button').click()
    page.wait_for_load_state()
    assert "/account/data/" in page.url
    axe.check(page, f"download page ({language})")
    download_page = page.url
    zip_link = page.locator('main a[href$="/parole-mes-donnees.zip"]')
    assert zip_link.count() == 1
    page.locator('main a[href$="/readable"]').click()
    page.wait_for_load_state()
    assert w["email"] in page.content()
    axe.check(page, f"readable export ({language})")
    # The page inside the ZIP, as the person opens it from their own computer.
    archive = page.request.get(download_page + "/parole-mes-donnees.zip")
    assert archive.ok
    with zipfile.ZipFile(io.BytesIO(archive.body())) as files:
        page.set_content(files.read("mes-donnees.html").decode())
    assert w["email"] in page.content()
    axe.check(page, f"the page in the downloaded ZIP ({language})")
    page.goto("/account/close")
    axe.check(page, f"close, empty ({language})")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe.check(page, f"close, errors ({language})")
    page.goto("/data-protection")
    axe.check(page, f"data protection page ({language})")
    # The closing form sent empty answers 400: allowed, nothing else.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    axe.assert_clean()


def test_blocked_closing_retention_error_and_closed_page(page, axe, live_app):  # noqa: ANN001
    w = _person(live_app, blocked=True)
    login(page, w["email"], PASSWORD)
    page.goto("/account/close")
    assert page.locator("main form").count() == 0  # nothing to submit: a request is on its way
    axe.check(page, "close, blocked by a request being paid")
    page.goto("/account/closed")
    axe.check(page, "account closed")
    page.context.clear_cookies()
    login(page, w["admin"], PASSWORD)
    page.goto(f"/admin/organisations/{w['org']}")
    page.fill("#retention_months", "200")
    page.locator(f'form[action="/admin/organisations/{w["org"]}/retention"] button').click()
    page.wait_for_load_state()
    assert page.locator("#retention_months-error").count() == 1
    axe.check(page, "organisation page, retention error")
    axe.assert_clean()


def test_keyboard_only_closing_an_account(page, live_app):  # noqa: ANN001
    w = _person(live_app)
    keyboard_login(page, w["email"], PASSWORD)
    page.goto("/account/data")
    tab_until(page, lambda f: f["tag"] == "A" and (f["href"] or "").endswith("/account/close"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_until(page, lambda f: f["id"] == "secret")
    page.keyboard.type(PASSWORD)
    tab_until(page, lambda f: f["id"] == "understood")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["action"] == "/account/close")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/account/closed"), focused(page)
    page.goto("/account")
    assert "/login" in page.url
