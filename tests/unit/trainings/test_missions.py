"""Co-training missions, institute side: editing, validation, the mission's life (publish,
close, done, cancel), finding missions, withdrawing a place, cancelling for someone, messages
to the co-trainers and the reminders two days before each session."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.db import utcnow
from app.trainings import services
from app.trainings.models import MissionStatus, MissionType, SignupStatus
from app.trainings.services import Filters, MissionData, Presence, SignupData
from tests.factories import make_org, make_person
from tests.unit.trainings.test_signups import make_mission, people

pytestmark = pytest.mark.usefixtures("ctx")

PARIS = ZoneInfo("Europe/Paris")


def institute_and_staff():
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    return institute, make_person((institute, Role.INSTITUTE_STAFF))


def mission_data(**changes):
    start = utcnow() + timedelta(days=20)
    values = dict(
        type=MissionType.TEACHING,
        title="Accueillir une personne à la rue",
        seats=2,
        sessions=[(start, start + timedelta(hours=3))],
        place="IRTS, 12 rue de l'École, Villefictive",
        departement="59",
        hourly_rate=Decimal("20.00"),
        contact_name="Claire",
        contact_phone="03 20 00 00 00",
    )
    values.update(changes)
    return MissionData(**values)


def data_of(mission, **changes):
    """The form as it would come back for this mission, with some fields changed."""
    values = {name: getattr(mission, name) for name in MissionData.__dataclass_fields__}
    values["sessions"] = [(s.starts_at, s.ends_at) for s in mission.sessions]
    values.update(changes)
    return MissionData(**values)


def published(staff, institute, **changes):
    mission = services.create_mission(staff, institute, mission_data(**changes))
    services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission


def confirmed(mission, staff, n, org=None):
    signups = []
    for person in people(n, org):
        signup = services.sign_up(person, person, mission, SignupData())
        services.confirm(staff, signup)
        signups.append(signup)
    return signups


def notes(person):
    return db.session.scalars(
        select(Notification).where(Notification.person_id == person.id).order_by(Notification.id)
    ).all()


# --- update_mission --------------------------------------------------------------------


def test_update_changes_the_fields_and_keeps_unchanged_sessions():
    mission, staff = make_mission(seats=2)
    session_id = mission.sessions[0].id
    later = mission.sessions[0].starts_at + timedelta(days=7)
    data = data_of(
        mission,
        type=MissionType.JURY,
        title="  Accueillir sans juger ",
        place="Salle 4, IRTS",
        departement="2a",
        seats=4,
        sessions=[(s.starts_at, s.ends_at) for s in mission.sessions]
        + [(later, later + timedelta(hours=2))],
    )
    services.update_mission(staff, mission, data)
    assert mission.title == "Accueillir sans juger"
    assert mission.type.label == MissionType.JURY.label  # still the enum, not a plain string
    assert mission.place == "Salle 4, IRTS" and mission.departement == "2A"
    assert mission.seats == 4
    assert len(mission.sessions) == 2
    assert session_id in {s.id for s in mission.sessions}  # the same row, not a new one
    audit = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "trainings.mission_changed", AuditEntry.object_id == mission.id
        )
    ).all()
    assert len(audit) == 1 and audit[0].actor_id == staff.id


def test_seats_cannot_go_under_the_confirmed_people():
    mission, staff = make_mission(seats=3)
    confirmed(mission, staff, 2)
    with pytest.raises(DomainError) as wrong:
        services.update_mission(staff, mission, data_of(mission, seats=1))
    assert wrong.value.field == "seats"
    services.update_mission(staff, mission, data_of(mission, seats=2))
    assert mission.seats == 2 and mission.status == MissionStatus.FULL


def test_a_session_with_recorded_attendance_cannot_be_removed():
    institute, staff = institute_and_staff()
    past = utcnow() - timedelta(days=2)
    future = utcnow() + timedelta(days=5)
    mission = published(
        staff,
        institute,
        sessions=[(past, past + timedelta(hours=3)), (future, future + timedelta(hours=3))],
    )
    (signup,) = confirmed(mission, staff, 1)
    done, upcoming = mission.sessions
    services.record_attendance(staff, done, {signup.id: Presence(present=True)})
    with pytest.raises(DomainError) as wrong:
        services.update_mission(
            staff, mission, data_of(mission, sessions=[(upcoming.starts_at, upcoming.ends_at)])
        )
    assert wrong.value.field == "sessions"
    db.session.refresh(mission)
    assert {s.id for s in mission.sessions} == {done.id, upcoming.id}
    # A session without attendance can go.
    services.update_mission(
        staff, mission, data_of(mission, sessions=[(done.starts_at, done.ends_at)])
    )
    db.session.flush()
    db.session.refresh(mission)
    assert [s.id for s in mission.sessions] == [done.id]


def test_full_and_published_follow_the_seats():
    mission, staff = make_mission(seats=1)
    confirmed(mission, staff, 1)
    assert mission.status == MissionStatus.FULL
    services.update_mission(staff, mission, data_of(mission, seats=2))
    assert mission.status == MissionStatus.PUBLISHED
    services.update_mission(staff, mission, data_of(mission, seats=1))
    assert mission.status == MissionStatus.FULL


def test_a_finished_mission_cannot_be_changed():
    mission, staff = make_mission()
    services.move_mission(staff, mission, MissionStatus.CANCELLED)
    with pytest.raises(InvalidTransition):
        services.update_mission(staff, mission, data_of(mission, title="Autre titre"))
    assert mission.title == "Accueillir une personne à la rue"

    institute, staff = institute_and_staff()
    past = utcnow() - timedelta(days=1)
    done = published(staff, institute, sessions=[(past, past + timedelta(hours=2))])
    services.move_mission(staff, done, MissionStatus.CLOSED)
    services.move_mission(staff, done, MissionStatus.DONE)
    with pytest.raises(InvalidTransition):
        services.update_mission(staff, done, data_of(done, seats=5))
    assert done.seats == 2


def test_another_institute_cannot_change_the_mission():
    mission, _staff = make_mission()
    _other, other_staff = institute_and_staff()
    with pytest.raises(NotAllowed):
        services.update_mission(other_staff, mission, data_of(mission, title="Piraté"))
    (participant,) = people(1)
    with pytest.raises(NotAllowed):
        services.update_mission(participant, mission, data_of(mission, title="Piraté"))
    assert mission.title == "Accueillir une personne à la rue"


# --- create_mission validation ---------------------------------------------------------


@pytest.mark.parametrize("departement", ["59", "2A", "2b", "974", "01", ""])
def test_departements_that_exist(departement):
    institute, staff = institute_and_staff()
    mission = services.create_mission(staff, institute, mission_data(departement=departement))
    assert mission.departement == departement.upper()


@pytest.mark.parametrize("departement", ["999", "A", "00", "96", "977", "2C", "5"])
def test_departements_that_do_not_exist(departement):
    institute, staff = institute_and_staff()
    with pytest.raises(DomainError) as wrong:
        services.create_mission(staff, institute, mission_data(departement=departement))
    assert wrong.value.field == "departement"


def test_pay_and_covered_costs_are_checked():
    institute, staff = institute_and_staff()
    with pytest.raises(DomainError) as wrong:
        services.create_mission(staff, institute, mission_data(hourly_rate=Decimal("-1")))
    assert wrong.value.field == "hourly_rate"
    with pytest.raises(DomainError) as wrong:
        services.create_mission(staff, institute, mission_data(covered_costs=["meal", "spa"]))
    assert wrong.value.field == "covered_costs"
    ok = services.create_mission(
        staff, institute, mission_data(hourly_rate=Decimal("0"), covered_costs=["meal", "train"])
    )
    assert ok.covered_costs == ["meal", "train"] and ok.status == MissionStatus.DRAFT


# --- move_mission ----------------------------------------------------------------------


def test_reopening_a_closed_mission_goes_to_full_when_it_is_full():
    mission, staff = make_mission(seats=1)
    confirmed(mission, staff, 1)
    services.move_mission(staff, mission, MissionStatus.CLOSED)
    services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    assert mission.status == MissionStatus.FULL

    roomy, staff = make_mission(seats=2)
    confirmed(roomy, staff, 1)
    services.move_mission(staff, roomy, MissionStatus.CLOSED)
    services.move_mission(staff, roomy, MissionStatus.PUBLISHED)
    assert roomy.status == MissionStatus.PUBLISHED


def test_done_only_once_a_session_has_started():
    mission, staff = make_mission()
    services.move_mission(staff, mission, MissionStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        services.move_mission(staff, mission, MissionStatus.DONE)
    assert mission.status == MissionStatus.CLOSED
    started = utcnow() - timedelta(minutes=5)
    mission.sessions[0].starts_at = started
    mission.sessions[0].ends_at = started + timedelta(hours=3)
    db.session.flush()
    services.move_mission(staff, mission, MissionStatus.DONE)
    assert mission.status == MissionStatus.DONE


def test_cancelling_a_mission_cancels_and_tells_every_open_signup():
    mission, staff = make_mission(seats=2)
    holder_one, holder_two = confirmed(mission, staff, 2)
    waiting_person, interested_person, declined_person = people(3)
    waiting = services.sign_up(waiting_person, waiting_person, mission, SignupData())
    services.put_on_waiting_list(staff, waiting)
    interested = services.sign_up(interested_person, interested_person, mission, SignupData())
    declined = services.sign_up(declined_person, declined_person, mission, SignupData())
    services.decline(staff, declined, "Ce n'est pas le bon groupe.")
    open_ones = [holder_one, holder_two, waiting, interested]
    before = {s.person_id: len(notes(s.person)) for s in [*open_ones, declined]}

    services.move_mission(staff, mission, MissionStatus.CANCELLED)

    assert mission.status == MissionStatus.CANCELLED
    assert mission.confirmed_count == 0
    db.session.refresh(mission, ["confirmed_count"])
    assert mission.confirmed_count == 0
    for signup in open_ones:
        assert signup.status == SignupStatus.CANCELLED
        assert len(notes(signup.person)) == before[signup.person_id] + 1
    assert declined.status == SignupStatus.DECLINED
    assert len(notes(declined.person)) == before[declined.person_id]  # not told twice
    with pytest.raises(InvalidTransition):
        services.move_mission(staff, mission, MissionStatus.PUBLISHED)


# --- find_missions ---------------------------------------------------------------------


def at(days, hours=3):
    start = utcnow() + timedelta(days=days)
    return (start, start + timedelta(hours=hours))


def test_only_open_missions_with_a_session_to_come_are_found():
    institute, staff = institute_and_staff()
    now = utcnow()
    open_one = published(staff, institute, title="Ouverte", sessions=[at(10)])
    full = published(staff, institute, title="Complète", sessions=[at(11)])
    services.move_mission(staff, full, MissionStatus.FULL)
    services.create_mission(staff, institute, mission_data(title="Brouillon", sessions=[at(3)]))
    closed = published(staff, institute, title="Fermée", sessions=[at(4)])
    services.move_mission(staff, closed, MissionStatus.CLOSED)
    cancelled = published(staff, institute, title="Annulée", sessions=[at(5)])
    services.move_mission(staff, cancelled, MissionStatus.CANCELLED)
    published(staff, institute, title="Passée", sessions=[at(-3)])
    published(
        staff,
        institute,
        title="Trop tard",
        sessions=[at(6)],
        signup_deadline=now - timedelta(hours=1),
    )
    still_time = published(
        staff,
        institute,
        title="Encore le temps",
        sessions=[at(12)],
        signup_deadline=now + timedelta(days=2),
    )
    found = services.find_missions(Filters(), now=now)
    assert [m.title for m in found] == [m.title for m in (open_one, full, still_time)]


def test_found_missions_are_ordered_by_their_next_session():
    institute, staff = institute_and_staff()
    # Started long ago but with a session to come in 8 days: it counts from that session.
    running = published(staff, institute, title="En cours", sessions=[at(-20), at(8)])
    soon = published(staff, institute, title="Bientôt", sessions=[at(2), at(30)])
    later = published(staff, institute, title="Plus tard", sessions=[at(15)])
    assert services.find_missions(Filters()) == [soon, running, later]


def test_filter_by_departement_with_or_without_online_missions():
    institute, staff = institute_and_staff()
    nord = published(staff, institute, title="Lille", departement="59", sessions=[at(2)])
    published(staff, institute, title="Rennes", departement="35", sessions=[at(3)])
    online = published(
        staff, institute, title="En ligne", online=True, place="", departement="", sessions=[at(4)]
    )
    corse = published(staff, institute, title="Ajaccio", departement="2A", sessions=[at(5)])
    assert services.find_missions(Filters(departement="59")) == [nord]
    assert services.find_missions(Filters(departement="59", online=True)) == [nord, online]
    assert services.find_missions(Filters(departement="2a")) == [corse]
    assert len(services.find_missions(Filters())) == 4


def test_filter_by_type_and_by_starting_day():
    institute, staff = institute_and_staff()
    jury = published(staff, institute, type=MissionType.JURY, title="Jury", sessions=[at(3)])
    teaching = published(staff, institute, title="Cours", sessions=[at(5), at(25)])
    event = published(staff, institute, type=MissionType.EVENT, title="Forum", sessions=[at(30)])
    assert services.find_missions(Filters(type=MissionType.JURY)) == [jury]
    assert services.find_missions(Filters(type=MissionType.EVENT)) == [event]
    from_day_20 = services.find_missions(Filters(starting=utcnow() + timedelta(days=20)))
    assert from_day_20 == [teaching, event]  # the course still has a session on day 25
    # A starting day in the past does not bring back finished sessions.
    published(staff, institute, title="Passée", sessions=[at(-10)])
    long_ago = services.find_missions(Filters(starting=utcnow() - timedelta(days=60)))
    assert long_ago == [jury, teaching, event]


def test_departements_offered_are_those_of_missions_one_can_find():
    institute, staff = institute_and_staff()
    published(staff, institute, departement="59", sessions=[at(2)])
    published(staff, institute, departement="35", sessions=[at(3)])
    published(staff, institute, departement="59", sessions=[at(4)])
    published(staff, institute, online=True, place="", departement="", sessions=[at(5)])
    services.create_mission(staff, institute, mission_data(departement="13"))  # a draft
    cancelled = published(staff, institute, departement="75", sessions=[at(6)])
    services.move_mission(staff, cancelled, MissionStatus.CANCELLED)
    published(staff, institute, departement="62", sessions=[at(-6)])  # all in the past
    published(
        staff,
        institute,
        departement="80",
        sessions=[at(7)],
        signup_deadline=utcnow() - timedelta(days=1),
    )
    assert services.departements_offered() == ["35", "59"]
    for departement in services.departements_offered():
        assert services.find_missions(Filters(departement=departement))


# --- withdraw --------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_the_place_goes_to_the_oldest_waiting():
    mission, staff = make_mission(seats=1)
    (holder,) = confirmed(mission, staff, 1)
    older, newer = people(2)
    first = services.sign_up(older, older, mission, SignupData())
    second = services.sign_up(newer, newer, mission, SignupData())
    services.put_on_waiting_list(staff, second)
    services.put_on_waiting_list(staff, first)
    with pytest.raises(DomainError) as missing:
        services.withdraw(staff, holder, "  ")
    assert missing.value.field == "reason"
    assert holder.status == SignupStatus.CONFIRMED

    before = utcnow()
    services.withdraw(staff, holder, "Le groupe a changé de date.")
    assert holder.status == SignupStatus.DECLINED
    assert holder.decline_reason == "Le groupe a changé de date."
    assert "Le groupe a changé de date." in notes(holder.person)[-1].body
    assert first.status == SignupStatus.OFFERED
    hours = timedelta(hours=services.OFFER_HOURS)
    assert before + hours <= first.offer_expires_at <= utcnow() + hours
    assert second.status == SignupStatus.WAITING
    assert mission.confirmed_count == 1 and mission.status == MissionStatus.FULL


def test_withdrawing_with_nobody_waiting_frees_the_place():
    mission, staff = make_mission(seats=1)
    (holder,) = confirmed(mission, staff, 1)
    services.withdraw(staff, holder, "Désolés.")
    assert mission.confirmed_count == 0 and mission.status == MissionStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        services.withdraw(staff, holder, "Encore")


def test_a_participant_cannot_withdraw_a_place():
    mission, staff = make_mission(seats=2)
    holder, other = confirmed(mission, staff, 2)
    for actor in (holder.person, other.person):
        with pytest.raises(NotAllowed):
            services.withdraw(actor, holder, "Je prends sa place")
    assert holder.status == SignupStatus.CONFIRMED and mission.confirmed_count == 2


# --- cancel by the person --------------------------------------------------------------


def test_a_facilitator_cancels_for_their_participant():
    association = make_org()
    facilitator = make_person((association, Role.FACILITATOR))
    mission, staff = make_mission(seats=1)
    (signup,) = confirmed(mission, staff, 1, org=association)
    assert mission.status == MissionStatus.FULL
    services.cancel(facilitator, signup)
    assert signup.status == SignupStatus.CANCELLED
    assert mission.confirmed_count == 0 and mission.status == MissionStatus.PUBLISHED
    moved = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "trainings.signup_moved", AuditEntry.object_id == signup.id
        )
    ).all()
    assert moved[-1].actor_id == facilitator.id
    assert moved[-1].details["to_status"] == "cancelled"


def test_someone_else_cannot_cancel_a_place():
    mission, staff = make_mission(seats=2)
    (signup,) = confirmed(mission, staff, 1)
    (other_participant,) = people(1)
    other_facilitator = make_person((make_org(), Role.FACILITATOR))
    for stranger in (other_participant, other_facilitator):
        with pytest.raises(NotFound):
            services.cancel(stranger, signup)
    assert signup.status == SignupStatus.CONFIRMED and mission.confirmed_count == 1


# --- message_cotrainers ----------------------------------------------------------------


def test_a_message_needs_a_subject_a_text_and_someone_to_read_it():
    mission, staff = make_mission(seats=2)
    (person,) = people(1)
    services.sign_up(person, person, mission, SignupData())  # interested only
    with pytest.raises(DomainError) as wrong:
        services.message_cotrainers(staff, mission, " ", "Bonjour")
    assert wrong.value.field == "subject"
    with pytest.raises(DomainError) as wrong:
        services.message_cotrainers(staff, mission, "Salle", "  ")
    assert wrong.value.field == "body"
    with pytest.raises(DomainError):
        services.message_cotrainers(staff, mission, "Salle", "Salle 4 au 2e étage.")
    assert notes(person) == []
    _other, other_staff = institute_and_staff()
    with pytest.raises(NotAllowed):
        services.message_cotrainers(other_staff, mission, "Salle", "Salle 4.")


def test_the_message_reaches_the_confirmed_people_only():
    mission, staff = make_mission(seats=3)
    (with_mail,) = confirmed(mission, staff, 1)
    no_mail = make_person((make_org(), Role.PARTICIPANT), identifier="marie.d")
    no_mail_signup = services.sign_up(no_mail, no_mail, mission, SignupData())
    services.confirm(staff, no_mail_signup)
    (interested,) = people(1)
    services.sign_up(interested, interested, mission, SignupData())
    before = {p.id: len(notes(p)) for p in (with_mail.person, no_mail, interested)}
    mails_before = len(mails_to(with_mail.person.email))

    sent = services.message_cotrainers(
        staff, mission, "Changement de salle", "Rendez-vous salle 4, au 2e étage."
    )

    assert sent == 2
    for person in (with_mail.person, no_mail):
        got = notes(person)
        assert len(got) == before[person.id] + 1
        assert "Changement de salle" in got[-1].subject
        assert got[-1].body == "Rendez-vous salle 4, au 2e étage."
    assert len(notes(interested)) == before[interested.id]
    mails = mails_to(with_mail.person.email)
    assert len(mails) == mails_before + 1
    assert "Changement de salle" in mails[-1].subject
    assert "Rendez-vous salle 4" in mails[-1].body_text
    assert not any("salle 4" in m.body_text for m in mails_to(interested.email))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "trainings.message_sent")
    ).one()
    assert entry.actor_id == staff.id and entry.object_id == mission.id
    assert entry.details == {"recipients": 2}  # no subject, no text


def mails_to(address):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    ).all()


# --- send_reminders --------------------------------------------------------------------


def reminder_mission(staff, institute, now, *offsets):
    sessions = [(now + o, now + o + timedelta(hours=3)) for o in offsets]
    return published(staff, institute, sessions=sessions, seats=3)


def test_reminders_two_days_before_for_confirmed_people_only():
    institute, staff = institute_and_staff()
    now = utcnow()
    mission = reminder_mission(
        staff,
        institute,
        now,
        timedelta(hours=-1),
        timedelta(hours=47),
        timedelta(hours=49),
    )
    past, soon, later = mission.sessions
    one, two = confirmed(mission, staff, 2)
    waiting_person, interested_person = people(2)
    waiting = services.sign_up(waiting_person, waiting_person, mission, SignupData())
    services.put_on_waiting_list(staff, waiting)
    services.sign_up(interested_person, interested_person, mission, SignupData())
    everyone = [one.person, two.person, waiting_person, interested_person]
    before = {p.id: len(notes(p)) for p in everyone}

    assert services.send_reminders(now=now) == 2
    for person in (one.person, two.person):
        assert len(notes(person)) == before[person.id] + 1
    for person in (waiting_person, interested_person):
        assert len(notes(person)) == before[person.id]
    assert soon.reminded_at == now
    assert past.reminded_at is None and later.reminded_at is None

    # Running again at once sends nothing more.
    assert services.send_reminders(now=now) == 0
    assert len(notes(one.person)) == before[one.person.id] + 1
    # Two hours later the session of "in 49 hours" is in 47 hours: its turn, once.
    assert services.send_reminders(now=now + timedelta(hours=2)) == 2
    assert services.send_reminders(now=now + timedelta(hours=3)) == 0
    assert len(notes(one.person)) == before[one.person.id] + 2
    assert past.reminded_at is None


def test_someone_confirmed_after_the_others_were_reminded_is_reminded_too():
    institute, staff = institute_and_staff()
    now = utcnow()
    mission = reminder_mission(staff, institute, now, timedelta(hours=30))
    (first,) = confirmed(mission, staff, 1)
    assert services.send_reminders(now=now) == 1
    (late,) = confirmed(mission, staff, 1)
    before = len(notes(late.person))
    assert services.send_reminders(now=now + timedelta(hours=1)) == 1
    assert len(notes(late.person)) == before + 1
    assert services.send_reminders(now=now + timedelta(hours=2)) == 0
    assert first.reminded_sessions == late.reminded_sessions == [mission.sessions[0].id]


def test_the_reminder_says_where_when_and_who_to_call():
    institute, staff = institute_and_staff()
    now = utcnow().replace(second=0, microsecond=0)
    mission = reminder_mission(staff, institute, now, timedelta(hours=30))
    (signup,) = confirmed(mission, staff, 1)
    services.send_reminders(now=now)
    body = notes(signup.person)[-1].body
    local = mission.sessions[0].starts_at.astimezone(PARIS)
    assert "IRTS, 12 rue de l'École, Villefictive" in body
    assert local.strftime("%H:%M") in body
    assert f" {local.day} " in body and str(local.year) in body
    assert "Claire" in body and "03 20 00 00 00" in body
    mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == signup.person.email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert "03 20 00 00 00" in mail.body_text


def test_closed_missions_are_reminded_cancelled_and_drafts_are_not():
    institute, staff = institute_and_staff()
    now = utcnow()
    closed = reminder_mission(staff, institute, now, timedelta(hours=20))
    (closed_signup,) = confirmed(closed, staff, 1)
    services.move_mission(staff, closed, MissionStatus.CLOSED)
    cancelled = reminder_mission(staff, institute, now, timedelta(hours=20))
    (cancelled_signup,) = confirmed(cancelled, staff, 1)
    services.move_mission(staff, cancelled, MissionStatus.CANCELLED)
    draft = services.create_mission(
        staff,
        institute,
        mission_data(sessions=[(now + timedelta(hours=20), now + timedelta(hours=22))]),
    )
    before = len(notes(cancelled_signup.person))

    assert services.send_reminders(now=now) == 1
    assert closed.sessions[0].reminded_at == now
    assert cancelled.sessions[0].reminded_at is None
    assert draft.sessions[0].reminded_at is None
    assert len(notes(cancelled_signup.person)) == before
    assert closed_signup.status == SignupStatus.CONFIRMED


def test_someone_confirmed_inside_the_two_days_is_still_reminded():
    institute, staff = institute_and_staff()
    now = utcnow()
    mission = reminder_mission(staff, institute, now, timedelta(hours=30))
    (person,) = people(1)
    signup = services.sign_up(person, person, mission, SignupData())
    assert services.send_reminders(now=now) == 0  # nobody confirmed yet
    assert mission.sessions[0].reminded_at is None
    services.confirm(staff, signup)
    before = len(notes(person))
    assert services.send_reminders(now=now + timedelta(hours=1)) == 1
    assert len(notes(person)) == before + 1
    assert services.send_reminders(now=now + timedelta(hours=2)) == 0
