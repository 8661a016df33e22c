"""The institute's co-training pages in Chromium, with axe-core on every state reached: the
institute's missions, the mission form (empty, with errors, saved), a co-trainer's profile,
the manage page with sign-ups in several states and a refusal without a reason, attendance
before the session, with an error, and saved.

Each test makes its own institute and people (a new prefix): the live database is shared by
the whole session and also holds the demo data."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from app import db
from app.accounts.models import OrganisationKind, Role
from app.db import utcnow
from app.expenses.models import ExpenseRequest, RequestKind
from app.trainings import services
from app.trainings.models import Mission, MissionStatus, MissionType, Signup, SignupStatus
from app.trainings.services import MissionData, ProfileData, SignupData
from tests.browser.conftest import expect_error_state, login
from tests.factories import PASSWORD, make_org, make_person

_prefixes = itertools.count(1)


def _world(live_app) -> dict:  # noqa: ANN001
    """An institute with its staff; a CRPA with a facilitator and five participants, one of
    whom shows the institute a co-trainer profile; a published mission for two co-trainers
    whose first session started an hour ago, with sign-ups in several states."""
    prefix = f"btrm{next(_prefixes)}-"
    with live_app.app_context():
        institute = make_org(f"{prefix}IRTS", kind=OrganisationKind.TRAINING_INSTITUTE)
        crpa = make_org(f"{prefix}CRPA")
        staff = make_person(
            (institute, Role.INSTITUTE_STAFF), email=f"{prefix}staff@x.test", name="Claire"
        )
        helper = make_person((crpa, Role.FACILITATOR), email=f"{prefix}fac@x.test", name="Fanny")
        names = ["Paul Martin", "Nadia Benali", "Yves Roux", "Léa Petit", "Omar Diallo"]
        people = [
            make_person((crpa, Role.PARTICIPANT), email=f"{prefix}p{n}@x.test", name=name)
            for n, name in enumerate(names)
        ]
        services.save_profile(
            people[0],
            people[0],
            ProfileData(
                themes="La vie à la rue, le logement",
                formats=["teaching", "jury"],
                availability="Le matin en semaine",
                places="Lille, 59",
                institute_ids=[institute.id],
            ),
        )
        start = utcnow() - timedelta(hours=1)
        mission = services.create_mission(
            staff,
            institute,
            MissionData(
                type=MissionType.TEACHING,
                title=f"{prefix}Parler du logement",
                seats=2,
                sessions=[
                    (start, start + timedelta(hours=3)),
                    (start + timedelta(days=7), start + timedelta(days=7, hours=3)),
                ],
                place="IRTS, 12 rue de l'École, Lille",
                departement="59",
                hourly_rate=Decimal("20.00"),
                covered_costs=["meal"],
                contact_name="Claire",
                contact_phone="03 20 00 00 00",
            ),
        )
        services.move_mission(staff, mission, MissionStatus.PUBLISHED)
        paul, nadia, yves, lea = [
            services.sign_up(p, p, mission, SignupData(why="Je connais le sujet", **extra))
            for p, extra in zip(
                people[:4],
                [
                    {"needs_childcare": True, "contact_channel": "sms"},
                    {"dietary_needs": "Pas de porc"},
                    {},
                    {},
                ],
                strict=True,
            )
        ]
        omar = services.sign_up(
            helper,
            people[4],
            mission,
            SignupData(needs_companion=True, contact_channel="facilitator"),
            consent_note="Omar est d'accord, dit à l'accueil.",
        )
        services.confirm(staff, paul)
        services.put_on_waiting_list(staff, nadia)
        services.decline(staff, lea, "Le groupe est complet pour ce thème.")
        draft = services.create_mission(
            staff,
            institute,
            MissionData(
                type=MissionType.JURY,
                title=f"{prefix}Jury du diplôme",
                seats=1,
                sessions=[(start + timedelta(days=30), start + timedelta(days=30, hours=4))],
                online=True,
            ),
        )
        db.session.commit()
        return {
            "prefix": prefix,
            "institute": institute.id,
            "mission": mission.id,
            "draft": draft.id,
            "sessions": [s.id for s in mission.sessions],
            "paul": paul.id,
            "yves": yves.id,
            "omar": omar.id,
            "paul_person": people[0].id,
        }


# --- page helpers --------------------------------------------------------------------------


def _check(page, axe, problems: list[str], label: str) -> None:  # noqa: ANN001
    """axe, plus duplicate ids and form controls without exactly one label."""
    axe.check(page, label)
    found = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach("
        "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " const dup = Object.keys(seen).filter(id => seen[id] > 1);"
        " const bad = Array.from(document.querySelectorAll("
        "'main input:not([type=hidden]), main select, main textarea'))"
        ".filter(e => !e.labels || e.labels.length !== 1).map(e => e.name || e.id);"
        " return {dup, bad}; }"
    )
    if found["dup"] or found["bad"]:
        problems.append(
            f"{label} ({page.url}): duplicate ids {found['dup']}, unlabelled {found['bad']}"
        )


def _error_state(page, problems: list[str], label: str) -> None:  # noqa: ANN001
    try:
        expect_error_state(page)
    except AssertionError as exc:
        problems.append(f"{label} ({page.url}): not an error state: {exc}")


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
        # The form's own button, not "Check the easy-to-read texts" beside it.
        page.locator(f"main form[action='{action}'] button[type=submit]:not([value=check])").click()
    page.wait_for_load_state()


def _flash_ok(page) -> None:  # noqa: ANN001
    assert page.locator("main .flash-region .flash--success").count() == 1


# --- the institute's list, the mission form, a profile ------------------------------------


def test_institute_list_mission_form_and_profile_accessible(page, axe, live_app):
    world = _world(live_app)
    problems: list[str] = []
    login(page, f"{world['prefix']}staff@x.test", PASSWORD)

    # the institute's missions and the profiles it may read
    page.goto(f"/co-training/organisations/{world['institute']}/missions")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    published = page.locator(
        f"main tr:has(a[href='/co-training/missions/{world['mission']}/manage'])"
    )
    # Yves and Omar wait for an answer (Paul is confirmed, Nadia waits, Léa is declined)
    assert published.locator("td").nth(4).inner_text().strip() == "2"
    assert (
        page.locator(f"main a[href='/co-training/co-trainers/{world['paul_person']}']").count() == 1
    )
    _check(page, axe, problems, "institute missions")

    # the new mission form, empty
    page.locator("main a.button").click()
    page.wait_for_load_state()
    new_url = f"/co-training/organisations/{world['institute']}/missions/new"
    assert page.url.endswith(new_url)
    assert page.locator("h1").count() == 1
    assert page.locator("#session_1_day").get_attribute("type") == "text"
    _check(page, axe, problems, "new mission, empty")

    # with errors: each next to its field, what was typed kept
    page.check("#type-1")
    page.fill("#seats", "dix")
    page.fill("#session_1_day", "31/02/2030")
    page.fill("#session_1_start", "14:00")
    page.fill("#session_1_end", "17:00")
    page.fill("#hourly_rate", "vingt")
    page.check("input[name=covered_costs][value=meal]")
    _post(page, new_url)
    _error_state(page, problems, "new mission with errors")
    for name in ("title", "seats", "session_1_day", "hourly_rate"):
        assert page.locator(f"#{name}-error").count() == 1, name
    assert page.locator("#title").get_attribute("aria-invalid") == "true"
    assert page.input_value("#seats") == "dix"
    assert page.input_value("#session_1_start") == "14:00"
    assert page.locator("#type-1").is_checked()
    assert page.locator("input[name=covered_costs][value=meal]").is_checked()
    _check(page, axe, problems, "new mission with errors")

    # corrected: saved as a draft, on its manage page
    page.fill("#title", f"{world['prefix']}Former les formateurs")
    page.fill("#seats", "3")
    page.fill("#session_1_day", "21/03/2030")
    page.fill("#hourly_rate", "20,00")
    page.fill("#place", "IRTS, Lille")
    _post(page, new_url)
    assert page.url.endswith("/manage")
    _flash_ok(page)
    assert page.locator("main form[action$='/move'] input[value=published]").count() == 1
    with live_app.app_context():
        made = (
            db.session.query(Mission)
            .filter_by(title=f"{world['prefix']}Former les formateurs")
            .one()
        )
        assert made.status == MissionStatus.DRAFT and made.seats == 3
    _check(page, axe, problems, "manage page of a new draft")

    # a co-trainer's profile
    page.goto(f"/co-training/co-trainers/{world['paul_person']}")
    assert "La vie à la rue" in page.locator("main").inner_text()
    _check(page, axe, problems, "co-trainer profile")

    _finish(page, axe, problems)


# --- the manage page and attendance ---------------------------------------------------------


def test_manage_page_and_attendance_accessible(page, axe, live_app):
    world = _world(live_app)
    problems: list[str] = []
    login(page, f"{world['prefix']}staff@x.test", PASSWORD)
    manage = f"/co-training/missions/{world['mission']}/manage"

    # sign-ups in several states, one entered with help
    page.goto(manage)
    rows = page.locator("main table tbody tr")
    assert rows.count() == 5
    assert page.locator(f"#signup-{world['paul']} form[action$='/withdraw']").count() == 1
    assert page.locator(f"#signup-{world['yves']} form[action$='/confirm']").count() == 1
    assert page.locator(f"#signup-{world['omar']} .provenance").count() == 1
    assert (
        page.locator(f"#signup-{world['paul']} a[href^='/co-training/co-trainers/']").count() == 1
    )
    _check(page, axe, problems, "manage page")

    # declining without a reason: the error next to the reason, in the open form
    decline = f"/co-training/signups/{world['yves']}/decline"
    page.locator(f"#signup-{world['yves']} summary", has_text="Yves").click()
    _post(page, decline)
    _error_state(page, problems, "decline without a reason")
    field = f"#decline-{world['yves']}-reason"
    assert page.locator(f"{field}-error").count() == 1
    assert page.locator(field).is_visible()
    assert page.locator(field).get_attribute("aria-invalid") == "true"
    _check(page, axe, problems, "decline without a reason")
    with live_app.app_context():
        assert db.session.get(Signup, world["yves"]).status == SignupStatus.INTERESTED

    # attendance before the session starts: a message, no form
    later = f"/co-training/missions/{world['mission']}/sessions/{world['sessions'][1]}/attendance"
    page.goto(later)
    assert page.locator("main .notice-box").count() == 1
    assert page.locator(f"main form[action='{later}']").count() == 0
    _check(page, axe, problems, "attendance before the session")

    # attendance of the session that started: a wrong number of hours
    url = f"/co-training/missions/{world['mission']}/sessions/{world['sessions'][0]}/attendance"
    page.goto(url)
    paul = world["paul"]
    assert page.locator("main input[type=checkbox]").count() == 1  # only Paul is confirmed
    _check(page, axe, problems, "attendance form")
    page.check(f"#present-{paul}")
    page.fill(f"#hours-{paul}", "deux")
    _post(page, url)
    _error_state(page, problems, "attendance with an error")
    assert page.locator(f"#hours-{paul}-error").count() == 1
    assert page.input_value(f"#hours-{paul}") == "deux"
    assert page.locator(f"#present-{paul}").is_checked()
    _check(page, axe, problems, "attendance with an error")

    # saved: the pay draft is ready for Paul
    page.fill(f"#hours-{paul}", "2,5")
    _post(page, url)
    _flash_ok(page)
    assert page.input_value(f"#hours-{paul}") == "2,5"
    with live_app.app_context():
        signup = db.session.get(Signup, paul)
        pay = db.session.get(ExpenseRequest, signup.pay_request_id)
        assert pay.kind == RequestKind.PAY and pay.hours == Decimal("2.50")
    _check(page, axe, problems, "attendance saved")

    _finish(page, axe, problems)
