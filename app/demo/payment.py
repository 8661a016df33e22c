"""Demo of how people are paid: each demo participant's choice (one through a court-appointed
agent, with the judge's decision as a file), Paul's co-trainer pay sent to the institute that
has no finance person (its administrator reviews it, the platform administrator is warned),
and a train ticket the CRPA bought for Nadia and paid to the SNCF."""

from __future__ import annotations

import io

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.demo.existing import demo_person
from app.expenses import direct, payment, services
from app.expenses.models import ExpenseRequest, PayChoice, PaymentMethod, RequestKind
from app.expenses.payment_models import PaymentPreference

AGENT_IBAN = "FR1420041010050500013M02606"  # a documentation example, not a real account


def _decision() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 300), "white")
    draw = ImageDraw.Draw(image)
    lines = ("Tribunal judiciaire (démo)", "Mesure de curatelle", "Mandataire : UDAF (démo)")
    for y, text in enumerate(lines):
        draw.text((20, 40 + 60 * y), text, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def choose_how_each_is_paid() -> None:
    """Each demo participant's choice, made before their first request is sent (a request
    that pays the person cannot be sent without it). Chosen already: nothing changes."""
    paul = demo_person("paul@demo.parole.invalid")
    bernard = db.session.scalar(select(Person).where(Person.login_identifier == "DEMO-01"))
    facilitator = demo_person("animatrice@demo.parole.invalid")
    choices = [
        (paul, payment.PreferenceInput("own_account", iban="FR7630006000011234567890189")),
        (demo_person("jean@demo.parole.invalid"), payment.PreferenceInput("cash")),
        (demo_person("nadia@demo.parole.invalid"), payment.PreferenceInput("direct")),
    ]
    if bernard is not None:
        choices.append(
            (
                bernard,
                payment.PreferenceInput(
                    "third_party",
                    AGENT_IBAN,
                    "UDAF du Nord (démo)",
                    "mandataire",
                    _decision(),
                    consent_note="Choisi avec Bernard à l'accueil, avec son accord.",
                ),
            )
        )
    for person, choice in choices:
        if db.session.get(PaymentPreference, person.id) is not None:
            continue
        actor = facilitator if person is bernard else person
        payment.set_preference(actor, person, choice)


def load_demo_payment(crpa: Organisation, institute: Organisation) -> None:
    paul = demo_person("paul@demo.parole.invalid")
    facilitator = demo_person("animatrice@demo.parole.invalid")
    finance = demo_person("finances@demo.parole.invalid")
    nadia = demo_person("nadia@demo.parole.invalid")
    bought = select(ExpenseRequest.id).where(
        ExpenseRequest.person_id == nadia.id, ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE
    )
    if db.session.scalar(bought.limit(1)) is not None:
        return  # loaded already
    choose_how_each_is_paid()

    # Paul's pay for the mission done at the institute: sent, the institute's admin reviews.
    pay = db.session.scalar(
        select(ExpenseRequest).where(
            ExpenseRequest.person_id == paul.id,
            ExpenseRequest.organisation_id == institute.id,
            ExpenseRequest.kind == RequestKind.PAY,
        )
    )
    if pay is not None and pay.status.is_draft:
        services.set_pay(
            paul, pay, str(pay.hours or 3), str(pay.hourly_rate or 25), PayChoice.PAID, True
        )
        services.submit(paul, pay)

    # A train ticket the CRPA bought for Nadia: accepted and paid to the SNCF.
    from app.demo.images import receipt_photo as _photo

    ticket = direct.record(
        facilitator,
        crpa,
        direct.PurchaseInput(
            person_id=nadia.id,
            activity_label="Réunion logement du 3 mars",
            category="train",
            what="billet de train",
            supplier="SNCF",
            amount="23,40",
            invoice=_photo(),
            invoice_name="facture.jpg",
        ),
    )
    services.review(finance, ticket, services.Review("approve"))
    services.pay(
        finance, ticket, services.Payment(PaymentMethod.THIRD_PARTY, third_party_name="SNCF")
    )
