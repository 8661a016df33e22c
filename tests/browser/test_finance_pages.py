"""Finance's long queue and the receipts it cannot draw, in Chromium: a queue of 60 requests
in two pages (the filters kept in the page links), the costs page with the ten oldest, a
review page whose PDF receipt cannot be drawn (a sentence and a download link instead of the
picture) and that receipt's picture address opened alone. axe-core finds nothing in any
state, in French, French easy-read and English easy-read, in one browser page."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from app import db
from app.accounts.models import Role
from app.expenses import services as expenses
from app.expenses.categories import Category
from app.expenses.models import ActivityType, RequestKind
from tests.browser.conftest import keyboard_login, set_preferences
from tests.factories import PASSWORD, make_org, make_person
from tests.worlds import a_cost_request, a_payment_choice

pytestmark = pytest.mark.browser

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
_prefixes = itertools.count(1)


def _a_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(text="Facture 8,00 EUR")
    return bytes(pdf.output())


def _world(live_app) -> dict:  # noqa: ANN001
    prefix = f"finpages{next(_prefixes)}-"
    with live_app.app_context():
        org = make_org(f"{prefix}CCAS des Tilleuls")
        fin = make_person((org, Role.FINANCE), email=f"{prefix}fin@x.test", name="Farid")
        ana = make_person((org, Role.PARTICIPANT), email=f"{prefix}ana@x.test", name="Ana")
        a_payment_choice(ana)
        for _ in range(60):
            a_cost_request(ana, org, fin, step="submitted", kind=RequestKind.ADVANCE)
        damaged = expenses.create_request(
            ana, ana, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        line = expenses.add_line(ana, damaged, expenses.LineInput(Category.TRAIN, "8,00"))
        receipt = expenses.attach_receipt(ana, line, _a_pdf(), "facture.pdf")
        expenses.submit(ana, damaged)
        _found, path = expenses.receipt_for(ana, receipt.id)
        db.session.commit()
        ids = {"request": damaged.id, "receipt": receipt.id}
    Path(path).write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)  # damaged on the disk
    return {"email": f"{prefix}fin@x.test", **ids}


def test_a_long_queue_in_pages_and_a_receipt_that_cannot_be_drawn(page, axe, live_app, tmp_path):
    live_app.config["UPLOAD_ROOT"] = live_app.config.get("UPLOAD_ROOT") or str(tmp_path)
    world = _world(live_app)
    keyboard_login(page, world["email"], PASSWORD)
    for lang, easy in VARIANTS:
        set_preferences(page, lang, easy)
        variant = f"({lang}, easy={easy})"
        page.goto("/expenses/finance?kind=advance")
        assert page.locator("main tbody tr").count() == 50
        axe.check(page, f"queue, page 1 of 2 {variant}")
        with page.expect_navigation():
            page.locator("main nav a[rel=next]").click()
        assert "kind=advance" in page.url and "page=2" in page.url
        assert page.locator("main tbody tr").count() == 10
        axe.check(page, f"queue, page 2 of 2 {variant}")
        page.goto("/expenses/")
        assert page.locator("main a[href$='/review']").count() == 10
        axe.check(page, f"costs page, the ten oldest {variant}")
        page.goto(f"/expenses/{world['request']}/review")
        assert page.locator("main .receipt-unreadable a").count() == 1
        assert page.locator("main img.chart").count() == 0
        axe.check(page, f"review, a PDF that cannot be drawn {variant}")
        page.goto(f"/expenses/receipts/{world['receipt']}/preview")
        assert page.locator("main a.button").count() == 1
        axe.check(page, f"the picture's address alone {variant}")
    axe.assert_clean()
