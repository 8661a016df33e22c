"""Finance at work in Chromium: the queue of 20 requests, the error when nothing is ticked,
the 20 requests accepted with the keyboard only, then paid in one batch, and the bank file
(SEPA pain.001) downloaded from the page validates against its schema. axe-core finds
nothing in any state, in French, French easy-read and English easy-read, in one browser
page. Each test makes its own organisation and people (a new prefix)."""

from __future__ import annotations

import itertools
import os

import pytest

from app import db
from app.accounts.models import Role
from app.expenses import finance, payment
from app.expenses import services as expenses
from app.expenses.models import ExpenseRequest, RequestStatus
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    set_preferences,
    tab_until,
)
from tests.factories import PASSWORD, make_org, make_person
from tests.worlds import a_cost_request

pytestmark = pytest.mark.browser

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IBAN = "FR1420041010050500013M02606"
_prefixes = itertools.count(1)


def _world(live_app) -> dict:  # noqa: ANN001
    prefix = f"fin{next(_prefixes)}-"
    with live_app.app_context():
        org = make_org(f"{prefix}CCAS des Tilleuls")
        fin = make_person((org, Role.FINANCE), email=f"{prefix}fin@x.test", name="Farid")
        people = [
            make_person((org, Role.PARTICIPANT), email=f"{prefix}p{i}@x.test", name=f"Paul {i}")
            for i in range(2)
        ]
        for person in people:
            payment.set_preference(
                person, person, payment.PreferenceInput(method="own_account", iban=IBAN)
            )
            expenses.set_bank_details(person, person, IBAN, person.display_name)
        ids = [a_cost_request(people[i % 2], org, fin, step="submitted")[0].id for i in range(20)]
        finance.set_account(
            fin, org.id, "CCAS des Tilleuls", "FR7630006000011234567890189", "AGRIFRPP"
        )
        db.session.commit()
    return {"email": f"{prefix}fin@x.test", "ids": ids, "org": org.id}


def _statuses(live_app, ids):  # noqa: ANN001, ANN202
    with live_app.app_context():
        return {db.session.get(ExpenseRequest, i).status for i in ids}


def test_a_batch_of_20_accepted_with_the_keyboard_and_paid_with_a_valid_sepa_file(
    page, axe, live_app, tmp_path
):
    live_app.config["UPLOAD_ROOT"] = live_app.config.get("UPLOAD_ROOT") or str(tmp_path)
    world = _world(live_app)
    keyboard_login(page, world["email"], PASSWORD)
    for lang, easy in VARIANTS:
        set_preferences(page, lang, easy)
        page.goto("/")  # "For you now": the requests waiting for this person's check
        assert page.locator("main a[href='/expenses/finance']").count() >= 1
        axe.check(page, f"home, 20 requests to check ({lang}, easy={easy})")
        page.goto("/expenses/finance")
        assert page.locator("main tbody tr").count() == 20
        axe.check(page, f"queue of 20 ({lang}, easy={easy})")
        with page.expect_navigation():
            page.locator("main button[value=approve]").click()
        expect_error_state(page)
        axe.check(page, f"nothing ticked ({lang}, easy={easy})")
        # The organisation's bank account and ledger accounts, and their error states.
        for form_page, box, wrong in (
            (f"/expenses/organisations/{world['org']}/bank-account", "#iban", "FR76 0000"),
            (f"/expenses/organisations/{world['org']}/ledger", "#ledger_train", "AB"),
        ):
            page.goto(form_page)
            axe.check(page, f"{form_page} ({lang}, easy={easy})")
            page.fill(box, wrong)
            with page.expect_navigation():
                page.locator("main form button[type=submit]").last.click()
            expect_error_state(page)
            axe.check(page, f"{form_page}, wrong value ({lang}, easy={easy})")

    # Keyboard only: tick the 20 requests with Space, then press the button to accept them.
    page.goto("/expenses/finance")
    for i in range(20):
        tab_until(page, lambda s, i=i: s["id"] == f"request_ids-{i}")
        page.keyboard.press("Space")
    tab_until(page, lambda s: s["value"] == "approve")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _statuses(live_app, world["ids"]) == {RequestStatus.APPROVED}
    assert focused(page) is not None
    axe.check(page, "20 accepted")

    # Pay them all in one batch, then download the bank file.
    for box in page.locator("main input[name=request_ids]").all():
        box.check()
    with page.expect_navigation():
        page.locator("main button[value=pay]").click()
    assert _statuses(live_app, world["ids"]) == {RequestStatus.PAID}
    link = page.locator("main #bank-file-title ~ p a[href*='/expenses/finance/transfers.xml']")
    assert link.count() == 1
    href = link.get_attribute("href")
    axe.check(page, "20 paid, bank file offered")
    # Later, away from the page right after the batch: the bank file is found again.
    for lang, easy in VARIANTS:
        set_preferences(page, lang, easy)
        page.goto("/expenses/finance")
        recent = page.locator("main section[aria-labelledby=recent-title] a[href*='transfers.xml']")
        assert recent.count() == 1
        axe.check(page, f"recent transfers ({lang}, easy={easy})")
    set_preferences(page, "fr", False)
    response = page.request.get(href)
    assert response.status == 200
    xml = response.text()
    import sepaxml
    import xmlschema

    schema = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    xmlschema.XMLSchema(schema).validate(xml)
    assert xml.count("<CdtTrfTxInf>") == 20 and "<CtrlSum>250.00</CtrlSum>" in xml
    axe.assert_clean()
