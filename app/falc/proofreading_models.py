"""Easy-read proofreading (relecture FALC): proofreaders, proofreadings, sentence marks.

A text is easy to read only after accompanied persons have proofread it. A proofreading keeps
the exact text that was sent and its hash: the badge shows only while the text on the page is
still that text, so any later edit removes it by construction.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, Person
from app.core.personal import personal
from app.core.provenance import AssistedEntryMixin
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class ProofreadingStatus(StrEnum):
    WAITING = "waiting"
    VALIDATED = "validated"
    NEEDS_CHANGES = "needs_changes"
    OUTDATED = "outdated"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.value])

    # What the results page says: approved (enough proofreaders understood every sentence),
    # or changes asked for.
    is_approved = property(lambda self: self == ProofreadingStatus.VALIDATED)
    asks_for_changes = property(lambda self: self == ProofreadingStatus.NEEDS_CHANGES)


# Keyed by value: `status_for()` also answers "none" (never sent for proofreading).
STATUS_LABELS = {
    "none": _l("Not proofread yet"),
    ProofreadingStatus.WAITING.value: _l("Waiting for the proofreaders"),
    ProofreadingStatus.VALIDATED.value: _l("Proofread and approved"),
    ProofreadingStatus.NEEDS_CHANGES.value: _l("To change: some sentences are not understood"),
    ProofreadingStatus.OUTDATED.value: _l("Old version: the text has changed since"),
}

# The only allowed moves. Services consult this table.
TRANSITIONS: dict[ProofreadingStatus, set[ProofreadingStatus]] = {
    ProofreadingStatus.WAITING: {
        ProofreadingStatus.VALIDATED,
        ProofreadingStatus.NEEDS_CHANGES,
        ProofreadingStatus.OUTDATED,
    },
    ProofreadingStatus.VALIDATED: {ProofreadingStatus.OUTDATED},
    ProofreadingStatus.NEEDS_CHANGES: {ProofreadingStatus.OUTDATED},
    ProofreadingStatus.OUTDATED: set(),
}


class Proofreader(AssistedEntryMixin, Base):
    """An accompanied person who agreed to proofread easy-to-read texts for an organisation.

    `entered_by_id` is the facilitator who registered them, `consent_note` how they agreed.
    `show_name`: the person agreed that their first name appears with the texts they approved.
    """

    __tablename__ = "falc_proofreaders"
    personal_rows: ClassVar[str] = "person_id = :pid"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False, info=personal(False))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Organisation] = relationship()
    entered_by: Mapped[Person | None] = relationship(foreign_keys="Proofreader.entered_by_id")

    @property
    def first_name(self) -> str:
        return first_name(self.person.display_name)


def first_name(display_name: str) -> str:
    """The first word of the name the person chose ("Paul Exemple" -> "Paul")."""
    words = display_name.split()
    return words[0] if words else ""


class Proofreading(Base):
    """One text sent for proofreading: the exact text, its hash, who reads it, the result."""

    __tablename__ = "falc_proofreadings"
    __table_args__ = (
        Index("ix_falc_proofreadings_subject", "subject_type", "subject_id", "field"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    # The sentences as the proofreaders saw them, split once when the text was sent: marks
    # point into this list, so a later change of the sentence splitter never moves them.
    sentences: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_understood: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[ProofreadingStatus] = mapped_column(
        StrEnumType(ProofreadingStatus, 16), default=ProofreadingStatus.WAITING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[Person | None] = relationship()
    assignments: Mapped[list[ProofreadingAssignment]] = relationship(
        back_populates="proofreading",
        order_by="ProofreadingAssignment.id",
        cascade="all, delete-orphan",
    )
    marks: Mapped[list[SentenceMark]] = relationship(
        back_populates="proofreading",
        order_by="SentenceMark.sentence_index",
        cascade="all, delete-orphan",
    )


class ProofreadingAssignment(Base):
    """One proofreader asked to read one text. `done_at`: they said "I have finished"."""

    __tablename__ = "falc_proofreading_assignments"
    __table_args__ = (UniqueConstraint("proofreading_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proofreading_id: Mapped[int] = mapped_column(
        ForeignKey("falc_proofreadings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proofreading: Mapped[Proofreading] = relationship(back_populates="assignments")
    person: Mapped[Person] = relationship()


class SentenceMark(AssistedEntryMixin, Base):
    """What one proofreader said about one sentence. A later mark replaces the earlier one."""

    __tablename__ = "falc_sentence_marks"
    personal_rows: ClassVar[str] = "person_id = :pid"
    __table_args__ = (UniqueConstraint("proofreading_id", "person_id", "sentence_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proofreading_id: Mapped[int] = mapped_column(
        ForeignKey("falc_proofreadings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    sentence_index: Mapped[int] = mapped_column(Integer)
    understood: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proofreading: Mapped[Proofreading] = relationship(back_populates="marks")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    entered_by: Mapped[Person | None] = relationship(foreign_keys="SentenceMark.entered_by_id")
