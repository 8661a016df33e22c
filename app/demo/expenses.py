"""Demo expense requests in every state, with plausible French costs. The organisation's
rates stay the platform's examples (marked as such on the pages)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.demo.existing import already_loaded, demo_person
from app.demo.images import receipt_photo as _photo
from app.expenses import services
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseRequest,
    PayChoice,
    PaymentMethod,
    RequestKind,
)
from app.expenses.services import LineInput, Payment, Review

CONSENT = "Demande remplie avec la personne, à l'accueil, avec son accord."


def load_demo_expenses(org: Organisation, facilitator: Person) -> None:
    if already_loaded(ExpenseRequest, org):
        return
    paul = demo_person("paul@demo.parole.invalid")
    jean = demo_person("jean@demo.parole.invalid")
    finance = demo_person("finances@demo.parole.invalid")
    bernard = db.session.scalar(select(Person).where(Person.login_identifier == "DEMO-01"))
    photo = _photo()
    from app.demo.payment import choose_how_each_is_paid

    choose_how_each_is_paid()  # asked before a first request is sent

    def new(person: Person, kind: RequestKind, label: str, actor: Person | None = None):
        return services.create_request(
            actor or person,
            person,
            org,
            kind,
            ActivityType.CONSULTATION,
            label,
            consent_note=CONSENT if actor else None,
        )

    def cost(request, category, amount="", **more):
        line = services.add_line(request.person, request, LineInput(category, amount, **more))
        if category in (Category.LOCAL_TRANSPORT, Category.PARKING, Category.CAR):
            services.declare_sworn(request.person, line)  # no receipt: signed on honour
        elif not more.get("flat_rate"):
            services.attach_receipt(request.person, line, photo, "ticket.jpg")
        return line

    draft = new(paul, RequestKind.REIMBURSEMENT, "Réunion du comité logement")
    services.add_line(paul, draft, LineInput(Category.TRAIN, "23,40"))

    sent = new(jean, RequestKind.REIMBURSEMENT, "Atelier « Vous avez dit, nous avons fait »")
    cost(sent, Category.LOCAL_TRANSPORT, "3,20")
    cost(sent, Category.MEAL, flat_rate=True)
    services.submit(jean, sent)

    if bernard is not None:
        helped = new(bernard, RequestKind.REIMBURSEMENT, "Réunion de consultation", facilitator)
        line = services.add_line(facilitator, helped, LineInput(Category.CHILDCARE, hours="2,5"))
        # Hours of childcare: the statement signed by the facilitator for Bernard, with consent.
        services.declare_sworn(facilitator, line, consent_note=CONSENT)
        services.submit(facilitator, helped)
        services.review(finance, helped, Review("needs_info", "Qui a gardé vos enfants ?"))

    hotel = new(paul, RequestKind.REIMBURSEMENT, "Conseil national, deux jours à Paris")
    cost(hotel, Category.HOTEL, "124")
    cost(hotel, Category.TRAIN, "58,60")
    services.submit(paul, hotel)
    services.review(facilitator, hotel, Review("approve"))  # above 150 €: a second check waits

    car = new(jean, RequestKind.REIMBURSEMENT, "Visite du foyer avec le comité")
    # A car journey: kilometres at the tax scale for a 5 CV car, a statement, no receipt.
    cost(car, Category.CAR, kilometres="42", vehicle_power="5")
    services.submit(jean, car)
    services.review(finance, car, Review("approve"))

    taxi = new(paul, RequestKind.REIMBURSEMENT, "Retour tardif après la réunion")
    line = cost(taxi, Category.TAXI, "35")
    services.submit(paul, taxi)
    services.review(
        finance,
        taxi,
        Review("approve", "Le bus de nuit était possible jusqu'à 23 h.", {line.id: "25"}),
    )

    parking = new(jean, RequestKind.REIMBURSEMENT, "Stationnement au centre social")
    cost(parking, Category.PARKING, "12")
    services.submit(jean, parking)
    services.review(finance, parking, Review("refuse", "Le parking du centre social est gratuit."))

    advance = new(paul, RequestKind.ADVANCE, "Rencontre régionale à Lille")
    services.add_line(paul, advance, LineInput(Category.TRAIN, "50"))
    services.submit(paul, advance)
    services.review(facilitator, advance, Review("approve"))
    services.pay(finance, advance, Payment(PaymentMethod.THIRD_PARTY, third_party_name="SNCF"))
    services.settle_advance(paul, advance)

    cancelled = new(jean, RequestKind.REIMBURSEMENT, "Réunion annulée")
    cost(cancelled, Category.LOCAL_TRANSPORT, "1,80")
    services.cancel(jean, cancelled)

    work = new(paul, RequestKind.PAY, "Co-formation : séance sur l'accueil")
    services.set_pay(paul, work, "3", "20", PayChoice.PAID, notice_read=True)
    services.submit(paul, work)
    assert work.asked_amount == Decimal("60.00")
    db.session.flush()
