"""Co-training missions and sign-ups: the rules. Services flush, never commit.

Capacity holds under concurrency: a place is taken by one conditional UPDATE on the mission
(`confirmed_count < seats`), which SQLite serialises (BEGIN IMMEDIATE) and PostgreSQL re-checks
under the row lock, so two people confirming the last place never both get it. A confirmed or
offered sign-up holds a place; when one is cancelled, the place goes to the oldest person on the
waiting list, who has OFFER_HOURS to accept.

Double and concurrent requests: every transition is a locked read-check-write. It locks the
mission first, then the sign-up (`db.lock`, always in that order), and checks the state on
what it read under the lock. A transition asked again once its target is reached (a double
click, two tabs) is a no-op that returns normally: no second audit entry, notification or
e-mail, no second offer of a freed place. When the state moved elsewhere meanwhile, it raises
an InvalidTransition with a plain message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Organisation, Person
from app.core import audit
from app.core.errors import DomainError, InvalidTransition, NotFound
from app.core.jobs import claim
from app.core.notifications import notify
from app.core.permissions import can, require
from app.core.provenance import assisted_entry
from app.db import utcnow
from app.expenses import categories
from app.expenses.categories import Category
from app.moderation.models import ModerationStatus
from app.trainings.models import (
    Attendance,
    CoTrainerProfile,
    FeedbackSide,
    Mission,
    MissionFeedback,
    MissionSession,
    MissionStatus,
    MissionType,
    Signup,
    SignupStatus,
)

OFFER_HOURS = 48
HOLDS_PLACE = (SignupStatus.CONFIRMED, SignupStatus.OFFERED)
OPEN_SIGNUP = tuple(s for s in SignupStatus if s.is_open)
REMINDER_BEFORE = timedelta(days=2)
FEEDBACK_MAX = 1000
DEPARTEMENT = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])")
M = MissionStatus
MISSION_TRANSITIONS: dict[MissionStatus, frozenset[MissionStatus]] = {
    M.DRAFT: frozenset({M.PUBLISHED, M.CANCELLED}),
    M.PUBLISHED: frozenset({M.FULL, M.CLOSED, M.CANCELLED}),
    M.FULL: frozenset({M.PUBLISHED, M.CLOSED, M.CANCELLED}),
    M.CLOSED: frozenset({M.PUBLISHED, M.FULL, M.DONE, M.CANCELLED}),
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


def _check(data: MissionData) -> None:
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
    if data.departement and not DEPARTEMENT.fullmatch(data.departement.strip().upper()):
        raise DomainError(
            _l("Write the département as 2 or 3 characters, for example 35 or 2A."),
            field="departement",
        )
    if data.hourly_rate is not None and data.hourly_rate < 0:
        raise DomainError(_l("The pay per hour cannot be below zero."), field="hourly_rate")
    if not categories.known(data.covered_costs):
        raise DomainError(_l("Choose costs from the list."), field="covered_costs")


def _apply(mission: Mission, data: MissionData) -> None:
    for name in MissionData.__dataclass_fields__:
        if name != "sessions":
            value = getattr(data, name)
            setattr(mission, name, value.strip() if type(value) is str else value)
    mission.departement = mission.departement.upper()
    if mission.online:
        mission.place = mission.place or ""


def create_mission(actor: Person, organisation: Organisation, data: MissionData) -> Mission:
    require(actor, "trainings.manage", organisation.id)
    _check(data)
    mission = Mission(organisation_id=organisation.id, created_by_id=actor.id, confirmed_count=0)
    _apply(mission, data)
    mission.status = M.DRAFT
    mission.sessions = [MissionSession(starts_at=s, ends_at=e) for s, e in data.sessions]
    db.session.add(mission)
    db.session.flush()
    audit.record(actor, "trainings.mission_created", mission, organisation_id=organisation.id)
    return mission


def update_mission(actor: Person, mission: Mission, data: MissionData) -> Mission:
    """Change a mission before it is done. Sessions with attendance are kept as they are."""
    require(actor, "trainings.manage", mission.organisation_id)
    mission = db.lock(mission)
    if mission.status in (M.DONE, M.CANCELLED):
        raise InvalidTransition(_l("This mission is finished. You cannot change it now."))
    _check(data)
    if data.seats < mission.confirmed_count:
        raise DomainError(
            lazy_ngettext(
                "%(num)s person is already confirmed. Choose at least %(num)s.",
                "%(num)s people are already confirmed. Choose at least %(num)s.",
                mission.confirmed_count,
            ),
            field="seats",
        )
    _apply(mission, data)
    wanted = sorted(data.sessions)
    kept = [s for s in mission.sessions if (s.starts_at, s.ends_at) in wanted]
    recorded = set(
        db.session.scalars(
            select(Attendance.session_id).where(
                Attendance.session_id.in_([s.id for s in mission.sessions])
            )
        )
    )
    for session in list(mission.sessions):
        if session not in kept and session.id in recorded:
            raise DomainError(
                _l("Attendance is recorded for a session. You cannot remove it."),
                field="sessions",
            )
    kept_times = {(s.starts_at, s.ends_at) for s in kept}
    mission.sessions = kept + [
        MissionSession(starts_at=a, ends_at=b) for a, b in wanted if (a, b) not in kept_times
    ]
    if mission.status == M.FULL and mission.confirmed_count < mission.seats:
        _move_mission(actor, mission, M.PUBLISHED)
    elif mission.status == M.PUBLISHED and mission.confirmed_count >= mission.seats:
        _move_mission(actor, mission, M.FULL)
    db.session.flush()
    audit.record(
        actor, "trainings.mission_changed", mission, organisation_id=mission.organisation_id
    )
    return mission


def move_mission(actor: Person, mission: Mission, target: MissionStatus) -> None:
    """Asked again once the mission is there already: nothing more happens."""
    require(actor, "trainings.manage", mission.organisation_id)
    mission = db.lock(mission)
    if target == M.PUBLISHED and mission.status == M.CLOSED:
        target = M.FULL if mission.confirmed_count >= mission.seats else M.PUBLISHED
    if mission.status == target or (target == M.PUBLISHED and mission.status == M.FULL):
        return
    if target == M.DONE and not any(s.starts_at <= utcnow() for s in mission.sessions):
        raise InvalidTransition(_l("The mission has not started yet."))
    _move_mission(actor, mission, target)
    if target == M.CANCELLED:
        for signup in mission.signups:
            if signup.status in OPEN_SIGNUP:
                signup.offer_expires_at = None
                _set(actor, signup, SignupStatus.CANCELLED, reason="mission_cancelled")
        mission.confirmed_count = 0
        db.session.flush()


def _move_mission(actor: Any, mission: Mission, target: MissionStatus) -> None:
    if target not in MISSION_TRANSITIONS[mission.status]:
        raise InvalidTransition(_l("This step is not possible now."))
    audit.move_and_record(actor, "trainings.mission_moved", mission, target)


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
    """The person (or a facilitator for them) says they would like to come. Sign-ups to one
    mission are made one at a time (the mission is locked): two copies at once never both
    insert, the second is told the person is signed up already."""
    provenance = assisted_entry(actor, person, consent_note)
    mission = db.lock(mission)
    if not mission.status.takes_signups:
        raise InvalidTransition(_l("Sign-up is not open for this mission."))
    if mission.signup_deadline and utcnow() > mission.signup_deadline:
        raise InvalidTransition(_l("The sign-up date is over."))
    existing = db.session.scalar(
        select(Signup).where(Signup.mission_id == mission.id, Signup.person_id == person.id)
    )
    if existing is not None and not existing.status.is_closed:
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
    signup.updated_at = utcnow()
    audit.move_and_record(
        actor,
        "trainings.signup_moved",
        signup,
        status,
        organisation_id=signup.mission.organisation_id,
        **details,
    )
    _tell(signup)


def _locked(signup: Signup) -> tuple[Mission, Signup]:
    """The sign-up's mission, then the sign-up, locked and read again (in this order)."""
    mission = db.lock(signup.mission)
    return mission, db.lock(signup)


