"""Expense requests: the transition table, reviewers, two-step approval, payment, advances,
bank details. Real receipts on disk (a JPEG made with Pillow)."""

import io
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.models import AuditEntry, Notification
from app.expenses import services
from app.expenses.models import (
    ActivityType,
    Category,
    PayChoice,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from app.expenses.services import TRANSITIONS, LineInput, Payment, Review
from tests.worlds import a_payment_choice, a_stranger, an_organisation

pytestmark = pytest.mark.usefixtures("ctx")

IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path):
    previous = app.config["UPLOAD_ROOT"]
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    yield
    app.config["UPLOAD_ROOT"] = previous


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def world():
    team = an_organisation(
        person=Role.PARTICIPANT,
        facilitator=Role.FACILITATOR,
        finance=Role.FINANCE,
        finance2=Role.FINANCE,
    )
    a_payment_choice(team["person"])
    return {"org": team.org, **team.people, "stranger": a_stranger()}


def _request(w, kind=RequestKind.REIMBURSEMENT, actor=None, consent=None):
    return services.create_request(
        actor or w["person"],
        w["person"],
        w["org"],
        kind,
        ActivityType.CONSULTATION,
        "Réunion du 3 mars",
        consent_note=consent,
    )


def _with_train(w, amount="23,40"):
    request = _request(w)
    line = services.add_line(w["person"], request, LineInput(Category.TRAIN, amount=amount))
    services.attach_receipt(w["person"], line, _jpeg(), "billet.jpg")
    return request


def test_amounts_per_km_flat_rate_and_childcare_hours(world):
    request = _request(world)
    car = services.add_line(
        world["person"], request, LineInput(Category.CAR, kilometres="42", vehicle_power="4")
    )
    meal = services.add_line(world["person"], request, LineInput(Category.MEAL, flat_rate=True))
    child = services.add_line(world["person"], request, LineInput(Category.CHILDCARE, hours="2,5"))
    services.add_line(world["person"], request, LineInput(Category.TAXI, amount="18,70"))
    assert car.amount == Decimal("25.45")  # 42 km x 0,606 (tax scale, 4 CV)
    assert meal.amount == Decimal("15.00")
    assert child.amount == Decimal("30.00")
    assert request.asked_amount == Decimal("89.15")
    with pytest.raises(DomainError) as other:
        services.add_line(world["person"], request, LineInput(Category.OTHER, amount="5"))
    assert other.value.field == "description"


def test_a_cost_needs_a_receipt_or_an_allowed_sworn_statement(world):
    request = _request(world)
    bus = services.add_line(world["person"], request, LineInput(Category.LOCAL_TRANSPORT, "3,20"))
    hotel = services.add_line(world["person"], request, LineInput(Category.HOTEL, "62"))
    with pytest.raises(DomainError):
        services.submit(world["person"], request)
    services.declare_sworn(world["person"], bus)
    with pytest.raises(DomainError) as refused:
        services.declare_sworn(world["person"], hotel)
    assert refused.value.field == "agreed"
    receipt = services.attach_receipt(world["person"], hotel, _jpeg(), "../../hotel.jpg")
    path = services.upload_root() / receipt.storage_key
    assert path.is_file() and receipt.storage_key.endswith(".jpg")
    services.submit(world["person"], request)
    assert request.status == RequestStatus.SUBMITTED


def test_every_transition_outside_the_table_is_refused(world):
    every = set(RequestStatus)
    for source, targets in TRANSITIONS.items():
        for target in every - set(targets):
            request = _request(world)
            request.status = source
            with pytest.raises(InvalidTransition):
                services._move(world["facilitator"], request, target)


