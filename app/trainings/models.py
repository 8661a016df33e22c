"""Co-training: training institutes publish missions; accompanied persons sign up as paid
co-trainers ("experts du vécu"), never as a mere testimony."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, Person
from app.core.personal import personal
from app.core.provenance import AssistedEntryMixin
from app.db import Base, Cents, StrEnumType, UTCDateTime, utcnow
from app.moderation.models import ModerationStatus


class MissionType(StrEnum):
    COURSE_DESIGN = "course_design"
    TEACHING = "teaching"
    TRAINING_TRAINERS = "training_trainers"
    FIELD_ACTION = "field_action"
    EVENT = "event"
    JURY = "jury"

    @property
    def label(self) -> str:
        return str(TYPE_LABELS[self])


TYPE_LABELS = {
    MissionType.COURSE_DESIGN: _l("Build a course with the teachers"),
    MissionType.TEACHING: _l("Teach with a trainer"),
    MissionType.TRAINING_TRAINERS: _l("Train the trainers"),
    MissionType.FIELD_ACTION: _l("An action in the field"),
    MissionType.EVENT: _l("An event"),
    MissionType.JURY: _l("Member of an exam jury"),
}


class MissionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    FULL = "full"
    CLOSED = "closed"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(MISSION_STATUS_LABELS[self])

    @property
    def takes_signups(self) -> bool:
        """Open, or full with a waiting list: people may sign up (and find it in the list)."""
        return self in (MissionStatus.PUBLISHED, MissionStatus.FULL)

    def move_label(self, current: MissionStatus) -> str:
        """The button that moves a mission from `current` to this state."""
        if self == MissionStatus.PUBLISHED and current == MissionStatus.DRAFT:
            return str(_l("Publish the mission"))
        return str(MOVE_LABELS[self])

    @property
    def move_variant(self) -> str:
        """How that button looks: the usual next steps stand out, cancelling warns."""
        if self == MissionStatus.CANCELLED:
            return "danger"
        if self in (MissionStatus.PUBLISHED, MissionStatus.DONE):
            return "button"
        return "secondary"

    @property
    def tells_everyone(self) -> bool:
        """Moving there tells everyone who signed up (a cancelled mission)."""
        return self == MissionStatus.CANCELLED


MISSION_STATUS_LABELS = {
    MissionStatus.DRAFT: _l("Not published yet"),
    MissionStatus.PUBLISHED: _l("Open for sign-up"),
    MissionStatus.FULL: _l("Full: waiting list"),
    MissionStatus.CLOSED: _l("Sign-up closed"),
    MissionStatus.DONE: _l("Done"),
    MissionStatus.CANCELLED: _l("Cancelled"),
}

MOVE_LABELS = {
    MissionStatus.PUBLISHED: _l("Open sign-up again"),
    MissionStatus.FULL: _l("Mark as full: waiting list only"),
    MissionStatus.CLOSED: _l("Close sign-up"),
    MissionStatus.DONE: _l("Mark as done"),
    MissionStatus.CANCELLED: _l("Cancel the mission"),
}


class SignupStatus(StrEnum):
    INTERESTED = "interested"
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    OFFERED = "offered"  # a place freed up: the person has until `offer_expires_at` to accept
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(SIGNUP_STATUS_LABELS[self])

    @property
    def is_open(self) -> bool:
        """Still on: interested, confirmed, waiting or offered a place (the person may cancel)."""
        return self not in (SignupStatus.DECLINED, SignupStatus.CANCELLED)

    @property
    def is_closed(self) -> bool:
        """Declined by the institute or cancelled: the person may sign up again."""
        return not self.is_open


SIGNUP_STATUS_LABELS = {
    SignupStatus.INTERESTED: _l("Interested: the institute will answer"),
    SignupStatus.CONFIRMED: _l("Confirmed"),
    SignupStatus.WAITING: _l("On the waiting list"),
    SignupStatus.OFFERED: _l("A place is free for you: please answer"),
    SignupStatus.DECLINED: _l("Not this time"),
    SignupStatus.CANCELLED: _l("Cancelled"),
}


class Mission(Base):
    __tablename__ = "training_missions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[MissionType] = mapped_column(StrEnumType(MissionType, 24))
    status: Mapped[MissionStatus] = mapped_column(
        StrEnumType(MissionStatus, 16), default=MissionStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200))
    title_easy: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_easy: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(200), default="")
    audience: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str] = mapped_column(String(300), default="")
    departement: Mapped[str] = mapped_column(String(3), default="")
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    lift: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_room: Mapped[bool] = mapped_column(Boolean, default=False)
    seats: Mapped[int] = mapped_column(Integer, default=1)
    # Kept with the sign-ups in one transaction; the conditional UPDATE on it is what makes
    # two people confirming the last place at the same moment impossible.
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    preparation_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hourly_rate: Mapped[Decimal | None] = mapped_column(Cents())
    expected_hours: Mapped[Decimal | None] = mapped_column(Cents())
    covered_costs: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    signup_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    sessions: Mapped[list[MissionSession]] = relationship(
        back_populates="mission", order_by="MissionSession.starts_at", cascade="all, delete-orphan"
    )
    signups: Mapped[list[Signup]] = relationship(
        back_populates="mission", order_by="Signup.id", cascade="all, delete-orphan"
    )

    def easy(self, name: str) -> str:
        return getattr(self, f"{name}_easy") or getattr(self, name)


class MissionSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("training_missions.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    mission: Mapped[Mission] = relationship(back_populates="sessions")

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / 3600).quantize(Decimal("0.01"))


class Signup(AssistedEntryMixin, Base):
    __tablename__ = "training_signups"
    personal_rows: ClassVar[str] = "person_id = :pid"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("training_missions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[SignupStatus] = mapped_column(
        StrEnumType(SignupStatus, 16), default=SignupStatus.INTERESTED
    )
    why: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    can_share: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    needs_childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_companion: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_travel_help: Mapped[bool] = mapped_column(Boolean, default=False)
    access_needs: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    dietary_needs: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    contact_channel: Mapped[str] = mapped_column(String(16), default="", info=personal(""))
    decline_reason: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Sessions this person was reminded of (2 days before), so that nobody gets it twice.
    reminded_sessions: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The drafts made from attendance (costs-and-pay requests the person completes and sends).
    pay_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("expense_requests.id", ondelete="SET NULL")
    )
    costs_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("expense_requests.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    mission: Mapped[Mission] = relationship(back_populates="signups")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    entered_by: Mapped[Person | None] = relationship(foreign_keys="Signup.entered_by_id")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="signup", cascade="all, delete-orphan"
    )

    @property
    def declined_because(self) -> str:
        """The institute's reason, shown while the sign-up is declined."""
        return self.decline_reason if self.status == SignupStatus.DECLINED else ""

    @property
    def offer_open_until(self) -> datetime | None:
        """While a freed place is offered: until when the person may accept it."""
        return self.offer_expires_at if self.status == SignupStatus.OFFERED else None

    @property
    def hours_present(self) -> Decimal:
        return sum((a.hours for a in self.attendance if a.present), Decimal("0"))

    @property
    def sessions_present(self) -> list[MissionSession]:
        present = {a.session_id for a in self.attendance if a.present}
        return [s for s in self.mission.sessions if s.id in present]

    __table_args__ = (
        UniqueConstraint("mission_id", "person_id", name="uq_training_signups_person"),
        Index("ix_training_signups_status", "mission_id", "status"),
    )