def _to_decide(
    actor: Person, signup: Signup, target: SignupStatus, refusal: Any
) -> tuple[Mission, Signup] | None:
    """A manager's decision on a sign-up still to decide (interested or waiting): the mission
    and the sign-up locked, or None when it is `target` already (a double click)."""
    require(actor, "trainings.manage", signup.mission.organisation_id)
    mission, signup = _locked(signup)
    if signup.status == target:
        return None
    if signup.status not in (SignupStatus.INTERESTED, SignupStatus.WAITING):
        raise InvalidTransition(refusal)
    return mission, signup


def _set_reason(signup: Signup, reason: str) -> None:
    """The reason a place is declined or withdrawn, which the person reads."""
    if not (reason or "").strip():
        raise DomainError(_l("Write the reason in simple words. The person reads it."), "reason")
    signup.decline_reason = reason.strip()


def confirm(actor: Person, signup: Signup) -> None:
    locked = _to_decide(
        actor, signup, SignupStatus.CONFIRMED, _l("This sign-up cannot be confirmed now.")
    )
    if locked is None:
        return
    mission, signup = locked
    if not _take_place(mission):
        raise DomainError(
            _l("There is no place left. Put the person on the waiting list."), field="confirm"
        )
    _set(actor, signup, SignupStatus.CONFIRMED)
    if mission.confirmed_count >= mission.seats and mission.status == M.PUBLISHED:
        _move_mission(actor, mission, M.FULL)


