"""The accountant's files balance: for any batch of paid requests (costs of every kind, pay,
compensation, advances and their settlements, paid by transfer or in cash), every entry of
the CSV and of the FEC file has debits equal to credits, and what left the bank or the box is
exactly what was paid, to the cent (property tests with hypothesis)."""

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.expenses import accounting
from app.expenses.categories import Category
from app.expenses.models import ExpenseLine, ExpenseRequest, PaymentMethod, RequestKind

CENTS = st.integers(min_value=1, max_value=500_000)


@st.composite
def a_paid_request(draw, number):
    kind = draw(st.sampled_from(list(RequestKind)))
    method = draw(st.sampled_from([PaymentMethod.TRANSFER, PaymentMethod.CASH]))
    request = ExpenseRequest(id=number, kind=kind, payment_method=method)
    request.paid_at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    if kind.has_costs and kind != RequestKind.ADVANCE:
        amounts = draw(st.lists(CENTS, min_size=1, max_size=6))
        for amount in amounts:
            category = draw(st.sampled_from(list(Category)))
            request.lines.append(
                ExpenseLine(category=category, amount=Decimal(amount) / 100, approved_amount=None)
            )
        total = sum(amounts)
        # a settlement pays only what the advance did not cover (maybe nothing)
        paid = draw(st.integers(min_value=0, max_value=total))
    else:
        paid = draw(CENTS)
    request.paid_amount = Decimal(paid) / 100
    return request


BATCHES = st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=20, unique=True)


def _amount(text):
    return int(Decimal(text.replace(",", ".")) * 100)


@given(data=st.data(), numbers=BATCHES)
def test_csv_and_fec_entries_balance_to_the_cent_for_any_batch(data, numbers):
    requests = [data.draw(a_paid_request(n)) for n in numbers]
    own = {"train": "625100", "bank": "5121", "advance": "4671", "cash": "531"}
    accounts = data.draw(st.sampled_from([None, accounting.suggested() | own]))
    money_accounts = ("512", "53") if accounts is None else ("5121", "531")
    found = [
        accounting.entry_for(r, i, f"P-{i}", accounts) for i, r in enumerate(requests, start=1)
    ]
    for entry in found:
        assert entry.debit == entry.credit
    rows = accounting.csv_rows(found)
    debits = sum(_amount(r["debit"]) for r in rows)
    credits = sum(_amount(r["credit"]) for r in rows)
    assert debits == credits
    paid_out = sum(_amount(r["credit"]) for r in rows if r["account"] in money_accounts)
    assert paid_out == sum(accounting.cents(r.paid_amount) for r in requests)
    lines = accounting.fec_text(found).rstrip("\r\n").split("\r\n")
    header, body = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    assert len(header) == 18 and all(len(row) == 18 for row in body)
    assert sum(_amount(row[11]) for row in body) == sum(_amount(row[12]) for row in body)
    assert sum(_amount(row[11]) for row in body) == debits


def test_cost_lines_go_to_the_ledger_account_of_their_kind():
    request = ExpenseRequest(id=7, kind=RequestKind.REIMBURSEMENT)
    request.payment_method = PaymentMethod.TRANSFER
    request.paid_at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    request.lines.append(ExpenseLine(category=Category.TRAIN, amount=Decimal("12.50")))
    request.paid_amount = Decimal("12.50")
    entry = accounting.entry_for(request, 1, "Ana")
    assert [(line.account, line.debit, line.credit) for line in entry.lines] == [
        ("6251", 1250, 0),
        ("512", 0, 1250),
    ]


def test_a_direct_purchase_goes_to_the_account_of_what_was_bought():
    request = ExpenseRequest(id=8, kind=RequestKind.DIRECT_PURCHASE)
    request.payment_method = PaymentMethod.TRANSFER
    request.paid_at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    request.lines.append(ExpenseLine(category=Category.TRAIN, amount=Decimal("8.40")))
    request.paid_amount = Decimal("8.40")
    entry = accounting.entry_for(request, 1, "Ana")
    assert [(line.account, line.debit, line.credit) for line in entry.lines] == [
        ("6251", 840, 0),
        ("512", 0, 840),
    ]
