"""What the facilitator chose among the free texts of a closed round (app/consultations/curation.py).

A free answer reaches participants and public pages only as a chosen quote, in the version the
facilitator kept (shortened or masked). The answer itself is never changed: staff exports keep
the original. Who changed what, and when, is in the audit log, never the text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.consultations.models import Answer
from app.db import Base, UTCDateTime, utcnow


class Quote(Base):
    """The choice about one free answer. No row: not chosen, not edited.

    Deleted with its answer (an answer never sent, a purged account): an erased answer's quote
    disappears with it."""

    __tablename__ = "consultation_quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_answers.id", ondelete="CASCADE"), unique=True
    )
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version shown when the facilitator shortened or masked it; None: the original.
    shown_text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answer: Mapped[Answer] = relationship()


class QuotesReady(Base):
    """A question whose quotes the facilitator has finished choosing: participants see the
    chosen ones from then on (before, a sentence says the choice is being made)."""

    __tablename__ = "consultation_quotes_ready"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), primary_key=True
    )
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
