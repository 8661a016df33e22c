"""How a person wants to be paid: the rules.

The person (or whoever acts for them) chooses once, before their first request is sent, and
may change it on "Mon compte": a transfer to their own account (their BankDetails), a
transfer to the person who manages their money (guardian, curator, court-appointed agent:
name, role, IBAN checked with schwifty and encrypted, and the court's document, checked and
stored like a receipt), cash, a voucher, or the organisation paying directly. A request
keeps the choice as it was when it was sent (`ExpensePayee`); finance sees it when paying.
Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.core import audit, crypto
from app.core.errors import DomainError, NotFound
from app.core.permissions import can
from app.core.provenance import assisted_entry
from app.db import utcnow
from app.expenses import receipts
from app.expenses.models import BankDetails, ExpenseRequest
from app.expenses.payment_models import (
    ExpensePayee,
    PayeeMethod,
    PayeeRole,
    PaymentPreference,
)

# Paid by transfer to someone other than the person: finance records it as such.
PAID_TO_SOMEONE = (PayeeMethod.THIRD_PARTY, PayeeMethod.DIRECT)


def document_root() -> Path:
    return Path(current_app.config["UPLOAD_ROOT"]) / "payees"


def preference_of(person_id: int | None) -> PaymentPreference | None:
    return db.session.get(PaymentPreference, person_id) if person_id else None


@dataclass
class PreferenceInput:
    method: str
    iban: str = ""
    third_party_name: str = ""
    third_party_role: str = ""
    document: bytes = b""
    document_name: str = ""
    consent_note: str = ""  # a facilitator choosing for the person: how they agreed


def _iban(text: str) -> Any:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(text or "")
    except SchwiftyException:
        raise DomainError(
            _l("This IBAN is not right. Copy it again from the bank paper (RIB)."), "iban"
        ) from None


def set_preference(actor: Person, person: Person, data: PreferenceInput) -> PaymentPreference:
    """Save how `person` wants to be paid. The same choice again changes nothing."""
    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    assisted_entry(actor, person, data.consent_note)  # for someone: with their agreement
    person = db.lock(person)  # one save at a time: never two rows, nor two files
    try:
        method = PayeeMethod(data.method)
    except ValueError:
        raise DomainError(_l("Choose one answer."), field="method") from None
    current = db.session.get(PaymentPreference, person.id, populate_existing=True)
    typed_iban = (data.iban or "").strip()
    if method == PayeeMethod.OWN_ACCOUNT:
        saved = db.session.get(BankDetails, person.id)
        if typed_iban:
            from app.expenses.services import set_bank_details

            holder = saved.holder_name if saved is not None else person.display_name
            set_bank_details(actor, person, typed_iban, holder)
        elif saved is None:
            raise DomainError(_l("Write the IBAN of your account."), field="iban")
    preference = current or PaymentPreference(person_id=person.id)
    if method == PayeeMethod.THIRD_PARTY:
        _third_party(preference, data, typed_iban, keep=current is not None)
    else:
        _forget_third_party(preference)
    if current is not None and current.method == method and not db.session.dirty:
        return current
    preference.method = method
    preference.updated_at = utcnow()
    db.session.add(preference)
    db.session.flush()
    audit.record(actor, "expenses.payment_preference", person, method=method.value)
    return preference


def _third_party(
    preference: PaymentPreference, data: PreferenceInput, typed_iban: str, keep: bool
) -> None:
    name = (data.third_party_name or "").strip()
    if not name:
        raise DomainError(
            _l("Write the name of the person who manages your money."), "third_party_name"
        )
    if len(name) > 200:
        raise DomainError(_l("Your text is too long: 200 characters at most."), "third_party_name")
    try:
        role = PayeeRole(data.third_party_role)
    except ValueError:
        raise DomainError(_l("Choose one answer."), field="third_party_role") from None
    if typed_iban:
        iban = _iban(typed_iban)
        kept = keep and bool(preference.iban_encrypted)  # cash before: no IBAN kept yet
        if not kept or crypto.decrypt(preference.iban_encrypted) != iban.compact:
            preference.iban_encrypted = crypto.encrypt(iban.compact)
            preference.iban_country = iban.country_code
            preference.iban_last4 = iban.compact[-4:]
    elif not preference.iban_last4:
        raise DomainError(_l("Write the IBAN of this person."), field="iban")
    if data.document:
        clean = checked_file(
            data.document,
            data.document_name,
            field="document",
        )
        if clean.sha256 != preference.document_sha256:
            old = preference.document_key
            preference.document_key = receipts.store(document_root(), clean)
            preference.document_mime = clean.mime
            preference.document_size = len(clean.data)
            preference.document_sha256 = clean.sha256
            if old:
                receipts.delete(document_root(), old)
    elif not preference.document_key:
        raise DomainError(
            _l("Add a photo or a PDF of the judge's decision that names this person."),
            field="document",
        )
    if preference.third_party_name != name:
        preference.third_party_name = name
    if preference.third_party_role != role:
        preference.third_party_role = role


def _forget_third_party(preference: PaymentPreference) -> None:
    if preference.document_key:
        receipts.delete(document_root(), preference.document_key)
    for column, empty in (
        ("third_party_name", ""),
        ("third_party_role", None),
        ("iban_encrypted", ""),
        ("iban_country", ""),
        ("iban_last4", ""),
        ("document_key", ""),
        ("document_mime", ""),
        ("document_size", 0),
        ("document_sha256", ""),
    ):
        if getattr(preference, column) != empty:
            setattr(preference, column, empty)


def record_at_sending(request: ExpenseRequest) -> ExpensePayee | None:
    """The person's choice, kept with the request when it is sent (again after a question:
    the choice of that moment). Nothing when the person has not chosen."""
    preference = preference_of(request.person_id)
    if preference is None:
        return None
    payee = db.session.get(ExpensePayee, request.id) or ExpensePayee(request_id=request.id)
    payee.method = preference.method
    payee.name = preference.third_party_name
    payee.role = preference.third_party_role
    payee.iban_encrypted = preference.iban_encrypted
    payee.iban_last4 = preference.iban_last4
    payee.recorded_at = utcnow()
    db.session.add(payee)
    db.session.flush()
    return payee


def payee_of(request_id: int) -> ExpensePayee | None:
    return db.session.get(ExpensePayee, request_id)


@dataclass
class PayeeView:
    """What a reviewer or finance person reads about who to pay."""

    method: PayeeMethod
    name: str
    role: PayeeRole | None
    iban: str
    has_document: bool


def payee_view(actor: Person, request: ExpenseRequest) -> PayeeView | None:
    payee = payee_of(request.id)
    if payee is None:
        return None
    iban = ""
    if payee.iban_last4:
        iban = (
            crypto.decrypt(payee.iban_encrypted)
            if can(actor, "expenses.see_iban", request.organisation_id)
            else payee.masked()
        )
    preference = preference_of(request.person_id)
    return PayeeView(
        method=payee.method,
        name=payee.name,
        role=payee.role,
        iban=iban,
        has_document=bool(
            payee.method == PayeeMethod.THIRD_PARTY and preference and preference.document_key
        ),
    )


def document_for(actor: Person, person_id: int) -> tuple[PaymentPreference, Path]:
    """The court's document: for the person, whoever acts for them, and the reviewers and
    payers of an organisation the person sent a request to."""
    preference = preference_of(person_id)
    if preference is None or not preference.document_key:
        raise NotFound(_l("This page does not exist."))
    person = db.session.get(Person, person_id)
    allowed = actor.id == person_id or (person is not None and can(actor, "person.act_for", person))
    if not allowed:
        organisations = db.session.scalars(
            select(ExpenseRequest.organisation_id)
            .where(ExpenseRequest.person_id == person_id, ExpenseRequest.submitted_at.is_not(None))
            .distinct()
        )
        allowed = any(
            can(actor, "expenses.review", o) or can(actor, "expenses.pay", o) for o in organisations
        )
    if not allowed:
        raise NotFound(_l("This page does not exist."))
    return preference, receipts.path_for(document_root(), preference.document_key)


def checked_file(data: bytes, filename: str, field: str) -> receipts.CleanReceipt:
    """Checked and cleaned like a receipt; a refusal is shown next to this form's field."""
    try:
        return receipts.clean(
            data,
            filename=filename,
            max_bytes=current_app.config["RECEIPT_MAX_BYTES"],
            max_pixels=current_app.config["RECEIPT_MAX_PIXELS"],
        )
    except DomainError as refused:
        raise DomainError(refused.message, field=field) from None
