"""Costs and pay. Three different things (see DOMAIN.md "Money"): reimbursement of real costs
(with an advance when the person cannot pay first), pay for work as a co-trainer or expert,
and compensation for time spent in a body. All amounts are Decimal (`Cents` columns)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from app.accounts.models import Organisation, Person
from app.core.personal import personal
from app.core.provenance import AssistedEntryMixin
from app.db import Base, Cents, StrEnumType, UTCDateTime, utcnow
from app.expenses.categories import Category, CostCategory


class RequestKind(StrEnum):
    REIMBURSEMENT = "reimbursement"
    ADVANCE = "advance"
    PAY = "pay"
    COMPENSATION = "compensation"
    # The organisation buys the ticket or books the room itself and pays the supplier: never
    # money owed to the person (app/expenses/direct.py).
    DIRECT_PURCHASE = "direct_purchase"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])

    @property
    def staff_label(self) -> str:
        """The kind as staff read it ("Cost reimbursement"), not in the person's words."""
        return str(KIND_STAFF_LABELS[self])

    @property
    def person_asks(self) -> bool:
        """A kind the person asks for themselves (a direct purchase is the organiser's)."""
        return self != RequestKind.DIRECT_PURCHASE

    @property
    def is_direct_purchase(self) -> bool:
        return self == RequestKind.DIRECT_PURCHASE

    @property
    def has_costs(self) -> bool:
        """A request made of cost lines (with receipts), not of hours or a flat amount."""
        return self in (RequestKind.REIMBURSEMENT, RequestKind.ADVANCE)

    @property
    def is_pay(self) -> bool:
        """Pay for work: hours times an hourly rate, after the notice on benefits."""
        return self == RequestKind.PAY

    @property
    def is_compensation(self) -> bool:
        """A flat amount for time spent in a body, set by the paying organisation."""
        return self == RequestKind.COMPENSATION


KIND_LABELS = {
    RequestKind.REIMBURSEMENT: _l("Pay back my costs"),
    RequestKind.ADVANCE: _l("Money before the activity (advance)"),
    RequestKind.PAY: _l("Pay for my work"),
    RequestKind.COMPENSATION: _l("Compensation for my time"),
    RequestKind.DIRECT_PURCHASE: _l("Bought directly by the organisation"),
}

KIND_STAFF_LABELS = {
    RequestKind.REIMBURSEMENT: _l("Cost reimbursement"),
    RequestKind.ADVANCE: _l("Advance"),
    RequestKind.PAY: _l("Pay"),
    RequestKind.COMPENSATION: _l("Compensation"),
    RequestKind.DIRECT_PURCHASE: _l("Direct purchase"),
}


class ActivityType(StrEnum):
    CONSULTATION = "consultation"
    CO_TRAINING = "co_training"
    COMMITTEE = "committee"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(ACTIVITY_LABELS[self])


ACTIVITY_LABELS = {
    ActivityType.CONSULTATION: _l("A consultation meeting"),
    ActivityType.CO_TRAINING: _l("A co-training session"),
    ActivityType.COMMITTEE: _l("A committee meeting"),
    ActivityType.OTHER: _l("Something else"),
}


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    AWAITING_SECOND = "awaiting_second"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    REFUSED = "refused"
    PAID = "paid"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def is_editable(self) -> bool:
        """Not sent yet, or sent back with a question: the person (or their helper) may
        change it."""
        return self in (RequestStatus.DRAFT, RequestStatus.NEEDS_INFO)

    @property
    def is_draft(self) -> bool:
        return self == RequestStatus.DRAFT

    @property
    def is_second_check(self) -> bool:
        """Accepted once, above the threshold: a second, different reviewer decides."""
        return self == RequestStatus.AWAITING_SECOND

    @property
    def awaits_decision(self) -> bool:
        return self in (RequestStatus.SUBMITTED, RequestStatus.AWAITING_SECOND)

    @property
    def awaits_payment(self) -> bool:
        """Accepted (all or part), not paid yet."""
        return self in (RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED)

    @property
    def explains_reason(self) -> bool:
        """A reviewer's reason is shown to the person in these states: the question asked,
        why it was refused, why less was accepted."""
        return self in (
            RequestStatus.NEEDS_INFO,
            RequestStatus.REFUSED,
            RequestStatus.PARTLY_APPROVED,
        )


