"""The institute's co-training pages through the Flask client: a mission made and changed
through its form, published, the answers to sign-ups (confirm, waiting list, decline,
withdraw), a message to the co-trainers, attendance that prepares the pay drafts, the
co-trainer profiles, and every page from the wrong side."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core.models import Notification, OutboxMessage
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus
from app.trainings import services
from app.trainings.models import (
    Attendance,
    Mission,
    MissionStatus,
    Signup,
    SignupStatus,
)
from app.trainings.services import ProfileData, SignupData
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.training_factories import mission_begun_an_hour_ago
from tests.worlds import an_organisation, saved

GOOD = {
    "type": "teaching",
    "title": "Accueillir une personne à la rue",
    "seats": "2",
    "session_1_day": "21/03/2030",
    "session_1_start": "14:00",
    "session_1_end": "17:00",
    "place": "IRTS, 12 rue de l'École, Lille",
    "departement": "59",
    "access": ["step_free", "quiet_room"],
    "hourly_rate": "20,00",
    "expected_hours": "3",
    "covered_costs": ["train", "meal"],
    "contact_name": "Claire",
    "contact_phone": "03 20 00 00 00",
    "signup_deadline": "10/03/2030",
}


@pytest.fixture
def world(app):
    """An institute with its staff, a second institute, a participant, and a published
    mission whose first session started an hour ago, with four sign-ups."""
    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        other = an_organisation(
            "IRTS Ailleurs", kind=OrganisationKind.TRAINING_INSTITUTE, stranger=Role.INSTITUTE_STAFF
        )
        names = ["Paul Martin", "Nadia Benali", "Yves Roux", "Léa Petit"]
        people = an_organisation("CRPA Essai").join_many("p", 4, names=names)
        mission = mission_begun_an_hour_ago(institute["staff"], institute.org)
        signups = [
            services.sign_up(p, p, mission, SignupData(why="Je connais la rue", **extra))
            for p, extra in zip(
                people,
                [
                    {"needs_childcare": True, "contact_channel": "sms"},
                    {"dietary_needs": "Pas de porc"},
                    {},
                    {},
                ],
                strict=True,
            )
        ]
        return {
            "institute": institute.org.id,
            "other": other.org.id,
            "mission": mission.id,
            "sessions": [s.id for s in mission.sessions],
            "signups": [s.id for s in signups],
            "people": [p.id for p in people],
        }


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _signup(app, signup_id):
    with app.app_context():
        return db.session.get(Signup, signup_id).status


def _confirm(app, world, index):
    with app.app_context():
        staff = db.session.scalar(select(Person).where(Person.email == "staff@e.test"))
        services.confirm(staff, db.session.get(Signup, world["signups"][index]))
        db.session.commit()


# --- the mission form ----------------------------------------------------------------------


def test_new_mission_errors_keep_input_then_saved_with_times_in_french_time(app, world):
    staff = _client(app, "staff")
    url = f"/co-training/organisations/{world['institute']}/missions/new"
    page = staff.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="session_4_end"' in html and "21/03/2027" in html

    bad = post_form(
        staff,
        url,
        GOOD
        | {
            "title": "",
            "seats": "beaucoup",
            "session_1_end": "13:00",
            "session_2_day": "31/02/2030",
            "hourly_rate": "vingt",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'class="error-summary"' in html
    for name in ("title", "seats", "session_1_end", "session_2_day", "hourly_rate"):
        assert f'id="{name}-error"' in html, name
    assert 'id="session_2_start-error"' in html  # a row begun must be complete
    assert 'value="beaucoup"' in html and 'value="31/02/2030"' in html
    assert 'value="IRTS, 12 rue' in html or "IRTS, 12 rue de l&#39;École" in html

    # the service's own rule (a place, or online) lands next to its field
    no_place = post_form(staff, url, GOOD | {"place": ""})
    assert no_place.status_code == 400
    assert 'id="place-error"' in no_place.get_data(as_text=True)
    nothing = post_form(staff, url, {k: v for k, v in GOOD.items() if "session" not in k})
    assert nothing.status_code == 400
    assert 'id="session_1_day-error"' in nothing.get_data(as_text=True)

    created = post_form(staff, url, GOOD)
    assert created.status_code == 303
    mission_id = int(re.search(r"/missions/(\d+)/manage", created.headers["Location"]).group(1))
    with app.app_context():
        mission = db.session.get(Mission, mission_id)
        assert mission.status == MissionStatus.DRAFT
        assert mission.organisation_id == world["institute"]
        # 14:00 in Paris in March 2030 (winter time) is 13:00 UTC
        assert mission.sessions[0].starts_at == datetime(2030, 3, 21, 13, 0, tzinfo=UTC)
        assert mission.sessions[0].ends_at == datetime(2030, 3, 21, 16, 0, tzinfo=UTC)
        assert mission.hourly_rate == Decimal("20.00")
        assert mission.expected_hours == Decimal("3.00")
        assert mission.step_free and mission.quiet_room and not mission.lift
        assert sorted(mission.covered_costs) == ["meal", "train"]
        assert mission.signup_deadline.astimezone(UTC).date().isoformat() == "2030-03-10"


def test_edit_shows_the_saved_mission_and_saves_changes(app, world):
    staff = _client(app, "staff")
    url = f"/co-training/missions/{world['mission']}/edit"
    html = staff.get(url).get_data(as_text=True)
    assert 'value="Parler du logement"' in html and 'value="20,00"' in html
    with app.app_context():
        first = db.session.get(Mission, world["mission"]).sessions[0].starts_at
    local = first.astimezone(ZoneInfo("Europe/Paris"))
    assert f'value="{local:%d/%m/%Y}"' in html and f'value="{local:%H:%M}"' in html

    too_few = post_form(staff, url, GOOD | {"seats": "0"})
    assert too_few.status_code == 400
    assert 'id="seats-error"' in too_few.get_data(as_text=True)

    saved = post_form(staff, url, GOOD | {"title": "Parler du logement, 2e édition"})
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/co-training/missions/{world['mission']}/manage")
    with app.app_context():
        mission = db.session.get(Mission, world["mission"])
        assert mission.title == "Parler du logement, 2e édition"
        assert len(mission.sessions) == 1


def test_publish_and_wrong_move_through_the_manage_page(app, world):
    staff = _client(app, "staff")
    created = post_form(
        staff, f"/co-training/organisations/{world['institute']}/missions/new", GOOD
    )
    manage = created.headers["Location"]
    mission_id = int(re.search(r"/missions/(\d+)/manage", manage).group(1))
    html = staff.get(manage).get_data(as_text=True)
    assert 'name="target" value="published"' in html
    assert 'name="target" value="done"' not in html  # not a step from a draft
    move = f"/co-training/missions/{mission_id}/move"
    published = post_form(staff, move, {"target": "published"}, get_url=manage)
    assert published.status_code == 303
    with app.app_context():
        assert db.session.get(Mission, mission_id).status == MissionStatus.PUBLISHED
    # the session is in 2030: the mission cannot be done yet
    closed = post_form(staff, move, {"target": "closed"}, get_url=manage)
    assert closed.status_code == 303
    too_early = post_form(staff, move, {"target": "done"}, get_url=manage)
    html = too_early.get_data(as_text=True)
    assert too_early.status_code == 400
    assert 'id="move-error"' in html and 'class="error-summary"' in html
    with app.app_context():
        assert db.session.get(Mission, mission_id).status == MissionStatus.CLOSED


# --- answers to sign-ups -------------------------------------------------------------------


def test_manage_page_lists_signups_with_needs_and_actions(app, world):
    staff = _client(app, "staff")
    html = staff.get(f"/co-training/missions/{world['mission']}/manage").get_data(as_text=True)
    for name in ("Paul Martin", "Nadia Benali", "Yves Roux", "Léa Petit"):
        assert name in html
    assert "Je connais la rue" in html and "Pas de porc" in html
    first = world["signups"][0]
    assert f'action="/co-training/signups/{first}/confirm"' in html
    assert f'action="/co-training/signups/{first}/waiting"' in html
    assert f'action="/co-training/signups/{first}/decline"' in html
    assert f'name="decline-{first}-reason"' in html
    assert f"/co-training/missions/{world['mission']}/sessions/{world['sessions'][0]}" in html


def test_confirm_waiting_decline_and_withdraw(app, world):
    staff = _client(app, "staff")
    manage = f"/co-training/missions/{world['mission']}/manage"
    paul, nadia, yves, lea = world["signups"]

    assert post_form(staff, f"/co-training/signups/{paul}/confirm", {}, manage).status_code == 303
    assert _signup(app, paul) == SignupStatus.CONFIRMED
    assert post_form(staff, f"/co-training/signups/{nadia}/waiting", {}, manage).status_code == 303
    assert _signup(app, nadia) == SignupStatus.WAITING
    assert post_form(staff, f"/co-training/signups/{yves}/confirm", {}, manage).status_code == 303
    with app.app_context():
        assert db.session.get(Mission, world["mission"]).status == MissionStatus.FULL

    # no place left: the error next to the button, nothing changed
    full = post_form(staff, f"/co-training/signups/{lea}/confirm", {}, manage)
    html = full.get_data(as_text=True)
    assert full.status_code == 400
    assert f'id="confirm-{lea}-error"' in html and 'class="error-summary"' in html
    assert _signup(app, lea) == SignupStatus.INTERESTED

    # declining without a reason: the error next to the reason, the form open
    no_reason = post_form(staff, f"/co-training/signups/{lea}/decline", {}, manage)
    html = no_reason.get_data(as_text=True)
    assert no_reason.status_code == 400
    assert f'id="decline-{lea}-reason-error"' in html and "<details open>" in html
    assert _signup(app, lea) == SignupStatus.INTERESTED
    declined = post_form(
        staff,
        f"/co-training/signups/{lea}/decline",
        {f"decline-{lea}-reason": "Toutes les places sont prises."},
        manage,
    )
    assert declined.status_code == 303
    with app.app_context():
        signup = db.session.get(Signup, lea)
        assert signup.status == SignupStatus.DECLINED
        assert signup.decline_reason == "Toutes les places sont prises."

    # withdrawing Paul's place: a reason is needed, then the place goes to Nadia (waiting)
    no_reason = post_form(staff, f"/co-training/signups/{paul}/withdraw", {}, manage)
    assert no_reason.status_code == 400
    assert f'id="withdraw-{paul}-reason-error"' in no_reason.get_data(as_text=True)
    withdrawn = post_form(
        staff,
        f"/co-training/signups/{paul}/withdraw",
        {f"withdraw-{paul}-reason": "La session change de public."},
        manage,
    )
    assert withdrawn.status_code == 303
    assert _signup(app, paul) == SignupStatus.DECLINED
    assert _signup(app, nadia) == SignupStatus.OFFERED

    # a closed sign-up has no action left
    html = staff.get(manage).get_data(as_text=True)
    assert f'action="/co-training/signups/{lea}/confirm"' not in html
    assert "Toutes les places sont prises." in html


def test_message_to_the_cotrainers(app, world):
    staff = _client(app, "staff")
    manage = f"/co-training/missions/{world['mission']}/manage"
    url = f"/co-training/missions/{world['mission']}/message"
    html = staff.get(manage).get_data(as_text=True)
    assert f'action="{url}"' not in html  # nobody to write to yet
    _confirm(app, world, 0)
    empty = post_form(staff, url, {"subject": "Salle changée", "body": ""}, manage)
    assert empty.status_code == 400
    html = empty.get_data(as_text=True)
    assert 'id="body-error"' in html and 'value="Salle changée"' in html
    with app.app_context():
        before = db.session.scalar(select(func.count(Notification.id)))
        outbox_before = db.session.scalar(select(func.count(OutboxMessage.id)))
    sent = post_form(
        staff, url, {"subject": "Salle changée", "body": "Rendez-vous salle 12."}, manage
    )
    assert sent.status_code == 303
    with app.app_context():
        note = db.session.scalar(
            select(Notification)
            .where(Notification.person_id == world["people"][0])
            .order_by(Notification.id.desc())
        )
        assert "Salle changée" in note.subject and note.body == "Rendez-vous salle 12."
        assert db.session.scalar(select(func.count(Notification.id))) == before + 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == outbox_before + 1


# --- attendance ----------------------------------------------------------------------------


def test_attendance_prepares_the_pay_draft(app, world):
    staff = _client(app, "staff")
    _confirm(app, world, 0)
    _confirm(app, world, 1)
    paul, nadia = world["signups"][:2]
    url = f"/co-training/missions/{world['mission']}/sessions/{world['sessions'][0]}/attendance"
    html = staff.get(url).get_data(as_text=True)
    assert f'name="present-{paul}"' in html and f'name="hours-{nadia}"' in html
    assert f'name="present-{world["signups"][2]}"' not in html  # not confirmed

    wrong = post_form(
        staff, url, {f"present-{paul}": "y", f"hours-{paul}": "deux", f"present-{nadia}": ""}
    )
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert f'id="hours-{paul}-error"' in html and 'value="deux"' in html
    assert 'class="error-summary"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Attendance.id))) == 0

    saved = post_form(staff, url, {f"present-{paul}": "y", f"hours-{paul}": "2,5"})
    assert saved.status_code == 303
    page = staff.get(url).get_data(as_text=True)
    assert 'class="flash flash--success"' in page
    assert 'value="2,5"' in page
    with app.app_context():
        signup = db.session.get(Signup, paul)
        pay = db.session.get(ExpenseRequest, signup.pay_request_id)
        assert pay.kind == RequestKind.PAY and pay.status == RequestStatus.DRAFT
        assert pay.hours == Decimal("2.50") and pay.hourly_rate == Decimal("20.00")
        assert pay.asked_amount == Decimal("50.00")
        assert pay.person_id == world["people"][0]
        absent = db.session.get(Signup, nadia)
        assert absent.pay_request_id is None
        assert [a.present for a in absent.attendance] == [False]


def test_attendance_before_the_session_starts(app, world):
    staff = _client(app, "staff")
    _confirm(app, world, 0)
    paul = world["signups"][0]
    url = f"/co-training/missions/{world['mission']}/sessions/{world['sessions'][1]}/attendance"
    page = staff.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="notice-box"' in html and f'name="present-{paul}"' not in html
    refused = post_form(staff, url, {f"present-{paul}": "y"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Attendance.id))) == 0


# --- profiles and the institute's list -----------------------------------------------------


def test_institute_page_and_profiles_only_when_chosen_and_shown(app, world):
    paul_id, nadia_id = world["people"][:2]
    with app.app_context():
        paul = db.session.get(Person, paul_id)
        nadia = db.session.get(Person, nadia_id)
        services.save_profile(
            paul,
            paul,
            ProfileData(
                themes="La vie à la rue",
                formats=["teaching", "jury"],
                availability="Le matin",
                places="Lille, 59",
                institute_ids=[world["institute"]],
            ),
        )
        services.save_profile(
            nadia, nadia, ProfileData(themes="Être parent", institute_ids=[world["other"]])
        )
        db.session.commit()
    staff = _client(app, "staff")
    html = staff.get(f"/co-training/organisations/{world['institute']}/missions").get_data(
        as_text=True
    )
    assert "Parler du logement" in html
    assert f"/co-training/missions/{world['mission']}/manage" in html
    assert f"/co-training/organisations/{world['institute']}/missions/new" in html
    assert f'href="/co-training/co-trainers/{paul_id}"' in html
    assert f"/co-training/co-trainers/{nadia_id}" not in html
    manage = staff.get(f"/co-training/missions/{world['mission']}/manage").get_data(as_text=True)
    assert f'href="/co-training/co-trainers/{paul_id}"' in manage
    assert f'href="/co-training/co-trainers/{nadia_id}"' not in manage

    profile = staff.get(f"/co-training/co-trainers/{paul_id}")
    assert profile.status_code == 200
    html = profile.get_data(as_text=True)
    assert "La vie à la rue" in html and "Le matin" in html and "Lille, 59" in html
    assert staff.get(f"/co-training/co-trainers/{nadia_id}").status_code == 404
    assert _client(app, "stranger").get(f"/co-training/co-trainers/{paul_id}").status_code == 404

    with app.app_context():
        services.set_profile_visible(db.session.get(Person, paul_id), paul, False)
        db.session.commit()
    assert staff.get(f"/co-training/co-trainers/{paul_id}").status_code == 404


def test_every_page_is_404_for_another_institute_and_a_participant(app, world):
    mission, institute = world["mission"], world["institute"]
    signup, session = world["signups"][0], world["sessions"][0]
    gets = [
        f"/co-training/organisations/{institute}/missions",
        f"/co-training/organisations/{institute}/missions/new",
        f"/co-training/missions/{mission}/edit",
        f"/co-training/missions/{mission}/manage",
        f"/co-training/missions/{mission}/sessions/{session}/attendance",
    ]
    posts = [
        (f"/co-training/organisations/{institute}/missions/new", GOOD),
        (f"/co-training/missions/{mission}/edit", GOOD),
        (f"/co-training/missions/{mission}/move", {"target": "closed"}),
        (f"/co-training/missions/{mission}/message", {"subject": "a", "body": "b"}),
        (f"/co-training/signups/{signup}/confirm", {}),
        (f"/co-training/signups/{signup}/waiting", {}),
        (f"/co-training/signups/{signup}/decline", {f"decline-{signup}-reason": "Non"}),
        (f"/co-training/signups/{signup}/withdraw", {f"withdraw-{signup}-reason": "Non"}),
        (f"/co-training/missions/{mission}/sessions/{session}/attendance", {}),
    ]
    for who in ("stranger", "p0"):
        client = _client(app, who)
        for url in gets:
            assert client.get(url).status_code == 404, (who, url)
        for url, data in posts:
            response = post_form(client, url, data, get_url="/")
            assert response.status_code == 404, (who, url)
    anonymous = app.test_client()
    assert anonymous.get(gets[0]).status_code in (302, 303)
    assert _signup(app, signup) == SignupStatus.INTERESTED
    with app.app_context():
        assert db.session.get(Mission, mission).status == MissionStatus.PUBLISHED
    assert (
        _client(app, "staff").get(f"/co-training/organisations/{world['other']}/missions")
    ).status_code == 404
