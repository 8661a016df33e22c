"""Co-training sign-ups: capacity, waiting list promotion and its deadline, cancellation by
either side, calendar file, permissions from the wrong side."""

from datetime import timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar

from app.accounts.models import OrganisationKind, Role
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.db import utcnow
from app.trainings import services
from app.trainings.models import MissionStatus, MissionType, SignupStatus
from app.trainings.services import MissionData, SignupData
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def make_mission(seats=1, staff=None, institute=None):
    institute = institute or make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = staff or make_person((institute, Role.INSTITUTE_STAFF))
    start = utcnow() + timedelta(days=20)
    mission = services.create_mission(
        staff,
        institute,
        MissionData(
            type=MissionType.TEACHING,
            title="Accueillir une personne à la rue",
            seats=seats,
            sessions=[(start, start + timedelta(hours=3))],
            place="IRTS, 12 rue de l'École, Villefictive",
            departement="59",
            hourly_rate=Decimal("20.00"),
            contact_name="Claire",
            contact_phone="03 20 00 00 00",
        ),
    )
    services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission, staff


def people(n, org=None):
    org = org or make_org()
    return [make_person((org, Role.PARTICIPANT)) for _ in range(n)]


def test_mission_needs_a_place_sessions_and_seats():
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = make_person((institute, Role.INSTITUTE_STAFF))
    start = utcnow() + timedelta(days=3)
    base = dict(type=MissionType.JURY, title="Jury", seats=1, sessions=[(start, start)])
    with pytest.raises(DomainError) as wrong:
        services.create_mission(staff, institute, MissionData(**base))
    assert wrong.value.field == "sessions"
    with pytest.raises(NotAllowed):
        services.create_mission(people(1)[0], institute, MissionData(**base))


def test_confirm_until_full_then_the_waiting_list():
    mission, staff = make_mission(seats=1)
    first, second = people(2)
    a = services.sign_up(first, first, mission, SignupData(needs_childcare=True))
    b = services.sign_up(second, second, mission, SignupData())
    services.confirm(staff, a)
    assert mission.status == MissionStatus.FULL and mission.confirmed_count == 1
    with pytest.raises(DomainError):
        services.confirm(staff, b)
    services.put_on_waiting_list(staff, b)
    assert b.status == SignupStatus.WAITING


def test_a_cancelled_place_is_offered_to_the_oldest_waiting_with_a_deadline():
    mission, staff = make_mission(seats=1)
    holder, older, newer = people(3)
    held = services.sign_up(holder, holder, mission, SignupData())
    services.confirm(staff, held)
    first_waiting = services.sign_up(older, older, mission, SignupData())
    second_waiting = services.sign_up(newer, newer, mission, SignupData())
    services.put_on_waiting_list(staff, second_waiting)  # put on the list in the other order
    services.put_on_waiting_list(staff, first_waiting)
    services.cancel(holder, held)  # no reason asked
    assert first_waiting.status == SignupStatus.OFFERED
    assert first_waiting.offer_expires_at is not None
    assert mission.confirmed_count == 1  # the place moved with the offer
    # Not answered in time: the place goes to the next one.
    later = utcnow() + timedelta(hours=services.OFFER_HOURS + 1)
    with pytest.raises(InvalidTransition):
        services.accept_offer(older, first_waiting, now=later)
    assert services.expire_offers(later) == 1
    assert first_waiting.status == SignupStatus.CANCELLED
    assert second_waiting.status == SignupStatus.OFFERED
    services.accept_offer(newer, second_waiting)
    assert second_waiting.status == SignupStatus.CONFIRMED
    services.cancel(newer, second_waiting)
    assert mission.confirmed_count == 0 and mission.status == MissionStatus.PUBLISHED


def test_decline_needs_a_reason_and_every_change_is_told():
    from sqlalchemy import select

    from app import db
    from app.core.models import Notification

    mission, staff = make_mission()
    (person,) = people(1)
    signup = services.sign_up(person, person, mission, SignupData())
    with pytest.raises(DomainError) as missing:
        services.decline(staff, signup, " ")
    assert missing.value.field == "reason"
    services.decline(staff, signup, "Cette séance est pour des personnes qui ont vécu à la rue.")
    told = db.session.scalars(select(Notification).where(Notification.person_id == person.id)).all()
    assert len(told) == 1 and "vécu à la rue" in told[0].body and "Claire" in told[0].body


def test_permissions_from_the_wrong_side():
    mission, staff = make_mission()
    other_institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    other_staff = make_person((other_institute, Role.INSTITUTE_STAFF))
    person, other = people(2)
    signup = services.sign_up(person, person, mission, SignupData())
    with pytest.raises(NotAllowed):
        services.confirm(other_staff, signup)
    with pytest.raises(NotFound):
        services.cancel(other, signup)
    with pytest.raises(DomainError):  # signing up for someone needs consent and the right
        services.sign_up(other, person, mission, SignupData())
    with pytest.raises(DomainError):
        services.sign_up(person, person, mission, SignupData())  # already signed up


def test_calendar_file_parses_back_with_place_time_and_contact():
    mission, staff = make_mission()
    (person,) = people(1)
    signup = services.sign_up(person, person, mission, SignupData())
    with pytest.raises(InvalidTransition):
        services.calendar_file(person, signup)
    services.confirm(staff, signup)
    calendar = Calendar.from_ical(services.calendar_file(person, signup))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == mission.sessions[0].starts_at.replace(microsecond=0)
    assert "12 rue de l'École" in str(event["location"])
    assert "03 20 00 00 00" in str(event["description"])
