"""The accountant's files: the paid requests of a period as balanced journal entries, one
entry per request. Debits: each cost line on the ledger account of its kind of cost (the
categories' suggestion from the French chart of accounts), pay and compensation on their
own accounts; credit: the bank (or the cash box) for what was paid. An advance is booked
on the advance account (467) and its settlement clears it, so every entry balances
(debits = credits), in whole cents. Two layouts: a CSV the accountant imports, and the
French FEC (fichier des écritures comptables, the 18 columns of article A47 A-1 of the
Livre des procédures fiscales, tab-separated). People's names only for the organisation's
finance people (the `expenses.see_iban` right); the others read "P-<number>"."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.core import calendar
from app.core.permissions import can, require
from app.db import utcnow
from app.expenses.categories import CATEGORIES, OTHER_SERVICES, Category
from app.expenses.finance import person_label
from app.expenses.models import ExpenseRequest, PaymentMethod, RequestKind, RequestStatus

# Suggested accounts of the French chart of accounts (PCG), per nature of a request.
PAY_ACCOUNT = "6226"  # honoraires: pay for work as a co-trainer or expert
COMPENSATION_ACCOUNT = "6588"  # charges diverses de gestion courante: compensation for time
ADVANCE_ACCOUNT = "467"  # autres comptes débiteurs ou créditeurs: advances to people
BANK_ACCOUNT = "512"  # banque
CASH_ACCOUNT = "53"  # caisse
ACCOUNT_LABELS = {
    "6251": "Voyages et déplacements",
    "6288": "Autres services extérieurs divers",
    PAY_ACCOUNT: "Honoraires",
    COMPENSATION_ACCOUNT: "Charges diverses de gestion courante",
    ADVANCE_ACCOUNT: "Avances aux personnes",
    BANK_ACCOUNT: "Banque",
    CASH_ACCOUNT: "Caisse",
}
JOURNAL = ("BQ", "Banque")
FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
CSV_COLUMNS = (
    "entry",
    "date",
    "account",
    "account_label",
    "request",
    "person",
    "label",
    "debit",
    "credit",
    "reference",  # the payment's reference (the bank transfer's, the cash box's), to match
)


@dataclass(frozen=True)
class Line:
    account: str
    label: str
    debit: int = 0  # cents
    credit: int = 0


@dataclass(frozen=True)
class Entry:
    number: int
    day: date
    request_id: int
    person: str
    label: str
    lines: tuple[Line, ...]
    reference: str = ""  # what finance typed when paying

    @property
    def debit(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def credit(self) -> int:
        return sum(line.credit for line in self.lines)


def cents(amount: Decimal | None) -> int:
    value = (amount or Decimal("0")) * 100
    if value != value.to_integral_value():
        raise ValueError("an amount with more than two decimals")
    return int(value)


# The lines of an entry an organisation may book on its own accounts, with the suggestion.
NATURES = {
    "pay": PAY_ACCOUNT,
    "compensation": COMPENSATION_ACCOUNT,
    "advance": ADVANCE_ACCOUNT,
    "bank": BANK_ACCOUNT,
    "cash": CASH_ACCOUNT,
}
ACCOUNT_FORMAT = re.compile(r"^[0-9]{3}[0-9A-Za-z]{0,17}$")  # FEC: three digits first


def suggested() -> dict[str, str]:
    """Every key an organisation may set, with the account suggested when it sets none."""
    costs = {c.value: (rule.ledger_account or OTHER_SERVICES) for c, rule in CATEGORIES.items()}
    return costs | NATURES


def accounts_of(organisation_id: int) -> dict[str, str]:
    """The suggestion, replaced by the organisation's own accounts where it set them."""
    from app.expenses.finance_models import LedgerAccount

    chosen = db.session.scalars(
        select(LedgerAccount).where(LedgerAccount.organisation_id == organisation_id)
    )
    return suggested() | {row.key: row.account for row in chosen}


def ledger_account(
    category: Category | None, kind: RequestKind, accounts: dict[str, str] | None = None
) -> str:
    accounts = accounts or suggested()
    if kind == RequestKind.PAY:
        return accounts["pay"]
    if kind == RequestKind.COMPENSATION:
        return accounts["compensation"]
    if kind == RequestKind.ADVANCE:
        return accounts["advance"]
    return accounts.get(category.value if category is not None else "", OTHER_SERVICES)


