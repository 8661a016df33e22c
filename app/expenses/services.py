"""Costs and pay: the rules. Views call these; they flush, never commit, and raise
plain-language DomainErrors. Every change of state goes through `_move()` and the
transition table, is audited, and is told to the person (in-app and by e-mail).

Double and concurrent requests: each service locks the request's row first (`db.lock`; the
request before its lines), then checks its state on what it read under the lock. A step asked
again once it is done by the same person (a double click, two tabs) is a no-op: no second audit
entry, notification or e-mail. A step another person took meanwhile is refused with a plain
message. What makes new rows (a request, a cost line, a receipt) is counted once by the form's
key (app/core/idempotency.py), since two similar costs may both be real."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Organisation, Person
from app.core import audit, calendar, crypto
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.notifications import notify
from app.core.permissions import can, require
from app.core.provenance import assisted_entry
from app.db import utcnow
from app.expenses import categories, money, receipts, statements
from app.expenses.categories import Category
from app.expenses.models import (
    ActivityType,
    BankDetails,
    ExpenseLine,
    ExpenseRequest,
    ExpenseSettings,
    PayChoice,
    PaymentMethod,
    Receipt,
    RequestKind,
    RequestStatus,
)
from app.expenses.permissions import second_check_by_first_reviewer

S = RequestStatus
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset(
        {S.NEEDS_INFO, S.AWAITING_SECOND, S.APPROVED, S.PARTLY_APPROVED, S.REFUSED, S.CANCELLED}
    ),
    S.NEEDS_INFO: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.AWAITING_SECOND: frozenset({S.APPROVED, S.PARTLY_APPROVED, S.REFUSED}),
    S.APPROVED: frozenset({S.PAID}),
    S.PARTLY_APPROVED: frozenset({S.PAID}),
    S.REFUSED: frozenset(),
    S.PAID: frozenset(),
    S.CANCELLED: frozenset(),
}


# What else happens when a request is sent (by name), and who tells the person about a kind
# of request told differently. Filled from init_app by payment.py (the person's choice kept
# with the request), routing.py (the warning when nobody usual reviews) and direct.py:
# they use these services, so these services do not import them.
WHEN_SENT: dict[str, Callable[[Person, ExpenseRequest], None]] = {}
# Called when a request waits for its second check (routing: tell who now gives it), and
# asked before: is there anybody, other than the first reviewer, who may give it?
WHEN_SECOND_CHECK: dict[str, Callable[[Person, ExpenseRequest], None]] = {}
SECOND_CHECK_BY: dict[str, Callable[[ExpenseRequest], bool]] = {}


def _second_check_possible(request: ExpenseRequest) -> bool:
    return all(ask(request) for ask in SECOND_CHECK_BY.values())


TOLD_BY_KIND: dict[RequestKind, Callable[[ExpenseRequest], None]] = {}


# --- settings --------------------------------------------------------------------------


def settings_for(organisation_id: int) -> ExpenseSettings:
    settings = db.session.get(ExpenseSettings, organisation_id)
    if settings is None:
        settings = ExpenseSettings(
            organisation_id=organisation_id,
            km_rate=None,  # the tax scale for the car's power (mileage.py)
            meal_flat_rate=Decimal("15.00"),
            childcare_hourly_rate=Decimal("12.00"),
            second_approval_above=Decimal("150.00"),
            payment_days=30,
            rates_are_examples=True,
        )
    return settings


# --- requests --------------------------------------------------------------------------


def create_request(
    actor: Person,
    person: Person,
    organisation: Organisation | None,
    kind: RequestKind,
    activity_type: ActivityType,
    activity_label: str = "",
    activity_id: int | None = None,
    activity_on: date | None = None,
    consent_note: str | None = None,
) -> ExpenseRequest:
    """A draft for `person`, filled by them or by a facilitator for them (provenance kept),
    to an organisation they belong to (None: not one of theirs)."""
    provenance = assisted_entry(actor, person, consent_note)
    if organisation is None or not any(
        m.organisation_id == organisation.id for m in person.memberships
    ):
        raise DomainError(_l("Choose an organisation you belong to."), field="organisation_id")
    return new_draft(
        actor,
        person,
        organisation,
        kind,
        activity_type,
        activity_label,
        activity_id,
        activity_on,
        provenance,
    )


def new_draft(
    actor: Any,
    person: Person,
    organisation: Organisation,
    kind: RequestKind,
    activity_type: ActivityType,
    activity_label: str,
    activity_id: int | None,
    activity_on: date | None,
    provenance: Any = None,
) -> ExpenseRequest:
    """A draft request, once the caller has checked that this organisation owes the person
    (membership above; a confirmed co-training mission for an institute)."""
    label = (activity_label or "").strip()
    if activity_type == ActivityType.OTHER and not label:
        raise DomainError(_l("Say in a few words what the activity was."), field="activity_label")
    if len(label) > 300:
        raise DomainError(_l("Your text is too long: 300 characters at most."), "activity_label")
    request = ExpenseRequest(
        organisation_id=organisation.id,
        person_id=person.id,
        kind=kind,
        status=S.DRAFT,
        activity_type=activity_type,
        activity_id=activity_id,
        activity_label=label,
        activity_on=activity_on,
    )
    if provenance is not None:
        request.apply_provenance(provenance)
    db.session.add(request)
    db.session.flush()
    audit.record(
        actor, "expenses.created", request, organisation_id=organisation.id, kind=kind.value
    )
    return request


def _owner_or_helper(actor: Person, request: ExpenseRequest) -> None:
    if not can(actor, "expenses.fill", request):
        raise NotFound(_l("This page does not exist."))


def _editable(request: ExpenseRequest) -> None:
    if not request.status.is_editable:
        raise InvalidTransition(_l("This request was sent. You cannot change it now."))


def load_request(actor: Person, request_id: int) -> ExpenseRequest:
    request = db.session.get(ExpenseRequest, request_id)
    if request is None or not can(actor, "expenses.view", request):
        raise NotFound(_l("This page does not exist."))
    return request


@dataclass
class LineInput:
    category: Category
    amount: str = ""  # typed the French way; empty for kilometres and flat rates
    kilometres: str = ""
    hours: str = ""
    flat_rate: bool = False
    description: str = ""
    spent_on: date | None = None
    # A car: its fiscal power (mileage.VehiclePower; empty: the person's last car's), whether
    # it is electric, and the two addresses of the journey when the person typed them.
    vehicle_power: str = ""
    electric: bool = False
    from_place: str = ""
    to_place: str = ""


def remembered_vehicle_power(person_id: int | None) -> str:
    """The power of the car of the person's last car cost: asked once, then offered again."""
    if person_id is None:
        return ""
    found = db.session.scalar(
        select(ExpenseLine.vehicle_power)
        .join(ExpenseRequest, ExpenseLine.request_id == ExpenseRequest.id)
        .where(ExpenseRequest.person_id == person_id, ExpenseLine.vehicle_power.is_not(None))
        .order_by(ExpenseLine.id.desc())
        .limit(1)
    )
    return found or ""