def put_on_waiting_list(actor: Person, signup: Signup) -> None:
    require(actor, "trainings.manage", signup.mission.organisation_id)
    _mission, signup = _locked(signup)
    if signup.status == SignupStatus.WAITING:
        return
    if signup.status != SignupStatus.INTERESTED:
        raise InvalidTransition(_l("This sign-up cannot go on the waiting list now."))
    _set(actor, signup, SignupStatus.WAITING)


def decline(actor: Person, signup: Signup, reason: str) -> None:
    locked = _to_decide(
        actor, signup, SignupStatus.DECLINED, _l("This sign-up cannot be declined now.")
    )
    if locked is None:
        return
    _mission, signup = locked
    _set_reason(signup, reason)
    _set(actor, signup, SignupStatus.DECLINED)


def withdraw(actor: Person, signup: Signup, reason: str) -> None:
    """The institute cancels a place it had given, with a reason the person reads. The place
    goes to the waiting list."""
    require(actor, "trainings.manage", signup.mission.organisation_id)
    _mission, signup = _locked(signup)
    # Not a no-op when declined already: it may have been declined, not withdrawn, and the
    # person must not read a reason they were never given. A double click is a copy of the
    # same form, answered by its key.
    if signup.status not in HOLDS_PLACE:
        raise InvalidTransition(_l("Only a confirmed place can be withdrawn."))
    _set_reason(signup, reason)
    signup.offer_expires_at = None
    _set(actor, signup, SignupStatus.DECLINED, reason="withdrawn")
    _pass_place_on(actor, signup.mission)


def cancel(actor: Person, signup: Signup) -> None:
    """The person cancels, at any time, without giving a reason. A place they held goes to
    the waiting list."""
    if not can(actor, "trainings.own_signup", signup):
        raise NotFound(_l("This page does not exist."))
    _mission, signup = _locked(signup)
    if signup.status == SignupStatus.CANCELLED:
        return
    if signup.status == SignupStatus.DECLINED:
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
    if not can(actor, "trainings.own_signup", signup):
        raise NotFound(_l("This page does not exist."))
    now = now or utcnow()
    _mission, signup = _locked(signup)
    if signup.status == SignupStatus.CONFIRMED:
        return
    if signup.status != SignupStatus.OFFERED:
        raise InvalidTransition(_l("There is no place offered to you now."))
    if signup.offer_expires_at and now > signup.offer_expires_at:
        raise InvalidTransition(_l("The time to answer is over. The place went to someone else."))
    signup.offer_expires_at = None
    _set(actor, signup, SignupStatus.CONFIRMED)


def expire_offers(now: datetime | None = None) -> int:
    """Offers not answered in time: the place goes to the next person waiting. Each one is
    checked again under its lock: an offer accepted (or expired by another run) meanwhile is
    left alone."""
    now = now or utcnow()
    expired = db.session.scalars(
        select(Signup).where(Signup.status == SignupStatus.OFFERED, Signup.offer_expires_at < now)
    ).all()
    done = 0
    for found in expired:
        mission, signup = _locked(found)
        if signup.status != SignupStatus.OFFERED or not (
            signup.offer_expires_at and signup.offer_expires_at < now
        ):
            continue
        _set(None, signup, SignupStatus.CANCELLED, reason="offer_expired")
        _pass_place_on(None, mission, now)
        done += 1
    return done