def test_review_approve_pay_with_reasons_and_notifications(world):
    request = _with_train(world)
    services.submit(world["person"], request)
    with pytest.raises(NotAllowed):
        services.review(world["stranger"], request, Review("approve"))
    with pytest.raises(DomainError) as no_reason:
        services.review(world["facilitator"], request, Review("needs_info"))
    assert no_reason.value.field == "reason"
    services.review(world["facilitator"], request, Review("needs_info", "Quelle date ?"))
    assert request.status == RequestStatus.NEEDS_INFO
    services.submit(world["person"], request)
    line_id = request.lines[0].id
    with pytest.raises(DomainError):  # less than asked without a reason
        services.review(world["facilitator"], request, Review("approve", "", {line_id: "20"}))
    services.review(
        world["facilitator"], request, Review("approve", "Le billet coûte 20 €.", {line_id: "20"})
    )
    assert request.status == RequestStatus.PARTLY_APPROVED
    assert request.approved_amount == Decimal("20.00")
    assert request.promised_on is not None
    with pytest.raises(NotAllowed):
        services.pay(world["facilitator"], request, Payment(PaymentMethod.CASH))
    with pytest.raises(DomainError):
        services.pay(world["finance"], request, Payment(PaymentMethod.TRANSFER))
    with pytest.raises(DomainError):
        services.pay(world["finance"], request, Payment(PaymentMethod.CASH))
    services.pay(
        world["finance"],
        request,
        Payment(PaymentMethod.CASH, "Caisse 12", handed_over_by_id=world["facilitator"].id),
    )
    assert request.status == RequestStatus.PAID and request.paid_amount == Decimal("20.00")
    told = db.session.scalars(
        select(Notification).where(Notification.person_id == world["person"].id)
    ).all()
    assert len(told) == 5  # submitted, needs info, submitted, partly accepted, paid
    assert any("Le billet coûte 20 €." in n.body for n in told)
    moves = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "expenses.moved")
    ).all()
    assert [m.details["to_status"] for m in moves][-1] == "paid"


def test_nobody_reviews_their_own_request_and_big_ones_need_two_people(world):
    own = services.create_request(
        world["facilitator"],
        world["facilitator"],
        world["org"],
        RequestKind.REIMBURSEMENT,
        ActivityType.COMMITTEE,
    )
    line = services.add_line(world["facilitator"], own, LineInput(Category.TRAIN, "10"))
    services.attach_receipt(world["facilitator"], line, _jpeg())
    a_payment_choice(world["facilitator"])
    services.submit(world["facilitator"], own)
    with pytest.raises(NotAllowed):
        services.review(world["facilitator"], own, Review("approve"))
    big = _with_train(world, "180")
    services.submit(world["person"], big)
    services.review(world["finance"], big, Review("approve"))
    assert big.status == RequestStatus.AWAITING_SECOND
    with pytest.raises(NotAllowed):
        services.review(world["finance"], big, Review("approve"))
    services.review(world["finance2"], big, Review("approve"))
    assert big.status == RequestStatus.APPROVED
    assert {big.first_reviewer_id, big.second_reviewer_id} == {
        world["finance"].id,
        world["finance2"].id,
    }


def test_cancel_only_before_review(world):
    request = _with_train(world)
    services.submit(world["person"], request)
    services.cancel(world["person"], request)
    assert request.status == RequestStatus.CANCELLED
    other = _with_train(world)
    services.submit(world["person"], other)
    services.review(world["facilitator"], other, Review("refuse", "Ce trajet n'était pas prévu."))
    assert other.approved_amount == Decimal("0.00")
    with pytest.raises(InvalidTransition):
        services.cancel(world["person"], other)
    with pytest.raises(NotFound):
        services.cancel(world["stranger"], other)


def test_pay_needs_the_benefits_notice_and_records_the_choice(world):
    request = _request(world, RequestKind.PAY)
    with pytest.raises(DomainError) as unread:
        services.set_pay(world["person"], request, "3", "20", PayChoice.PAID, notice_read=False)
    assert unread.value.field == "notice_read"
    services.set_pay(world["person"], request, "3,5", "20", PayChoice.PAID, notice_read=True)
    assert request.asked_amount == Decimal("70.00")
    volunteer = _request(world, RequestKind.PAY)
    services.set_pay(world["person"], volunteer, "", "", PayChoice.VOLUNTEER, notice_read=True)
    assert volunteer.pay_choice == PayChoice.VOLUNTEER
    with pytest.raises(DomainError):
        services.submit(world["person"], volunteer)
    services.submit(world["person"], request)
    assert request.status == RequestStatus.SUBMITTED