def add_line(actor: Person, request: ExpenseRequest, data: LineInput) -> ExpenseLine:
    _owner_or_helper(actor, request)
    request = db.lock(request)
    _editable(request)
    if not request.kind.has_costs:
        raise DomainError(_l("Costs go in a request to pay back costs."))
    rule = categories.rule_for(data.category)
    line = ExpenseLine(
        request_id=request.id,
        category=rule.category,
        description=(data.description or "").strip()[:300],
        spent_on=data.spent_on,
    )
    if rule.category == Category.CAR and not data.vehicle_power:
        data.vehicle_power = remembered_vehicle_power(request.person_id)
    rule.price(line, data, settings_for(request.organisation_id))
    rule.check(line)
    db.session.add(line)
    db.session.flush()
    db.session.refresh(request, ["lines"])
    return line


def remove_line(actor: Person, line: ExpenseLine) -> None:
    """Removed already (a double click): nothing more to do."""
    request = line.request
    _owner_or_helper(actor, request)
    request = db.lock(request)
    _editable(request)
    line_id = line.id
    line = db.session.get(ExpenseLine, line_id, populate_existing=True)
    if line is None:
        return
    root = upload_root()
    for receipt in line.receipts:
        receipts.delete(root, receipt.storage_key)
    db.session.delete(line)
    db.session.flush()
    db.session.refresh(request, ["lines"])


def upload_root() -> Any:
    from pathlib import Path

    return Path(current_app.config["UPLOAD_ROOT"]) / "receipts"


def attach_receipt(actor: Person, line: ExpenseLine, data: bytes, filename: str = "") -> Receipt:
    """Check, clean and store a photo or PDF of a receipt for this line."""
    request = line.request
    _owner_or_helper(actor, request)
    request = db.lock(request)
    _editable(request)
    _receipt_quotas(actor, line, len(data))
    clean = receipts.clean(
        data,
        filename=filename,
        max_bytes=current_app.config["RECEIPT_MAX_BYTES"],
        max_pixels=current_app.config["RECEIPT_MAX_PIXELS"],
    )
    key = receipts.store(upload_root(), clean)
    receipt = Receipt(
        line_id=line.id,
        storage_key=key,
        mime=clean.mime,
        size=len(clean.data),
        pages=clean.pages,
        sha256=clean.sha256,
        uploaded_by_id=actor.id,
    )
    db.session.add(receipt)
    statements.unsign(line)
    db.session.flush()
    db.session.refresh(line, ["receipts"])
    audit.record(actor, "expenses.receipt_added", request, organisation_id=request.organisation_id)
    return receipt


