"""Demo pay received through Parole: two participants of the CRPA paid for an afternoon of
co-animation, so that "Mes revenus Parole" shows something and the quarterly notice "your
statement is ready" (app/expenses/earnings_notices.py) has people to tell once
`flask demo advance-days` has moved their payment into the quarter before."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation
from app.demo.existing import demo_person
from app.expenses import services
from app.expenses.models import (
    ActivityType,
    ExpenseRequest,
    PayChoice,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from app.expenses.services import Payment, Review

WORK = "Co-animation : atelier d'accueil des nouveaux"


def load_demo_earnings(crpa: Organisation) -> None:
    done = select(ExpenseRequest.id).where(
        ExpenseRequest.organisation_id == crpa.id,
        ExpenseRequest.activity_label == WORK,
        ExpenseRequest.status == RequestStatus.PAID,
    )
    if db.session.scalar(done.limit(1)) is not None:
        return  # loaded already
    finance = demo_person("finances@demo.parole.invalid")
    facilitator = demo_person("animatrice@demo.parole.invalid")
    for email, hours in (("paul@demo.parole.invalid", "2"), ("jean@demo.parole.invalid", "3")):
        person = demo_person(email)
        work = services.create_request(
            person, person, crpa, RequestKind.PAY, ActivityType.CONSULTATION, WORK
        )
        services.set_pay(person, work, hours, "20", PayChoice.PAID, notice_read=True)
        services.submit(person, work)
        services.review(finance, work, Review("approve"))
        services.pay(finance, work, Payment(PaymentMethod.CASH, handed_over_by_id=facilitator.id))
