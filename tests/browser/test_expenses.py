"""Costs and pay in Chromium: the participant's pages (my requests, a new request, the
request page with its costs, receipts and summary, a pay request with the notice on
benefits, bank details) in every state they reach, in French, French easy-read and English
easy-read; the reviewer's and the finance person's pages (list, check, payment, rates);
then a reimbursement request made with the keyboard only.

Each test makes its own organisation and people (a new prefix): the live database is shared
by the whole session and also holds the demo data. Receipts go to a temporary folder."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from app import db
from app.accounts.models import Membership, Role
from app.expenses import services as expenses
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseLine,
    ExpenseRequest,
    PayChoice,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    tab_until,
)
from tests.factories import PASSWORD, make_org, make_person
from tests.worlds import a_payment_choice

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
IBAN = "FR76 3000 6000 0112 3456 7890 189"
IBAN_COMPACT = IBAN.replace(" ", "")
MASKED_IBAN = "FR•• •••• •••• •••• 0189"
LABEL = "Réunion logement du 3 mars"
TEXTS = {
    "fr": {
        "draft": "Pas encore envoyée",
        "sent": "Envoyée, en attente de vérification",
        "send": "Envoyer ma demande",
        "partly": "Acceptée en partie",
        "paid": "Payée",
    },
    "en": {
        "draft": "Not sent yet",
        "sent": "Sent, waiting for a check",
        "send": "Send my request",
        "partly": "Partly accepted",
        "paid": "Paid",
    },
}
_prefixes = itertools.count(1)


# --- data --------------------------------------------------------------------------------


def _world(live_app, setup: Callable[..., dict] | None = None) -> dict:  # noqa: ANN001
    """A new organisation with a participant, a facilitator and a finance person;
    `setup(org, people)` prepares requests with the services and returns ids."""
    prefix = f"bexp{next(_prefixes)}-"
    with live_app.app_context():
        org = make_org(f"{prefix}CCAS des Tilleuls")
        people = {
            "paul": make_person(
                (org, Role.PARTICIPANT), email=f"{prefix}paul@x.test", name="Paul Martin"
            ),
            "fac": make_person(
                (org, Role.FACILITATOR), email=f"{prefix}fac@x.test", name="Fanny Animatrice"
            ),
            "fin": make_person(
                (org, Role.FINANCE), email=f"{prefix}fin@x.test", name="Farid Finances"
            ),
        }
        a_payment_choice(people["paul"])  # asked before the first request is sent
        world = {"prefix": prefix, "org": org.id} | {k: p.id for k, p in people.items()}
        if setup is not None:
            world.update(setup(org, people))
        db.session.commit()
    return world


def _email(world: dict, who: str) -> str:
    return f"{world['prefix']}{who}@x.test"


def _request(live_app, request_id: int) -> dict:  # noqa: ANN001
    with live_app.app_context():
        found = db.session.get(ExpenseRequest, request_id)
        return {
            "status": found.status,
            "kind": found.kind,
            "activity_type": found.activity_type,
            "activity_label": found.activity_label,
            "organisation_id": found.organisation_id,
            "approved": found.approved_amount,
            "paid": found.paid_amount,
            "method": found.payment_method,
            "handed_over_by_id": found.handed_over_by_id,
            "pay_choice": found.pay_choice,
            "lines": [
                (line.category, line.amount, len(line.receipts), line.sworn_statement)
                for line in found.lines
            ],
        }


def _jpeg_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (80, 60), (220, 200, 170)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def uploads(live_app, tmp_path_factory) -> Path:  # noqa: ANN001
    """The live app stores receipts in a temporary folder during the test."""
    previous = live_app.config["UPLOAD_ROOT"]
    root = tmp_path_factory.mktemp("receipts")
    live_app.config["UPLOAD_ROOT"] = str(root)
    yield root
    live_app.config["UPLOAD_ROOT"] = previous


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:  # noqa: ANN001
    """A real photo of a receipt, and a web page pretending to be one."""
    photo = tmp_path / "billet.jpg"
    photo.write_bytes(_jpeg_bytes())
    fake = tmp_path / "faux.jpg"
    fake.write_bytes(b"<html><body><script>alert(1)</script>Billet</body></html>")
    return {"photo": photo, "fake": fake}


# --- page helpers --------------------------------------------------------------------------


def _console_errors(page) -> list[str]:  # noqa: ANN001
    """Console errors, except Chromium's note on the 400 answers of the error states."""
    return [e for e in page.console_errors if "status of 400" not in e]


