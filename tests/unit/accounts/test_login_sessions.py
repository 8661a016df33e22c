"""Logins end by themselves: after 30 days without use, and a staff role's 12 hours after it
began (shared office computers). Times are given with `now=`: no sleeping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import LoginSession, Role
from app.db import utcnow
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def test_a_login_unused_for_30_days_ends():
    person = make_person((make_org(), Role.PARTICIPANT))
    start = utcnow()
    token = services.open_login_session(person, now=start)
    assert services.person_for_token(person.id, token, now=start + timedelta(days=29)) == person
    ended = start + timedelta(days=30)
    assert services.person_for_token(person.id, token, now=ended) is None
    message = str(services.why_login_ended(token, now=ended))
    assert "30 jours sans visite" in message and "Reconnectez-vous" in message


def test_a_login_in_use_lasts_past_30_days():
    person = make_person((make_org(), Role.PARTICIPANT))
    start = utcnow()
    token = services.open_login_session(person, now=start)
    assert services.note_login_use(token, now=start + timedelta(days=20))
    assert services.person_for_token(person.id, token, now=start + timedelta(days=45)) == person
    assert services.why_login_ended(token, now=start + timedelta(days=45)) is None


def test_the_last_use_is_written_at_most_every_few_minutes():
    person = make_person((make_org(), Role.PARTICIPANT))
    start = utcnow()
    token = services.open_login_session(person, now=start)
    assert not services.note_login_use(token, now=start + timedelta(minutes=1))
    assert services.note_login_use(token, now=start + timedelta(minutes=6))
    assert not services.note_login_use(token, now=start + timedelta(minutes=7))
    row = db.session.scalar(select(LoginSession).where(LoginSession.person_id == person.id))
    db.session.refresh(row)
    assert row.last_used_at == start + timedelta(minutes=6)


@pytest.mark.parametrize(
    "role", [Role.FACILITATOR, Role.INSTITUTE_STAFF, Role.MODERATOR, Role.FINANCE, Role.ADMIN]
)
def test_a_staff_login_ends_after_12_hours_even_in_use(role):
    staff = make_person((make_org(), role))
    start = utcnow()
    token = services.open_login_session(staff, now=start)
    services.note_login_use(token, now=start + timedelta(hours=11, minutes=50))
    assert services.person_for_token(staff.id, token, now=start + timedelta(hours=11)) == staff
    ended = start + timedelta(hours=12)
    assert services.person_for_token(staff.id, token, now=ended) is None
    assert "12 heures" in str(services.why_login_ended(token, now=ended))


def test_a_platform_admin_login_ends_after_12_hours():
    admin = make_person(admin=True)
    start = utcnow()
    token = services.open_login_session(admin, now=start)
    assert services.person_for_token(admin.id, token, now=start + timedelta(hours=12)) is None


def test_a_participant_login_lasts_past_12_hours():
    person = make_person((make_org(), Role.PARTICIPANT))
    start = utcnow()
    token = services.open_login_session(person, now=start)
    assert services.person_for_token(person.id, token, now=start + timedelta(hours=13)) == person


def test_a_closed_login_gives_no_expiry_message():
    person = make_person((make_org(), Role.PARTICIPANT))
    start = utcnow()
    token = services.open_login_session(person, now=start)
    services.close_login_session(token)
    assert services.why_login_ended(token, now=start + timedelta(days=40)) is None
    assert services.why_login_ended("made-up", now=start) is None
