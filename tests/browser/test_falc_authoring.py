"""The easy-read check in the authoring pages, in Chromium with axe-core: findings after
"Check" (no JavaScript needed), live findings while typing, and the confirmation page."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import services
from tests.browser.conftest import DEMO_PASSWORD, login, set_preferences
from tests.consultation_factories import make_round

LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le RSA afin d'améliorer l'accompagnement "
    "proposé par les services sociaux du territoire."
)
_counter = itertools.count(1)


@pytest.fixture
def draft_round(live_app) -> int:  # noqa: ANN001
    with live_app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.name == "CRPA Région Exemple (démo)")
        )
        facilitator = db.session.scalar(
            select(Person).where(Person.email == "animatrice@demo.parole.invalid")
        )
        round_, _ = make_round(org, facilitator, title=f"Vérifier {next(_counter)}")
        round_.subject_easy = LONG
        services.invite_members(facilitator, round_)
        db.session.commit()
        return round_.id


@pytest.mark.parametrize(
    ("lang", "easy"), [("fr", False), ("en", True)], ids=["fr-normal", "en-easy"]
)
def test_findings_after_check_live_and_confirmation(page, axe, draft_round, lang, easy):
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{draft_round}/edit")
    page.locator("main button[name=action][value=check]").click()
    page.wait_for_load_state()
    report = page.locator("#subject_easy-falc")
    assert (
        report.count() == 1 and page.locator("#subject_easy-falc .falc-finding--alert").count() >= 1
    )
    axe.check(page, "edit round with easy-read findings")
    # live: type a new text, the findings follow without submitting
    page.fill("#why_easy", "")
    page.type("#why_easy", LONG, delay=0)
    page.wait_for_selector("#why_easy-falc-live .falc-report", timeout=10_000)
    assert page.locator("#why_easy-falc-live .falc-finding--alert").count() >= 1
    axe.check(page, "edit round with live findings")
    page.goto(f"/consultations/{draft_round}")
    page.locator("form[action$='/announce'] button").click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/announce'] input[name=confirm]").count() == 1
    axe.check(page, "confirmation before announcing")
    set_preferences(page, "fr", False)
    axe.assert_clean()


def test_glossary_page(page, axe):
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    page.goto("/relecture/glossaire")
    axe.check(page, "glossary")
    page.fill("#term", "CLSPD")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "glossary with an error")
    page.fill("#explanation", "conseil local de sécurité")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr td").first.inner_text() == "CLSPD"
    axe.check(page, "glossary with an entry")
    axe.assert_clean()
