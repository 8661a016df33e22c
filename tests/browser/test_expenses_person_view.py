"""The person's view of their requests, in Chromium, with axe-core on every state, in French,
French easy-read and English easy-read in one browser page: the list (with the balance after
an advance), a request being filled (no note on example rates: that is for staff), a request partly
accepted then paid (each cost and why, how and when it was paid), an advance and its real
costs before and after the decision (linked both ways, the balance owed). Then the same
story read with the keyboard only: from the list to the real costs, then to the advance."""

from __future__ import annotations

from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, PaymentMethod, RequestKind
from tests.browser.conftest import focused, keyboard_login, set_preferences, tab_until
from tests.browser.test_expenses import (
    _check,
    _email,
    _finish,
    _world,
    uploads,  # noqa: F401 - the fixture
)
from tests.factories import PASSWORD
from tests.worlds import a_jpeg


def _requests(org, people) -> dict:  # noqa: ANN001
    paul, fin, fac = people["paul"], people["fin"], people["fac"]

    def made(kind, label, lines, receipts=True):  # noqa: ANN001, ANN202
        request = expenses.create_request(paul, paul, org, kind, ActivityType.CONSULTATION, label)
        for category, amount in lines:
            line = expenses.add_line(paul, request, expenses.LineInput(category, amount))
            if receipts:
                expenses.attach_receipt(paul, line, a_jpeg(), "billet.jpg")
        return request

    def pay(request):  # noqa: ANN001, ANN202
        expenses.pay(fin, request, expenses.Payment(PaymentMethod.CASH, "", fac.id))

    draft = made(RequestKind.REIMBURSEMENT, "Atelier budget", [(Category.TAXI, "8,00")])
    partly = made(
        RequestKind.REIMBURSEMENT,
        "Réunion logement",
        [(Category.TRAIN, "12,50"), (Category.TAXI, "30,00")],
    )
    expenses.submit(paul, partly)
    taxi = partly.lines[1].id
    expenses.review(
        fin, partly, expenses.Review("approve", "Le taxi est payé jusqu'à 20 euros.", {taxi: "20"})
    )
    pay(partly)
    advance = made(RequestKind.ADVANCE, "Forum", [(Category.TRAIN, "38,40")], receipts=False)
    expenses.submit(paul, advance)
    expenses.review(fin, advance, expenses.Review("approve"))
    pay(advance)
    settlement = expenses.settle_advance(paul, advance)
    line = expenses.add_line(paul, settlement, expenses.LineInput(Category.TRAIN, "41,20"))
    expenses.attach_receipt(paul, line, a_jpeg(), "billet.jpg")
    expenses.submit(paul, settlement)
    return {
        "draft": draft.id,
        "partly": partly.id,
        "advance": advance.id,
        "settlement": settlement.id,
    }


def test_person_reads_their_requests_accessible(page, axe, live_app, uploads):  # noqa: F811
    world = _world(live_app, _requests)
    problems: list[str] = []
    keyboard_login(page, _email(world, "paul"), PASSWORD)
    for lang, easy in (("fr", False), ("fr", True), ("en", True)):
        state = f"{lang}{' easy-read' if easy else ''}"
        set_preferences(page, lang, easy)
        page.goto(f"/expenses/{world['draft']}")
        # The example rates are a note for the staff who set them, not for the person.
        assert (
            page.locator("main .hint", has_text="exemples" if lang == "fr" else "examples").count()
            == 0
        )
        _check(page, axe, problems, f"request being filled, {state}")
        page.goto(f"/expenses/{world['partly']}")
        text = page.locator("main").inner_text()
        assert "Le taxi est payé jusqu'à 20 euros." in text
        assert ("20,00" in text and "30,00" in text) or ("20.00" in text and "30.00" in text)
        _check(page, axe, problems, f"request partly accepted and paid, {state}")
        page.goto(f"/expenses/{world['settlement']}")
        assert page.locator(f"main a[href='/expenses/{world['advance']}']").count() == 1
        assert (
            "2,80" in page.locator("main").inner_text()
            or "2.80" in page.locator("main").inner_text()
        )
        _check(page, axe, problems, f"real costs before the decision, {state}")
        page.goto(f"/expenses/{world['advance']}")
        assert page.locator(f"main a[href='/expenses/{world['settlement']}']").count() == 1
        _check(page, axe, problems, f"advance with its real costs, {state}")
        page.goto("/expenses/")
        _check(page, axe, problems, f"my requests, {state}")
    # The real costs accepted: the list shows what is still owed, not the costs.
    with live_app.app_context():
        from app import db
        from app.expenses.models import ExpenseRequest

        settlement = db.session.get(ExpenseRequest, world["settlement"])
        fin = db.session.get(type(settlement.person), world["fin"])
        expenses.review(fin, settlement, expenses.Review("approve"))
        db.session.commit()
    set_preferences(page, "fr", False)
    page.goto("/expenses/")
    table = page.locator("main table").first.inner_text()
    assert "Nous vous devons encore 2,80" in table and "41,20" not in table
    _check(page, axe, problems, "my requests after the real costs are accepted, fr")

    # Keyboard only: from the list to the real costs, then to the advance they settle.
    tab_until(page, lambda s: s["href"] == f"/expenses/{world['settlement']}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/expenses/{world['settlement']}")
    tab_until(page, lambda s: s["href"] == f"/expenses/{world['advance']}")
    assert "Forum" in focused(page)["text"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/expenses/{world['advance']}")
    assert "Nous vous devons encore 2,80" in page.locator("main").inner_text()
    _finish(page, axe, problems)
