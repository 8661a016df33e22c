"""Each co-training transition asked twice at the same moment (two tabs, two staff members, two
runs of the offers job): real threads, each with its own connection, on a file database
(SQLite) and on PostgreSQL when the suite runs there. The change happens once: states, places
counted against holders, audit entries, notifications and e-mails."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.db import utcnow
from app.expenses.models import ExpenseRequest
from app.trainings import services
from app.trainings.models import (
    Attendance,
    Mission,
    MissionFeedback,
    MissionSession,
    MissionStatus,
    Signup,
    SignupStatus,
)
from tests.concurrency import services_at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person
from tests.worlds import a_mission, an_organisation, saved, sign_ups


@pytest.fixture
def race_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "transition_races") as app:
        yield app


def _world(app, seats=1, holders=1, waiting=2, days=10, status=MissionStatus.PUBLISHED):
    """A mission with `seats` places, `holders` confirmed people then `waiting` people on the
    waiting list (oldest first). Ids: staff (two), mission, session, holders, waiting."""
    with saved(app):
        institute = an_organisation(kind=OrganisationKind.TRAINING_INSTITUTE)
        staff = institute.join_many("staff", 2, Role.INSTITUTE_STAFF)
        mission = a_mission(
            staff[0],
            institute.org,
            "Cours",
            seats=seats,
            starts_in=timedelta(days=days),
            online=True,
            hourly_rate=Decimal("20.00"),
            published=status != MissionStatus.DRAFT,
        )
        people = an_organisation().join_many("p", holders + waiting)
        made = sign_ups(staff[0], mission, people[:holders], people[holders:])
        if days < 0:  # a session that took place: published in the past
            mission.sessions[0].starts_at = utcnow() + timedelta(days=days)
        return {
            "staff": [s.id for s in staff],
            "mission": mission.id,
            "session": mission.sessions[0].id,
            "holders": [s.id for s in made.holders],
            "waiting": [s.id for s in made.waiting],
        }


def _twice(app, work):
    return services_at_once(app, work)


def _get(model, id_):
    return db.session.get(model, id_)


def _facts(app, ids):
    with app.test_request_context("/"):
        mission = _get(Mission, ids["mission"])
        signups = db.session.scalars(select(Signup).where(Signup.mission_id == mission.id)).all()
        statuses = {s.id: s.status for s in signups}
        holding = sum(1 for s in signups if s.status in services.HOLDS_PLACE)
        return mission.confirmed_count, holding, statuses


def _audits(app, action, object_id=None, to_status=None):
    with app.test_request_context("/"):
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        if object_id is not None:
            query = query.where(AuditEntry.object_id == object_id)
        if to_status is not None:
            query = query.where(AuditEntry.details["to_status"].as_string() == to_status)
        return db.session.scalar(query)


def _notes(app, signup_id):
    """Notifications and e-mails of the sign-up's person."""
    with app.test_request_context("/"):
        person = _get(Signup, signup_id).person
        notes = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.person_id == person.id)
        )
        mails = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address == person.email)
        )
        return notes, mails


def test_a_place_cancelled_from_two_tabs_is_offered_once(race_app):
    ids = _world(race_app)
    holder, first, second = ids["holders"][0], *ids["waiting"]

    def cancel(i):
        signup = _get(Signup, holder)
        services.cancel(signup.person, signup)

    assert _twice(race_app, cancel) == ["done", "done"]
    count, holding, statuses = _facts(race_app, ids)
    assert (count, holding) == (1, 1)
    assert [statuses[first], statuses[second]] == [SignupStatus.OFFERED, SignupStatus.WAITING]
    assert _audits(race_app, "trainings.signup_moved", holder, "cancelled") == 1
    assert _notes(race_app, first) == (2, 2)  # waiting, then offered


def test_two_staff_confirming_the_same_person_take_one_place(race_app):
    ids = _world(race_app, seats=2, holders=0, waiting=1)
    (signup_id,) = ids["waiting"]

    def confirm(i):
        services.confirm(_get(Person, ids["staff"][i]), _get(Signup, signup_id))

    assert _twice(race_app, confirm) == ["done", "done"]
    count, holding, statuses = _facts(race_app, ids)
    assert (count, holding, statuses[signup_id]) == (1, 1, SignupStatus.CONFIRMED)
    assert _audits(race_app, "trainings.signup_moved", signup_id, "confirmed") == 1
    assert _notes(race_app, signup_id) == (2, 2)


def test_a_place_withdrawn_by_two_staff_makes_one_offer(race_app):
    ids = _world(race_app)
    holder, first, second = ids["holders"][0], *ids["waiting"]

    def withdraw(i):
        services.withdraw(_get(Person, ids["staff"][i]), _get(Signup, holder), "Changement.")

    assert _twice(race_app, withdraw) == ["InvalidTransition", "done"]
    count, holding, statuses = _facts(race_app, ids)
    assert (count, holding) == (1, 1)
    assert [statuses[first], statuses[second]] == [SignupStatus.OFFERED, SignupStatus.WAITING]
    assert _audits(race_app, "trainings.signup_moved", first, "offered") == 1


