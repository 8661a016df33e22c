"""What costs and pay hold about a person, for "My data" (with the receipts in the
download), closing an account and the retention purge (the framework is
app/accounts/personal_data.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import db
from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import (
    Closed,
    PersonalDataProvider,
    PurgeStep,
    Section,
    Step,
    in_months,
    iso,
    money_text,
    rows,
)
from app.expenses import receipts as receipt_files
from app.expenses.models import BankDetails, ExpenseLine, ExpenseRequest, Receipt, RequestStatus
from app.expenses.services import upload_root

RECEIPT_RETENTION_YEARS = 10  # accounting documents (Code de commerce, art. L123-22)
DRAFT_RETENTION_MONTHS = 24  # cost requests never sent
MONEY_ON_ITS_WAY = ("submitted", "needs_info", "awaiting_second", "approved", "partly_approved")
NEVER_SENT = (RequestStatus.DRAFT, RequestStatus.CANCELLED)


def _requests(person: Person) -> list[ExpenseRequest]:
    return rows(
        select(ExpenseRequest)
        .where(ExpenseRequest.person_id == person.id)
        .order_by(ExpenseRequest.created_at)
    )


def _receipt_names(requests: list[ExpenseRequest]) -> Iterator[tuple[Receipt, str]]:
    """(receipt, its name in the download) for the receipts of these requests."""
    for request in requests:
        for n, line in enumerate(request.lines, start=1):
            for m, receipt in enumerate(line.receipts, start=1):
                extension = receipt.storage_key.rsplit(".", 1)[-1]
                yield receipt, f"justificatifs/demande-{request.id}-depense-{n}-{m}.{extension}"


def _costs_and_pay(person: Person) -> list[dict[str, Any]]:
    requests = _requests(person)
    files = {receipt.id: name for receipt, name in _receipt_names(requests)}
    return [
        {
            "id": r.id,
            "organisation": r.organisation.name if r.organisation else None,
            "kind": str(r.kind),
            "status": str(r.status),
            "activity": r.activity_label,
            "created_at": iso(r.created_at),
            "sent_at": iso(r.submitted_at),
            "decided_at": iso(r.decided_at),
            "approved_amount": money_text(r.approved_amount),
            "reason": r.reason,
            "promised_on": r.promised_on.isoformat() if r.promised_on else None,
            "paid_at": iso(r.paid_at),
            "paid_amount": money_text(r.paid_amount),
            "payment_method": str(r.payment_method) if r.payment_method else None,
            "payment_reference": r.payment_reference,
            "paid_to": r.third_party_name,
            **r.provenance_export(),
            "lines": [
                {
                    "category": str(line.category),
                    "description": line.description,
                    "spent_on": line.spent_on.isoformat() if line.spent_on else None,
                    "amount": money_text(line.amount),
                    "kilometres": money_text(line.kilometres),
                    "line_hours": money_text(line.hours),
                    "approved_amount": money_text(line.approved_amount),
                    "without_receipt": line.sworn_statement,
                    "statement": line.sworn_text,
                    "signed_at": iso(line.sworn_at),
                    "signed_with_help": line.sworn_consent_note is not None,
                    "receipts": [
                        {
                            "file": files[receipt.id],
                            "added_at": iso(receipt.uploaded_at),
                            "pages": receipt.pages,
                        }
                        for receipt in line.receipts
                    ],
                }
                for line in r.lines
            ],
        }
        for r in requests
    ]


def _bank_account(person: Person) -> dict[str, Any] | None:
    bank = db.session.get(BankDetails, person.id)
    return {"account": bank.masked(), "holder": bank.holder_name} if bank is not None else None


def _journal(person: Person) -> list[tuple[str, list[int]]]:
    ids = db.session.scalars(select(ExpenseRequest.id).where(ExpenseRequest.person_id == person.id))
    return [("expense_requests", list(ids))]


def _archive_files(person: Person) -> Iterator[tuple[str, Callable[[], Path]]]:
    root = upload_root()
    for receipt, name in _receipt_names(_requests(person)):
        key = receipt.storage_key
        yield name, lambda key=key: receipt_files.path_for(root, key)


def _money_on_its_way(person: Person) -> list[str]:
    waiting = db.session.scalar(
        select(func.count())
        .select_from(ExpenseRequest)
        .where(ExpenseRequest.person_id == person.id, ExpenseRequest.status.in_(MONEY_ON_ITS_WAY))
    )
    if not waiting:
        return []
    return [
        str(
            _l(
                "A request for costs or pay is still being handled. Wait until it is paid, "
                "or cancel it, then close your account."
            )
        )
    ]


def _delete_requests_never_sent(person: Person, closed: Closed) -> None:
    """Requests never sent are not accounting records: they go, with their receipts."""
    root = upload_root()
    for request in db.session.scalars(
        select(ExpenseRequest).where(
            ExpenseRequest.person_id == person.id,
            ExpenseRequest.status.in_(NEVER_SENT),
            ExpenseRequest.paid_at.is_(None),
        )
    ):
        closed.files_removed += _delete_with_files(root, request)


def _delete_with_files(root: Path, request: ExpenseRequest) -> int:
    """Delete a request and its receipt files; returns how many files."""
    files = 0
    for line in request.lines:
        for receipt in line.receipts:
            receipt_files.delete(root, receipt.storage_key)
            files += 1
    db.session.delete(request)
    return files


def _last_request(person: Person) -> datetime | None:
    return db.session.scalar(
        select(func.max(ExpenseRequest.created_at)).where(ExpenseRequest.person_id == person.id)
    )


def _old_drafts(now: datetime) -> tuple[Any, ...]:
    return (
        ExpenseRequest.status.in_(NEVER_SENT),
        ExpenseRequest.paid_at.is_(None),
        ExpenseRequest.created_at < now - in_months(DRAFT_RETENTION_MONTHS),
    )


def _count_old_drafts(now: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ExpenseRequest).where(*_old_drafts(now))
    )


def _purge_old_drafts(now: datetime, batch: int) -> int:
    root = upload_root()
    requests = db.session.scalars(
        select(ExpenseRequest).where(*_old_drafts(now)).order_by(ExpenseRequest.id).limit(batch)
    ).all()
    for request in requests:
        _delete_with_files(root, request)
    return len(requests)


def _old_receipts(now: datetime) -> Any:
    return (
        select(Receipt.id)
        .join(ExpenseLine, Receipt.line_id == ExpenseLine.id)
        .join(ExpenseRequest, ExpenseLine.request_id == ExpenseRequest.id)
        .where(ExpenseRequest.paid_at < now - in_months(12 * RECEIPT_RETENTION_YEARS))
    )


def _count_old_receipts(now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(_old_receipts(now).subquery()))


def _purge_old_receipts(now: datetime, batch: int) -> int:
    root = upload_root()
    receipts = db.session.scalars(
        select(Receipt).where(Receipt.id.in_(_old_receipts(now).order_by(Receipt.id).limit(batch)))
    ).all()
    for receipt in receipts:
        receipt_files.delete(root, receipt.storage_key)
        db.session.delete(receipt)
    return len(receipts)


PROVIDER = PersonalDataProvider(
    domain="expenses",
    sections=(
        Section("costs_and_pay", 70, _costs_and_pay),
        Section("bank_account", 80, _bank_account),
    ),
    exported={
        "expense_bank_details.person_id": "bank_account",
        "expense_requests.person_id": "costs_and_pay",
    },
    deleted_at_closure=("expense_bank_details.person_id",),
    journal=_journal,
    archive_files=_archive_files,
    blockers=(Step(20, _money_on_its_way),),
    erasure=(Step(20, _delete_requests_never_sent),),
    last_contact=_last_request,
    purge=(
        PurgeStep(
            "draft_requests",
            80,
            "cost requests never sent, older than 24 months",
            _count_old_drafts,
            _purge_old_drafts,
        ),
        PurgeStep(
            "receipts",
            90,
            "receipts of costs paid more than 10 years ago",
            _count_old_receipts,
            _purge_old_receipts,
        ),
    ),
    labels={
        "costs_and_pay": _l("Your costs and pay"),
        "activity": _l("Activity"),
        "decided_at": _l("Decided on"),
        "approved_amount": _l("Amount agreed"),
        "promised_on": _l("Payment expected on"),
        "paid_at": _l("Paid on"),
        "paid_amount": _l("Amount paid"),
        "payment_method": _l("How it was paid"),
        "payment_reference": _l("Payment reference"),
        "paid_to": _l("Paid to"),
        "lines": _l("Costs"),
        "category": _l("Kind of cost"),
        "description": _l("Description"),
        "spent_on": _l("Spent on"),
        "amount": _l("Amount"),
        "kilometres": _l("Kilometres"),
        "line_hours": _l("Hours"),
        "without_receipt": _l("Without a receipt (sworn statement)"),
        "statement": _l("Your statement on your honour"),
        "signed_at": _l("Signed on"),
        "signed_with_help": _l("Signed for you by a facilitator"),
        "receipts": _l("Receipts"),
        "file": _l("File in the download"),
        "added_at": _l("Added on"),
        "pages": _l("Pages"),
        "bank_account": _l("Your bank account"),
        "account": _l("Account"),
        "holder": _l("Holder"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)