def _receipt_quotas(actor: Person, line: ExpenseLine, size: int) -> None:
    """Checked before the file is decoded: at most RECEIPT_MAX_PER_LINE receipts per cost,
    and, from one person in 24 hours, RECEIPT_MAX_PER_DAY receipts and RECEIPT_MAX_BYTES_PER_DAY
    bytes (what was stored, plus the size of this new file as sent). The count bounds the
    decoding work too: a tiny file can still be a big photo to decode. The line's row is
    locked first, so two uploads at the same moment cannot both take the last place."""
    config = current_app.config
    db.session.execute(
        select(ExpenseLine.id).where(ExpenseLine.id == line.id).with_for_update()
    ).first()
    count = db.session.scalar(
        select(func.count()).select_from(Receipt).where(Receipt.line_id == line.id)
    )
    if count >= config["RECEIPT_MAX_PER_LINE"]:
        raise DomainError(
            _l(
                "This cost already has %(n)s receipts. That is the limit. Remove one to add "
                "another.",
                n=config["RECEIPT_MAX_PER_LINE"],
            ),
            field="receipt",
        )
    files, sent = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Receipt.size), 0)).where(
            Receipt.uploaded_by_id == actor.id,
            Receipt.uploaded_at > utcnow() - timedelta(days=1),
        )
    ).one()
    if files >= config["RECEIPT_MAX_PER_DAY"] or sent + size > config["RECEIPT_MAX_BYTES_PER_DAY"]:
        raise DomainError(
            _l(
                "You have sent many files today. Try again tomorrow, or ask your facilitator "
                "for help."
            ),
            field="receipt",
        )


def declare_sworn(actor: Person, line: ExpenseLine, consent_note: str | None = None) -> None:
    """No receipt: the sworn statement signed (the box ticked), where the organisation's rule
    for this kind of cost allows it (app/expenses/statements.py)."""
    statements.sign(actor, line, agreed=True, consent_note=consent_note)


def sworn_refusal(line: ExpenseLine, settings: ExpenseSettings) -> Any:
    """Why a sworn statement may not replace this cost's receipt, or None when it may."""
    return statements.refusal(line, settings.organisation_id)


def set_pay(
    actor: Person,
    request: ExpenseRequest,
    hours: str,
    hourly_rate: str,
    choice: PayChoice | str,
    notice_read: bool,
) -> None:
    """Pay for work. The notice on benefits must be read first; the choice is recorded."""
    _owner_or_helper(actor, request)
    request = db.lock(request)
    _editable(request)
    if request.kind != RequestKind.PAY:
        raise DomainError(_l("This request is not about pay."))
    if not notice_read:
        raise DomainError(
            _l("Read the information about benefits first, then tick the box."),
            field="notice_read",
        )
    try:
        request.pay_choice = PayChoice(choice)
    except ValueError:
        raise DomainError(_l("Choose one answer."), field="pay_choice") from None
    request.pay_notice_read_at = utcnow()
    if request.pay_choice == PayChoice.PAID:
        request.hours = money.parse_quantity(hours, "hours")
        request.hourly_rate = money.parse_amount(hourly_rate, field="hourly_rate")
    else:
        request.hours = request.hourly_rate = None
    db.session.flush()
    audit.record(
        actor,
        "expenses.pay_choice",
        request,
        organisation_id=request.organisation_id,
        choice=request.pay_choice.value,
    )


def set_compensation(actor: Person, request: ExpenseRequest, amount: str) -> None:
    """A flat amount for time spent in a body, set by the paying organisation (finance, or a
    facilitator who acts for the person), never by the person. The same amount again: nothing."""
    require(actor, "expenses.set_compensation", request)
    request = db.lock(request)
    _editable(request)
    if request.kind != RequestKind.COMPENSATION:
        raise DomainError(_l("This request is not about compensation."))
    value = money.parse_amount(amount)
    if request.flat_amount == value:
        return
    request.flat_amount = value
    db.session.flush()
    audit.record(
        actor,
        "expenses.compensation",
        request,
        organisation_id=request.organisation_id,
        amount=str(value),
    )


