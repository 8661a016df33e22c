"""The reference amounts an organisation chose for the earnings warning (earnings.py): one
row per benefit it set; a benefit without a row takes the documented default. And the
quarterly notices "your statement is ready" (earnings_notices.py): one row per person and
quarter told, unique, so that a person is told once even by two runs of the job at once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Cents, UTCDateTime, utcnow


class EarningsThreshold(Base):
    __tablename__ = "earnings_thresholds"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(24), primary_key=True)  # rsa, aah, ass, ...
    yearly: Mapped[Decimal] = mapped_column(Cents())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EarningsNotice(Base):
    """This person was told that their statement of this quarter (France's quarter) is ready."""

    __tablename__ = "earnings_notices"
    __table_args__ = (UniqueConstraint("person_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(SmallInteger)  # 1 to 4
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
