"""The reference amounts an organisation chose for the earnings warning (earnings.py): one
row per benefit it set; a benefit without a row takes the documented default."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
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