def _duplicate_ids(page) -> list[str]:  # noqa: ANN001
    return page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach("
        "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(id => seen[id] > 1); }"
    )


def _unlabelled(page) -> list[str]:  # noqa: ANN001
    """Form controls of the main content without exactly one <label>."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'main input:not([type=hidden]), main select, main textarea'))"
        ".filter(e => !e.labels || e.labels.length !== 1)"
        ".map(e => e.name || e.id || e.outerHTML)"
    )


def _check(page, axe, problems: list[str], label: str) -> None:  # noqa: ANN001
    """axe, plus what axe does not see: duplicate ids and controls without one label."""
    axe.check(page, label)
    duplicates = _duplicate_ids(page)
    if duplicates:
        problems.append(f"{label} ({page.url}): duplicate ids {duplicates}")
    unlabelled = _unlabelled(page)
    if unlabelled:
        problems.append(f"{label} ({page.url}): controls without one label {unlabelled}")


def _error_state(page, problems: list[str], label: str) -> None:  # noqa: ANN001
    """expect_error_state, recorded instead of raised so that the flow goes on."""
    try:
        expect_error_state(page)
    except AssertionError:
        summaries = page.locator(".error-summary").count()
        has_focus = page.evaluate("document.activeElement.classList.contains('error-summary')")
        problems.append(
            f"{label} ({page.url}): not an error state: title {page.title()!r} (expected"
            f" 'Erreur :' or 'Error:' first), {summaries} error summary,"
            f" summary focused: {has_focus}"
        )


def _finish(page, axe, problems: list[str]) -> None:  # noqa: ANN001
    messages = list(problems)
    try:
        axe.assert_clean()
    except AssertionError as exc:
        messages.append(str(exc))
    if _console_errors(page):
        messages.append(f"console errors: {_console_errors(page)}")
    assert not messages, "\n".join(messages)


def _post(page, action: str) -> None:  # noqa: ANN001
    """Press the submit button of the form posting to `action` and wait for the new page."""
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] button[type=submit]").click()
    page.wait_for_load_state()


def _relogin(page, email: str, lang: str = "fr", easy: bool = False) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    login(page, email, PASSWORD)
    set_preferences(page, lang, easy)


def _state(page) -> str:  # noqa: ANN001
    """The first line of the summary list: the state of the request."""
    return page.locator("main dl.summary-list dd").first.inner_text().strip()


def _flash_ok(page) -> None:  # noqa: ANN001
    assert page.locator("main .flash-region .flash--success").count() == 1


# --- the participant's request, step by step --------------------------------------------


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_request_every_state_accessible(
    page, axe, live_app, uploads, files, lang, easy
):
    world = _world(live_app)
    texts = TEXTS[lang]
    problems: list[str] = []
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)

    # my requests: none yet, a link to make one and to the bank details
    page.goto("/expenses/")
    if easy:
        assert "easy-read" in (page.locator("body").get_attribute("class") or "")
    assert page.locator("h1").count() == 1
    assert page.locator("main table").count() == 0
    assert page.locator("main a[href='/expenses/new']").count() == 1
    assert page.locator("main a[href='/expenses/bank']").count() == 1
    _check(page, axe, problems, "my requests, empty")

    # a new request
    page.locator("main a[href='/expenses/new']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/expenses/new")
    assert page.locator("main input[name=kind]").count() == 4
    assert page.locator("main input[name=activity_type]").count() == 4
    assert page.locator("#organisation_id option").count() == 1
    assert page.locator("#consent_note").count() == 0  # only when filled for someone
    _check(page, axe, problems, "new request")

    # nothing chosen: the error, the typed name kept
    page.fill("#activity_label", LABEL)
    page.fill("#activity_on", "2027-03-21")  # an <input type=date>
    _post(page, "/expenses/new")
    _error_state(page, problems, "new request with an error")
    assert page.locator("#kind-error").count() == 1
    assert page.locator("#activity_type-error").count() == 1
    assert page.locator("main input[name=kind]").first.get_attribute("aria-invalid") == "true"
    assert page.input_value("#activity_label") == LABEL
    assert page.input_value("#activity_on") == "2027-03-21"
    _check(page, axe, problems, "new request with an error")

    # created: the request page, no cost, the summary says what is missing
    page.check("#kind-0")
    assert page.locator("#kind-0").get_attribute("value") == "reimbursement"
    page.check("#activity_type-0")
    page.select_option("#organisation_id", str(world["org"]))
    _post(page, "/expenses/new")
    match = re.search(r"/expenses/(\d+)$", page.url)
    assert match, page.url
    request_id = int(match.group(1))
    url = f"/expenses/{request_id}"
    assert LABEL in page.locator("main p.lead").inner_text()
    assert _state(page) == texts["draft"]
    assert page.locator("main article.expense-line").count() == 0
    summary = page.locator("main section[aria-labelledby=summary]")
    assert summary.locator(".notice-box li").count() == 1
    assert summary.locator(f"form[action='{url}/submit']").count() == 0
    assert page.locator(f"main form[action='{url}/lines']").count() == 1
    _check(page, axe, problems, "request page, no cost")

    # a cost with a wrong amount: the error, what was typed kept
    page.select_option("#category", "train")
    page.fill("#amount", "douze")
    page.fill("#description", "Lille - Arras")
    _post(page, f"{url}/lines")
    _error_state(page, problems, "add a cost with an error")
    assert page.locator("#amount-error").count() == 1
    assert page.locator("#amount").get_attribute("aria-invalid") == "true"
    assert page.input_value("#amount") == "douze"
    assert page.input_value("#category") == "train"
    assert page.input_value("#description") == "Lille - Arras"
    _check(page, axe, problems, "add a cost with an error")

    # the train cost added
    page.fill("#amount", "23,40")
    _post(page, f"{url}/lines")
    assert page.url.endswith(f"{url}#costs")
    _flash_ok(page)
    lines = page.locator("main article.expense-line")
    assert lines.count() == 1
    assert ("23,40" if lang == "fr" else "23.40") in lines.locator("h3").inner_text()
    assert summary.locator(".notice-box li").count() == 1  # the receipt is missing
    line_action = lines.locator("form[enctype='multipart/form-data']").get_attribute("action")
    line_id = int(re.search(r"/expenses/lines/(\d+)/receipts", line_action).group(1))
    receipt_input = f"#line{line_id}-receipt"
    assert page.locator(receipt_input).get_attribute("name") == f"line{line_id}-receipt"
    # a train ticket needs a receipt: no sworn statement offered
    assert lines.locator(f"form[action='/expenses/lines/{line_id}/sworn']").count() == 0
    _check(page, axe, problems, "request page with a cost without receipt")

    # a web page named .jpg: refused, the error next to the receipt form
    page.set_input_files(receipt_input, str(files["fake"]))
    _post(page, line_action)
    _error_state(page, problems, "receipt refused")
    article = page.locator("main article.expense-line")
    assert article.locator(".error-summary").count() == 1
    assert page.locator(f"#line{line_id}-receipt-error").count() == 1
    assert page.locator(receipt_input).get_attribute("aria-invalid") == "true"
    assert article.locator("a[href^='/expenses/receipts/']").count() == 0
    _check(page, axe, problems, "receipt refused")
    assert list(uploads.rglob("*.jpg")) == []

    # the real photo: a link to download it, nothing missing any more
    page.set_input_files(receipt_input, str(files["photo"]))
    _post(page, line_action)
    assert page.url.endswith(f"{url}#costs")
    _flash_ok(page)
    assert page.locator("main article.expense-line a[href^='/expenses/receipts/']").count() == 1
    assert len(list(uploads.rglob("*.jpg"))) == 1
    assert summary.locator(".notice-box").count() == 0
    send = summary.locator(f"form[action='{url}/submit'] button")
    assert send.count() == 1
    assert send.inner_text().strip() == texts["send"]
    _check(page, axe, problems, "request page ready to send")

    # sent
    _post(page, f"{url}/submit")
    assert page.url.endswith(url)
    _flash_ok(page)
    assert _state(page) == texts["sent"]
    assert page.locator(f"main form[action='{url}/lines']").count() == 0
    assert page.locator("main input[type=file]").count() == 0
    sent = _request(live_app, request_id)
    assert sent["status"] == RequestStatus.SUBMITTED
    assert sent["lines"] == [(Category.TRAIN, Decimal("23.40"), 1, False)]
    _check(page, axe, problems, "request page, sent")

    # my requests: the one sent
    page.goto("/expenses/")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert rows.locator(f"a[href='{url}']").count() == 1
    assert texts["sent"] in rows.inner_text()
    _check(page, axe, problems, "my requests, one sent")

    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_pay_request_notice_and_choice_accessible(page, axe, live_app, lang, easy):
    def setup(org, people) -> dict:  # noqa: ANN001
        paul = people["paul"]
        made = expenses.create_request(
            paul, paul, org, RequestKind.PAY, ActivityType.CO_TRAINING, "Formation des AS"
        )
        return {"request": made.id}

    world = _world(live_app, setup)
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)

    # the notice on benefits comes before the choice
    page.goto(url)
    section = page.locator("main section[aria-labelledby=pay-title]")
    assert section.count() == 1
    assert section.locator(".notice-box li").count() == 4
    assert page.locator("main section[aria-labelledby=costs]").count() == 0
    assert page.locator("#notice_read").is_checked() is False
    assert page.locator("main input[name=pay_choice]").count() == 3
    assert page.locator("main section[aria-labelledby=summary] .notice-box li").count() == 1
    _check(page, axe, problems, "pay request, notice")

    # the choice without ticking "I have read": the error, the choice and numbers kept
    page.check("#pay_choice-0")
    assert page.locator("#pay_choice-0").get_attribute("value") == PayChoice.PAID.value
    page.fill("#hours", "3")
    page.fill("#hourly_rate", "25")
    _post(page, f"{url}/pay")
    _error_state(page, problems, "pay choice with an error")
    assert page.locator("#notice_read-error").count() == 1
    assert page.locator("#pay_choice-0").is_checked()
    assert page.input_value("#hours") == "3"
    assert page.input_value("#hourly_rate") == "25"
    _check(page, axe, problems, "pay choice with an error")
    assert _request(live_app, world["request"])["pay_choice"] is None

    # read and chosen: the total is shown, the request can be sent
    page.check("#notice_read")
    _post(page, f"{url}/pay")
    assert page.url.endswith(f"{url}#summary")
    _flash_ok(page)
    total = page.locator("main section[aria-labelledby=summary] .big-total").inner_text()
    assert ("75,00" if lang == "fr" else "75.00") in total
    assert page.locator("#notice_read").is_checked()
    assert page.locator("#pay_choice-0").is_checked()
    assert page.input_value("#hours") == "3,00"
    assert page.locator(f"main form[action='{url}/submit']").count() == 1
    assert _request(live_app, world["request"])["pay_choice"] == PayChoice.PAID
    _check(page, axe, problems, "pay request with the total")

    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_compensation_amount_set_by_finance_then_sent_accessible(page, axe, live_app, lang, easy):
    def setup(org, people) -> dict:  # noqa: ANN001
        paul = people["paul"]
        made = expenses.create_request(
            paul, paul, org, RequestKind.COMPENSATION, ActivityType.COMMITTEE, "Conseil"
        )
        return {"request": made.id}

    world = _world(live_app, setup)
    texts = TEXTS[lang]
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    form = f"main form[action='{url}/compensation']"

    # the person waits for the amount: no form for them, nothing to send yet
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(url)
    assert page.locator("main section[aria-labelledby=compensation-title]").count() == 1
    assert page.locator(form).count() == 0
    assert page.locator(f"main form[action='{url}/submit']").count() == 0
    _check(page, axe, problems, "compensation, no amount yet")

    # finance: the form, a wrong amount comes back next to the field
    _relogin(page, _email(world, "fin"), lang, easy)
    page.goto(url)
    assert page.locator(form).count() == 1
    _check(page, axe, problems, "compensation form")
    page.fill("#amount", "douze")
    _post(page, f"{url}/compensation")
    _error_state(page, problems, "compensation amount with an error")
    assert page.locator("#amount-error").count() == 1
    assert page.locator("#amount").get_attribute("aria-invalid") == "true"
    assert page.input_value("#amount") == "douze"
    _check(page, axe, problems, "compensation amount with an error")

    page.fill("#amount", "45,50")
    _post(page, f"{url}/compensation")
    assert page.url.endswith(f"{url}#summary")
    _flash_ok(page)
    _check(page, axe, problems, "compensation amount set (finance)")

    # the person sees the amount and sends the request
    _relogin(page, _email(world, "paul"), lang, easy)
    page.goto(url)
    total = page.locator("main section[aria-labelledby=summary] .big-total").inner_text()
    assert ("45,50" if lang == "fr" else "45.50") in total
    assert page.locator(form).count() == 0
    _check(page, axe, problems, "compensation ready to send")
    _post(page, f"{url}/submit")
    assert _state(page) == texts["sent"]
    assert _request(live_app, world["request"])["status"] == RequestStatus.SUBMITTED
    _check(page, axe, problems, "compensation sent")

    _finish(page, axe, problems)


# --- the reviewer and the finance person ---------------------------------------------------


def test_review_and_payment_pages_accessible(page, axe, live_app, uploads):
    def setup(org, people) -> dict:  # noqa: ANN001
        paul = people["paul"]
        made = expenses.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, LABEL
        )
        train = expenses.add_line(
            paul, made, expenses.LineInput(Category.TRAIN, amount="23,40", description="Lille")
        )
        expenses.attach_receipt(paul, train, _jpeg_bytes(), "billet.jpg")
        bus = expenses.add_line(paul, made, expenses.LineInput(Category.LOCAL_TRANSPORT, "3,20"))
        expenses.declare_sworn(paul, bus)
        expenses.submit(paul, made)
        return {"request": made.id, "train": train.id, "bus": bus.id}

    world = _world(live_app, setup)
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    review_url = f"{url}/review"
    login(page, _email(world, "fac"), PASSWORD)
    set_preferences(page, "fr", False)

    # the list: the request to check
    page.goto("/expenses/")
    section = page.locator("main section[aria-labelledby=review-title]")
    assert section.count() == 1
    assert section.locator(f"a[href='{review_url}']").count() == 1
    assert "Envoyée, en attente de vérification" in section.inner_text()
    _check(page, axe, problems, "list with a request to check")

    # the review page: costs, proofs, one amount per cost, no payment yet
    section.locator(f"a[href='{review_url}']").click()
    page.wait_for_load_state()
    assert page.url.endswith(review_url)
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("a[href^='/expenses/receipts/']").count() == 1
    assert "Attestation sur l'honneur" in rows.nth(1).inner_text()
    assert page.locator(f"#line_{world['train']}").count() == 1
    assert page.locator(f"#line_{world['bus']}").count() == 1
    assert page.locator(f"main form[action='{url}/payment']").count() == 0
    _check(page, axe, problems, "review page")

    # refusing without a reason: the error, the decision kept
    page.check("#decision-2")
    assert page.locator("#decision-2").get_attribute("value") == "refuse"
    _post(page, review_url)
    _error_state(page, problems, "review with an error")
    assert page.locator("#reason-error").count() == 1
    assert page.locator("#reason").get_attribute("aria-invalid") == "true"
    assert page.locator("#decision-2").is_checked()
    _check(page, axe, problems, "review with an error")
    assert _request(live_app, world["request"])["status"] == RequestStatus.SUBMITTED

    # accepting less on the train ticket, with the reason
    page.check("#decision-0")
    page.fill(f"#line_{world['train']}", "20")
    page.fill("#reason", "Le billet coûte 20 € avec la carte de réduction.")
    _post(page, review_url)
    assert page.url.endswith("/expenses/")
    _flash_ok(page)
    decided = _request(live_app, world["request"])
    assert decided["status"] == RequestStatus.PARTLY_APPROVED
    assert decided["approved"] == Decimal("23.20")
    row = page.locator(f"main section[aria-labelledby=review-title] tr:has(a[href='{review_url}'])")
    assert "Acceptée en partie" in row.inner_text()
    _check(page, axe, problems, "list after a decision")

    # the finance person: the payment form
    _relogin(page, _email(world, "fin"))
    page.goto(review_url)
    assert page.locator(f"main form[action='{review_url}']").count() == 0  # decided
    assert page.locator(f"main form[action='{url}/payment']").count() == 1
    _check(page, axe, problems, "payment form")

    # cash, but nobody handed it over: the error, the reference kept
    page.check("#method-1")
    assert page.locator("#method-1").get_attribute("value") == PaymentMethod.CASH.value
    page.fill("#reference", "Carnet page 12")
    _post(page, f"{url}/payment")
    _error_state(page, problems, "payment with an error")
    assert page.locator("#handed_over_by_id-error").count() == 1
    assert page.locator("#method-1").is_checked()
    assert page.input_value("#reference") == "Carnet page 12"
    _check(page, axe, problems, "payment with an error")
    assert _request(live_app, world["request"])["status"] == RequestStatus.PARTLY_APPROVED

    # handed over by the facilitator: paid
    page.select_option("#handed_over_by_id", str(world["fac"]))
    _post(page, f"{url}/payment")
    assert page.url.endswith("/expenses/")
    _flash_ok(page)
    assert page.locator(f"main a[href='{review_url}']").count() == 0
    paid = _request(live_app, world["request"])
    assert paid["status"] == RequestStatus.PAID
    assert paid["paid"] == Decimal("23.20")
    assert paid["method"] == PaymentMethod.CASH
    assert paid["handed_over_by_id"] == world["fac"]
    _check(page, axe, problems, "list after the payment")

    # the participant sees "Paid"
    _relogin(page, _email(world, "paul"))
    page.goto(url)
    assert _state(page) == "Payée"
    assert "Payé le" in page.locator("main dl.summary-list").inner_text()
    assert page.locator(f"main form[action='{url}/cancel']").count() == 0
    _check(page, axe, problems, "request page, paid")
    page.goto("/expenses/")
    assert "Payée" in page.locator(f"main table tr:has(a[href='{url}'])").inner_text()
    _check(page, axe, problems, "my requests, paid")

    _finish(page, axe, problems)


# --- bank details and rates ----------------------------------------------------------------


def test_bank_details_and_settings_accessible(page, axe, live_app):
    world = _world(live_app)
    problems: list[str] = []
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, "fr", False)

    # no account yet
    page.goto("/expenses/bank")
    assert page.locator("h1").count() == 1
    assert "•" not in page.locator("main").inner_text()
    assert page.input_value("#iban") == ""
    _check(page, axe, problems, "bank details, empty")

    # a wrong IBAN: the error, what was typed kept
    page.fill("#iban", "FR76 1234 5678")
    page.fill("#holder_name", "Paul Martin")
    _post(page, "/expenses/bank")
    _error_state(page, problems, "bank details with an error")
    assert page.locator("#iban-error").count() == 1
    assert page.locator("#iban").get_attribute("aria-invalid") == "true"
    assert page.input_value("#iban") == "FR76 1234 5678"
    assert page.input_value("#holder_name") == "Paul Martin"
    _check(page, axe, problems, "bank details with an error")

    # saved: shown masked, the whole IBAN nowhere in the page
    page.fill("#iban", IBAN)
    _post(page, "/expenses/bank")
    assert page.url.endswith("/expenses/bank")
    _flash_ok(page)
    assert MASKED_IBAN in page.locator("main").inner_text()
    html = page.content()
    assert IBAN not in html and IBAN_COMPACT not in html and "0112" not in html
    assert page.input_value("#iban") == ""
    _check(page, axe, problems, "bank details saved")

    # the rates of the organisation, for the finance person
    _relogin(page, _email(world, "fin"))
    url = f"/expenses/organisations/{world['org']}/settings"
    page.goto(url)
    assert page.input_value("#km_rate") == ""  # empty: the tax scale for the car's power
    assert page.input_value("#meal_flat_rate") == "15,00"
    assert page.input_value("#payment_days") == "30"
    assert page.locator("main .notice-box").count() == 1  # the rates are examples
    assert page.locator("main input[name^=sworn_]").count() == len(Category)
    assert (
        page.locator("main input[name^=sworn_]:checked").count() == 4
    )  # car, bus, parking, childcare
    _check(page, axe, problems, "settings")

    page.fill("#meal_flat_rate", "x")
    _post(page, url)
    _error_state(page, problems, "settings with an error")
    assert page.locator("#meal_flat_rate-error").count() == 1
    assert page.locator("#meal_flat_rate").get_attribute("aria-invalid") == "true"
    assert page.input_value("#meal_flat_rate") == "x"
    assert page.input_value("#km_rate") == ""
    _check(page, axe, problems, "settings with an error")

    page.fill("#meal_flat_rate", "16,50")
    _post(page, url)
    _flash_ok(page)
    assert page.input_value("#meal_flat_rate") == "16,50"
    assert page.locator("main .notice-box").count() == 0
    with live_app.app_context():
        assert expenses.settings_for(world["org"]).meal_flat_rate == Decimal("16.50")
    _check(page, axe, problems, "settings saved")

    _finish(page, axe, problems)


# --- keyboard only -----------------------------------------------------------------------


def test_keyboard_only_participant_sends_a_request(page, live_app):
    def setup(org, people) -> dict:  # noqa: ANN001
        other = make_org(f"{org.name} bis")
        db.session.add(
            Membership(person_id=people["paul"].id, organisation_id=other.id, role=Role.PARTICIPANT)
        )
        db.session.flush()
        return {"other": other.id}

    world = _world(live_app, setup)

    # log in with the keyboard
    keyboard_login(page, _email(world, "paul"), PASSWORD)

    # a new request: the kind with Space and arrows
    page.goto("/expenses/new")
    state = tab_until(page, lambda s: s["name"] == "kind")
    assert state["value"] == "reimbursement"
    page.keyboard.press("Space")
    assert page.locator("#kind-0").is_checked()
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "advance"
    assert page.locator("#kind-1").is_checked()
    page.keyboard.press("ArrowUp")
    assert focused(page)["value"] == "reimbursement"
    assert page.locator("#kind-0").is_checked()

    # who pays: Tab to the list, an arrow chooses the second organisation
    tab_until(page, lambda s: s["id"] == "organisation_id")
    options = page.locator("#organisation_id option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert sorted(options) == sorted([str(world["org"]), str(world["other"])])
    assert page.input_value("#organisation_id") == options[0]
    page.keyboard.press("ArrowDown")
    assert page.input_value("#organisation_id") == options[1]
    chosen = int(options[1])

    # the activity: the first answer has the focus, an arrow chooses the second
    state = tab_until(page, lambda s: s["name"] == "activity_type")
    assert state["value"] == "consultation"
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "co_training"
    assert page.locator("#activity_type-1").is_checked()
    tab_until(page, lambda s: s["id"] == "activity_label")
    page.keyboard.type(LABEL)
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == "/expenses/new")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    match = re.search(r"/expenses/(\d+)$", page.url)
    assert match, page.url
    request_id = int(match.group(1))
    url = f"/expenses/{request_id}"
    made = _request(live_app, request_id)
    assert made["kind"] == RequestKind.REIMBURSEMENT
    assert made["activity_type"] == ActivityType.CO_TRAINING
    assert made["activity_label"] == LABEL
    assert made["organisation_id"] == chosen

    # a cost: arrows go down to "Taxi" (a receipt is needed there), then back up to
    # "Bus, metro or tram", which may be declared on one's honour
    tab_until(page, lambda s: s["id"] == "category")
    assert page.input_value("#category") == "train"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#category") == "taxi"
    page.keyboard.press("ArrowUp")
    assert page.input_value("#category") == "local_transport"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "amount"
    page.keyboard.type("3,20")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == f"{url}/lines")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(f"{url}#costs")
    assert _request(live_app, request_id)["lines"] == [
        (Category.LOCAL_TRANSPORT, Decimal("3.20"), 0, False)
    ]
    with live_app.app_context():
        line_id = db.session.query(ExpenseLine.id).filter_by(request_id=request_id).scalar()

    # no receipt: the sworn statement, its box ticked with Space, signed with Enter
    sworn = f"/expenses/lines/{line_id}/sworn"
    tab_until(page, lambda s: s["id"] == f"sworn{line_id}-agreed")
    page.keyboard.press("Space")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == sworn)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(f"{url}#costs")
    assert _request(live_app, request_id)["lines"] == [
        (Category.LOCAL_TRANSPORT, Decimal("3.20"), 0, True)
    ]
    assert page.locator(f"main form[action='{sworn}']").count() == 0

    # send it
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == f"{url}/submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(url)
    flash = page.locator(".flash-region .flash--success")
    assert flash.count() == 1
    assert flash.is_visible()
    assert page.locator(f"main form[action='{url}/submit']").count() == 0
    assert _request(live_app, request_id)["status"] == RequestStatus.SUBMITTED
    assert _console_errors(page) == []


# --- a step refused meanwhile ----------------------------------------------------------------


@pytest.mark.parametrize(("lang", "easy"), [("fr", False), ("en", True)], ids=["fr", "en-easy"])
def test_send_refused_meanwhile_is_explained_on_the_request_page(page, axe, live_app, lang, easy):
    """The page showed "Send my request"; in another tab the only cost was removed: sending
    brings the person back to their request with the reason, in the message area, instead of
    an error page."""

    def setup(org, people) -> dict:  # noqa: ANN001
        paul = people["paul"]
        made = expenses.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, LABEL
        )
        line = expenses.add_line(paul, made, expenses.LineInput(Category.LOCAL_TRANSPORT, "3,20"))
        expenses.declare_sworn(paul, line)
        return {"request": made.id, "line": line.id}

    world = _world(live_app, setup)
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(url)
    assert page.locator(f"main form[action='{url}/submit'] button").count() == 1

    with live_app.app_context():  # the other tab
        paul = db.session.get(ExpenseRequest, world["request"]).person
        expenses.remove_line(paul, db.session.get(ExpenseLine, world["line"]))
        db.session.commit()

    _post(page, f"{url}/submit")
    assert page.url.endswith(f"{url}/submit")  # the request page again, answered with a 400
    error = page.locator("main .flash-region .flash--error")
    assert error.count() == 1 and error.is_visible()
    expected = {"fr": "Ajoutez au moins une dépense.", "en": "Add at least one cost."}[lang]
    assert error.inner_text().strip() == expected
    assert _state(page) == TEXTS[lang]["draft"]
    assert page.locator(f"main form[action='{url}/submit']").count() == 0
    assert _request(live_app, world["request"])["status"] == RequestStatus.DRAFT
    _check(page, axe, problems, "send refused meanwhile")
    _finish(page, axe, problems)
