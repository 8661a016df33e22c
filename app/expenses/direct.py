"""Direct purchases: the organisation buys the ticket or books the room for a person.

An organiser (a facilitator, finance person or institute staff member of the paying
organisation) records it against the person's activity with the supplier, the amount and
the invoice (checked and stored like a receipt). It is a request of its own kind, sent at
once: a reviewer accepts it as any other, finance pays the supplier. It is never money owed
to the person: their list of requests and yearly statement leave it out, and once it is
paid they read "The organisation paid your train ticket: 23,40 €" in their history.
Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Organisation, Person, Role
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.permissions import can, require
from app.db import utcnow
from app.expenses import categories, money, receipts
from app.expenses.categories import Category
from app.expenses.models import (
    ActivityType,
    ExpenseLine,
    ExpenseRequest,
    Receipt,
    RequestKind,
    RequestStatus,
)
from app.expenses.payment import checked_file
from app.expenses.payment_models import ExpensePayee, PayeeMethod

ORGANISER_ROLES = (Role.FACILITATOR, Role.FINANCE, Role.INSTITUTE_STAFF)


def people_for(organisation: Organisation) -> list[Person]:
    """Who the organisation may buy for: its participants, and the people who sent it a
    request (a co-trainer of an institute is not its member)."""
    members = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == Role.PARTICIPANT)
    ).unique()
    asked = db.session.scalars(
        select(Person)
        .join(ExpenseRequest, ExpenseRequest.person_id == Person.id)
        .where(ExpenseRequest.organisation_id == organisation.id)
    ).unique()
    found = {p.id: p for p in [*members, *asked] if p.is_active and p.closed_at is None}
    return sorted(found.values(), key=lambda p: (p.display_name.lower(), p.id))


@dataclass
class PurchaseInput:
    person_id: int
    activity_label: str
    category: str
    what: str
    supplier: str
    amount: str
    invoice: bytes
    invoice_name: str = ""
    activity_type: ActivityType = ActivityType.OTHER
    activity_on: date | None = None


def record(actor: Person, organisation: Organisation, data: PurchaseInput) -> ExpenseRequest:
    """Record what the organisation bought for a person; sent for review at once."""
    require(actor, "expenses.buy_directly", organisation.id)
    person = next((p for p in people_for(organisation) if p.id == data.person_id), None)
    if person is None:
        raise DomainError(_l("Choose a person of the list."), field="person_id")
    try:
        rule = categories.rule_for(Category(data.category))
    except ValueError:
        raise DomainError(_l("Choose one answer."), field="category") from None
    amount = money.parse_amount(data.amount)
    supplier = (data.supplier or "").strip()
    if not supplier:
        raise DomainError(_l("Write who the organisation pays."), field="supplier")
    clean = checked_file(
        data.invoice,
        data.invoice_name,
        field="invoice",
    )
    from app.expenses.services import new_draft, upload_root

    request = new_draft(
        actor,
        person,
        organisation,
        RequestKind.DIRECT_PURCHASE,
        data.activity_type,
        data.activity_label,
        None,
        data.activity_on,
    )
    line = ExpenseLine(
        request_id=request.id,
        category=rule.category,
        description=(data.what or "").strip()[:300],
        amount=amount,
    )
    db.session.add(line)
    db.session.flush()
    key = receipts.store(upload_root(), clean)
    db.session.add(
        Receipt(
            line_id=line.id,
            storage_key=key,
            mime=clean.mime,
            size=len(clean.data),
            pages=clean.pages,
            sha256=clean.sha256,
            uploaded_by_id=actor.id,
        )
    )
    db.session.add(
        ExpensePayee(request_id=request.id, method=PayeeMethod.DIRECT, name=supplier[:200])
    )
    request.submitted_at = utcnow()
    # Sent at once, without telling the person: they are told once it is paid.
    audit.move_and_record(actor, "expenses.moved", request, RequestStatus.SUBMITTED)
    db.session.flush()
    db.session.refresh(request, ["lines"])
    from app.expenses import routing

    routing.warn_when_stranded(actor, request)
    return request


def load_organisation(actor: Person, organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(actor, "expenses.buy_directly", organisation_id):
        raise NotFound(_l("This page does not exist."))
    return organisation


def organisations_buying(actor: Person) -> list[Organisation]:
    found = {
        m.organisation_id: m.organisation
        for m in actor.memberships
        if can(actor, "expenses.buy_directly", m.organisation_id)
    }
    return sorted(found.values(), key=lambda o: o.name)


def paid_for(person: Person) -> list[ExpenseRequest]:
    """What organisations paid directly for the person, newest first."""
    return list(
        db.session.scalars(
            select(ExpenseRequest)
            .where(
                ExpenseRequest.person_id == person.id,
                ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE,
                ExpenseRequest.status == RequestStatus.PAID,
            )
            .order_by(ExpenseRequest.paid_at.desc(), ExpenseRequest.id.desc())
        )
    )


def sentence(request: ExpenseRequest) -> str:
    """ "The organisation paid your train ticket: 23,40 €" """
    what = request.lines[0].description if request.lines else request.activity_label
    return _(
        "%(org)s paid your %(what)s: %(amount)s",
        org=request.organisation.name,
        what=what,
        amount=money.format_amount(request.paid_amount or request.asked_amount),
    )


def tell_person(request: ExpenseRequest) -> None:
    """Only the payment is news for the person; the other steps are the organisation's."""
    if request.status != RequestStatus.PAID or request.person_id is None:
        return
    person = db.session.get(Person, request.person_id)
    if person is None:
        return
    from app.core.notifications import notify
    from app.core.urls import external_url

    notify(
        person,
        lambda: _(
            "Paid for you: %(what)s, %(amount)s",
            what=request.activity_label,
            amount=money.format_amount(request.paid_amount or request.asked_amount),
        ),
        lambda: sentence(request),
        # The list of what was paid for the person, on their costs page.
        link=external_url("expenses.index") + "#paid-for-me-title",
    )


def supplier_of(request: Any) -> str:
    payee = db.session.get(ExpensePayee, request.id)
    return payee.name if payee is not None else ""