STATUS_LABELS = {
    RequestStatus.DRAFT: _l("Not sent yet"),
    RequestStatus.SUBMITTED: _l("Sent, waiting for a check"),
    RequestStatus.NEEDS_INFO: _l("We need more information"),
    RequestStatus.AWAITING_SECOND: _l("Checked once, waiting for a second check"),
    RequestStatus.APPROVED: _l("Accepted"),
    RequestStatus.PARTLY_APPROVED: _l("Partly accepted"),
    RequestStatus.REFUSED: _l("Refused"),
    RequestStatus.PAID: _l("Paid"),
    RequestStatus.CANCELLED: _l("Cancelled"),
}


class PayChoice(StrEnum):
    """What a person chose after reading the notice on benefits (RSA, AAH, unemployment)."""

    PAID = "paid"
    REIMBURSED_ONLY = "reimbursed_only"
    VOLUNTEER = "volunteer"


class PaymentMethod(StrEnum):
    TRANSFER = "transfer"
    CASH = "cash"
    VOUCHER = "voucher"
    THIRD_PARTY = "third_party"

    @property
    def label(self) -> str:
        return str(METHOD_LABELS[self])


METHOD_LABELS = {
    PaymentMethod.TRANSFER: _l("Bank transfer"),
    PaymentMethod.CASH: _l("Cash handed over by the organisation"),
    PaymentMethod.VOUCHER: _l("Voucher handed over by the organisation"),
    PaymentMethod.THIRD_PARTY: _l("Paid to someone else (the association, the childminder)"),
}


class ExpenseSettings(Base):
    """The paying organisation's rates and rules. The demo's rates are examples."""

    __tablename__ = "expense_settings"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    # The organisation's own rate per km; None: the tax scale for the car's power (mileage.py).
    km_rate: Mapped[Decimal | None] = mapped_column(Cents())
    meal_flat_rate: Mapped[Decimal] = mapped_column(Cents(), default=Decimal("15.00"))
    childcare_hourly_rate: Mapped[Decimal] = mapped_column(Cents(), default=Decimal("12.00"))
    # Above this total, two different reviewers must approve.
    second_approval_above: Mapped[Decimal] = mapped_column(Cents(), default=Decimal("150.00"))
    payment_days: Mapped[int] = mapped_column(Integer, default=30)
    rates_are_examples: Mapped[bool] = mapped_column(Boolean, default=True)


class CategoryRule(Base):
    """What an organisation chose for one kind of cost: whether a sworn statement may replace
    the receipt, and up to what amount per cost (None: no limit). A kind of cost without a
    row follows the table's default (categories.py; read through app/expenses/statements.py)."""

    __tablename__ = "expense_category_rules"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Category] = mapped_column(StrEnumType(Category, 16), primary_key=True)
    sworn_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    sworn_ceiling: Mapped[Decimal | None] = mapped_column(Cents())


