"""Moderation tables: one item per moderated text, reports, decisions, appeals, reason
templates, the organisation's settings and the measures taken for an author.

The content itself stays in its own table (a consultation comment, a co-training feedback...)
with a `moderation_status` column that says whether others may read it; the item holds the
moderation work around it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class ModerationStatus(StrEnum):
    PUBLISHED = "published"
    HELD = "held"
    HIDDEN = "hidden"
    TO_CHANGE = "to_change"
    ESCALATED = "escalated"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def public(self) -> bool:
        return self == ModerationStatus.PUBLISHED

    # Waiting for a check by a person before anyone else reads it.
    is_held = property(lambda self: self == ModerationStatus.HELD)


STATUS_LABELS = {
    ModerationStatus.PUBLISHED: _l("Published"),
    ModerationStatus.HELD: _l("Waiting for a check"),
    ModerationStatus.HIDDEN: _l("Hidden"),
    ModerationStatus.TO_CHANGE: _l("To change"),
    ModerationStatus.ESCALATED: _l("Sent to the referent"),
}


class Policy(StrEnum):
    """How a space publishes: at once and checked after, or checked before."""

    POST = "post"
    PRE = "pre"

    @property
    def label(self) -> str:
        return str(POLICY_LABELS[self])


POLICY_LABELS = {
    Policy.POST: _l("Shown at once. A person checks them after."),
    Policy.PRE: _l("A person checks them before they are shown."),
}


class Action(StrEnum):
    PUBLISH = "publish"
    HIDE = "hide"
    REDACT = "redact"
    ASK_CHANGE = "ask_change"
    ESCALATE = "escalate"
    DISMISS = "dismiss"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])

    # Published with some words hidden.
    masks_words = property(lambda self: self == Action.REDACT)


ACTION_LABELS = {
    Action.PUBLISH: _l("Publish"),
    Action.HIDE: _l("Hide"),
    Action.REDACT: _l("Publish without the personal information"),
    Action.ASK_CHANGE: _l("Ask the author to change it"),
    Action.ESCALATE: _l("Send to the referent"),
    Action.DISMISS: _l("Keep it published: the reports are not right"),
}

# What each action does to the text's status. Dismiss leaves it as it is.
ACTION_STATUS = {
    Action.PUBLISH: ModerationStatus.PUBLISHED,
    Action.HIDE: ModerationStatus.HIDDEN,
    Action.REDACT: ModerationStatus.PUBLISHED,
    Action.ASK_CHANGE: ModerationStatus.TO_CHANGE,
    Action.ESCALATE: ModerationStatus.ESCALATED,
}


class ReportReason(StrEnum):
    IDENTIFIES = "identifies"
    RUDE = "rude"
    ADVERT = "advert"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REPORT_LABELS[self])


REPORT_LABELS = {
    ReportReason.IDENTIFIES: _l("It says who someone is"),
    ReportReason.RUDE: _l("It is nasty"),
    ReportReason.ADVERT: _l("It is advertising"),
    ReportReason.OTHER: _l("Other"),
}


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    CHANGED = "changed"


class MeasureKind(StrEnum):
    PREMODERATION = "premoderation"
    PAUSE = "pause"
    BAN = "ban"

    @property
    def label(self) -> str:
        return str(MEASURE_LABELS[self])

    is_ban = property(lambda self: self == MeasureKind.BAN)
    is_premoderation = property(lambda self: self == MeasureKind.PREMODERATION)


MEASURE_LABELS = {
    MeasureKind.PREMODERATION: _l("Messages checked before they are shown"),
    MeasureKind.PAUSE: _l("Pause: no new messages"),
    MeasureKind.BAN: _l("No more messages"),
}


class ModerationItem(Base):
    """The moderation record of one text. `priority` orders the queue (0 is the most urgent);
    `in_queue` says whether a moderator has something to do."""

    __tablename__ = "moderation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    content_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    status: Mapped[ModerationStatus] = mapped_column(
        StrEnumType(ModerationStatus, 16), default=ModerationStatus.HELD
    )
    # Why it was held: detector kinds ("phone", "distress"...) and "policy" / "measure".
    held_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Detector findings on the current text: [kind, start, end].
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    in_queue: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=9)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reports: Mapped[list[ModerationReport]] = relationship(
        back_populates="item", order_by="ModerationReport.id", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[ModerationDecision]] = relationship(
        back_populates="item", order_by="ModerationDecision.id", cascade="all, delete-orphan"
    )
    appeals: Mapped[list[ModerationAppeal]] = relationship(
        back_populates="item", order_by="ModerationAppeal.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("content_type", "content_id", name="uq_moderation_items_content"),
        Index("ix_moderation_items_queue", "organisation_id", "in_queue", "priority"),
        Index("ix_moderation_items_author", "author_id"),
    )

    @property
    def open_reports(self) -> list[ModerationReport]:
        return [r for r in self.reports if r.closed_at is None]

    @property
    def open_appeal(self) -> ModerationAppeal | None:
        return next((a for a in self.appeals if a.status == AppealStatus.OPEN), None)

    @property
    def last_decision(self) -> ModerationDecision | None:
        return self.decisions[-1] if self.decisions else None


class ModerationReport(Base):
    """Someone thinks a text should not be there. A report never hides a text by itself."""

    __tablename__ = "moderation_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(StrEnumType(ReportReason, 16))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    item: Mapped[ModerationItem] = relationship(back_populates="reports")


class ModerationDecision(Base):
    """Who decided what, when and why. `original_text` keeps a redacted text's original for
    the audit; it is never shown on a public page."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True
    )
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[Action] = mapped_column(StrEnumType(Action, 16))
    reason: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    original_text: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[ModerationItem] = relationship(back_populates="decisions")


class ModerationAppeal(Base):
    """The author disagrees with a decision. Another moderator looks at it."""

    __tablename__ = "moderation_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_decisions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AppealStatus] = mapped_column(
        StrEnumType(AppealStatus, 16), default=AppealStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The decision of the other moderator who looked at it.
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_decisions.id", ondelete="SET NULL")
    )

    item: Mapped[ModerationItem] = relationship(back_populates="appeals")
    decision: Mapped[ModerationDecision] = relationship(foreign_keys=[decision_id])


class ReasonTemplate(Base):
    """A reason in simple words that moderators choose when they decide. Editable per
    organisation; a decision keeps a copy of the words used at that time."""

    __tablename__ = "moderation_reason_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ModerationSettings(Base):
    """One row per organisation; missing means the defaults."""

    __tablename__ = "moderation_settings"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    default_policy: Mapped[Policy] = mapped_column(StrEnumType(Policy, 8), default=Policy.POST)
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    premoderation_days: Mapped[int] = mapped_column(Integer, default=14)
    pause_days: Mapped[int] = mapped_column(Integer, default=7)
    # One entry per line. Empty insults or distress lists mean the platform's lists.
    insults: Mapped[str] = mapped_column(Text, default="")
    distress: Mapped[str] = mapped_column(Text, default="")
    staff_names: Mapped[str] = mapped_column(Text, default="")

    referent: Mapped[Person | None] = relationship()


class AuthorMeasure(Base):
    """A graduated measure for repeated abuse in one organisation. A ban has no end and
    only an administrator decides it, with a reason."""

    __tablename__ = "moderation_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeasureKind] = mapped_column(StrEnumType(MeasureKind, 16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
