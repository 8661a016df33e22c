"""The yearly report in Chromium, with axe-core: a year with data (rounds answered alone,
with help and on paper, feedback, evaluations, money paid, co-training) and an empty year,
in French and in English easy-read; the PDF link gives a PDF.

The test makes its own organisation (a new prefix): the live database is shared by the whole
session and also holds the demo data."""

from __future__ import annotations

import itertools

import pytest

from app import db
from app.consultations.models import EvaluationAnswer
from app.expenses.models import RequestKind
from tests.browser.conftest import login, set_preferences
from tests.factories import PASSWORD
from tests.unit.kit.test_report import (
    YEAR,
    Org,
    held_round,
    mission_with_attendance,
    paid_request,
    paris,
)

VARIANTS = [("fr", False), ("en", True)]
IDS = ["fr-normal", "en-easy"]
_prefixes = itertools.count(1)


def _world(live_app) -> dict:  # noqa: ANN001
    prefix = f"brep{next(_prefixes)}-"
    e = EvaluationAnswer
    with live_app.test_request_context("/"):
        o = Org(f"{prefix}CRPA des Tilleuls", people=6)
        p = o.people
        held_round(
            o,
            paris(YEAR, 2, 10),
            alone=p[0:3],
            helped=p[3:4],
            paper=2,
            due=paris(YEAR, 5, 1),
            published=paris(YEAR, 4, 20),
            items=2,
            evaluations=[(p[0], (e.YES, e.YES, e.NO, e.YES))]
            + [(q, (e.YES, e.A_LITTLE, e.YES, e.YES)) for q in p[1:3]],
            title="Le logement",
        )
        held_round(
            o,
            paris(YEAR, 6, 1),
            alone=p[4:6],
            due=paris(YEAR, 9, 1),
            published=paris(YEAR, 9, 15),
            title="La santé",
        )
        paid_request(
            o, p[0], RequestKind.REIMBURSEMENT, "12,40", paris(YEAR, 3, 1), paris(YEAR, 3, 20)
        )
        paid_request(o, p[1], RequestKind.PAY, "20", paris(YEAR, 5, 1), paris(YEAR, 5, 9))
        mission_with_attendance(
            o, [(paris(YEAR, 3, 5, 9), 3)], present=[["", "2,5"]], paid=[paris(YEAR, 4, 1)]
        )
        world = {"org": o.org.id, "email": o.fac.email}
        db.session.commit()
    return world


@pytest.mark.parametrize(("language", "easy_read"), VARIANTS, ids=IDS)
def test_report_pages_have_no_axe_violation(page, axe, live_app, language, easy_read):  # noqa: ANN001
    world = _world(live_app)
    login(page, world["email"], PASSWORD)
    set_preferences(page, language, easy_read)
    base = f"/kit/organisations/{world['org']}/report"

    page.goto(f"{base}/{YEAR}")
    assert page.locator("h1").count() == 1
    assert page.locator("main table").count() == 6
    assert page.locator("main caption").count() == 6
    summary = page.locator("#in-short + ul li")
    assert 5 <= summary.count() <= 9
    if language == "en":
        assert summary.first.inner_text() == f"In {YEAR}, you held 2 consultations."
    assert "8" in summary.nth(1).inner_text()  # 6 people with an account + 2 paper
    axe.check(page, f"report {YEAR} ({language}, easy-read={easy_read})")

    pdf = page.request.get(f"{base}/{YEAR}.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    page.locator(f'a[href="{base}/{YEAR - 1}"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{base}/{YEAR - 1}")
    assert page.locator("#in-short + ul li").count() == 2  # nothing happened that year
    axe.check(page, f"report {YEAR - 1}, empty ({language}, easy-read={easy_read})")
    assert not page.console_errors
    axe.assert_clean()