def _tell(signup: Signup) -> None:
    person = signup.person or db.session.get(Person, signup.person_id)
    if person is None:
        return
    mission = signup.mission

    def body() -> str:
        lines = [_("Mission: %(title)s", title=mission.easy("title"))]
        lines.append(_("Your sign-up: %(status)s.", status=signup.status.label))
        if signup.declined_because:
            lines.append(_("Why: %(reason)s", reason=signup.declined_because))
        if signup.offer_open_until:
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

    from app.core.urls import external_url

    notify(
        person,
        lambda: _(
            "Co-training, %(title)s: %(status)s",
            title=mission.easy("title"),
            status=signup.status.label,
        ),
        body,
        link=external_url("trainings.mine"),
        due_at=signup.offer_expires_at,  # a place offered: by when to answer ("À prévenir")
    )


# --- calendar --------------------------------------------------------------------------


def calendar_file(actor: Person, signup: Signup) -> bytes:
    """An ICS file with each session of a confirmed sign-up (place, time, who to call)."""
    if not can(actor, "trainings.own_signup", signup):
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


# --- finding missions ------------------------------------------------------------------


@dataclass
class Filters:
    starting: datetime | None = None  # sessions on or after this day
    departement: str = ""
    type: MissionType | None = None
    online: bool = False  # also show online missions whatever the département


VISIBLE = tuple(s for s in MissionStatus if s.takes_signups)


def find_missions(filters: Filters, now: datetime | None = None) -> list[Mission]:
    """Missions people can sign up for (or join the waiting list of), soonest first."""
    now = now or utcnow()
    starting = max(filters.starting or now, now)
    first = (
        select(MissionSession.mission_id, func.min(MissionSession.starts_at).label("first"))
        .where(MissionSession.starts_at >= starting)
        .group_by(MissionSession.mission_id)
        .subquery()
    )
    query = (
        select(Mission)
        .join(first, first.c.mission_id == Mission.id)
        .where(Mission.status.in_(VISIBLE))
        .where((Mission.signup_deadline.is_(None)) | (Mission.signup_deadline >= now))
        .options(selectinload(Mission.sessions), selectinload(Mission.organisation))
        .order_by(first.c.first, Mission.id)
    )
    if filters.departement:
        wanted = Mission.departement == filters.departement.upper()
        query = query.where(wanted | Mission.online if filters.online else wanted)
    if filters.type:
        query = query.where(Mission.type == filters.type)
    return list(db.session.scalars(query))


def departements_offered(now: datetime | None = None) -> list[str]:
    """The départements of the missions `find_missions` can show, for the filter's list."""
    now = now or utcnow()
    upcoming = select(MissionSession.mission_id).where(MissionSession.starts_at >= now)
    rows = db.session.scalars(
        select(Mission.departement)
        .where(Mission.status.in_(VISIBLE), Mission.departement != "")
        .where(Mission.id.in_(upcoming))
        .where((Mission.signup_deadline.is_(None)) | (Mission.signup_deadline >= now))
        .distinct()
    )
    return sorted(rows)


def load_mission(actor: Any, mission_id: int) -> Mission:
    """Published missions are for everybody logged in; drafts only for the institute."""
    mission = db.session.get(Mission, mission_id)
    if mission is None or (
        mission.status == M.DRAFT and not can(actor, "trainings.manage", mission.organisation_id)
    ):
        raise NotFound(_l("This page does not exist."))
    return mission


def load_signup(actor: Any, signup_id: int) -> Signup:
    """The person, their facilitator, or the institute."""
    signup = db.session.get(Signup, signup_id)
    if signup is None or not (
        can(actor, "trainings.own_signup", signup)
        or can(actor, "trainings.manage", signup.mission.organisation_id)
    ):
        raise NotFound(_l("This page does not exist."))
    return signup


def my_signups(actor: Person) -> list[Signup]:
    return list(
        db.session.scalars(
            select(Signup)
            .where(Signup.person_id == actor.id)
            .options(
                selectinload(Signup.mission).selectinload(Mission.sessions),
                selectinload(Signup.attendance),
            )
            .order_by(Signup.created_at.desc(), Signup.id.desc())
        )
    )