def test_advance_then_settlement_balance_both_ways(world):
    advance = _request(world, RequestKind.ADVANCE)
    services.add_line(world["person"], advance, LineInput(Category.TRAIN, "50"))
    services.submit(world["person"], advance)  # an advance needs no receipt yet
    services.review(world["facilitator"], advance, Review("approve"))
    services.pay(
        world["finance"], advance, Payment(PaymentMethod.THIRD_PARTY, third_party_name="SNCF")
    )
    for real, expected in (("42", Decimal("-8.00")), ("61,30", Decimal("11.30"))):
        settlement = services.settle_advance(world["person"], advance)
        line = services.add_line(world["person"], settlement, LineInput(Category.TRAIN, real))
        services.attach_receipt(world["person"], line, _jpeg())
        services.submit(world["person"], settlement)
        services.review(world["facilitator"], settlement, Review("approve"))
        assert services.advance_balance(settlement) == expected
        # Paying the settlement pays only what is still owed: the advance is not paid twice.
        services.pay(
            world["finance"], settlement, Payment(PaymentMethod.THIRD_PARTY, third_party_name="X")
        )
        assert settlement.paid_amount == max(expected, Decimal("0.00"))


def test_iban_is_validated_encrypted_and_masked_except_for_finance(world):
    with pytest.raises(DomainError) as wrong:
        services.set_bank_details(world["person"], world["person"], "FR76 1234", "Paul")
    assert wrong.value.field == "iban"
    details = services.set_bank_details(world["person"], world["person"], IBAN, "Paul")
    assert "3000" not in details.iban_encrypted and details.iban_last4 == "0189"
    org = world["org"].id
    person = world["person"].id
    assert services.iban_for(world["finance"], person, org) == IBAN.replace(" ", "")
    masked = services.iban_for(world["facilitator"], person, org)
    assert masked.endswith("0189") and "3000" not in masked
    with pytest.raises(NotFound):
        services.set_bank_details(world["stranger"], world["person"], IBAN, "X")


def test_facilitator_fills_for_a_person_with_consent(world):
    with pytest.raises(DomainError):
        _request(world, actor=world["facilitator"])
    request = _request(world, actor=world["facilitator"], consent="Dit oui au téléphone")
    assert request.entered_by_id == world["facilitator"].id
    line = services.add_line(world["facilitator"], request, LineInput(Category.TRAIN, "9"))
    with pytest.raises(NotFound):
        services.add_line(world["stranger"], request, LineInput(Category.TRAIN, "9"))
    assert line.amount == Decimal("9.00")


def test_years_and_days_are_those_of_france(world):
    """Paid at 23:30 UTC on 31 December 2026 is 00:30 on 1 January 2027 in Paris: the
    person's statement and the accountant's file both put it in 2027, like the kit's report."""
    from datetime import UTC, date, datetime

    request = _with_train(world)
    services.submit(world["person"], request)
    services.review(world["facilitator"], request, Review("approve"))
    services.pay(
        world["finance"],
        request,
        Payment(PaymentMethod.CASH, "Caisse 1", handed_over_by_id=world["facilitator"].id),
    )
    request.paid_at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    db.session.flush()
    person, finance, org = world["person"], world["finance"], world["org"]
    assert services.yearly_statement(person, person, 2026).reimbursed == []
    assert services.yearly_statement(person, person, 2027).reimbursed == [request]
    from app.expenses import accounting

    day = date(2027, 1, 1)
    assert [e.day for e in accounting.entries(finance, org.id, day, day)] == [day]
    assert accounting.entries(finance, org.id, date(2026, 12, 1), date(2026, 12, 31)) == []
