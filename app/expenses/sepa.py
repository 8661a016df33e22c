"""The bank file of a batch: a SEPA credit transfer (pain.001.001.03, what French banks take)
for the requests paid by transfer, built with sepaxml. The debtor is the organisation's own
account (finance_models.FinanceAccount); each creditor the person's account, or the account
of the person who manages their money when the request was paid to them. Amounts go to the
file in cents (integers): exact, never floats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Person
from app.core import crypto
from app.core.errors import DomainError
from app.core.permissions import can, require
from app.db import utcnow
from app.expenses import services
from app.expenses.finance import person_label
from app.expenses.finance_models import FinanceAccount
from app.expenses.models import BankDetails, ExpenseRequest, PaymentMethod, RequestStatus

SCHEMA = "pain.001.001.03"
TRANSFERRED = (PaymentMethod.TRANSFER, PaymentMethod.THIRD_PARTY)


@dataclass
class Transfer:
    request_id: int
    name: str
    iban: str
    cents: int


def cents(amount: Decimal) -> int:
    """12.50 -> 1250, exactly (amounts are whole hundredths already)."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError("an amount with more than two decimals")
    return int(value)


def _creditor(request: ExpenseRequest) -> tuple[str, str] | None:
    """Who the transfer goes to, with their IBAN; None when nobody's IBAN is known. Paid "to
    someone else": only that someone's account, never the person's own."""
    from app.expenses import payment

    payee = payment.payee_of(request.id)
    to_payee = (
        payee is not None and payee.iban_encrypted and payee.method in payment.PAID_TO_SOMEONE
    )
    if to_payee and (
        request.payment_method == PaymentMethod.TRANSFER
        or (request.third_party_name or payee.name) == payee.name
    ):
        return payee.name, crypto.decrypt(payee.iban_encrypted)
    if request.payment_method == PaymentMethod.THIRD_PARTY:
        return None
    details = db.session.get(BankDetails, request.person_id) if request.person_id else None
    if details is None:
        return None
    return details.holder_name or person_label(request.person), crypto.decrypt(
        details.iban_encrypted
    )


def _in_file(request: ExpenseRequest) -> bool:
    """A transfer of the bank file: paid by transfer (or to someone else), a sum to send."""
    return (
        request.status == RequestStatus.PAID
        and request.payment_method in TRANSFERRED
        and bool(request.paid_amount)
    )


@dataclass
class LeftOut:
    """A request paid by transfer that the bank file cannot hold: nobody's IBAN is known."""

    request: ExpenseRequest
    payee: str  # who should have received it


def left_out(requests: list[ExpenseRequest]) -> list[LeftOut]:
    """The requests paid by transfer that are not in the bank file, and who lacks an IBAN."""
    from app.expenses import payment

    found = []
    for r in requests:
        if not _in_file(r) or _creditor(r) is not None:
            continue
        payee = payment.payee_of(r.id)
        if r.third_party_name:
            who = r.third_party_name
        elif payee is not None and payee.method in payment.PAID_TO_SOMEONE and payee.name:
            who = payee.name
        else:
            who = person_label(r.person)
        found.append(LeftOut(r, who))
    return found


def transfers(actor: Person, request_ids: list[int]) -> tuple[int, list[Transfer]]:
    """The transfers of these paid requests, all of one organisation the actor pays for."""
    requests = list(
        db.session.scalars(
            select(ExpenseRequest)
            .where(ExpenseRequest.id.in_(sorted(set(request_ids))))
            .order_by(ExpenseRequest.id)
        )
    )
    organisations = {r.organisation_id for r in requests}
    if len(organisations) != 1:
        raise DomainError(_l("Choose the requests of one organisation."))
    organisation_id = organisations.pop()
    require(actor, "expenses.pay", organisation_id)
    require(actor, "expenses.see_iban", organisation_id)
    found = []
    for r in requests:
        if not _in_file(r):
            continue
        creditor = _creditor(r)
        if creditor is None:
            continue
        found.append(Transfer(r.id, creditor[0], creditor[1], cents(r.paid_amount)))
    if not found:
        raise DomainError(_l("None of these requests was paid by bank transfer."))
    return organisation_id, found


def transfer_xml(
    actor: Person, request_ids: list[int], execution_date: date | None = None
) -> bytes:
    """The pain.001 file, checked against its schema by sepaxml before it is handed out."""
    from sepaxml import SepaTransfer

    organisation_id, found = transfers(actor, request_ids)
    account = db.session.get(FinanceAccount, organisation_id)
    if account is None:
        raise DomainError(
            _l(
                "Give the organisation's bank account first. The link is at the bottom of the list of requests."
            )
        )
    sepa = SepaTransfer(
        {
            "name": account.holder,
            "IBAN": account.iban,
            "BIC": account.bic,
            "batch": True,
            "currency": "EUR",
        },
        schema=SCHEMA,
    )
    when = execution_date or utcnow().date()
    for transfer in found:
        sepa.add_payment(
            {
                "name": transfer.name[:70],
                "IBAN": transfer.iban,
                "amount": transfer.cents,
                "execution_date": when,
                "description": f"Parole demande {transfer.request_id}",
                "endtoend_id": f"PAROLE-{transfer.request_id}",
            }
        )
    return sepa.export(validate=True)


# --- the bank files of the last weeks, found again -------------------------------------

RECENT_DAYS = 60  # how far back "Recent transfers" goes ("the last two months")


@dataclass
class TransferGroup:
    """The requests paid by transfer on one day with one reference: one bank file."""

    organisation: str
    organisation_id: int
    day: Any
    reference: str
    ids: list[int]
    total: Decimal
    left_out: list[Any]  # LeftOut: paid by transfer but not in the file (no IBAN)


def recent_transfers(actor: Person) -> list[TransferGroup]:
    """The transfers of the last `RECENT_DAYS` days in the organisations the actor pays
    for (and may read the IBANs of), grouped by day and reference, newest first: each
    batch's bank file can be downloaded again."""
    from datetime import timedelta

    organisations = [
        o
        for o in services.reviewable_organisations(actor)
        if can(actor, "expenses.pay", o) and can(actor, "expenses.see_iban", o)
    ]
    if not organisations:
        return []
    paid = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.organisation_id.in_(organisations),
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.payment_method.in_(TRANSFERRED),
            ExpenseRequest.paid_at >= utcnow() - timedelta(days=RECENT_DAYS),
        )
        .options(selectinload(ExpenseRequest.organisation), selectinload(ExpenseRequest.person))
        .order_by(ExpenseRequest.paid_at.desc(), ExpenseRequest.id)
    )
    groups: dict[tuple[int, Any, str], list[ExpenseRequest]] = {}
    for r in paid:
        if not r.paid_amount:
            continue
        groups.setdefault((r.organisation_id, r.paid_at.date(), r.payment_reference), []).append(r)
    return [
        TransferGroup(
            organisation=requests[0].organisation.name,
            organisation_id=organisation_id,
            day=day,
            reference=reference,
            ids=sorted(r.id for r in requests),
            total=sum((r.paid_amount for r in requests), Decimal("0.00")),
            left_out=left_out(requests),
        )
        for (organisation_id, day, reference), requests in groups.items()
    ]