def signup_of(person: Any, mission: Mission) -> Signup | None:
    if not getattr(person, "id", None):
        return None
    return db.session.scalar(
        select(Signup).where(Signup.mission_id == mission.id, Signup.person_id == person.id)
    )


def managed_institutes(actor: Person) -> list[Organisation]:
    found = {
        m.organisation_id: m.organisation
        for m in actor.memberships
        if can(actor, "trainings.manage", m.organisation_id)
    }
    return sorted(found.values(), key=lambda o: o.name)


def institute_missions(actor: Person, organisation_id: int) -> list[Mission]:
    require(actor, "trainings.manage", organisation_id)
    return list(
        db.session.scalars(
            select(Mission)
            .where(Mission.organisation_id == organisation_id)
            .options(selectinload(Mission.sessions), selectinload(Mission.signups))
            .order_by(Mission.created_at.desc(), Mission.id.desc())
        )
    )


# --- messages and reminders -----------------------------------------------------------


def message_cotrainers(actor: Person, mission: Mission, subject: str, body: str) -> int:
    """A message from the institute to everyone who holds a place (in-app and e-mail). The
    same message sent twice is stopped by the form's key (app/core/idempotency.py)."""
    require(actor, "trainings.manage", mission.organisation_id)
    mission = db.lock(mission)
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError(_l("Write a subject."), field="subject")
    if not body:
        raise DomainError(_l("Write your message."), field="body")
    if len(body) > 3000:
        raise DomainError(_l("Your message is too long: 3000 characters at most."), "body")
    from app.core.urls import external_url

    people = [s.person for s in mission.signups if s.status in HOLDS_PLACE and s.person]
    if not people:
        raise DomainError(_l("Nobody is confirmed yet. There is nobody to write to."), "body")
    for person in people:
        notify(
            person,
            lambda: _(
                "%(institute)s: %(subject)s", institute=mission.organisation.name, subject=subject
            ),
            lambda: body,
            link=external_url("trainings.show", mission_id=mission.id),
        )
    audit.record(
        actor,
        "trainings.message_sent",
        mission,
        organisation_id=mission.organisation_id,
        recipients=len(people),
    )
    return len(people)


def send_reminders(now: datetime | None = None) -> int:
    """Two days before each session, remind every confirmed person: place, time, who to call.
    Each person is reminded once per session, however often this runs; someone confirmed
    inside the two days (an accepted offer) is reminded at the next run."""
    now = now or utcnow()
    sessions = db.session.scalars(
        select(MissionSession)
        .join(Mission)
        .where(
            MissionSession.starts_at > now,
            MissionSession.starts_at <= now + REMINDER_BEFORE,
            Mission.status.in_((M.PUBLISHED, M.FULL, M.CLOSED)),
        )
        .order_by(MissionSession.starts_at)
    ).all()
    sent = 0
    from flask_babel import format_datetime

    from app.core.urls import external_url

    for session in sessions:
        mission = session.mission
        # Claimed (FOR UPDATE SKIP LOCKED on PostgreSQL): a run forced by hand while the
        # scheduled one works leaves these people to it; what it reads after their commit
        # already says they were reminded.
        confirmed = db.session.scalars(
            claim(
                select(Signup)
                .where(Signup.mission_id == mission.id, Signup.status == SignupStatus.CONFIRMED)
                .order_by(Signup.id)
            )
        ).all()
        for signup in confirmed:
            if signup.person is None or session.id in (signup.reminded_sessions or []):
                continue

            def body(session: MissionSession = session, mission: Mission = mission) -> str:
                lines = [
                    _("Mission: %(title)s", title=mission.easy("title")),
                    _(
                        "When: %(when)s",
                        when=format_datetime(session.starts_at, "EEEE d MMMM yyyy, HH:mm"),
                    ),
                    _("Where: %(place)s", place=_("Online") if mission.online else mission.place),
                ]
                if mission.contact_name or mission.contact_phone:
                    lines.append(
                        _(
                            "Who to call: %(name)s %(phone)s",
                            name=mission.contact_name,
                            phone=mission.contact_phone,
                        )
                    )
                lines.append(_("If you cannot come, please tell us. It is fine."))
                return "\n".join(lines)

            notify(
                signup.person,
                lambda mission=mission: _(
                    "Reminder: %(title)s in 2 days", title=mission.easy("title")
                ),
                body,
                link=external_url("trainings.mine"),
            )
            # A new list, so that the JSON column sees the change.
            signup.reminded_sessions = [*(signup.reminded_sessions or []), session.id]
            session.reminded_at = session.reminded_at or now
            sent += 1
    db.session.flush()
    return sent


