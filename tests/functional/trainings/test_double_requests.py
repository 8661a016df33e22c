"""Co-training forms sent twice: at the same moment from two tabs of one login (a double click
that reached the server twice), and again after the first was answered (a browser sending a
form again after a lost connection). The second copy does nothing: one change, one audit
entry, one notification and one e-mail, places counted right, and both copies answer with the
same redirect. Real threads and commits, on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.trainings.models import Mission, MissionStatus, Signup, SignupStatus
from tests.concurrency import form_fields, logged_in, replayed, twice_at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person
from tests.worlds import a_mission, an_organisation, saved, sign_ups

SENDINGS = {"at the same moment": twice_at_once, "again after the answer": None}


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_trainings") as app:
        yield app


def _world(app, seats=1, waiting=2, confirmed=("paul@e.test",)):
    """A published mission with `seats` places: the people in `confirmed` hold one each,
    then `waiting` people on the waiting list, oldest first."""
    with saved(app):
        institute = an_organisation(
            kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        staff, home = institute["staff"], an_organisation()
        mission = a_mission(staff, institute.org, "Cours", seats=seats, online=True)
        holders = [home.join(email.split("@")[0]) for email in confirmed]
        made = sign_ups(staff, mission, holders, home.join_many("waiting", waiting))
        signups = [*made.holders, *made.waiting]
        return mission.id, {signup.person.email: signup.id for signup in signups}


def _send(app, how, identifier, page, url, extra=None):
    clients = logged_in(app, identifier)
    fields = {**form_fields(clients[0], page, url), **(extra or {})}
    if how == "at the same moment":
        return twice_at_once(clients, url, fields)
    return replayed(clients[0], url, fields)


def _facts(app, mission_id):
    with app.test_request_context("/"):
        mission = db.session.get(Mission, mission_id)
        statuses = {
            s.person.email: s.status
            for s in db.session.scalars(select(Signup).where(Signup.mission_id == mission_id))
        }
        holders = sum(
            1 for s in statuses.values() if s in (SignupStatus.CONFIRMED, SignupStatus.OFFERED)
        )
        return mission.confirmed_count, mission.status, holders, statuses


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _moves(app, signup_id, to_status):
    return _count(
        app,
        AuditEntry,
        AuditEntry.action == "trainings.signup_moved",
        AuditEntry.object_id == signup_id,
        AuditEntry.details["to_status"].as_string() == to_status,
    )


def _mail_to(app, email):
    return _count(app, OutboxMessage, OutboxMessage.to_address == email)


def _notes_of(app, email):
    with app.test_request_context("/"):
        person = db.session.scalar(select(Person).where(Person.email == email))
        return _count(app, Notification, Notification.person_id == person.id)


def _same_redirect(responses):
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    assert responses[0].location == responses[1].location


@pytest.mark.parametrize("how", SENDINGS)
def test_cancel_sent_twice_offers_the_freed_place_once(own_app, how):
    mission_id, ids = _world(own_app)
    paul = ids["paul@e.test"]
    url = f"/co-training/signups/{paul}/cancel"
    responses = _send(own_app, how, "paul@e.test", "/co-training/mine", url)
    _same_redirect(responses)
    count, _status, holders, statuses = _facts(own_app, mission_id)
    assert statuses["waiting0@e.test"] == SignupStatus.OFFERED
    assert statuses["waiting1@e.test"] == SignupStatus.WAITING
    assert (count, holders) == (1, 1)
    assert _moves(own_app, paul, "cancelled") == 1
    assert _moves(own_app, ids["waiting0@e.test"], "offered") == 1
    assert _mail_to(own_app, "waiting0@e.test") == 2  # waiting, then offered
    assert _notes_of(own_app, "paul@e.test") == 2  # confirmed, then cancelled


@pytest.mark.parametrize("how", SENDINGS)
def test_confirm_sent_twice_takes_one_place(own_app, how):
    mission_id, ids = _world(own_app, seats=2, waiting=1, confirmed=())
    signup_id = ids["waiting0@e.test"]
    url = f"/co-training/signups/{signup_id}/confirm"
    page = f"/co-training/missions/{mission_id}/manage"
    responses = _send(own_app, how, "staff@e.test", page, url)
    _same_redirect(responses)
    count, status, holders, statuses = _facts(own_app, mission_id)
    assert statuses["waiting0@e.test"] == SignupStatus.CONFIRMED
    assert (count, holders, status) == (1, 1, MissionStatus.PUBLISHED)
    assert _moves(own_app, signup_id, "confirmed") == 1
    assert _mail_to(own_app, "waiting0@e.test") == 2  # on the waiting list, then confirmed


@pytest.mark.parametrize("how", SENDINGS)
def test_withdraw_sent_twice_makes_one_offer(own_app, how):
    mission_id, ids = _world(own_app)
    paul = ids["paul@e.test"]
    url = f"/co-training/signups/{paul}/withdraw"
    page = f"/co-training/missions/{mission_id}/manage"
    reason = {f"withdraw-{paul}-reason": "La session change de format."}
    responses = _send(own_app, how, "staff@e.test", page, url, reason)
    _same_redirect(responses)
    count, _status, holders, statuses = _facts(own_app, mission_id)
    assert statuses["paul@e.test"] == SignupStatus.DECLINED
    assert [statuses["waiting0@e.test"], statuses["waiting1@e.test"]] == [
        SignupStatus.OFFERED,
        SignupStatus.WAITING,
    ]
    assert (count, holders) == (1, 1)
    assert _moves(own_app, paul, "declined") == 1
    assert _mail_to(own_app, "waiting0@e.test") == 2  # waiting, then offered


@pytest.mark.parametrize("how", SENDINGS)
def test_sign_up_sent_twice_makes_one_sign_up(own_app, how):
    mission_id, _ids = _world(own_app, seats=1, waiting=0, confirmed=())
    with own_app.test_request_context("/"):
        make_person((make_org(), Role.PARTICIPANT), email="ana@e.test")
        db.session.commit()
    url = f"/co-training/missions/{mission_id}/sign-up"
    responses = _send(
        own_app,
        how,
        "ana@e.test",
        url,
        url,
        {"why": "J'aime transmettre.", "contact_channel": "sms"},
    )
    _same_redirect(responses)
    _count_, _status, _holders, statuses = _facts(own_app, mission_id)
    assert statuses == {"ana@e.test": SignupStatus.INTERESTED}
    assert _count(own_app, AuditEntry, AuditEntry.action == "trainings.signed_up") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_a_message_sent_twice_reaches_each_co_trainer_once(own_app, how):
    mission_id, _ids = _world(own_app, seats=2, waiting=0, confirmed=("paul@e.test", "lea@e.test"))
    url = f"/co-training/missions/{mission_id}/message"
    page = f"/co-training/missions/{mission_id}/manage"
    extra = {"subject": "Salle changée", "body": "Nous serons en salle 4."}
    responses = _send(own_app, how, "staff@e.test", page, url, extra)
    _same_redirect(responses)
    for email in ("paul@e.test", "lea@e.test"):
        about = OutboxMessage.subject.contains("Salle changée")
        assert _count(own_app, OutboxMessage, OutboxMessage.to_address == email, about) == 1
    assert _count(own_app, AuditEntry, AuditEntry.action == "trainings.message_sent") == 1
