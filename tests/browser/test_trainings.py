"""Co-training in Chromium, the participant's side: the mission list with its filters, a
mission page (easy-to-read and full), the sign-up with its errors, "My sign-ups" in each
state (interested, offered, confirmed, attended with drafts of pay and costs), the word after
the mission with an error, the co-trainer profile with an error and hidden; then a sign-up
done with the keyboard only.

Each test makes its own institute and people (a new prefix): the live database is shared."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.db import utcnow
from app.trainings import services
from app.trainings.models import MissionStatus, MissionType, Signup, SignupStatus
from app.trainings.services import MissionData, Presence, SignupData
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    submit,
    tab_until,
)
from tests.factories import PASSWORD, make_org, make_person

_prefixes = itertools.count(1)


def _mission(staff, institute, title, kind, days, departement="59", seats=2, past=False):  # noqa: ANN001
    start = utcnow() + timedelta(days=days)
    mission = services.create_mission(
        staff,
        institute,
        MissionData(
            type=kind,
            title=title,
            title_easy=f"{title} (facile)",
            description="Une description complète de la mission.",
            description_easy="Une description facile à lire.",
            seats=seats,
            sessions=[(start, start + timedelta(hours=3))],
            place="IRTS, 12 rue de l'École, Villefictive",
            departement=departement,
            step_free=True,
            hourly_rate=Decimal("25.00"),
            expected_hours=Decimal("3"),
            covered_costs=["train", "meal"],
            contact_name="Claire",
            contact_phone="03 20 00 00 00",
        ),
    )
    services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission


def _world(live_app) -> dict:  # noqa: ANN001
    prefix = f"btrain{next(_prefixes)}-"
    with live_app.app_context():
        institute = make_org(f"{prefix}IRTS", kind=OrganisationKind.TRAINING_INSTITUTE)
        home = make_org(f"{prefix}CCAS")
        staff = make_person((institute, Role.INSTITUTE_STAFF), email=f"{prefix}staff@x.test")
        paul = make_person((home, Role.PARTICIPANT), email=f"{prefix}paul@x.test", name="Paul")
        other = make_person((home, Role.PARTICIPANT), email=f"{prefix}zoe@x.test", name="Zoé")
        make_person((home, Role.FACILITATOR), email=f"{prefix}fac@x.test", name="Fanny")
        open_one = _mission(staff, institute, f"{prefix}Cours accueil", MissionType.TEACHING, 30)
        _mission(staff, institute, f"{prefix}Jury", MissionType.JURY, 40, departement="62")
        waiting = _mission(staff, institute, f"{prefix}Journée", MissionType.EVENT, 50, seats=1)
        past = _mission(staff, institute, f"{prefix}Logement", MissionType.TEACHING, 20)
        # Zoé holds the only place of the event; Paul waits, then Zoé cancels: offered to Paul.
        zoe_place = services.sign_up(other, other, waiting, SignupData(contact_channel="sms"))
        services.confirm(staff, zoe_place)
        paul_waiting = services.sign_up(paul, paul, waiting, SignupData(contact_channel="sms"))
        services.put_on_waiting_list(staff, paul_waiting)
        services.cancel(other, zoe_place)
        # Paul took part in a mission: its session moved into the past, attendance recorded.
        done = services.sign_up(paul, paul, past, SignupData(contact_channel="email"))
        services.confirm(staff, done)
        session = past.sessions[0]
        session.starts_at = utcnow() - timedelta(days=2, hours=3)
        session.ends_at = utcnow() - timedelta(days=2)
        db.session.flush()
        services.record_attendance(staff, session, {done.id: Presence(True)})
        world = {
            "prefix": prefix,
            "institute": institute.id,
            "open": open_one.id,
            "waiting": waiting.id,
            "past": past.id,
            "done_signup": done.id,
            "offered_signup": paul_waiting.id,
            "paul": paul.id,
        }
        db.session.commit()
    return world


def _status(live_app, mission_id: int, person_id: int):  # noqa: ANN001, ANN202
    with live_app.app_context():
        signup = db.session.scalar(
            select(Signup).where(Signup.mission_id == mission_id, Signup.person_id == person_id)
        )
        return signup and (
            signup.status,
            signup.needs_childcare,
            signup.why,
            signup.contact_channel,
        )


def test_participant_pages_have_no_accessibility_violations(page, live_app, axe):  # noqa: ANN001
    world = _world(live_app)
    prefix = world["prefix"]
    login(page, f"{prefix}paul@x.test", PASSWORD)

    # the list, then filtered by département and kind
    page.goto("/co-training/")
    assert page.get_by_text(f"{prefix}Cours accueil (facile)").count() == 1
    axe.check(page, "mission list")
    page.select_option("#departement", "62")
    submit(page)
    assert page.get_by_text(f"{prefix}Jury (facile)").count() == 1
    assert page.get_by_text(f"{prefix}Cours accueil (facile)").count() == 0
    page.goto("/co-training/?type=event")
    assert page.get_by_text(f"{prefix}Journée (facile)").count() == 1
    assert page.get_by_text(f"{prefix}Jury (facile)").count() == 0
    page.goto("/co-training/?starting=31/02/2027")
    expect_error_state(page)
    axe.check(page, "mission list with a wrong date")

    # a mission page: easy-to-read first, then the full version
    page.goto(f"/co-training/missions/{world['open']}")
    assert page.locator("h1").inner_text() == f"{prefix}Cours accueil (facile)"
    assert page.get_by_text("Une description facile à lire.").count() == 1
    axe.check(page, "mission page, easy-to-read")
    page.goto(f"/co-training/missions/{world['open']}?full=1")
    assert page.get_by_text("Une description complète de la mission.").count() == 1
    axe.check(page, "mission page, full")

    # sign-up: an error (no contact channel, a text too long), input kept, then sent
    page.goto(f"/co-training/missions/{world['open']}/sign-up")
    axe.check(page, "sign-up form")
    page.fill("#why", "Je connais la rue. " * 60)
    page.check("#needs_childcare")
    submit(page)
    expect_error_state(page)
    assert page.locator("#needs_childcare").is_checked()
    assert page.input_value("#why").startswith("Je connais la rue.")
    axe.check(page, "sign-up form with errors")
    page.fill("#why", "Je connais la rue.")
    page.check("#contact_channel-1")
    submit(page)
    assert page.url.endswith("/co-training/mine")
    status = _status(live_app, world["open"], world["paul"])
    assert status == (SignupStatus.INTERESTED, True, "Je connais la rue.", "sms")

    # My sign-ups: interested, offered (with its button), attended (attestation, drafts)
    assert page.get_by_role("button", name="Oui, je prends la place").count() == 1
    assert page.get_by_role("link", name="Mon attestation de participation (PDF)").count() == 1
    assert page.get_by_role("link", name="Vérifier et l'envoyer").count() == 2
    axe.check(page, "my sign-ups")
    page.get_by_role("button", name="Oui, je prends la place").click()
    page.wait_for_load_state()
    assert _status(live_app, world["waiting"], world["paul"])[0] == SignupStatus.CONFIRMED
    assert page.get_by_role("link", name="Ajouter les dates à mon agenda").count() == 1
    axe.check(page, "my sign-ups with a confirmed place")

    # the pay draft made from attendance opens with the hours and rate filled in
    page.get_by_role("link", name="Vérifier et l'envoyer").first.click()
    page.wait_for_load_state()
    assert "/expenses/" in page.url

    # the word after the mission: error, then held by moderation (a phone number)
    page.goto(f"/co-training/signups/{world['done_signup']}/feedback")
    axe.check(page, "feedback form")
    submit(page)
    expect_error_state(page)
    axe.check(page, "feedback form with an error")
    page.check("#went_well-0")
    page.fill("#body", "Super. Rappelez-moi au 06 12 34 56 78.")
    submit(page)
    assert page.get_by_text("Un modérateur lit vos mots").count() >= 1
    axe.check(page, "feedback held for moderation")

    # the profile: error (no theme, no institute), saved, hidden
    page.goto("/co-training/profile")
    axe.check(page, "profile form")
    submit(page)
    expect_error_state(page)
    axe.check(page, "profile form with errors")
    page.fill("#themes", "La vie à la rue.")
    page.get_by_label(f"{prefix}IRTS").check()
    submit(page)
    assert page.get_by_role("button", name="Cacher mon profil").count() == 1
    axe.check(page, "profile saved")
    page.get_by_role("button", name="Cacher mon profil").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Montrer de nouveau mon profil").count() == 1
    axe.check(page, "profile hidden")

    # easy-to-read display in English: the list and a mission page
    set_preferences(page, "en", True)
    page.goto("/co-training/")
    axe.check(page, "mission list, English easy-to-read")
    page.goto(f"/co-training/missions/{world['open']}")
    assert page.get_by_text("Your sign-up").count() >= 1
    axe.check(page, "mission page, English easy-to-read")
    axe.assert_clean()


def test_keyboard_only_sign_up(page, live_app):  # noqa: ANN001
    world = _world(live_app)
    keyboard_login(page, f"{world['prefix']}paul@x.test", PASSWORD)
    page.goto("/co-training/")
    # Tab to the mission's link, Enter opens it
    tab_until(page, lambda s: s["tag"] == "A" and s["text"].startswith(f"{world['prefix']}Cours"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/co-training/missions/{world['open']}")
    tab_until(page, lambda s: s["tag"] == "A" and s["text"] == "S'inscrire")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # what I can share, a need ticked with Space, the channel chosen with arrows
    tab_until(page, lambda s: s["id"] == "can_share")
    page.keyboard.type("Mon parcours de demande de logement.")
    tab_until(page, lambda s: s["id"] == "needs_companion")
    page.keyboard.press("Space")
    assert page.locator("#needs_companion").is_checked()
    state = tab_until(page, lambda s: s["name"] == "contact_channel")
    assert state["value"] == "phone"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "email"
    assert page.locator("#contact_channel-2").is_checked()
    tab_until(page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/sign-up"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/co-training/mine")
    with live_app.app_context():
        signup = db.session.scalar(
            select(Signup).where(
                Signup.mission_id == world["open"], Signup.person_id == world["paul"]
            )
        )
        assert signup.status == SignupStatus.INTERESTED
        assert signup.needs_companion and not signup.needs_childcare
        assert signup.contact_channel == "email"
        assert signup.can_share == "Mon parcours de demande de logement."