def problems(request: ExpenseRequest) -> list[Any]:
    """What is missing before the request can be sent (shown on the summary page)."""
    found: list[Any] = []
    if request.kind.has_costs:
        if not request.lines:
            found.append(_l("Add at least one cost."))
        if request.kind == RequestKind.REIMBURSEMENT:
            for position, line in enumerate(request.lines, start=1):
                if not line.receipts and not line.sworn_statement and not line.flat_rate:
                    if statements.refusal(line, request.organisation_id) is None:
                        found.append(
                            _l(
                                "Cost %(n)s: no receipt needed. Sign the statement on your honour.",
                                n=position,
                            )
                        )
                    else:
                        found.append(_l("Cost %(n)s: add a photo of the receipt.", n=position))
    elif request.kind == RequestKind.PAY:
        if request.pay_choice is None:
            found.append(_l("Read the information about benefits and choose."))
        elif request.pay_choice != PayChoice.PAID:
            found.append(_l("You chose not to be paid. There is nothing to send."))
        elif not request.hours or not request.hourly_rate:
            found.append(_l("Write the hours and the rate."))
    elif request.kind == RequestKind.COMPENSATION and not request.flat_amount:
        found.append(_l("The organisation has not set the amount yet."))
    return found


# --- transitions -----------------------------------------------------------------------


def _not_possible(request: ExpenseRequest) -> InvalidTransition:
    return InvalidTransition(
        _l("This request is “%(status)s”: this step is not possible.", status=request.status.label)
    )


def _move(actor: Person, request: ExpenseRequest, target: RequestStatus, **details: Any) -> None:
    if target not in TRANSITIONS[request.status]:
        raise _not_possible(request)
    audit.move_and_record(actor, "expenses.moved", request, target, **details)
    _tell_person(request)


def payment_chosen(person_id: int | None) -> bool:
    """The person said how they want to be paid (payment.py): needed before a request that
    pays them is sent. A direct purchase pays the supplier and needs no choice."""
    from app.expenses.payment_models import PaymentPreference

    return person_id is not None and db.session.get(PaymentPreference, person_id) is not None


def submit(actor: Person, request: ExpenseRequest) -> None:
    """Sent already (a double click, two tabs): nothing more happens."""
    _owner_or_helper(actor, request)
    request = db.lock(request)
    if request.status == S.SUBMITTED:
        return
    missing = problems(request)
    if missing:
        raise DomainError(missing[0])
    if request.kind.person_asks and not payment_chosen(request.person_id):
        raise DomainError(
            _l("Choose how you want to be paid. Then you can send your request."),
            field="payment",
        )
    request.submitted_at = utcnow()
    _move(actor, request, S.SUBMITTED)
    for hook in WHEN_SENT.values():
        hook(actor, request)


def cancel(actor: Person, request: ExpenseRequest) -> None:
    """The person may cancel before a reviewer decided. Cancelled already: nothing happens."""
    _owner_or_helper(actor, request)
    request = db.lock(request)
    if request.status == S.CANCELLED:
        return
    if not can(actor, "expenses.cancel", request):
        raise _not_possible(request)
    _move(actor, request, S.CANCELLED)


@dataclass
class Review:
    decision: str  # "approve", "needs_info", "refuse"
    reason: str = ""
    line_amounts: dict[int, str] | None = None  # line id -> approved amount typed; None: all


def review(actor: Person, request: ExpenseRequest, data: Review) -> None:
    """A facilitator or finance person of the paying organisation decides. Nobody reviews
    their own request; above the organisation's threshold two different people approve.
    The same decision by the same person again (a double click, two tabs) is a no-op; a
    decision someone else took meanwhile makes this one refused with a plain message."""
    if not can(actor, "expenses.review_this", request):
        require(actor, "expenses.review", request.organisation_id)
    if actor.id == request.person_id:
        raise NotAllowed(_l("You cannot check your own request. Someone else will do it."))
    request = db.lock(request)
    if _decided_already(actor, request, data.decision):
        return
    reason = (data.reason or "").strip()
    if second_check_by_first_reviewer(actor, request):
        raise NotAllowed(_l("A second person must check this request."))
    if data.decision in ("refuse", "needs_info") and not reason:
        raise DomainError(_l("Write the reason in simple words. The person reads it."), "reason")
    if data.decision == "needs_info":
        if not request.kind.person_asks:  # nobody could answer: the person cannot change it
            raise DomainError(
                _l("The organisation made this purchase: accept it or refuse it."), "decision"
            )
        request.reason = reason
        _move(actor, request, S.NEEDS_INFO)
        return
    if data.decision == "refuse":
        request.reason = reason
        request.approved_amount = Decimal("0.00")
        request.decided_at = utcnow()
        _record_reviewer(actor, request)
        _move(actor, request, S.REFUSED)
        return
    if data.decision != "approve":
        raise DomainError(_l("Choose one answer."), field="decision")
    asked = request.asked_amount
    approved = _approved_total(request, data.line_amounts)
    if approved > asked:
        raise DomainError(_l("You cannot accept more than what was asked."), field="decision")
    if approved < asked and not reason:
        raise DomainError(
            _l("You accept less than what was asked. Write why in simple words."), "reason"
        )
    request.reason = reason
    request.approved_amount = approved
    settings = settings_for(request.organisation_id)
    if request.status == S.SUBMITTED and approved > settings.second_approval_above:
        request.first_reviewer_id = actor.id
        if _second_check_possible(request):
            _move(actor, request, S.AWAITING_SECOND)
            for hook in WHEN_SECOND_CHECK.values():
                hook(actor, request)
            return
        # Nobody else anywhere may give it (an organisation without staff, one platform
        # administrator): one check stands rather than a request stranded, and it is recorded.
        audit.record(
            actor,
            "expenses.second_check_impossible",
            request,
            organisation_id=request.organisation_id,
        )
    _record_reviewer(actor, request)
    request.decided_at = utcnow()
    request.promised_on = (request.decided_at + timedelta(days=settings.payment_days)).date()
    _move(actor, request, S.APPROVED if approved == asked else S.PARTLY_APPROVED)