class Attendance(Base):
    """Recorded by the institute, one row per confirmed person and session."""

    __tablename__ = "training_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(
        ForeignKey("training_signups.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    hours: Mapped[Decimal] = mapped_column(Cents(), default=Decimal("0"))
    # The meal line added to the person's draft for this session, so it is added only once.
    meal_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("expense_lines.id", ondelete="SET NULL")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    signup: Mapped[Signup] = relationship(back_populates="attendance")
    session: Mapped[MissionSession] = relationship()

    __table_args__ = (UniqueConstraint("signup_id", "session_id", name="uq_training_attendance"),)


class FeedbackSide(StrEnum):
    CO_TRAINER = "co_trainer"
    INSTITUTE = "institute"

    @property
    def is_institute(self) -> bool:
        return self == FeedbackSide.INSTITUTE


class MissionFeedback(Base):
    """A short word after the mission, from the co-trainer about the mission or from the
    institute about the co-trainer's work. Moderated like every user text."""

    __tablename__ = "training_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(
        ForeignKey("training_signups.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    side: Mapped[FeedbackSide] = mapped_column(StrEnumType(FeedbackSide, 16))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    went_well: Mapped[str] = mapped_column(String(20), default="")  # "yes", "partly", "no"
    body: Mapped[str] = mapped_column(Text, default="")
    moderation_status: Mapped[ModerationStatus] = mapped_column(
        StrEnumType(ModerationStatus, 16), default=ModerationStatus.HELD
    )
    moderation_reason: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    signup: Mapped[Signup] = relationship()
    author: Mapped[Person | None] = relationship()

    __table_args__ = (UniqueConstraint("signup_id", "side", name="uq_training_feedback_side"),)


profile_institutes = Table(
    "training_profile_institutes",
    Base.metadata,
    Column(
        "person_id",
        ForeignKey("training_profiles.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class CoTrainerProfile(Base):
    """Optional. Only the institutes the person chose can read it, and only while it is shown."""

    __tablename__ = "training_profiles"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    themes: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    places: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person: Mapped[Person] = relationship()
    institutes: Mapped[list[Organisation]] = relationship(secondary=profile_institutes)
