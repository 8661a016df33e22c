"""Co-training missions and sign-ups: the rules. Services flush, never commit.

Capacity holds under concurrency: a place is taken by one conditional UPDATE on the mission
(`confirmed_count < seats`), which SQLite serialises (BEGIN IMMEDIATE) and PostgreSQL re-checks
under the row lock, so two people confirming the last place never both get it. A confirmed or
offered sign-up holds a place; when one is cancelled, the place goes to the oldest person on the
waiting list, who has OFFER_HOURS to accept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import db
from app.accounts.models import Organisation, Person
from app.core import audit
from app.core.errors import DomainError, InvalidTransition, NotFound
from app.core.notifications import notify
from app.core.permissions import can, require
from app.core.provenance import assisted_entry
from app.db import utcnow
from app.trainings.models import (
    Mission,
    MissionSession,
    MissionStatus,
    MissionType,
    Signup,
    SignupStatus,
)

OFFER_HOURS = 48
HOLDS_PLACE = (SignupStatus.CONFIRMED, SignupStatus.OFFERED)
M = MissionStatus
MISSION_TRANSITIONS: dict[MissionStatus, frozenset[MissionStatus]] = {
    M.DRAFT: frozenset({M.PUBLISHED, M.CANCELLED}),
    M.PUBLISHED: frozenset({M.FULL, M.CLOSED, M.CANCELLED}),
    M.FULL: frozenset({M.PUBLISHED, M.CLOSED, M.CANCELLED}),
    M.CLOSED: frozenset({M.PUBLISHED, M.DONE, M.CANCELLED}),
    M.DONE: frozenset(),
    M.CANCELLED: frozenset(),
}


@dataclass
class MissionData:
    type: MissionType
    title: str
    seats: int
    sessions: list[tuple[datetime, datetime]]
    title_easy: str = ""
    description: str = ""
    description_easy: str = ""
    topic: str = ""
    audience: str = ""
    online: bool = False
    place: str = ""
    departement: str = ""
    step_free: bool = False
    lift: bool = False
    hearing_loop: bool = False
    quiet_room: bool = False
    preparation_at: datetime | None = None
    hourly_rate: Decimal | None = None
    expected_hours: Decimal | None = None
    covered_costs: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    signup_deadline: datetime | None = None


def create_mission(actor: Person, organisation: Organisation, data: MissionData) -> Mission:
    require(actor, "trainings.manage", organisation.id)
    if not data.title.strip():
        raise DomainError(_l("Write a title."), field="title")
    if not 1 <= data.seats <= 50:
        raise DomainError(_l("Choose a number of co-trainers between 1 and 50."), field="seats")
    if not data.sessions:
        raise DomainError(_l("Add at least one session."), field="sessions")
    for starts_at, ends_at in data.sessions:
        if ends_at <= starts_at:
            raise DomainError(_l("A session must end after it starts."), field="sessions")
    if not data.online and not data.place.strip():
        raise DomainError(_l("Write the place, or say that it is online."), field="place")
    mission = Mission(organisation_id=organisation.id, created_by_id=actor.id, confirmed_count=0)
    for name in MissionData.__dataclass_fields__:
        if name != "sessions":
            setattr(mission, name, getattr(data, name))
    mission.title = data.title.strip()
    mission.status = M.DRAFT
    mission.sessions = [MissionSession(starts_at=s, ends_at=e) for s, e in data.sessions]
    db.session.add(mission)
    db.session.flush()
    audit.record(actor, "trainings.mission_created", mission, organisation_id=organisation.id)
    return mission


def move_mission(actor: Person, mission: Mission, target: MissionStatus) -> None:
    require(actor, "trainings.manage", mission.organisation_id)
    _move_mission(actor, mission, target)


def _move_mission(actor: Any, mission: Mission, target: MissionStatus) -> None:
    if target not in MISSION_TRANSITIONS[mission.status]:
        raise InvalidTransition(_l("This step is not possible now."))
    previous = mission.status
    mission.status = target
    db.session.flush()
    audit.record(
        actor,
        "trainings.mission_moved",
        mission,
        organisation_id=mission.organisation_id,
        from_status=previous.value,
        to_status=target.value,
    )


# --- sign-ups --------------------------------------------------------------------------


@dataclass
class SignupData:
    why: str = ""
    can_share: str = ""
    needs_childcare: bool = False
    needs_companion: bool = False
    needs_travel_help: bool = False
    access_needs: str = ""
    dietary_needs: str = ""
    contact_channel: str = ""


def sign_up(
    actor: Person,
    person: Person,
    mission: Mission,
    data: SignupData,
    consent_note: str | None = None,
) -> Signup:
    """The person (or a facilitator for them) says they would like to come."""
    provenance = assisted_entry(actor, person, consent_note)
    if mission.status not in (M.PUBLISHED, M.FULL):
        raise InvalidTransition(_l("Sign-up is not open for this mission."))
    if mission.signup_deadline and utcnow() > mission.signup_deadline:
        raise InvalidTransition(_l("The sign-up date is over."))
    existing = db.session.scalar(
        select(Signup).where(Signup.mission_id == mission.id, Signup.person_id == person.id)
    )
    if existing is not None and existing.status not in (
        SignupStatus.CANCELLED,
        SignupStatus.DECLINED,
    ):
        raise DomainError(_l("You have already signed up for this mission."))
    signup = existing or Signup(mission_id=mission.id, person_id=person.id)
    for name in SignupData.__dataclass_fields__:
        value = getattr(data, name)
        setattr(signup, name, value.strip() if isinstance(value, str) else value)
    signup.status = SignupStatus.INTERESTED
    signup.apply_provenance(provenance)
    signup.created_at = signup.updated_at = utcnow()
    db.session.add(signup)
    db.session.flush()
    audit.record(actor, "trainings.signed_up", signup, organisation_id=mission.organisation_id)
    return signup


def _take_place(mission: Mission) -> bool:
    """One atomic statement: take a place if one is left."""
    result = db.session.execute(
        update(Mission)
        .where(Mission.id == mission.id, Mission.confirmed_count < Mission.seats)
        .values(confirmed_count=Mission.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(mission, ["confirmed_count", "seats"])
    return result.rowcount == 1


def _free_place(mission: Mission) -> None:
    db.session.execute(
        update(Mission)
        .where(Mission.id == mission.id, Mission.confirmed_count > 0)
        .values(confirmed_count=Mission.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(mission, ["confirmed_count", "seats"])


def _set(actor: Any, signup: Signup, status: SignupStatus, **details: Any) -> None:
    previous = signup.status
    signup.status = status
    signup.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "trainings.signup_moved",
        signup,
        organisation_id=signup.mission.organisation_id,
        from_status=previous.value,
        to_status=status.value,
        **details,
    )
    _tell(signup)


def confirm(actor: Person, signup: Signup) -> None:
    mission = signup.mission
    require(actor, "trainings.manage", mission.organisation_id)
    if signup.status not in (SignupStatus.INTERESTED, SignupStatus.WAITING):
        raise InvalidTransition(_l("This sign-up cannot be confirmed now."))
    if not _take_place(mission):
        raise DomainError(
            _l("There is no place left. Put the person on the waiting list."), field="confirm"
        )
    _set(actor, signup, SignupStatus.CONFIRMED)
    if mission.confirmed_count >= mission.seats and mission.status == M.PUBLISHED:
        _move_mission(actor, mission, M.FULL)


def put_on_waiting_list(actor: Person, signup: Signup) -> None:
    require(actor, "trainings.manage", signup.mission.organisation_id)
    if signup.status != SignupStatus.INTERESTED:
        raise InvalidTransition(_l("This sign-up cannot go on the waiting list now."))
    _set(actor, signup, SignupStatus.WAITING)


def decline(actor: Person, signup: Signup, reason: str) -> None:
    require(actor, "trainings.manage", signup.mission.organisation_id)
    if signup.status not in (SignupStatus.INTERESTED, SignupStatus.WAITING):
        raise InvalidTransition(_l("This sign-up cannot be declined now."))
    if not (reason or "").strip():
        raise DomainError(_l("Write the reason in simple words. The person reads it."), "reason")
    signup.decline_reason = reason.strip()
    _set(actor, signup, SignupStatus.DECLINED)


def cancel(actor: Person, signup: Signup) -> None:
    """The person cancels, at any time, without giving a reason. A place they held goes to
    the waiting list."""
    if actor.id != signup.person_id and not can(actor, "person.act_for", signup.person):
        raise NotFound(_l("This page does not exist."))
    if signup.status in (SignupStatus.CANCELLED, SignupStatus.DECLINED):
        raise InvalidTransition(_l("This sign-up is already closed."))
    held = signup.status in HOLDS_PLACE
    _set(actor, signup, SignupStatus.CANCELLED)
    if held:
        _pass_place_on(actor, signup.mission)


def _pass_place_on(actor: Any, mission: Mission, now: datetime | None = None) -> None:
    """A held place is free: offer it to the oldest person waiting, or free it."""
    now = now or utcnow()
    waiting = db.session.scalar(
        select(Signup)
        .where(Signup.mission_id == mission.id, Signup.status == SignupStatus.WAITING)
        .order_by(Signup.created_at, Signup.id)
        .limit(1)
    )
    if waiting is not None:
        waiting.offer_expires_at = now + timedelta(hours=OFFER_HOURS)
        _set(actor, waiting, SignupStatus.OFFERED)  # the place moves with the offer
        return
    _free_place(mission)
    if mission.status == M.FULL:
        _move_mission(actor, mission, M.PUBLISHED)


def accept_offer(actor: Person, signup: Signup, now: datetime | None = None) -> None:
    if actor.id != signup.person_id and not can(actor, "person.act_for", signup.person):
        raise NotFound(_l("This page does not exist."))
    now = now or utcnow()
    if signup.status != SignupStatus.OFFERED:
        raise InvalidTransition(_l("There is no place offered to you now."))
    if signup.offer_expires_at and now > signup.offer_expires_at:
        raise InvalidTransition(_l("The time to answer is over. The place went to someone else."))
    signup.offer_expires_at = None
    _set(actor, signup, SignupStatus.CONFIRMED)


def expire_offers(now: datetime | None = None) -> int:
    """Offers not answered in time: the place goes to the next person waiting."""
    now = now or utcnow()
    expired = db.session.scalars(
        select(Signup).where(Signup.status == SignupStatus.OFFERED, Signup.offer_expires_at < now)
    ).all()
    for signup in expired:
        _set(None, signup, SignupStatus.CANCELLED, reason="offer_expired")
        _pass_place_on(None, signup.mission, now)
    return len(expired)


def _tell(signup: Signup) -> None:
    person = signup.person or db.session.get(Person, signup.person_id)
    if person is None:
        return
    mission = signup.mission

    def body() -> str:
        lines = [_("Mission: %(title)s", title=mission.easy("title"))]
        lines.append(_("Your sign-up: %(status)s.", status=signup.status.label))
        if signup.status == SignupStatus.DECLINED and signup.decline_reason:
            lines.append(_("Why: %(reason)s", reason=signup.decline_reason))
        if signup.status == SignupStatus.OFFERED and signup.offer_expires_at:
            from flask_babel import format_datetime

            lines.append(
                _(
                    "Answer before %(when)s, or the place goes to the next person.",
                    when=format_datetime(signup.offer_expires_at, "d MMMM yyyy, HH:mm"),
                )
            )
        if mission.contact_name:
            lines.append(
                _(
                    "Who to call: %(name)s %(phone)s",
                    name=mission.contact_name,
                    phone=mission.contact_phone,
                )
            )
        return "\n".join(lines)

    notify(person, lambda: _("Co-training: %(status)s", status=signup.status.label), body)


# --- calendar --------------------------------------------------------------------------


def calendar_file(actor: Person, signup: Signup) -> bytes:
    """An ICS file with each session of a confirmed sign-up (place, time, who to call)."""
    if actor.id != signup.person_id and not can(actor, "person.act_for", signup.person):
        raise NotFound(_l("This page does not exist."))
    if signup.status != SignupStatus.CONFIRMED:
        raise InvalidTransition(_l("The calendar is ready once your place is confirmed."))
    from icalendar import Calendar, Event

    mission = signup.mission
    calendar = Calendar()
    calendar.add("prodid", "-//Parole//co-formation//FR")
    calendar.add("version", "2.0")
    contact = " ".join(p for p in (mission.contact_name, mission.contact_phone) if p)
    for session in mission.sessions:
        event = Event()
        event.add("uid", f"parole-mission-{mission.id}-session-{session.id}@parole")
        event.add("dtstamp", utcnow())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", mission.easy("title"))
        event.add("location", _("Online") if mission.online else mission.place)
        if contact:
            event.add("description", _("Who to call: %(contact)s", contact=contact))
        calendar.add_component(event)
    return calendar.to_ical()