# --- attendance and the drafts it makes -----------------------------------------------


@dataclass
class Presence:
    present: bool
    hours: str = ""  # typed the French way; empty: the length of the session


def record_attendance(
    actor: Person, session: MissionSession, presences: dict[int, Presence]
) -> list[Attendance]:
    """The institute records, for one session, who came and how long. Each record makes or
    updates the person's draft requests (pay: hours x rate; costs: the covered ones)."""
    from app.expenses import money

    require(actor, "trainings.manage", session.mission.organisation_id)
    mission = db.lock(session.mission)
    if session.starts_at > utcnow():
        raise InvalidTransition(_l("This session has not started yet."))
    if mission.status in (M.DRAFT, M.CANCELLED):
        raise InvalidTransition(_l("Attendance cannot be recorded for this mission."))
    confirmed = {s.id: s for s in mission.signups if s.status == SignupStatus.CONFIRMED}
    records = []
    for signup_id, presence in presences.items():
        signup = confirmed.get(signup_id)
        if signup is None:
            raise NotFound(_l("This page does not exist."))
        signup = db.lock(signup)  # its records and drafts as the last sending left them
        hours = session.hours
        if presence.present and presence.hours.strip():
            hours = money.parse_quantity(presence.hours, f"hours-{signup_id}")
            if hours > session.hours + Decimal("4"):
                raise DomainError(
                    _l("That is many more hours than the session. Check the number."),
                    field=f"hours-{signup_id}",
                )
        record = next((a for a in signup.attendance if a.session_id == session.id), None)
        if record is None:
            record = Attendance(signup=signup, session_id=session.id)
            db.session.add(record)
        record.present = presence.present
        record.hours = hours if presence.present else Decimal("0")
        record.recorded_by_id = actor.id
        record.recorded_at = utcnow()
        db.session.flush()
        _sync_drafts(actor, signup, record)
        records.append(record)
    audit.record(
        actor,
        "trainings.attendance",
        mission,
        organisation_id=mission.organisation_id,
        session_id=session.id,
        present=sum(1 for r in records if r.present),
        absent=sum(1 for r in records if not r.present),
    )
    return records


def _sync_drafts(actor: Person, signup: Signup, record: Attendance) -> None:
    """The person's draft requests follow the attendance, through the expenses services."""
    from app.expenses import services as expenses

    mission = signup.mission
    person = signup.person
    db.session.refresh(signup, ["attendance"])
    total = signup.hours_present
    first = signup.sessions_present[0].starts_at.date() if signup.sessions_present else None
    label = mission.title[:300]

    # A draft already made is updated even when nothing is left (marked absent after all).
    if mission.hourly_rate is not None and (total > 0 or signup.pay_request_id):
        pay = expenses.co_training_request(
            actor,
            person,
            mission.organisation,
            signup.pay_request_id,
            mission.id,
            label,
            first,
            pay=(total, mission.hourly_rate),
        )
        signup.pay_request_id = pay.id

    if mission.covered_costs and (total > 0 or signup.costs_request_id):
        costs = expenses.co_training_request(
            actor, person, mission.organisation, signup.costs_request_id, mission.id, label, first
        )
        signup.costs_request_id = costs.id
        if Category.MEAL.value in mission.covered_costs:
            # One meal at the organisation's flat rate for each session the person came to.
            record.meal_line_id = expenses.keep_flat_rate_line(
                actor,
                costs,
                Category.MEAL,
                record.meal_line_id,
                record.present,
                record.session.starts_at.date(),
                label,
            )
    db.session.flush()


# --- attestation -----------------------------------------------------------------------