def test_an_offer_accepted_from_two_tabs_is_confirmed_once(race_app):
    ids = _world(race_app, waiting=1)
    holder, offered = ids["holders"][0], ids["waiting"][0]
    with race_app.test_request_context("/"):
        signup = _get(Signup, holder)
        services.cancel(signup.person, signup)
        db.session.commit()

    def accept(i):
        signup = _get(Signup, offered)
        services.accept_offer(signup.person, signup)

    assert _twice(race_app, accept) == ["done", "done"]
    count, holding, statuses = _facts(race_app, ids)
    assert (count, holding, statuses[offered]) == (1, 1, SignupStatus.CONFIRMED)
    assert _audits(race_app, "trainings.signup_moved", offered, "confirmed") == 1
    assert _notes(race_app, offered) == (3, 3)  # waiting, offered, confirmed


def test_expired_offers_handled_by_two_runs_at_once_pass_the_place_once(race_app):
    ids = _world(race_app, waiting=2)
    holder, offered, next_one = ids["holders"][0], *ids["waiting"]
    with race_app.test_request_context("/"):
        signup = _get(Signup, holder)
        services.cancel(signup.person, signup)
        db.session.commit()
    later = utcnow() + timedelta(hours=services.OFFER_HOURS + 1)

    assert _twice(race_app, lambda i: services.expire_offers(later)) == ["done", "done"]
    count, holding, statuses = _facts(race_app, ids)
    assert (count, holding) == (1, 1)
    assert [statuses[offered], statuses[next_one]] == [SignupStatus.CANCELLED, SignupStatus.OFFERED]
    assert _audits(race_app, "trainings.signup_moved", next_one, "offered") == 1
    assert _notes(race_app, next_one) == (2, 2)


@pytest.mark.parametrize("step", ["waiting", "decline"])
def test_a_sign_up_answered_twice_at_once_is_told_once(race_app, step):
    ids = _world(race_app, holders=0, waiting=0)
    with race_app.test_request_context("/"):
        person = make_person((make_org(), Role.PARTICIPANT))
        mission = _get(Mission, ids["mission"])
        signup_id = services.sign_up(person, person, mission, services.SignupData()).id
        db.session.commit()

    def answer(i):
        actor, signup = _get(Person, ids["staff"][i]), _get(Signup, signup_id)
        if step == "waiting":
            services.put_on_waiting_list(actor, signup)
        else:
            services.decline(actor, signup, "Complet.")

    assert _twice(race_app, answer) == ["done", "done"]
    target = "waiting" if step == "waiting" else "declined"
    assert _audits(race_app, "trainings.signup_moved", signup_id, target) == 1
    assert _notes(race_app, signup_id) == (1, 1)


def test_one_person_signing_up_twice_at_once_gets_one_sign_up(race_app):
    ids = _world(race_app, holders=0, waiting=0)
    with race_app.test_request_context("/"):
        person_id = make_person((make_org(), Role.PARTICIPANT)).id
        db.session.commit()

    def sign_up(i):
        person = _get(Person, person_id)
        services.sign_up(person, person, _get(Mission, ids["mission"]), services.SignupData())

    assert _twice(race_app, sign_up) == ["DomainError", "done"]
    _count, _holding, statuses = _facts(race_app, ids)
    assert list(statuses.values()) == [SignupStatus.INTERESTED]
    assert _audits(race_app, "trainings.signed_up") == 1


def test_a_mission_moved_twice_at_once_moves_once(race_app):
    ids = _world(race_app, holders=0, waiting=0)

    def close(i):
        mission = _get(Mission, ids["mission"])
        services.move_mission(_get(Person, ids["staff"][i]), mission, MissionStatus.CLOSED)

    assert _twice(race_app, close) == ["done", "done"]
    with race_app.test_request_context("/"):
        assert _get(Mission, ids["mission"]).status == MissionStatus.CLOSED
    moved = _audits(race_app, "trainings.mission_moved")
    assert moved == 2  # published when made, then closed once


def test_attendance_recorded_twice_at_once_makes_one_record_and_one_draft(race_app):
    ids = _world(race_app, holders=1, waiting=0, days=1)
    holder = ids["holders"][0]
    with race_app.test_request_context("/"):
        session = _get(MissionSession, ids["session"])
        session.starts_at = utcnow() - timedelta(hours=3)
        session.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()

    def record(i):
        services.record_attendance(
            _get(Person, ids["staff"][i]),
            _get(MissionSession, ids["session"]),
            {holder: services.Presence(present=True)},
        )

    assert _twice(race_app, record) == ["done", "done"]
    with race_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
        drafts = db.session.scalar(select(func.count()).select_from(ExpenseRequest))
        assert drafts == 1


def test_the_same_feedback_sent_from_two_tabs_is_kept_once(race_app):
    ids = _world(race_app, holders=1, waiting=0, days=1)
    holder = ids["holders"][0]
    with race_app.test_request_context("/"):
        session = _get(MissionSession, ids["session"])
        session.starts_at = utcnow() - timedelta(hours=3)
        session.ends_at = utcnow() - timedelta(hours=1)
        services.record_attendance(
            _get(Person, ids["staff"][0]), session, {holder: services.Presence(present=True)}
        )
        db.session.commit()

    def give(i):
        signup = _get(Signup, holder)
        services.give_feedback(signup.person, signup, "yes", "Très bien passé.")

    assert _twice(race_app, give) == ["done", "done"]
    with race_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).select_from(MissionFeedback)) == 1
    assert _audits(race_app, "trainings.feedback") == 1
