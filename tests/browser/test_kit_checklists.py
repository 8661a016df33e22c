"""The kit's checklists in Chromium, with axe-core on every state reached: a round's
checklist, the same page after a tick without its note (error state) and after the tick is
saved, a mission's checklist, and the organisation's dashboard.

Each test makes its own organisation and people (a new prefix): the live database is shared
by the whole session and also holds the demo data."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.consultations.services import RoundData
from app.db import utcnow
from app.trainings import services as trainings
from app.trainings.models import MissionStatus, MissionType
from app.trainings.services import MissionData
from tests.browser.conftest import expect_error_state, login
from tests.consultation_factories import make_round
from tests.factories import PASSWORD, make_org, make_person

_prefixes = itertools.count(1)


def _world(live_app) -> dict:  # noqa: ANN001
    """An organisation that runs consultations and co-training: a facilitator, a round being
    prepared, a round whose feedback is late, and a mission whose first session is over."""
    prefix = f"bkit{next(_prefixes)}-"
    with live_app.app_context():
        org = make_org(f"{prefix}IRTS et CRPA", kind=OrganisationKind.TRAINING_INSTITUTE)
        facilitator = make_person(
            (org, Role.FACILITATOR), email=f"{prefix}fac@x.test", name="Fanny Animatrice"
        )
        staff = make_person((org, Role.INSTITUTE_STAFF), email=f"{prefix}staff@x.test")
        round_, _fac = make_round(org, facilitator, title=f"{prefix}Le logement")
        consultations.create_paper_codes(facilitator, round_, 2)
        now = utcnow()
        consultations.create_round(
            facilitator,
            org,
            RoundData(
                title=f"{prefix}Le transport",
                title_easy="Le bus et le train",
                opens_at=now - timedelta(days=120),
                closes_at=now - timedelta(days=100),
            ),
        )
        start = now - timedelta(days=2)
        mission = trainings.create_mission(
            staff,
            org,
            MissionData(
                type=MissionType.TEACHING,
                title=f"{prefix}Parler du logement",
                seats=2,
                sessions=[
                    (start, start + timedelta(hours=3)),
                    (start + timedelta(days=9), start + timedelta(days=9, hours=3)),
                ],
                place="IRTS, 12 rue de l'École, Lille",
                step_free=True,
                hourly_rate=Decimal("20.00"),
                covered_costs=["meal"],
            ),
        )
        trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
        db.session.commit()
        return {
            "prefix": prefix,
            "org": org.id,
            "round": round_.id,
            "mission": mission.id,
        }


def test_round_checklist_with_a_tick_error_then_saved(live_app, page, axe):  # noqa: ANN001
    world = _world(live_app)
    login(page, f"{world['prefix']}fac@x.test", PASSWORD)
    page.goto(f"/kit/rounds/{world['round']}/checklist")
    assert page.locator("h1").count() == 1
    assert page.locator("#item-easy_read .badge").inner_text().strip()
    axe.check(page, "round checklist")

    form = page.locator(f"form[action='/kit/rounds/{world['round']}/checklist/place_access']")
    form.locator("input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect_error_state(page)
    assert page.locator("#place_access-note[aria-invalid=true]").count() == 1
    axe.check(page, "round checklist, tick without a note")

    form = page.locator(f"form[action='/kit/rounds/{world['round']}/checklist/place_access']")
    form.locator("input[type=checkbox]").check()
    page.fill("#place_access-note", "Salle au rez-de-chaussée, avec une rampe.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("#item-place_access")
    assert "Fanny Animatrice" in page.locator("#item-place_access").inner_text()
    axe.check(page, "round checklist, item ticked")
    assert not page.console_errors or all("status of 400" in e for e in page.console_errors)
    axe.assert_clean()


def test_mission_checklist_and_dashboard(live_app, page, axe):  # noqa: ANN001
    world = _world(live_app)
    login(page, f"{world['prefix']}fac@x.test", PASSWORD)
    page.goto(f"/kit/missions/{world['mission']}/checklist")
    assert "Parler du logement" in page.locator("main").inner_text()
    axe.check(page, "mission checklist")

    page.goto(f"/kit/organisations/{world['org']}")
    rows = page.locator("main table").first.locator("tbody tr")
    assert "Le transport" in rows.nth(0).inner_text()  # late feedback first
    assert "Le logement" in rows.nth(1).inner_text()
    axe.check(page, "dashboard")
    page.locator(f"a[href='/kit/missions/{world['mission']}/checklist']").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/kit/missions/{world['mission']}/checklist")
    axe.assert_clean()