def attestation_pdf(actor: Person, signup: Signup) -> bytes:
    """What the person did, for their records or a later VAE: mission, role, dates, hours."""
    from flask_babel import format_date

    from app.core.pdf import LargePrint
    from app.expenses import money

    signup = load_signup(actor, signup.id)
    sessions = signup.sessions_present
    if not sessions:
        raise InvalidTransition(
            _l("The attestation is ready once the institute has recorded your presence.")
        )
    mission = signup.mission
    person = signup.person
    attended = {a.session_id: a for a in signup.attendance if a.present}
    title = _("Attestation of participation")
    pdf = LargePrint(title, mission.organisation.name)
    pdf.add_page()
    pdf.heading(title)
    pdf.para(
        _(
            "%(institute)s certifies that %(name)s took part in this mission as a co-trainer "
            "with lived experience (expert by experience).",
            institute=mission.organisation.name,
            name=person.display_name,
        )
    )
    pdf.heading(_("The mission"), size=20)
    pdf.para(mission.title, bold=True)
    pdf.para(_("Role: %(role)s", role=mission.type.label))
    if mission.topic:
        pdf.para(_("Topic: %(topic)s", topic=mission.topic))
    if mission.audience:
        pdf.para(_("For: %(audience)s", audience=mission.audience))
    pdf.heading(_("Dates and hours"), size=20)
    for session in sessions:
        pdf.para(
            _(
                "%(day)s: %(hours)s hours",
                day=format_date(session.starts_at, "d MMMM yyyy"),
                hours=money.format_quantity(attended[session.id].hours),
            )
        )
    pdf.para(
        _("In all: %(hours)s hours", hours=money.format_quantity(signup.hours_present)), bold=True
    )
    pdf.para(
        _(
            "Made on %(day)s by Parole, from the attendance recorded by %(institute)s.",
            day=format_date(utcnow(), "d MMMM yyyy"),
            institute=mission.organisation.name,
        )
    )
    audit.record(actor, "trainings.attestation", signup, organisation_id=mission.organisation_id)
    return pdf.bytes()


# --- feedback --------------------------------------------------------------------------

WENT_WELL = ("yes", "partly", "no")


def feedback_side(actor: Person, signup: Signup) -> FeedbackSide:
    if can(actor, "trainings.own_signup", signup):
        return FeedbackSide.CO_TRAINER
    if can(actor, "trainings.manage", signup.mission.organisation_id):
        return FeedbackSide.INSTITUTE
    raise NotFound(_l("This page does not exist."))


def give_feedback(actor: Person, signup: Signup, went_well: str, body: str) -> MissionFeedback:
    """After a session, each side says in a few words how it went. The text goes through the
    moderation service like every text someone writes."""
    from app.moderation import services as moderation

    side = feedback_side(actor, signup)
    signup = db.lock(signup)
    if not signup.sessions_present:
        raise InvalidTransition(_l("You can give your opinion after a session you took part in."))
    if went_well not in WENT_WELL:
        raise DomainError(_l("Choose one answer."), field="went_well")
    body = (body or "").strip()
    if len(body) > FEEDBACK_MAX:
        raise DomainError(
            _l("Your text is too long: %(max)s characters at most.", max=FEEDBACK_MAX), "body"
        )
    feedback = db.session.scalar(
        select(MissionFeedback).where(
            MissionFeedback.signup_id == signup.id, MissionFeedback.side == side
        )
    )
    if feedback is None:
        feedback = MissionFeedback(
            signup_id=signup.id,
            organisation_id=signup.mission.organisation_id,
            side=side,
            author_id=actor.id,
        )
        db.session.add(feedback)
    elif (feedback.went_well, feedback.body) == (went_well, body):
        return feedback  # the same words again (a double click): nothing new to check
    feedback.went_well = went_well
    feedback.body = body
    feedback.updated_at = utcnow()
    db.session.flush()
    if body:
        moderation.submit(actor, feedback)
    else:
        feedback.moderation_status = ModerationStatus.PUBLISHED
    audit.record(
        actor,
        "trainings.feedback",
        signup,
        organisation_id=signup.mission.organisation_id,
        side=side.value,
    )
    return feedback


def feedback_for_signups(signup_ids: list[int]) -> dict[int, dict[FeedbackSide, MissionFeedback]]:
    """The words of both sides for several sign-ups, in one query."""
    found: dict[int, dict[FeedbackSide, MissionFeedback]] = {i: {} for i in signup_ids}
    if signup_ids:
        for feedback in db.session.scalars(
            select(MissionFeedback).where(MissionFeedback.signup_id.in_(signup_ids))
        ):
            found[feedback.signup_id][feedback.side] = feedback
    return found


