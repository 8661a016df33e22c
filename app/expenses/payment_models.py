"""How a person wants to be paid (their preference, asked before their first request is
sent and on "Mon compte"), and who a sent request is paid to (the preference as it was at
sending, or the supplier of a direct purchase). IBANs are encrypted like BankDetails."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.personal import personal
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class PayeeMethod(StrEnum):
    OWN_ACCOUNT = "own_account"
    THIRD_PARTY = "third_party"
    CASH = "cash"
    VOUCHER = "voucher"
    DIRECT = "direct"

    @property
    def label(self) -> str:
        return str(PAYEE_METHOD_LABELS[self])

    @property
    def staff_label(self) -> str:
        """The choice as staff read it: "A bank transfer to their account"."""
        return str(PAYEE_METHOD_STAFF_LABELS[self])

    @property
    def needs_iban(self) -> bool:
        return self in (PayeeMethod.OWN_ACCOUNT, PayeeMethod.THIRD_PARTY)


PAYEE_METHOD_LABELS = {
    PayeeMethod.OWN_ACCOUNT: _l("A bank transfer to my account"),
    PayeeMethod.THIRD_PARTY: _l(
        "A bank transfer to the person who manages my money (guardian, curator)"
    ),
    PayeeMethod.CASH: _l("Cash, handed over by the organisation"),
    PayeeMethod.VOUCHER: _l("A voucher (chèque service, ticket)"),
    PayeeMethod.DIRECT: _l("The organisation pays directly (ticket, room)"),
}

PAYEE_METHOD_STAFF_LABELS = {
    PayeeMethod.OWN_ACCOUNT: _l("A bank transfer to the person's account"),
    PayeeMethod.THIRD_PARTY: _l(
        "A bank transfer to the person who manages their money (guardian, curator)"
    ),
    PayeeMethod.CASH: _l("Cash, handed over by the organisation"),
    PayeeMethod.VOUCHER: _l("A voucher (chèque service, ticket)"),
    PayeeMethod.DIRECT: _l("The organisation pays the supplier directly"),
}


class PayeeRole(StrEnum):
    GUARDIAN = "guardian"
    CURATOR = "curator"
    MANDATAIRE = "mandataire"

    @property
    def label(self) -> str:
        return str(PAYEE_ROLE_LABELS[self])


PAYEE_ROLE_LABELS = {
    PayeeRole.GUARDIAN: _l("Guardian (tuteur or tutrice)"),
    PayeeRole.CURATOR: _l("Curator (curateur or curatrice)"),
    PayeeRole.MANDATAIRE: _l("Court-appointed agent (mandataire judiciaire)"),
}


class PaymentPreference(Base):
    """One per person. For a third party: their name, role, IBAN and the court's document
    (stored like a receipt, under UPLOAD_ROOT/payees/)."""

    __tablename__ = "payment_preferences"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[PayeeMethod] = mapped_column(StrEnumType(PayeeMethod, 16))
    third_party_name: Mapped[str] = mapped_column(String(200), default="", info=personal())
    third_party_role: Mapped[PayeeRole | None] = mapped_column(StrEnumType(PayeeRole, 16))
    iban_encrypted: Mapped[str] = mapped_column(Text, default="", info=personal())
    iban_country: Mapped[str] = mapped_column(String(2), default="", info=personal())
    iban_last4: Mapped[str] = mapped_column(String(4), default="", info=personal())
    document_key: Mapped[str] = mapped_column(String(64), default="", info=personal())
    document_mime: Mapped[str] = mapped_column(String(40), default="")
    document_size: Mapped[int] = mapped_column(Integer, default=0)
    document_sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def masked(self) -> str:
        return f"{self.iban_country}•• •••• •••• •••• {self.iban_last4}" if self.iban_last4 else ""


class ExpensePayee(Base):
    """Who a sent request is paid to, as chosen when it was sent; for a direct purchase,
    the supplier the organisation pays."""

    __tablename__ = "expense_payees"
    personal_rows: ClassVar[str] = (
        "request_id IN (SELECT id FROM expense_requests WHERE person_id = :pid)"
    )

    request_id: Mapped[int] = mapped_column(
        ForeignKey("expense_requests.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[PayeeMethod] = mapped_column(StrEnumType(PayeeMethod, 16))
    name: Mapped[str] = mapped_column(String(200), default="", info=personal(""))
    role: Mapped[PayeeRole | None] = mapped_column(StrEnumType(PayeeRole, 16))
    iban_encrypted: Mapped[str] = mapped_column(Text, default="", info=personal(""))
    iban_last4: Mapped[str] = mapped_column(String(4), default="", info=personal(""))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def masked(self) -> str:
        return f"•••• {self.iban_last4}" if self.iban_last4 else ""
