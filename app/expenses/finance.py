"""Finance at work: the queue of requests of the organisations a person checks or pays,
filtered by organisation, kind and state, oldest first, and the same decision for many
requests at once (accept them, or pay them). Each request of a batch goes through the one
service a single request goes through (`services.review`, `services.pay`): the same rules,
the same second check above the threshold, and the same answer to a batch sent twice (what
this person did already is not done again). A request the rules refuse is listed with the
plain reason; the others are done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Person
from app.core.errors import DomainError
from app.core.permissions import can
from app.db import utcnow
from app.expenses import services, story
from app.expenses.models import ExpenseRequest, PaymentMethod, RequestKind, RequestStatus

S = RequestStatus

# What finance filters on: a request waiting for somebody of the organisation.
QUEUE_STATES = (S.SUBMITTED, S.AWAITING_SECOND, S.APPROVED, S.PARTLY_APPROVED)
BATCH_MAX = 200
PAGE_SIZE = 50  # rows of the queue on one page: the page stays small however long the queue


@dataclass
class QueueRow:
    request: ExpenseRequest
    name: str  # "3 March, bus ticket" (story.py), not a number
    person: str
    since: datetime | None
    waiting_days: int
    asked: Decimal
    accepted: Decimal | None
    may_approve: bool
    may_pay: bool


def person_label(person: Person | None) -> str:
    """The person's name, or the identifier printed on their card when they gave no name."""
    if person is None:
        return str(_l("Person removed"))
    return person.display_name or person.login_identifier or str(_l("Person without a name"))


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int  # requests waiting with these filters, on every page
    page: int
    pages: int


def queue(
    actor: Person,
    organisation_id: int | None = None,
    kind: RequestKind | None = None,
    state: RequestStatus | None = None,
) -> list[QueueRow]:
    """The requests waiting in the actor's organisations, oldest first (sent first)."""
    found = _waiting(actor, organisation_id, kind, state)
    return _rows(actor, [r for r, _approve, _pay in found], {r.id: (a, p) for r, a, p in found})


def queue_page(
    actor: Person,
    page: int = 1,
    organisation_id: int | None = None,
    kind: RequestKind | None = None,
    state: RequestStatus | None = None,
) -> QueuePage:
    """One page of the queue (`PAGE_SIZE` rows, oldest first); a page past the end shows the
    last one. Only the rows of the page are loaded with their person, lines and organisation."""
    found = _waiting(actor, organisation_id, kind, state)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chosen = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rights = {r.id: (approve, pay) for r, approve, pay in chosen}
    loaded = {
        r.id: r
        for r in db.session.scalars(
            select(ExpenseRequest)
            .where(ExpenseRequest.id.in_(list(rights)))
            .options(
                selectinload(ExpenseRequest.person),
                selectinload(ExpenseRequest.organisation),
                selectinload(ExpenseRequest.lines),
            )
        )
    }
    requests = [loaded[r.id] for r, _approve, _pay in chosen]
    return QueuePage(_rows(actor, requests, rights), len(found), page, pages)


def _waiting(
    actor: Person,
    organisation_id: int | None,
    kind: RequestKind | None,
    state: RequestStatus | None,
) -> list[tuple[ExpenseRequest, bool, bool]]:
    """Each request waiting that the actor may accept or pay, oldest first, with these two
    rights (the rules are asked of each request, as for one request)."""
    organisations = services.reviewable_organisations(actor)
    if organisation_id is not None:
        organisations = [o for o in organisations if o == organisation_id]
    if not organisations:
        return []
    states = [state] if state in QUEUE_STATES else list(QUEUE_STATES)
    query = (
        select(ExpenseRequest)
        .where(ExpenseRequest.organisation_id.in_(organisations), ExpenseRequest.status.in_(states))
        .order_by(ExpenseRequest.submitted_at, ExpenseRequest.id)
    )
    if kind is not None:
        query = query.where(ExpenseRequest.kind == kind)
    found = []
    for r in db.session.scalars(query):
        may_approve = r.person_id != actor.id and can(actor, "expenses.review_this", r)
        may_pay = r.status.awaits_payment and can(actor, "expenses.pay_this", r)
        if may_approve or may_pay:
            found.append((r, may_approve, may_pay))
    return found