def feedback_for(signup: Signup) -> dict[FeedbackSide, MissionFeedback]:
    return {
        f.side: f
        for f in db.session.scalars(
            select(MissionFeedback).where(MissionFeedback.signup_id == signup.id)
        )
    }


# --- co-trainer profile ----------------------------------------------------------------


@dataclass
class ProfileData:
    themes: str = ""
    formats: list[str] = field(default_factory=list)
    availability: str = ""
    places: str = ""
    institute_ids: list[int] = field(default_factory=list)


def institutes_to_choose() -> list[Organisation]:
    from app.accounts.models import OrganisationKind

    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.TRAINING_INSTITUTE)
            .order_by(Organisation.name)
        )
    )


def profile_of(person: Person) -> CoTrainerProfile | None:
    return db.session.get(CoTrainerProfile, person.id)


def save_profile(actor: Person, person: Person, data: ProfileData) -> CoTrainerProfile:
    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    if not data.themes.strip():
        raise DomainError(_l("Write at least one theme you can talk about."), field="themes")
    for name in ("themes", "availability", "places"):
        if len(getattr(data, name)) > 1000:
            raise DomainError(_l("Your text is too long: 1000 characters at most."), field=name)
    if set(data.formats) - {t.value for t in MissionType}:
        raise DomainError(_l("Choose from the list."), field="formats")
    institutes = {o.id: o for o in institutes_to_choose()}
    if not data.institute_ids:
        raise DomainError(
            _l("Choose at least one institute that may read your profile."), field="institute_ids"
        )
    if set(data.institute_ids) - set(institutes):
        raise DomainError(_l("Choose from the list."), field="institute_ids")
    profile = profile_of(person) or CoTrainerProfile(person_id=person.id)
    profile.themes = data.themes.strip()
    profile.formats = list(data.formats)
    profile.availability = data.availability.strip()
    profile.places = data.places.strip()
    profile.institutes = [institutes[i] for i in data.institute_ids]
    if profile.visible is None:  # a new profile is shown; a hidden one stays hidden
        profile.visible = True
    profile.updated_at = utcnow()
    db.session.add(profile)
    db.session.flush()
    audit.record(
        actor,
        "trainings.profile_saved",
        None,
        person_id=person.id,
        institutes=len(profile.institutes),
    )
    return profile


def set_profile_visible(actor: Person, person: Person, visible: bool) -> None:
    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    profile = profile_of(person)
    if profile is None:
        raise NotFound(_l("This page does not exist."))
    profile.visible = visible
    profile.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "trainings.profile_visible" if visible else "trainings.profile_hidden",
        None,
        person_id=person.id,
    )


def profile_for_institute(actor: Person, person_id: int) -> CoTrainerProfile:
    """An institute's staff read a profile only if the person chose that institute and the
    profile is shown."""
    profile = db.session.get(CoTrainerProfile, person_id)
    if (
        profile is None
        or not profile.visible
        or not any(can(actor, "trainings.manage", o.id) for o in profile.institutes)
    ):
        raise NotFound(_l("This page does not exist."))
    return profile


def readable_profile_ids(actor: Person, person_ids: set[int]) -> set[int]:
    """Among these people, those whose profile this actor's institutes may read (one query)."""
    from app.trainings.models import profile_institutes

    institutes = [o.id for o in managed_institutes(actor)]
    if not institutes or not person_ids:
        return set()
    return set(
        db.session.scalars(
            select(CoTrainerProfile.person_id)
            .join(profile_institutes, profile_institutes.c.person_id == CoTrainerProfile.person_id)
            .where(
                CoTrainerProfile.person_id.in_(person_ids),
                CoTrainerProfile.visible.is_(True),
                profile_institutes.c.organisation_id.in_(institutes),
            )
        )
    )


def visible_profiles(actor: Person, organisation_id: int) -> list[CoTrainerProfile]:
    require(actor, "trainings.manage", organisation_id)
    from app.trainings.models import profile_institutes

    return list(
        db.session.scalars(
            select(CoTrainerProfile)
            .join(profile_institutes, profile_institutes.c.person_id == CoTrainerProfile.person_id)
            .where(
                profile_institutes.c.organisation_id == organisation_id,
                CoTrainerProfile.visible.is_(True),
            )
            .options(selectinload(CoTrainerProfile.person))
        )
    )
