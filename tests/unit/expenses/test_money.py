"""Amounts typed the French way, and exact sums (property tests with hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import DomainError
from app.expenses import money

cents = st.integers(min_value=0, max_value=9_999_999).map(lambda n: Decimal(n) / 100)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        ("12,5", "12.50"),
        ("12", "12.00"),
        ("1 234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("12 €", "12.00"),
        ("12,50 euros", "12.50"),
        (" 7,05 ", "7.05"),
    ],
)
def test_french_amounts(typed, value):
    assert money.parse_amount(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "12,505", "-3", "12,50,1", "1e3", "0", "100000"])
def test_wrong_amounts_get_a_message_next_to_the_field(typed):
    with pytest.raises(DomainError) as error:
        money.parse_amount(typed, field="amount")
    assert error.value.field == "amount"


def test_kilometres_and_hours_round_half_up_to_the_cent():
    assert money.times(Decimal("13.00"), Decimal("0.35")) == Decimal("4.55")
    assert money.times(Decimal("0.10"), Decimal("0.35")) == Decimal("0.04")  # 0.035 -> 0.04
    assert money.times(Decimal("2.50"), Decimal("12.00")) == Decimal("30.00")


@given(st.lists(cents, max_size=40))
def test_line_sums_are_exact(amounts):
    total = money.total(amounts)
    assert total == sum(amounts, Decimal(0))
    assert total.as_tuple().exponent == -2


@given(cents, cents)
def test_advance_balance_goes_both_ways_and_never_silently(advance, costs):
    balance = money.balance(advance, costs)
    assert advance + balance == costs
    if costs > advance:
        assert balance > 0  # the organisation still owes it
    elif costs < advance:
        assert balance < 0  # the person gives it back
    else:
        assert balance == 0


@given(cents.filter(lambda d: Decimal("0") < d <= money.MAX_AMOUNT))
def test_any_amount_written_the_french_way_reads_back_the_same(value):
    typed = f"{value:.2f}".replace(".", ",")
    assert money.parse_amount(typed) == value