REACHED_BY = {
    "needs_info": (S.NEEDS_INFO,),
    "refuse": (S.REFUSED,),
    # Not AWAITING_SECOND: the first reviewer approving again is told a second person must.
    "approve": (S.APPROVED, S.PARTLY_APPROVED),
}


def _decided_already(actor: Person, request: ExpenseRequest, decision: str) -> bool:
    """This person's decision is the request's state already: they made the last move."""
    if request.status not in REACHED_BY.get(decision, ()):
        return False
    return _last_mover(request) == actor.id


def _last_mover(request: ExpenseRequest) -> int | None:
    from app.core.models import AuditEntry

    return db.session.scalar(
        select(AuditEntry.actor_id)
        .where(
            AuditEntry.action == "expenses.moved",
            AuditEntry.object_type == ExpenseRequest.__tablename__,
            AuditEntry.object_id == request.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def _record_reviewer(actor: Person, request: ExpenseRequest) -> None:
    if request.status == S.AWAITING_SECOND:
        request.second_reviewer_id = actor.id
    else:
        request.first_reviewer_id = actor.id


def _approved_total(request: ExpenseRequest, typed: dict[int, str] | None) -> Decimal:
    if not request.kind.has_costs or not typed:
        for line in request.lines:
            line.approved_amount = line.amount
        return request.asked_amount
    for line in request.lines:
        value = typed.get(line.id)
        line.approved_amount = (
            line.amount
            if value in (None, "")
            else money.parse_amount(value, field=f"line_{line.id}", allow_zero=True)
        )
        if line.approved_amount > line.amount:
            raise DomainError(
                _l("You cannot accept more than what was asked."), field=f"line_{line.id}"
            )
    return money.total(line.approved_amount for line in request.lines)


@dataclass
class Payment:
    method: PaymentMethod
    reference: str = ""
    handed_over_by_id: int | None = None
    third_party_name: str = ""


def pay(actor: Person, request: ExpenseRequest, data: Payment) -> None:
    """Paid already by this person (a double click, two tabs): nothing more happens, and
    the person is told once. Paid by someone else meanwhile: refused with a plain message."""
    require(actor, "expenses.pay", request.organisation_id)
    request = db.lock(request)
    if request.status == S.PAID and request.paid_by_id == actor.id:
        return
    no_bank = request.person_id is None or db.session.get(BankDetails, request.person_id) is None
    if data.method == PaymentMethod.TRANSFER and no_bank:
        raise DomainError(_l("This person has no bank details. Choose another way."), "method")
    if data.method in (PaymentMethod.CASH, PaymentMethod.VOUCHER) and not data.handed_over_by_id:
        raise DomainError(_l("Say who handed it over."), field="handed_over_by_id")
    if data.method == PaymentMethod.THIRD_PARTY and not data.third_party_name.strip():
        raise DomainError(_l("Write who received the money."), field="third_party_name")
    request.payment_method = data.method
    request.payment_reference = data.reference.strip()[:120]
    request.handed_over_by_id = data.handed_over_by_id
    request.third_party_name = data.third_party_name.strip()[:200]
    request.paid_amount = request.approved_amount
    if request.settles_id:
        # The advance was paid already: only what is still owed is paid now (nothing when
        # the person has money to give back), so the year's totals count each euro once.
        balance = advance_balance(request)
        if balance is not None:
            request.paid_amount = max(balance, Decimal("0.00"))
    request.paid_at = utcnow()
    request.paid_by_id = actor.id
    _move(actor, request, S.PAID, method=data.method.value)


def settle_advance(actor: Person, advance: ExpenseRequest) -> ExpenseRequest:
    """After the activity: a request with the real receipts, linked to the paid advance.
    One started and not sent yet (a double click): that one, not a second one."""
    _owner_or_helper(actor, advance)
    advance = db.lock(advance)
    if not can(actor, "expenses.settle", advance):
        raise InvalidTransition(_l("Only a paid advance can be settled."))
    started = db.session.scalar(
        select(ExpenseRequest)
        .where(ExpenseRequest.settles_id == advance.id, ExpenseRequest.status == S.DRAFT)
        .order_by(ExpenseRequest.id)
        .limit(1)
    )
    if started is not None:
        return started
    person = db.session.get(Person, advance.person_id)
    settlement = ExpenseRequest(
        organisation_id=advance.organisation_id,
        person_id=advance.person_id,
        kind=RequestKind.REIMBURSEMENT,
        status=S.DRAFT,
        activity_type=advance.activity_type,
        activity_id=advance.activity_id,
        activity_label=advance.activity_label,
        activity_on=advance.activity_on,
        settles_id=advance.id,
        entered_by_id=advance.entered_by_id if person is not None else None,
        consent_note=advance.consent_note,
    )
    db.session.add(settlement)
    db.session.flush()
    audit.record(
        actor, "expenses.settlement_started", settlement, organisation_id=advance.organisation_id
    )
    return settlement


def advance_balance(settlement: ExpenseRequest) -> Decimal | None:
    """Positive: still owed to the person. Negative: to give back. None: not decided yet."""
    advance = settlement.settles
    if advance is None or advance.paid_amount is None or settlement.approved_amount is None:
        return None
    return money.balance(advance.paid_amount, settlement.approved_amount)


def overdue(organisation_id: int, today: date | None = None) -> list[ExpenseRequest]:
    today = today or utcnow().date()
    return list(
        db.session.scalars(
            select(ExpenseRequest)
            .where(
                ExpenseRequest.organisation_id == organisation_id,
                ExpenseRequest.status.in_([S.APPROVED, S.PARTLY_APPROVED]),
                ExpenseRequest.promised_on < today,
            )
            .order_by(ExpenseRequest.promised_on)
        )
    )


# --- drafts made from co-training attendance (called by app/trainings) -------------------
#
# The institute records who came to a session; trainings then keeps the co-trainer's draft
# requests in step through these functions (it never touches the expense tables itself).
# The caller has checked that the institute owes the person (a confirmed sign-up, and the
# actor manages the mission) and locked the sign-up.


def co_training_request(
    actor: Person,
    person: Person,
    organisation: Organisation,
    request_id: int | None,
    mission_id: int,
    label: str,
    first_day: date | None,
    pay: tuple[Decimal, Decimal] | None = None,
) -> ExpenseRequest:
    """The person's request for a mission: their pay when `pay` gives the hours and the
    hourly rate, otherwise paying back the costs the mission covers. The one made before
    (`request_id`), or a new draft. The day of a request for costs follows the attendance;
    while a pay request is a draft, its hours, rate and day follow it."""
    request = db.session.get(ExpenseRequest, request_id) if request_id else None
    if request is None:
        request = new_draft(
            actor,
            person,
            organisation,
            RequestKind.REIMBURSEMENT if pay is None else RequestKind.PAY,
            ActivityType.CO_TRAINING,
            label,
            mission_id,
            first_day,
        )
    if pay is None:
        request.activity_on = first_day
    elif request.status == S.DRAFT:
        request.hours, request.hourly_rate = pay
        request.activity_on = first_day
    return request


def keep_flat_rate_line(
    actor: Person,
    request: ExpenseRequest,
    category: Category,
    line_id: int | None,
    present: bool,
    spent_on: date | None,
    description: str,
) -> int | None:
    """One cost at the organisation's flat rate for one session (a covered meal), in step
    with the attendance: added when the person came, removed when they are marked absent
    after all. Returns the line's id (None: no line). Only a draft changes."""
    rule = categories.rule_for(category)
    if rule.flat_rate is None:
        raise ValueError(f"{rule.category} has no flat rate")
    if request.status != S.DRAFT:
        return line_id
    if present and line_id is None:
        settings = settings_for(request.organisation_id)
        line = ExpenseLine(
            request_id=request.id,
            category=rule.category,
            flat_rate=True,
            amount=getattr(settings, rule.flat_rate),
            description=description[:300],
            spent_on=spent_on,
        )
        db.session.add(line)
        db.session.flush()
        return line.id
    if not present and line_id is not None:
        line = db.session.get(ExpenseLine, line_id)
        if line is not None:
            db.session.delete(line)
        return None
    return line_id


def requests_by_id(actor: Person, request_ids: list[int]) -> dict[int, ExpenseRequest]:
    """The requests among these that `actor` may see, by id (a co-trainer's drafts of pay
    and costs beside their sign-ups)."""
    if not request_ids:
        return {}
    found = db.session.scalars(select(ExpenseRequest).where(ExpenseRequest.id.in_(request_ids)))
    return {r.id: r for r in found if can(actor, "expenses.view", r)}


# --- bank details ----------------------------------------------------------------------


def set_bank_details(actor: Person, person: Person, iban_text: str, holder: str) -> BankDetails:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    person = db.lock(person)  # one save at a time: no second row, no second warning
    try:
        iban = IBAN(iban_text or "")
    except SchwiftyException:
        raise DomainError(
            _l("This IBAN is not right. Copy it again from your bank paper (RIB)."), "iban"
        ) from None
    details = db.session.get(BankDetails, person.id, populate_existing=True)
    holder = (holder or "").strip()[:200]
    if details is not None and (
        crypto.decrypt(details.iban_encrypted),
        details.holder_name,
    ) == (iban.compact, holder):
        return details  # the same details again: nothing changed, nobody to warn
    details = details or BankDetails(person_id=person.id)
    details.iban_encrypted = crypto.encrypt(iban.compact)
    details.iban_country = iban.country_code
    details.iban_last4 = iban.compact[-4:]
    details.holder_name = holder
    details.updated_at = utcnow()
    db.session.add(details)
    db.session.flush()
    audit.record(actor, "expenses.bank_details_saved", person)
    from app.accounts.services import tell_bank_details_changed

    tell_bank_details_changed(actor, person, details.iban_last4)
    return details


def iban_for(actor: Person, person_id: int, organisation_id: int) -> str | None:
    """The whole IBAN, for finance people of the paying organisation only; others get it masked."""
    details = db.session.get(BankDetails, person_id)
    if details is None:
        return None
    if can(actor, "expenses.see_iban", organisation_id):
        return crypto.decrypt(details.iban_encrypted)
    return details.masked()


# --- notifications ---------------------------------------------------------------------


def _tell_person(request: ExpenseRequest) -> None:
    teller = TOLD_BY_KIND.get(request.kind)
    if teller is not None:
        return teller(request)
    person = db.session.get(Person, request.person_id) if request.person_id else None
    if person is None:
        return
    from app.core.urls import external_url
    from app.expenses import story

    def title() -> str:
        return _(
            "Your request (%(request)s, %(amount)s): %(status)s",
            request=story.name(request),
            amount=money.format_amount(request.asked_amount),
            status=story.status_word(request),
        )

    def body() -> str:
        lines = [title() + "."]
        if request.reason and request.status in (S.NEEDS_INFO, S.REFUSED, S.PARTLY_APPROVED):
            lines.append(_("Why: %(reason)s", reason=request.reason))
        if request.approved_amount is not None and request.status in (
            S.APPROVED,
            S.PARTLY_APPROVED,
        ):
            lines.append(
                _(
                    "Amount accepted: %(amount)s.",
                    amount=money.format_amount(request.approved_amount),
                )
            )
        if request.promised_on and request.status in (S.APPROVED, S.PARTLY_APPROVED):
            from flask_babel import format_date

            lines.append(
                _(
                    "You will be paid by %(day)s.",
                    day=format_date(request.promised_on, "d MMMM yyyy"),
                )
            )
        if request.status == S.PAID and request.paid_amount is not None:
            lines.append(
                _(
                    "Amount paid: %(amount)s, %(how)s.",
                    amount=money.format_amount(request.paid_amount),
                    how=story.method_words(request),
                )
            )
        return "\n".join(lines)

    notify(
        person,
        title,
        body,
        link=external_url("expenses.show", request_id=request.id),
    )


# --- lists, downloads, settings ---------------------------------------------------------


def my_requests(actor: Person) -> list[ExpenseRequest]:
    """The person's own requests and those a facilitator entered for someone."""
    return list(
        db.session.scalars(
            select(ExpenseRequest)
            .where(
                (ExpenseRequest.person_id == actor.id) | (ExpenseRequest.entered_by_id == actor.id),
                # Bought by the organisation: never money owed to the person (direct.py).
                ExpenseRequest.kind != RequestKind.DIRECT_PURCHASE,
            )
            .options(selectinload(ExpenseRequest.lines), selectinload(ExpenseRequest.person))
            .order_by(ExpenseRequest.created_at.desc(), ExpenseRequest.id.desc())
        )
    )


def reviewable_organisations(actor: Person) -> list[int]:
    from app.expenses import routing

    candidates = {m.organisation_id for m in actor.memberships}
    if actor.is_platform_admin:  # the last in line for organisations without staff
        candidates |= set(routing.organisations_without_staff())
    return sorted(
        o for o in candidates if can(actor, "expenses.review", o) or can(actor, "expenses.pay", o)
    )


def to_review(actor: Person) -> list[ExpenseRequest]:
    """Requests waiting for this reviewer (never their own), then the ones to pay."""
    organisations = reviewable_organisations(actor)
    if not organisations:
        return []
    waiting = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.organisation_id.in_(organisations),
            ExpenseRequest.status.in_(
                [S.SUBMITTED, S.AWAITING_SECOND, S.APPROVED, S.PARTLY_APPROVED]
            ),
        )
        .options(selectinload(ExpenseRequest.lines))
        .order_by(ExpenseRequest.submitted_at, ExpenseRequest.id)
    ).all()
    return [
        r
        for r in waiting
        if r.person_id != actor.id
        and (can(actor, "expenses.review_this", r) or can(actor, "expenses.pay_this", r))
    ]


