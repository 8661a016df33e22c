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


def test_round_page_with_the_easy_read_badge_and_proofreading_table(page, axe, live_app):
    from app.accounts.models import Role
    from app.consultations.models import RoundStatus
    from app.falc import proofreading

    with live_app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.name == "CRPA Région Exemple (démo)")
        )
        facilitator = db.session.scalar(
            select(Person).where(Person.email == "animatrice@demo.parole.invalid")
        )
        reader = db.session.scalar(select(Person).where(Person.email == "jean@demo.parole.invalid"))
        round_, _ = make_round(org, facilitator, title=f"Badge {next(_counter)}")
        services.invite_members(facilitator, round_)
        proofreading.register_proofreader(
            facilitator, reader, "Il a dit oui à la réunion.", True, org
        )
        request = proofreading.request_proofreading(
            facilitator,
            org,
            "consultation_round",
            round_.id,
            "subject_easy",
            round_.subject_easy,
            [reader.id],
        )
        for index in range(len(request.sentences)):
            proofreading.mark_sentence(reader, request, index, True)
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
        db.session.commit()
        round_id = round_.id
        assert any(m.role == Role.PARTICIPANT for m in reader.memberships)
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}")
    assert page.locator(".easy-read-badge").count() == 1
    assert page.locator("#proofreading + p + table .proofreading-status--validated").count() == 1
    axe.check(page, "round page with the badge, as facilitator")
    page.context.clear_cookies()
    login(page, "jean@demo.parole.invalid", DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}")
    assert "Jean" in page.locator(".easy-read-badge").inner_text()
    axe.check(page, "round page with the badge, as participant")
    axe.assert_clean()
