"""How people are paid, in Chromium, with axe-core on every state (French, French easy-read,
English easy-read): a request paid to a guardian (the choice asked before sending, refused
without the judge's decision, then saved; finance reads it and pays); a direct purchase
recorded by the facilitator, paid by finance and read by the person; an institute without
finance whose co-trainer pay is still checked and paid by its administrator. Then a choice
of how to be paid made with the keyboard only, from "Mon compte"."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, OrganisationKind, Role
from app.expenses import services as expenses
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseRequest,
    PayChoice,
    RequestKind,
    RequestStatus,
)
from app.expenses.payment_models import ExpensePayee, PayeeMethod, PaymentPreference
from tests.browser.conftest import focused, keyboard_login, login, set_preferences, tab_until
from tests.browser.test_expenses import (
    _check,
    _email,
    _error_state,
    _finish,
    _jpeg_bytes,
    _post,
    _world,
    uploads,  # noqa: F401 - the fixture
)
from tests.factories import PASSWORD, make_org, make_person

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
GUARDIAN_IBAN = "FR1420041010050500013M02606"
_institutes = itertools.count(1)


def _request(live_app, request_id: int) -> ExpenseRequest:  # noqa: ANN001
    with live_app.app_context():
        found = db.session.get(ExpenseRequest, request_id)
        db.session.expunge(found)
        return found


@pytest.fixture
def decision(tmp_path) -> Path:  # noqa: ANN001
    path = tmp_path / "jugement.jpg"
    path.write_bytes(_jpeg_bytes())
    return path


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_request_paid_to_a_guardian_accessible(page, axe, live_app, uploads, decision, lang, easy):  # noqa: F811
    def setup(org, people) -> dict:  # noqa: ANN001
        paul = people["paul"]
        db.session.delete(db.session.get(PaymentPreference, paul.id))  # never chosen yet
        made = expenses.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "CVS"
        )
        line = expenses.add_line(paul, made, expenses.LineInput(Category.LOCAL_TRANSPORT, "3,20"))
        expenses.declare_sworn(paul, line)
        return {"request": made.id}

    world = _world(live_app, setup)
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)

    # the request page asks how to be paid before it offers to send
    page.goto(url)
    summary = page.locator("main section[aria-labelledby=summary]")
    assert summary.locator(f"form[action='{url}/submit']").count() == 0
    choose = summary.locator("a[href*='/expenses/payment-preference']")
    assert choose.count() == 1
    _check(page, axe, problems, "request page, how to be paid not chosen")
    choose.click()
    page.wait_for_load_state()
    action = f"/expenses/payment-preference?request={world['request']}"
    _check(page, axe, problems, "how I am paid, fresh")

    # a guardian without the judge's decision: refused next to the file field
    page.check("input[name=method][value=third_party]")
    page.fill("#iban", GUARDIAN_IBAN)
    page.fill("#third_party_name", "Mme Durand")
    page.select_option("#third_party_role", "guardian")
    _post(page, action)
    _error_state(page, problems, "how I am paid, no document")
    assert page.locator("#document-error").count() == 1
    assert page.input_value("#third_party_name") == "Mme Durand"
    _check(page, axe, problems, "how I am paid, no document")

    # with it: saved, back to the request, which can now be sent
    page.set_input_files("#document", str(decision))
    if not page.input_value("#iban"):
        page.fill("#iban", GUARDIAN_IBAN)
    _post(page, action)
    assert page.url.endswith(f"{url}#summary"), page.url
    _check(page, axe, problems, "request page, ready to send to the guardian")
    _post(page, f"{url}/submit")
    assert _request(live_app, world["request"]).status == RequestStatus.SUBMITTED

    # finance reads who to pay, with the whole IBAN and the decision, and pays
    page.context.clear_cookies()
    login(page, _email(world, "fin"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"{url}/review")
    text = page.locator("main").inner_text()
    assert "Mme Durand" in text and GUARDIAN_IBAN in text.replace(" ", "")
    assert page.locator("main a[href^='/expenses/payment-preference/document/']").count() == 1
    _check(page, axe, problems, "review page, paid to a guardian")
    page.check("input[name=decision][value=approve]")
    _post(page, f"{url}/review")
    page.goto(f"{url}/review")
    assert page.input_value("#third_party_name") == "Mme Durand"
    _check(page, axe, problems, "payment to the guardian")
    _post(page, f"{url}/payment")
    assert _request(live_app, world["request"]).status == RequestStatus.PAID
    with live_app.app_context():
        payee = db.session.get(ExpensePayee, world["request"])
        assert (payee.method, payee.name) == (PayeeMethod.THIRD_PARTY, "Mme Durand")
    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_direct_purchase_accessible(page, axe, live_app, uploads, decision, lang, easy):  # noqa: F811
    world = _world(live_app)
    problems: list[str] = []
    form_url = f"/expenses/organisations/{world['org']}/direct-purchase"
    login(page, _email(world, "fac"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto("/expenses/")
    page.locator(f"main a[href='{form_url}']").click()
    page.wait_for_load_state()
    _check(page, axe, problems, "direct purchase, fresh")

    # no invoice: refused, what was typed kept
    page.select_option("#person_id", str(world["paul"]))
    page.fill("#activity_label", "Réunion du 3 mars")
    page.select_option("#category", "train")
    page.fill("#what", "billet de train")
    page.fill("#supplier", "SNCF")
    page.fill("#amount", "23,40")
    _post(page, form_url)
    _error_state(page, problems, "direct purchase, no invoice")
    assert page.locator("#invoice-error").count() == 1
    assert page.input_value("#supplier") == "SNCF"
    _check(page, axe, problems, "direct purchase, no invoice")

    page.set_input_files("#invoice", str(decision))
    _post(page, form_url)
    with live_app.app_context():
        purchase = db.session.scalar(
            select(ExpenseRequest).where(
                ExpenseRequest.person_id == world["paul"],
                ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE,
            )
        )
    assert page.url.endswith(f"/expenses/{purchase.id}")
    bought = page.locator("main section[aria-labelledby=purchase-title]")
    assert "SNCF" in bought.inner_text() and "billet de train" in bought.inner_text()
    assert bought.locator("a[href*='/expenses/receipts/']").count() == 1
    _check(page, axe, problems, "direct purchase, recorded")

    # finance accepts and pays the supplier
    page.context.clear_cookies()
    login(page, _email(world, "fin"), PASSWORD)
    set_preferences(page, lang, easy)
    review = f"/expenses/{purchase.id}/review"
    page.goto(review)
    assert "facture" not in page.url
    page.check("input[name=decision][value=approve]")
    _post(page, review)
    page.goto(review)
    assert page.input_value("#third_party_name") == "SNCF"
    _post(page, f"/expenses/{purchase.id}/payment")
    assert _request(live_app, purchase.id).status == RequestStatus.PAID

    # the person reads it in their history, never as money owed
    page.context.clear_cookies()
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto("/expenses/")
    paid_for = page.locator("main section[aria-labelledby=paid-for-me-title]")
    assert paid_for.count() == 1
    assert re.search(r"23[,.]40", paid_for.inner_text())
    assert page.locator(f"main table a[href='/expenses/{purchase.id}']").count() == 0
    _check(page, axe, problems, "my costs, with a purchase paid for me")
    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_institute_without_finance_still_reviews_co_trainer_pay(page, axe, live_app, lang, easy):
    prefix = f"bpay{next(_institutes)}-"
    with live_app.app_context():
        institute = make_org(f"{prefix}IRTS", kind=OrganisationKind.TRAINING_INSTITUTE)
        admin = make_person((institute, Role.ADMIN), email=f"{prefix}adm@x.test", name="Adèle")
        make_person((institute, Role.INSTITUTE_STAFF), email=f"{prefix}staff@x.test")
        home = make_org(f"{prefix}CCAS")
        paul = make_person((home, Role.PARTICIPANT), email=f"{prefix}paul@x.test", name="Paul")
        assert not db.session.scalar(
            select(Membership.id).where(
                Membership.organisation_id == institute.id,
                Membership.role.in_((Role.FINANCE, Role.FACILITATOR)),
            )
        )
        db.session.add(PaymentPreference(person_id=paul.id, method=PayeeMethod.CASH))
        pay = expenses.new_draft(
            paul, paul, institute, RequestKind.PAY, ActivityType.CO_TRAINING, "Cours", None, None
        )
        expenses.set_pay(paul, pay, "3", "25,00", PayChoice.PAID, True)
        expenses.submit(paul, pay)
        db.session.commit()
        request_id, admin_email = pay.id, admin.email
    problems: list[str] = []
    review = f"/expenses/{request_id}/review"
    login(page, admin_email, PASSWORD)
    set_preferences(page, lang, easy)
    page.goto("/expenses/")
    assert page.locator(f"main a[href='{review}']").count() == 1
    _check(page, axe, problems, "institute admin's list")
    page.goto(review)
    assert page.locator("main input[name=decision]").count() == 3
    _check(page, axe, problems, "institute admin reviews co-trainer pay")
    page.check("input[name=decision][value=approve]")
    _post(page, review)
    page.goto(review)
    _check(page, axe, problems, "institute admin pays co-trainer")
    page.check("input[name=method][value=cash]")
    page.select_option("#handed_over_by_id", index=1)
    _post(page, f"/expenses/{request_id}/payment")
    assert _request(live_app, request_id).status == RequestStatus.PAID
    _finish(page, axe, problems)


def test_keyboard_only_choice_of_how_to_be_paid(page, live_app):
    def setup(org, people) -> dict:  # noqa: ANN001
        db.session.delete(db.session.get(PaymentPreference, people["paul"].id))
        return {}

    world = _world(live_app, setup)
    keyboard_login(page, _email(world, "paul"), PASSWORD)
    page.goto("/account")
    tab_until(page, lambda s: s["tag"] == "A" and s["href"] == "/expenses/payment-preference")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    state = tab_until(page, lambda s: s["name"] == "method")
    assert state["value"] == "own_account"
    page.keyboard.press("Space")
    for _ in range(3):  # own account -> guardian -> cash -> voucher
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "voucher"
    assert page.locator("input[name=method][value=voucher]").is_checked()
    action = "/expenses/payment-preference"
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == action)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flash-region .flash--success").count() == 1
    with live_app.app_context():
        chosen = db.session.get(PaymentPreference, world["paul"])
        assert chosen is not None and chosen.method == PayeeMethod.VOUCHER
