"""The bank file of a batch: a SEPA credit transfer (pain.001.001.03, what French banks take)
for the requests paid by transfer, built with sepaxml. The debtor is the organisation's own
account (finance_models.FinanceAccount); each creditor the person's account, or the account
of the person who manages their money when the request was paid to them. Amounts go to the
file in cents (integers): exact, never floats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.core import crypto
from app.core.errors import DomainError
from app.core.permissions import require
from app.db import utcnow
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
    from app.expenses import payment

    payee = payment.payee_of(request.id)
    if payee is not None and payee.iban_encrypted and payee.method in payment.PAID_TO_SOMEONE:
        return payee.name, crypto.decrypt(payee.iban_encrypted)
    details = db.session.get(BankDetails, request.person_id) if request.person_id else None
    if details is None:
        return None
    return details.holder_name or person_label(request.person), crypto.decrypt(
        details.iban_encrypted
    )


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
        if r.status != RequestStatus.PAID or r.payment_method not in TRANSFERRED:
            continue
        if not r.paid_amount:
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
