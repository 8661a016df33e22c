"""Claims without receipts in Chromium: a mileage claim priced at the tax scale and sent with
a statement signed on screen; a childcare claim whose statement a facilitator signs for the
person, with their consent; the organisation's table of rules. axe-core finds nothing in any
state (French, French easy-read, English easy-read), and the mileage claim is made with the
keyboard only.

Each test makes its own organisation and people (a new prefix): the live database is shared
by the whole session and also holds the demo data."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.expenses import payment
from app.expenses import services as expenses
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseLine,
    ExpenseRequest,
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

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
LABEL = "Réunion logement du 3 mars"
CONSENT = "Paul est d'accord : il me l'a dit au téléphone ce matin."
# What the person reads, by language (amounts written the way of each language).
MILEAGE = {"fr": "32 km × 0,636 € = 20,35 €", "en": "32 km × €0.636 = €20.35"}
SENT = {"fr": "Envoyée, en attente de vérification", "en": "Sent, waiting for a check"}
_prefixes = itertools.count(1)


def _world(live_app, with_request: bool = True) -> dict:  # noqa: ANN001
    prefix = f"bnr{next(_prefixes)}-"
    with live_app.app_context():
        org = make_org(f"{prefix}CCAS des Tilleuls")
        paul = make_person(
            (org, Role.PARTICIPANT), email=f"{prefix}paul@x.test", name="Paul Martin"
        )
        fanny = make_person(
            (org, Role.FACILITATOR), email=f"{prefix}fac@x.test", name="Fanny Animatrice"
        )
        fin = make_person((org, Role.FINANCE), email=f"{prefix}fin@x.test", name="Farid")
        world = {"prefix": prefix, "org": org.id, "paul": paul.id, "fac": fanny.id, "fin": fin.id}
        # Paul has said how he is paid (asked before a first request is sent): cash.
        payment.set_preference(paul, paul, payment.PreferenceInput(method="cash"))
        if with_request:
            made = expenses.create_request(
                paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, LABEL
            )
            world["request"] = made.id
        db.session.commit()
    return world


def _email(world: dict, who: str) -> str:
    return f"{world['prefix']}{who}@x.test"


def _lines(live_app, request_id: int) -> tuple:  # noqa: ANN001
    with live_app.app_context():
        found = db.session.get(ExpenseRequest, request_id)
        return found.status, [
            (
                line.category,
                line.amount,
                len(line.receipts),
                line.sworn_statement,
                line.sworn_by_id,
                line.sworn_consent_note,
            )
            for line in found.lines
        ]


def _last_line(live_app, request_id: int) -> int:  # noqa: ANN001
    with live_app.app_context():
        return db.session.scalars(
            select(ExpenseLine.id)
            .where(ExpenseLine.request_id == request_id)
            .order_by(ExpenseLine.id.desc())
        ).first()


def _check(page, axe, problems: list[str], label: str) -> None:  # noqa: ANN001
    axe.check(page, label)
    duplicates = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach("
        "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(id => seen[id] > 1); }"
    )
    if duplicates:
        problems.append(f"{label}: duplicate ids {duplicates}")
    unlabelled = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'main input:not([type=hidden]), main select, main textarea'))"
        ".filter(e => !e.labels || e.labels.length !== 1)"
        ".map(e => e.name || e.id)"
    )
    if unlabelled:
        problems.append(f"{label}: controls without one label {unlabelled}")


def _error_state(page, problems: list[str], label: str) -> None:  # noqa: ANN001
    try:
        expect_error_state(page)
    except AssertionError as exc:
        problems.append(f"{label}: not an error state ({exc})")


def _finish(page, axe, problems: list[str]) -> None:  # noqa: ANN001
    messages = list(problems)
    try:
        axe.assert_clean()
    except AssertionError as exc:
        messages.append(str(exc))
    errors = [e for e in page.console_errors if "status of 400" not in e]
    if errors:
        messages.append(f"console errors: {errors}")
    assert not messages, "\n".join(messages)


def _post(page, action: str) -> None:  # noqa: ANN001
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] button[type=submit]").click()
    page.wait_for_load_state()


def _flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_a_mileage_claim_without_receipt(page, axe, live_app, lang, easy):
    world = _world(live_app)
    problems: list[str] = []
    url = f"/expenses/{world['request']}"
    login(page, _email(world, "paul"), PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(url)
    # The cost form says which costs need no receipt, and asks the car's power.
    assert page.locator("main input[name=vehicle_power]").count() == 5
    _check(page, axe, problems, "request page, no cost")

    # a car without its power: the error, the kilometres and addresses kept
    page.select_option("#category", "car")
    page.fill("#kilometres", "32")
    page.fill("#from_place", "3 rue des Lilas, Arras")
    page.fill("#to_place", "Centre social, Lens")
    _post(page, f"{url}/lines")
    _error_state(page, problems, "car cost without its power")
    assert page.locator("#vehicle_power-error").count() == 1
    assert page.input_value("#kilometres") == "32"
    assert page.input_value("#to_place") == "Centre social, Lens"
    _check(page, axe, problems, "car cost without its power")

    # 5 CV: priced at the scale, the computation shown, the statement offered
    page.check("#vehicle_power-2")
    _post(page, f"{url}/lines")
    assert page.url.endswith(f"{url}#costs")
    line_id = _last_line(live_app, world["request"])
    article = page.locator("main article.expense-line")
    assert MILEAGE[lang] in _flat(article.inner_text())
    assert "Lilas" in article.inner_text()
    sworn = f"/expenses/lines/{line_id}/sworn"
    assert page.locator(f"main form[action='{sworn}']").count() == 1
    _check(page, axe, problems, "car cost added, statement offered")

    # the box not ticked: the error next to it
    _post(page, sworn)
    _error_state(page, problems, "statement not ticked")
    assert page.locator(f"#sworn{line_id}-agreed-error").count() == 1
    _check(page, axe, problems, "statement not ticked")

    # signed: no receipt asked for, the sentence shown with its time; sent
    page.check(f"#sworn{line_id}-agreed")
    _post(page, sworn)
    assert page.locator("main blockquote.sworn-text").count() == 1
    assert page.locator(f"main form[action='{sworn}']").count() == 0
    assert page.locator("main form[enctype='multipart/form-data']").count() == 0
    _check(page, axe, problems, "statement signed")
    _post(page, f"{url}/submit")
    assert page.locator("main dl.summary-list dd").first.inner_text().strip() == SENT[lang]
    _check(page, axe, problems, "mileage claim sent")
    status, lines = _lines(live_app, world["request"])
    assert status == RequestStatus.SUBMITTED
    assert lines == [(Category.CAR, Decimal("20.35"), 0, True, world["paul"], None)]
    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_a_childcare_claim_with_a_statement_signed_by_a_facilitator_for_the_person(
    page, axe, live_app, lang, easy
):
    world = _world(live_app, with_request=False)
    problems: list[str] = []
    login(page, _email(world, "fac"), PASSWORD)
    set_preferences(page, lang, easy)

    # the assisted cost request for Paul, with how he agreed
    new = f"/expenses/new?person_id={world['paul']}"
    page.goto(new)
    assert page.locator("#consent_note").count() == 1
    page.check("#kind-0")
    page.check("#activity_type-0")
    page.fill("#activity_label", LABEL)
    page.fill("#consent_note", CONSENT)
    _post(page, new)
    match = re.search(r"/expenses/(\d+)$", page.url)
    assert match, page.url
    request_id = int(match.group(1))
    url = f"/expenses/{request_id}"

    # three hours of childcare at the organisation's rate
    page.select_option("#category", "childcare")
    page.fill("#hours", "3")
    _post(page, f"{url}/lines")
    line_id = _last_line(live_app, request_id)
    sworn = f"/expenses/lines/{line_id}/sworn"
    statement = page.locator(f"main form[action='{sworn}']")
    assert statement.count() == 1
    assert "Paul Martin" in statement.locator("label").first.inner_text()
    assert statement.locator(f"#sworn{line_id}-consent_note").count() == 1
    _check(page, axe, problems, "childcare cost, statement for the person")

    # ticked without the consent note: the error next to the note
    page.check(f"#sworn{line_id}-agreed")
    _post(page, sworn)
    _error_state(page, problems, "statement without consent")
    assert page.locator(f"#sworn{line_id}-consent_note-error").count() == 1
    assert page.is_checked(f"#sworn{line_id}-agreed")
    _check(page, axe, problems, "statement without consent")

    page.fill(f"#sworn{line_id}-consent_note", CONSENT)
    _post(page, sworn)
    assert page.locator("main blockquote.sworn-text").count() == 1
    assert "Paul Martin" in page.locator("main blockquote.sworn-text").inner_text()
    _check(page, axe, problems, "statement signed for the person")
    _post(page, f"{url}/submit")
    assert page.locator("main dl.summary-list dd").first.inner_text().strip() == SENT[lang]
    _check(page, axe, problems, "childcare claim sent")
    status, lines = _lines(live_app, request_id)
    assert status == RequestStatus.SUBMITTED
    assert lines == [(Category.CHILDCARE, Decimal("36.00"), 0, True, world["fac"], CONSENT)]
    _finish(page, axe, problems)


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_the_rules_without_receipt_table(page, axe, live_app, lang, easy):
    world = _world(live_app, with_request=False)
    problems: list[str] = []
    login(page, _email(world, "fin"), PASSWORD)
    set_preferences(page, lang, easy)
    url = f"/expenses/organisations/{world['org']}/settings"
    page.goto(url)
    table = page.locator("main table")
    assert table.locator("tbody tr").count() == len(Category)
    assert page.is_checked("#sworn_car") and not page.is_checked("#sworn_train")
    assert page.input_value("#ceiling_parking") in ("30,00", "30.00")
    _check(page, axe, problems, "settings, the rules table")

    page.check("#sworn_train")
    page.fill("#ceiling_train", "beaucoup")
    _post(page, url)
    _error_state(page, problems, "settings, a wrong limit")
    assert page.locator("#ceiling_train-error").count() == 1
    assert page.input_value("#ceiling_train") == "beaucoup"
    assert page.is_checked("#sworn_train")
    _check(page, axe, problems, "settings, a wrong limit")

    page.fill("#ceiling_train", "60")
    _post(page, url)
    assert page.input_value("#ceiling_train") in ("60,00", "60.00")
    _check(page, axe, problems, "settings saved")
    _finish(page, axe, problems)


def test_keyboard_only_mileage_claim(page, live_app):
    world = _world(live_app)
    url = f"/expenses/{world['request']}"
    keyboard_login(page, _email(world, "paul"), PASSWORD)
    page.goto(url)

    # the kind of cost: arrows down to "Car (kilometres)"
    tab_until(page, lambda s: s["id"] == "category")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.input_value("#category") == "car"
    tab_until(page, lambda s: s["id"] == "kilometres")
    page.keyboard.type("32")
    # the power: the first choice takes the focus, two arrows down to 5 CV
    state = tab_until(page, lambda s: s["name"] == "vehicle_power")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "5"
    assert page.locator("#vehicle_power-2").is_checked()
    assert state["value"] == "3"
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == f"{url}/lines")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "32 km × 0,636 € = 20,35 €" in _flat(page.locator("main").inner_text())

    # the statement: Space ticks its box, Enter signs it
    line_id = _last_line(live_app, world["request"])
    sworn = f"/expenses/lines/{line_id}/sworn"
    tab_until(page, lambda s: s["id"] == f"sworn{line_id}-agreed")
    page.keyboard.press("Space")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == sworn)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()

    # sent with Enter
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["action"] == f"{url}/submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    status, lines = _lines(live_app, world["request"])
    assert status == RequestStatus.SUBMITTED
    assert lines == [(Category.CAR, Decimal("20.35"), 0, True, world["paul"], None)]
    assert [e for e in page.console_errors if "status of 400" not in e] == []