def set_accounts(actor: Person, organisation_id: int, typed: dict[str, str]) -> None:
    """Keep the organisation's own account numbers; an empty one brings the suggestion back."""
    from app.core.errors import DomainError
    from app.expenses.finance_models import LedgerAccount

    require(actor, "expenses.settings", organisation_id)
    keys = suggested()
    for key, value in typed.items():
        if key not in keys:
            continue
        value = (value or "").strip().replace(" ", "")
        row = db.session.get(LedgerAccount, (organisation_id, key))
        if not value or value == keys[key]:
            if row is not None:
                db.session.delete(row)
            continue
        if not ACCOUNT_FORMAT.match(value):
            raise DomainError(
                _l("An account number starts with 3 digits. For example: 6251."), f"ledger_{key}"
            )
        if row is None:
            db.session.add(LedgerAccount(organisation_id=organisation_id, key=key, account=value))
        else:
            row.account = value
    db.session.flush()


def entry_for(
    request: ExpenseRequest, number: int, person: str, accounts: dict[str, str] | None = None
) -> Entry:
    """One balanced entry: what the request cost, against what left the bank or the box."""
    day = calendar.paris(request.paid_at or utcnow()).date()
    label = f"Parole demande {request.id}"
    debits: dict[str, int] = {}
    # A direct purchase is a cost too (the ticket the organisation bought): its line's kind of
    # cost says its account, as for a reimbursement.
    costs = request.kind.has_costs or request.kind == RequestKind.DIRECT_PURCHASE
    if costs and request.lines and request.kind != RequestKind.ADVANCE:
        for line in request.lines:
            amount = line.approved_amount if line.approved_amount is not None else line.amount
            account = ledger_account(line.category, request.kind, accounts)
            debits[account] = debits.get(account, 0) + cents(amount)
    else:
        debits[ledger_account(None, request.kind, accounts)] = cents(request.paid_amount)
    paid = cents(request.paid_amount)
    accounts = accounts or suggested()
    cash = request.payment_method == PaymentMethod.CASH
    money_account = accounts["cash"] if cash else accounts["bank"]
    advance = accounts["advance"]
    lines = [Line(a, _label(a), debit=d) for a, d in sorted(debits.items()) if d]
    if paid:
        lines.append(Line(money_account, _label(money_account), credit=paid))
    rest = sum(debits.values()) - paid  # a settlement: what the advance paid already
    if rest > 0:
        lines.append(Line(advance, _label(advance), credit=rest))
    elif rest < 0:
        lines.append(Line(advance, _label(advance), debit=-rest))
    return Entry(
        number, day, request.id, person, label, tuple(lines), request.payment_reference or ""
    )


def _label(account: str) -> str:
    for prefix in sorted(ACCOUNT_LABELS, key=len, reverse=True):
        if account.startswith(prefix):
            return ACCOUNT_LABELS[prefix]
    return account


def entries(actor: Person, organisation_id: int, start: date, end: date) -> list[Entry]:
    """The paid requests of these days (inclusive, days as in France), oldest first."""
    require(actor, "expenses.pay", organisation_id)
    names = can(actor, "expenses.see_iban", organisation_id)
    accounts = accounts_of(organisation_id)
    since, until = calendar.days_bounds(start, end)
    paid = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.organisation_id == organisation_id,
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.paid_at >= since,
            ExpenseRequest.paid_at < until,
        )
        .order_by(ExpenseRequest.paid_at, ExpenseRequest.id)
    ).all()
    found = []
    for number, request in enumerate(paid, start=1):
        if names:
            person = person_label(request.person)
        else:
            person = f"P-{request.person_id}" if request.person_id else ""
        found.append(entry_for(request, number, person, accounts))
    return found


def _amount(value: int, comma: bool) -> str:
    text = f"{value // 100}.{value % 100:02d}"
    return text.replace(".", ",") if comma else text


def csv_rows(found: list[Entry]) -> list[dict[str, Any]]:
    return [
        {
            "entry": e.number,
            "date": e.day.isoformat(),
            "account": line.account,
            "account_label": line.label,
            "request": e.request_id,
            "person": e.person,
            "label": e.label,
            "debit": _amount(line.debit, False),
            "credit": _amount(line.credit, False),
            "reference": e.reference,
        }
        for e in found
        for line in e.lines
    ]


def _clean(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").split())


def fec_text(found: list[Entry], validated: datetime | None = None) -> str:
    out = io.StringIO()
    out.write("\t".join(FEC_COLUMNS) + "\r\n")
    for e in found:
        day = e.day.strftime("%Y%m%d")
        valid = (validated.date() if validated else e.day).strftime("%Y%m%d")
        for line in e.lines:
            aux = e.person if line.label == ACCOUNT_LABELS[ADVANCE_ACCOUNT] else ""
            row = [
                JOURNAL[0],
                JOURNAL[1],
                str(e.number),
                day,
                line.account,
                line.label,
                aux and f"P{e.request_id}",
                aux,
                str(e.request_id),
                day,
                e.label,
                _amount(line.debit, True),
                _amount(line.credit, True),
                "",
                "",
                valid,
                "",
                "",
            ]
            out.write("\t".join(_clean(v) for v in row) + "\r\n")
    return out.getvalue()