class Rate(TypeDecorator):
    """A rate per kilometre or per hour, up to 4 decimals (the tax scale has 3: 0,636 €), as
    a whole number of ten-thousandths: exact on SQLite and PostgreSQL alike."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError("Rates take Decimal values, never floats.")
        units = value * 10000
        if units != units.to_integral_value():
            raise ValueError("A rate has at most four decimals.")
        return int(units)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 10000).normalize()


class ExpenseRequest(AssistedEntryMixin, Base):
    __tablename__ = "expense_requests"
    personal_rows: ClassVar[str] = "person_id = :pid"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[RequestKind] = mapped_column(StrEnumType(RequestKind, 16))
    status: Mapped[RequestStatus] = mapped_column(
        StrEnumType(RequestStatus, 16), default=RequestStatus.DRAFT
    )
    activity_type: Mapped[ActivityType] = mapped_column(StrEnumType(ActivityType, 16))
    # The round, mission or meeting it belongs to, by id (its table depends on the type).
    activity_id: Mapped[int | None] = mapped_column(Integer)
    activity_label: Mapped[str] = mapped_column(String(300), default="")
    activity_on: Mapped[date | None] = mapped_column(Date)
    # Pay: hours x hourly rate from the mission. Compensation: a flat amount.
    hours: Mapped[Decimal | None] = mapped_column(Cents())
    hourly_rate: Mapped[Decimal | None] = mapped_column(Cents())
    flat_amount: Mapped[Decimal | None] = mapped_column(Cents())
    pay_choice: Mapped[PayChoice | None] = mapped_column(StrEnumType(PayChoice, 16))
    pay_notice_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An advance, once paid, is settled by a reimbursement request with the real receipts.
    settles_id: Mapped[int | None] = mapped_column(
        ForeignKey("expense_requests.id", ondelete="SET NULL")
    )

    approved_amount: Mapped[Decimal | None] = mapped_column(Cents())
    reason: Mapped[str] = mapped_column(Text, default="")  # refusal, reduction, question
    first_reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    second_reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    promised_on: Mapped[date | None] = mapped_column(Date)

    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_amount: Mapped[Decimal | None] = mapped_column(Cents())
    payment_method: Mapped[PaymentMethod | None] = mapped_column(StrEnumType(PaymentMethod, 16))
    payment_reference: Mapped[str] = mapped_column(String(120), default="")
    handed_over_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    third_party_name: Mapped[str] = mapped_column(String(200), default="", info=personal(""))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    lines: Mapped[list[ExpenseLine]] = relationship(
        back_populates="request", order_by="ExpenseLine.id", cascade="all, delete-orphan"
    )
    settles: Mapped[ExpenseRequest | None] = relationship(remote_side=[id])

    __table_args__ = (
        Index("ix_expense_requests_person", "person_id", "status"),
        Index("ix_expense_requests_org", "organisation_id", "status"),
    )

    @property
    def asked_amount(self) -> Decimal:
        from app.expenses.money import times, total

        if self.kind == RequestKind.PAY and self.hours is not None and self.hourly_rate:
            return times(self.hours, self.hourly_rate)
        if self.kind == RequestKind.COMPENSATION:
            return self.flat_amount or Decimal("0.00")
        return total(line.amount for line in self.lines)


class ExpenseLine(Base):
    """One cost. Proof: receipts, or a sworn statement where the organisation allows it."""

    __tablename__ = "expense_lines"
    # A car line's description may hold the addresses the person typed; erased with the rest.
    personal_rows: ClassVar[str] = (
        "request_id IN (SELECT id FROM expense_requests WHERE person_id = :pid)"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("expense_requests.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[Category] = mapped_column(StrEnumType(Category, 16))
    description: Mapped[str] = mapped_column(String(300), default="", info=personal(""))
    spent_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Cents())
    kilometres: Mapped[Decimal | None] = mapped_column(Cents())
    hours: Mapped[Decimal | None] = mapped_column(Cents())
    flat_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    # The rate the quantity was priced at (a car: the organisation's rate or the scale's for
    # the car's power, before the electric bonus), kept so a later change shows no other sum.
    unit_rate: Mapped[Decimal | None] = mapped_column(Rate())
    vehicle_power: Mapped[str | None] = mapped_column(String(4))  # mileage.VehiclePower
    electric: Mapped[bool] = mapped_column(Boolean, default=False)
    sworn_statement: Mapped[bool] = mapped_column(Boolean, default=False)
    # The sworn statement as signed: the exact sentence shown, when, by whom (the person, or
    # a facilitator for them with the consent note).
    sworn_text: Mapped[str | None] = mapped_column(Text, info=personal())
    sworn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sworn_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    sworn_consent_note: Mapped[str | None] = mapped_column(Text, info=personal())
    approved_amount: Mapped[Decimal | None] = mapped_column(Cents())

    request: Mapped[ExpenseRequest] = relationship(back_populates="lines")
    receipts: Mapped[list[Receipt]] = relationship(
        back_populates="line", order_by="Receipt.id", cascade="all, delete-orphan"
    )

    @property
    def rule(self) -> CostCategory:
        """The rules of this kind of cost (app/expenses/categories.py)."""
        return self.category.rule


class Receipt(Base):
    """A photo or PDF, checked and re-encoded, stored under a random name outside static/."""

    __tablename__ = "expense_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("expense_lines.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    line: Mapped[ExpenseLine] = relationship(back_populates="receipts")


class BankDetails(Base):
    """A person's IBAN, encrypted at application level; shown masked except to finance."""

    __tablename__ = "expense_bank_details"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    iban_encrypted: Mapped[str] = mapped_column(Text, info=personal())
    iban_country: Mapped[str] = mapped_column(String(2), info=personal())
    iban_last4: Mapped[str] = mapped_column(String(4), info=personal())
    holder_name: Mapped[str] = mapped_column(String(200), default="", info=personal())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def masked(self) -> str:
        return f"{self.iban_country}•• •••• •••• •••• {self.iban_last4}"