def receipt_for(actor: Person, receipt_id: int) -> tuple[Receipt, Any]:
    """The receipt and its file, for its owner, their helper and the reviewers only."""
    receipt = db.session.get(Receipt, receipt_id)
    if receipt is None or not can(actor, "expenses.view", receipt.line.request):
        raise NotFound(_l("This page does not exist."))
    return receipt, receipts.path_for(upload_root(), receipt.storage_key)


@dataclass
class SettingsInput:
    km_rate: str  # empty: the tax scale for the car's power
    meal_flat_rate: str
    childcare_hourly_rate: str
    second_approval_above: str
    payment_days: str
    # Per kind of cost: (a sworn statement allowed, its limit typed, empty for no limit).
    sworn_rules: dict[str, tuple[bool, str]] = field(default_factory=dict)


def update_settings(actor: Person, organisation_id: int, data: SettingsInput) -> ExpenseSettings:
    require(actor, "expenses.settings", organisation_id)
    settings = db.session.get(ExpenseSettings, organisation_id)
    if settings is None:
        settings = settings_for(organisation_id)
        db.session.add(settings)
    settings.km_rate = (
        money.parse_amount(data.km_rate, field="km_rate") if (data.km_rate or "").strip() else None
    )
    settings.meal_flat_rate = money.parse_amount(data.meal_flat_rate, field="meal_flat_rate")
    settings.childcare_hourly_rate = money.parse_amount(
        data.childcare_hourly_rate, field="childcare_hourly_rate"
    )
    statements.save_rules(actor, organisation_id, data.sworn_rules)
    settings.second_approval_above = money.parse_amount(
        data.second_approval_above, field="second_approval_above"
    )
    days = (data.payment_days or "").strip()
    if not days.isdigit() or not 1 <= int(days) <= 90:
        raise DomainError(_l("Choose a number of days between 1 and 90."), field="payment_days")
    settings.payment_days = int(days)
    settings.rates_are_examples = False
    db.session.flush()
    audit.record(actor, "expenses.settings_saved", settings, organisation_id=organisation_id)
    return settings


