"""The demo's costs show claims without receipts the way they are meant to be made: the car
journey (request 5) with a statement signed on screen instead of a fake receipt, and the hours
of childcare with the statement a facilitator signed for Bernard, with his consent."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import db
from app.expenses.models import Category, ExpenseLine, ExpenseRequest


def test_demo_mileage_and_childcare_claims_use_statements_not_fake_receipts(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        car = db.session.scalars(
            select(ExpenseLine).where(ExpenseLine.category == Category.CAR)
        ).one()
        assert car.request.activity_label == "Visite du foyer avec le comité"
        assert (car.kilometres, car.vehicle_power, car.amount) == (
            Decimal("42.00"),
            "5",
            Decimal("26.71"),  # 42 km × 0,636 €
        )
        assert car.receipts == [] and car.sworn_statement
        assert car.sworn_text and car.sworn_at is not None
        assert car.sworn_by_id == car.request.person_id
        childcare = db.session.scalars(
            select(ExpenseLine).where(ExpenseLine.category == Category.CHILDCARE)
        ).one()
        assert childcare.receipts == [] and childcare.sworn_statement
        assert childcare.sworn_by_id != childcare.request.person_id
        assert childcare.sworn_consent_note
        # The fifth request of the demo is the car journey.
        fifth = db.session.scalars(select(ExpenseRequest).order_by(ExpenseRequest.id)).all()[4]
        assert fifth.id == car.request_id
