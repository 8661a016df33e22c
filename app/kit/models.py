"""The participation kit inside the product: the ten fiches as editable content with their
history, and the checklist items a facilitator ticks by hand when the platform cannot
compute them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class Phase(StrEnum):
    BEFORE = "before"  # en amont
    DURING = "during"  # pendant
    AFTER = "after"  # après

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])


PHASE_LABELS = {
    Phase.BEFORE: _l("Before: prepare"),
    Phase.DURING: _l("During: run and follow"),
    Phase.AFTER: _l("After: give feedback and evaluate"),
}

# The parts of a fiche, in the kit's order.
PARTS = ("why", "how", "tools", "success_factors")


class Fiche(Base):
    """One of the ten fiches. The four parts are sanitised HTML; `easy` is the easy-to-read
    version (plain text, one idea per line). Parole's first version is not the official kit:
    `verified` stays False until someone checked it against the official text."""

    __tablename__ = "kit_fiches"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase, 16))
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")
    how: Mapped[str] = mapped_column(Text, default="")
    tools: Mapped[str] = mapped_column(Text, default="")
    success_factors: Mapped[str] = mapped_column(Text, default="")
    easy: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    edition: Mapped[str] = mapped_column(String(100), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    updated_by: Mapped[Person | None] = relationship()
    revisions: Mapped[list[FicheRevision]] = relationship(
        back_populates="fiche", order_by="FicheRevision.id.desc()", cascade="all, delete-orphan"
    )


class FicheRevision(Base):
    """The fiche as it was before each change (every field), who changed it and when."""

    __tablename__ = "kit_fiche_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(
        ForeignKey("kit_fiches.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    fiche: Mapped[Fiche] = relationship(back_populates="revisions")
    saved_by: Mapped[Person | None] = relationship()


class ChecklistTick(Base):
    """A checklist item that the platform cannot compute, ticked by a person with a note.
    `subject` is "round" or "mission"; `item` is the item's key in app/kit/checklist.py."""

    __tablename__ = "kit_checklist_ticks"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ticked_by: Mapped[Person | None] = relationship()

    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "item", name="uq_kit_checklist_ticks_item"),
    )
