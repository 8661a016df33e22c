"""Earnings through Parole: sums exact in Decimal by month and payer, France's year and
quarters (a payment at 23:30 UTC on 31 December is in January in Paris), the warning before a
mission crosses a reference amount and not after."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app import db
from app.accounts.models import Role
from app.core.errors import NotAllowed
from app.expenses import earnings
from app.expenses.models import (
    ActivityType,
    ExpenseRequest,
    RequestKind,
    RequestStatus,
)
from tests.worlds import an_organisation, member

pytestmark = pytest.mark.usefixtures("ctx")


def _paid(person, org, amount, when, kind=RequestKind.PAY, status=RequestStatus.PAID):
    row = ExpenseRequest(
        organisation_id=org.id,
        person_id=person.id,
        kind=kind,
        status=status,
        activity_type=ActivityType.CO_TRAINING,
        activity_label="Séance",
        paid_at=when if status == RequestStatus.PAID else None,
        paid_amount=Decimal(amount) if status == RequestStatus.PAID else None,
        approved_amount=Decimal(amount),
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def people():
    institute = an_organisation("Institut Essai", paul=Role.PARTICIPANT)
    other = an_organisation("CCAS Autre", domain="o.test")
    return institute.org, other.org, institute["paul"]


def test_sums_are_exact_by_month_and_payer(people):
    institute, other, paul = people
    for _ in range(10):
        _paid(paul, institute, "0.10", datetime(2026, 2, 10, 12, tzinfo=UTC))
    _paid(paul, other, "33.33", datetime(2026, 2, 11, 12, tzinfo=UTC))
    _paid(paul, other, "20.00", datetime(2026, 3, 1, 12, tzinfo=UTC), RequestKind.COMPENSATION)
    _paid(paul, institute, "99.00", datetime(2026, 3, 2, 12, tzinfo=UTC), RequestKind.REIMBURSEMENT)
    year = earnings.year_of(paul, 2026)
    assert year.total == Decimal("54.33")
    assert year.by_month() == [(2, Decimal("34.33")), (3, Decimal("20.00"))]
    assert year.by_payer() == [
        ("CCAS Autre", Decimal("53.33")),
        ("Institut Essai", Decimal("1.00")),
    ]


def test_year_and_quarters_follow_paris_time(people):
    institute, _, paul = people
    # 31 December 2025 at 23:30 UTC is 1 January 2026 at 0:30 in Paris.
    _paid(paul, institute, "10.00", datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    # 30 June 2026 at 22:30 UTC is 1 July 2026 at 0:30 in Paris (summer time): quarter 3.
    _paid(paul, institute, "20.00", datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    assert earnings.year_of(paul, 2025).total == Decimal("0.00")
    year = earnings.year_of(paul, 2026)
    assert [e.amount for e in year.quarter(1)] == [Decimal("10.00")]
    assert year.quarter(2) == []
    assert [e.amount for e in year.quarter(3)] == [Decimal("20.00")]
    start, end = earnings.quarter_bounds(2026, 3)
    assert start == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert end == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert earnings.quarter_bounds(2026, 4)[1] == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_warning_before_crossing_not_after(people):
    institute, _, paul = people
    rsa = next(t for t in earnings.thresholds() if t.key == "rsa")
    assert rsa.yearly == Decimal("7758.24")
    _paid(paul, institute, "7700.00", datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert earnings.crossings(paul, Decimal("58.24"), 2026) == []  # reaches it, not over
    found = earnings.crossings(paul, Decimal("58.25"), 2026)
    assert [c.threshold.key for c in found] == ["rsa"]
    assert found[0].before == Decimal("7700.00") and found[0].after == Decimal("7758.25")
    # Once the person is over it, a new mission is no crossing (they were told before).
    _paid(paul, institute, "100.00", datetime(2026, 4, 2, 12, tzinfo=UTC))
    assert [c.threshold.key for c in earnings.crossings(paul, Decimal("10"), 2026)] == []


def test_accepted_not_yet_paid_counts_in_the_warning(people):
    institute, _, paul = people
    _paid(paul, institute, "7700.00", datetime(2026, 3, 2, 12, tzinfo=UTC))
    _paid(paul, institute, "50.00", None, status=RequestStatus.APPROVED)
    assert earnings.year_of(paul, 2026).to_come == Decimal("50.00")
    found = earnings.crossings(paul, Decimal("10.00"), 2026)
    assert [c.threshold.key for c in found] == ["rsa"]


def test_mission_pay_is_hours_times_rate(people):
    institute, _, paul = people
    _paid(paul, institute, "7700.00", datetime(2026, 3, 2, 12, tzinfo=UTC))
    first = datetime(2026, 5, 4, 8, tzinfo=UTC)
    # 7 700 + 2,9 h x 20 € = 7 758,00 €: under 7 758,24 €; 3 h: 7 760,00 €, over it.
    assert earnings.mission_crossings(paul, Decimal("20.00"), Decimal("2.9"), first, first) == []
    assert earnings.mission_crossings(paul, Decimal("20.00"), Decimal("3"), first, first)
    assert earnings.mission_crossings(paul, None, Decimal("3"), first, first) == []
    # A mission whose first session is next year counts in next year's total.
    later = first + timedelta(days=365)
    assert earnings.mission_crossings(paul, Decimal("20.00"), Decimal("3"), later, first) == []


def test_organisation_amount_replaces_the_default_in_the_warning(people):
    institute, other, paul = people
    staff = an_organisation("Finances Essai", domain="f.test").join(
        "fin", member(Role.FINANCE, org=institute)
    )
    _paid(paul, institute, "1000.00", datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert earnings.crossings(paul, Decimal("60"), 2026, institute.id) == []
    earnings.set_thresholds(staff, institute.id, {"rsa": Decimal("1050.00"), "aah": None})
    found = earnings.crossings(paul, Decimal("60"), 2026, institute.id)
    assert [(c.threshold.key, c.threshold.yearly) for c in found] == [("rsa", Decimal("1050.00"))]
    assert earnings.crossings(paul, Decimal("60"), 2026, other.id) == []  # its own: defaults
    earnings.set_thresholds(staff, institute.id, {"rsa": None})  # back to the default
    assert earnings.crossings(paul, Decimal("60"), 2026, institute.id) == []


def test_only_admins_and_finance_set_the_amounts(people):
    institute, _, paul = people
    with pytest.raises(NotAllowed):
        earnings.set_thresholds(paul, institute.id, {"rsa": Decimal("1.00")})
