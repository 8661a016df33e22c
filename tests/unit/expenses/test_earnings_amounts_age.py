"""The age of the reference amounts: the documented defaults are those of 1 April 2025 and are
called out of date from the next 1 April on; an amount an organisation set carries the day it
was set and is not called out of date until the 1 April after it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app import db
from app.accounts.models import Role
from app.expenses import earnings
from app.expenses.earnings_models import EarningsThreshold
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from tests.worlds import an_organisation, member

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def institute():
    world = an_organisation("Institut Dates", paul=Role.PARTICIPANT)
    world.join("fin", member(Role.FINANCE, org=world.org))
    return world


def _own_amount_set_on(world, key, amount, day):
    earnings.set_thresholds(world["fin"], world.org.id, {key: Decimal(amount)})
    row = db.session.get(EarningsThreshold, (world.org.id, key))
    row.updated_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    db.session.flush()


def test_defaults_are_of_1_april_2025_and_out_of_date_from_1_april_2026():
    for t in earnings.DEFAULT_THRESHOLDS:
        assert t.valid_from == date(2025, 4, 1)
        assert not t.out_of_date(date(2025, 4, 1))
        assert not t.out_of_date(date(2026, 3, 31))
        assert t.out_of_date(date(2026, 4, 1))
    assert earnings.out_of_date(earnings.DEFAULT_THRESHOLDS, date(2026, 3, 31)) is None
    assert earnings.out_of_date(earnings.DEFAULT_THRESHOLDS, date(2026, 12, 8)) == date(2025, 4, 1)


@pytest.mark.parametrize(
    ("set_on", "last_fresh_day", "first_stale_day"),
    [
        (date(2026, 5, 10), date(2027, 3, 31), date(2027, 4, 1)),
        (date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 1)),  # set on a 1 April
        (date(2027, 3, 31), date(2027, 3, 31), date(2027, 4, 1)),  # set the day before one
    ],
    ids=["may", "on-1-april", "31-march"],
)
def test_organisation_amount_is_fresh_until_the_1_april_after_it(
    institute, set_on, last_fresh_day, first_stale_day
):
    _own_amount_set_on(institute, "rsa", "8000.00", set_on)
    limits = earnings.thresholds(institute.org.id)
    rsa = next(t for t in limits if t.key == "rsa")
    assert rsa.own and rsa.valid_from == set_on and rsa.yearly == Decimal("8000.00")
    assert not rsa.out_of_date(last_fresh_day)
    assert rsa.out_of_date(first_stale_day)
    # The other three are still the defaults, out of date since 1 April 2026.
    assert earnings.out_of_date(limits, date(2026, 12, 8)) == date(2025, 4, 1)
    own_only = [t for t in limits if t.own]
    assert earnings.out_of_date(own_only, last_fresh_day) is None
    assert earnings.out_of_date(own_only, first_stale_day) == set_on


def test_saving_the_same_amount_again_keeps_the_day_it_was_set(institute):
    _own_amount_set_on(institute, "aah", "12500.00", date(2026, 5, 10))
    earnings.set_thresholds(institute["fin"], institute.org.id, {"aah": Decimal("12500.00")})
    aah = next(t for t in earnings.thresholds(institute.org.id) if t.key == "aah")
    assert aah.valid_from == date(2026, 5, 10)


def test_warning_says_when_the_amount_used_is_out_of_date(institute):
    paul = institute["paul"]
    db.session.add(
        ExpenseRequest(
            organisation_id=institute.org.id,
            person_id=paul.id,
            kind=RequestKind.PAY,
            status=RequestStatus.PAID,
            activity_type=ActivityType.CO_TRAINING,
            activity_label="Séance",
            paid_at=datetime(2026, 2, 2, 12, tzinfo=UTC),
            paid_amount=Decimal("7700.00"),
        )
    )
    db.session.flush()
    before_april = datetime(2026, 3, 31, 12, tzinfo=UTC)
    after_april = datetime(2026, 4, 1, 12, tzinfo=UTC)
    org = institute.org.id
    [fresh] = earnings.crossings(paul, Decimal("100"), 2026, org, before_april)
    assert fresh.threshold.key == "rsa" and fresh.stale_since is None
    assert fresh.amounts_of == date(2025, 4, 1) and fresh.organisation_id == org
    [stale] = earnings.crossings(paul, Decimal("100"), 2026, org, after_april)
    assert stale.stale_since == date(2025, 4, 1)
    # The organisation's own amount, set in May 2026: not out of date in December 2026.
    _own_amount_set_on(institute, "rsa", "7750.00", date(2026, 5, 10))
    december = datetime(2026, 12, 8, 12, tzinfo=UTC)
    [own] = earnings.crossings(paul, Decimal("100"), 2026, org, december)
    assert own.stale_since is None and own.amounts_of == date(2026, 5, 10)
    [own_later] = earnings.crossings(
        paul, Decimal("100"), 2026, org, datetime(2027, 4, 1, 8, tzinfo=UTC)
    )
    assert own_later.stale_since == date(2026, 5, 10)


def test_the_amounts_date_reads_1er_avril_in_french(app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("fr"):
            assert earnings.day_name(date(2025, 4, 1)) == "1er avril 2025"
            assert earnings.day_name(date(2026, 5, 10)) == "10 mai 2026"
        with force_locale("en"):
            assert earnings.day_name(date(2025, 4, 1)) == "1 April 2025"