# --- accounting and statements ---------------------------------------------------------


@dataclass
class Statement:
    year: int
    reimbursed: list[ExpenseRequest]
    paid_for_work: list[ExpenseRequest]
    compensated: list[ExpenseRequest]

    def total(self, requests: list[ExpenseRequest]) -> Decimal:
        return money.total(r.paid_amount for r in requests)


def yearly_statement(actor: Person, person: Person, year: int) -> Statement:
    """What a person received in a year, reimbursements kept apart from pay: pay may count
    for benefits, reimbursements do not."""
    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    start, end = calendar.year_bounds(year)  # years as in France, like the kit's report
    requests = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.person_id == person.id,
            ExpenseRequest.status == S.PAID,
            ExpenseRequest.paid_at >= start,
            ExpenseRequest.paid_at < end,
        )
        .order_by(ExpenseRequest.paid_at)
    ).all()
    return Statement(
        year=year,
        reimbursed=[r for r in requests if r.kind.has_costs],
        paid_for_work=[r for r in requests if r.kind == RequestKind.PAY],
        compensated=[r for r in requests if r.kind == RequestKind.COMPENSATION],
    )


def statement_pdf(person: Person, statement: Statement) -> bytes:
    from flask_babel import format_date

    from app.core.pdf import LargePrint

    pdf = LargePrint(_("What you received in %(year)s", year=statement.year), person.display_name)
    pdf.add_page()
    pdf.heading(_("What you received in %(year)s", year=statement.year))
    pdf.para(person.display_name, bold=True)
    sections = (
        (_("Costs paid back"), statement.reimbursed, _("This is not income.")),
        (_("Pay for your work"), statement.paid_for_work, _("This may count for your benefits.")),
        (
            _("Compensation for your time"),
            statement.compensated,
            _("Ask if it counts for your benefits."),
        ),
    )
    for title, requests, note in sections:
        pdf.heading(title, size=20)
        pdf.para(note)
        for request in requests:
            when = format_date(request.paid_at, "d MMMM yyyy") if request.paid_at else ""
            label = request.activity_label or request.activity_type.label
            pdf.para(f"{when} : {label} : {money.format_amount(request.paid_amount)}")
        pdf.para(
            _("Total: %(amount)s", amount=money.format_amount(statement.total(requests))),
            bold=True,
        )
    return pdf.bytes()