def _rows(
    actor: Person, requests: list[ExpenseRequest], rights: dict[int, tuple[bool, bool]]
) -> list[QueueRow]:
    now = utcnow()
    rows = []
    for r in requests:
        may_approve, may_pay = rights[r.id]
        since = r.submitted_at or r.created_at
        rows.append(
            QueueRow(
                request=r,
                name=story.name(r),
                person=person_label(r.person),
                since=since,
                waiting_days=max((now - since).days, 0) if since else 0,
                asked=r.asked_amount,
                accepted=r.approved_amount,
                may_approve=may_approve and r.status.awaits_decision,
                may_pay=may_pay,
            )
        )
    return rows


@dataclass
class BatchOutcome:
    done: list[ExpenseRequest] = field(default_factory=list)
    already: list[ExpenseRequest] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # request id, plain reason
    names: dict[int, str] = field(default_factory=dict)  # request id -> its name (story.py)

    @property
    def acted(self) -> bool:
        return bool(self.done or self.already)


def _requests(actor: Person, request_ids: list[int]) -> tuple[list[ExpenseRequest], list[int]]:
    ids = sorted(set(request_ids))[:BATCH_MAX]
    if not ids:
        raise DomainError(_l("Tick at least one request."), field="request_ids")
    organisations = set(services.reviewable_organisations(actor))
    found = {
        r.id: r
        for r in db.session.scalars(select(ExpenseRequest).where(ExpenseRequest.id.in_(ids)))
        if r.organisation_id in organisations
    }
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


def _each(actor: Person, request_ids: list[int], act: Any, done_already: Any) -> BatchOutcome:
    """Run `act` on each request in its own savepoint: a refusal undoes that request only."""
    outcome = BatchOutcome()
    requests, unknown = _requests(actor, request_ids)
    for request_id in unknown:
        outcome.refused.append((request_id, str(_l("You cannot act on this request."))))
    for request in requests:
        outcome.names[request.id] = story.name(request)
        if done_already(request):
            outcome.already.append(request)
            continue
        try:
            with db.session.begin_nested():
                act(request)
        except DomainError as exc:
            outcome.refused.append((request.id, str(exc.message)))
            continue
        outcome.done.append(request)
    return outcome


def approve_batch(actor: Person, request_ids: list[int]) -> BatchOutcome:
    """Accept each request for what was asked. Above the threshold the first acceptance
    waits for a second person, as for one request. Accepted already by this person (the same
    batch sent twice): counted as done, nothing happens again."""

    def done_already(request: ExpenseRequest) -> bool:
        if request.status == S.AWAITING_SECOND and request.first_reviewer_id == actor.id:
            return True
        return services._decided_already(actor, request, "approve")

    return _each(
        actor,
        request_ids,
        lambda r: services.review(actor, r, services.Review("approve")),
        done_already,
    )


def pay_batch(actor: Person, request_ids: list[int], reference: str = "") -> BatchOutcome:
    """Pay each accepted request by bank transfer (to the person who manages the money when
    the person chose so). Paid already by this person: nothing happens again."""
    from app.expenses import payment

    def pay_one(request: ExpenseRequest) -> None:
        if not request.status.awaits_payment:
            raise DomainError(_l("This request is not waiting to be paid."))
        payee = payment.payee_of(request.id)
        if payee is not None and payee.method in payment.PAID_TO_SOMEONE:
            data = services.Payment(PaymentMethod.THIRD_PARTY, reference, None, payee.name)
        else:
            data = services.Payment(PaymentMethod.TRANSFER, reference)
        services.pay(actor, request, data)

    def done_already(request: ExpenseRequest) -> bool:
        return request.status == S.PAID and request.paid_by_id == actor.id

    return _each(actor, request_ids, pay_one, done_already)


def set_account(
    actor: Person, organisation_id: int, holder: str, iban_text: str, bic_text: str
) -> Any:
    """The organisation's own bank account, the one its transfers leave from."""
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException

    from app.core.permissions import require
    from app.expenses.finance_models import FinanceAccount

    require(actor, "expenses.settings", organisation_id)
    try:
        iban = IBAN(iban_text or "")
    except SchwiftyException:
        raise DomainError(
            _l("This IBAN is not valid. Check it on the bank paper."), "iban"
        ) from None
    try:
        bic = BIC((bic_text or "").replace(" ", ""))
    except SchwiftyException:
        raise DomainError(_l("This BIC is not valid. Check it on the bank paper."), "bic") from None
    holder = (holder or "").strip()
    if not holder:
        raise DomainError(_l("Write the name of the account holder."), "holder")
    account = db.session.get(FinanceAccount, organisation_id)
    if account is None:
        account = FinanceAccount(organisation_id=organisation_id)
        db.session.add(account)
    account.holder, account.iban, account.bic = holder[:70], iban.compact, str(bic)
    db.session.flush()
    return account
