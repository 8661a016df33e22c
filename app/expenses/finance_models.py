"""The organisation's own bank account, the one its transfers leave from: the debtor of the
SEPA file (sepa.py). Not personal data: an organisation's account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class FinanceAccount(Base):
    __tablename__ = "finance_accounts"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str] = mapped_column(String(70))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str] = mapped_column(String(11))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class LedgerAccount(Base):
    """The organisation's own account number for a kind of cost (`Category` value) or for
    the other lines of an entry ("pay", "compensation", "advance", "bank", "cash"), in
    place of the suggestion of accounting.py."""

    __tablename__ = "ledger_accounts"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    account: Mapped[str] = mapped_column(String(20))
