"""The person's view of a request tells the whole story: each cost accepted and why, the
advance and its settlement with the balance owed either way (before the decision too), the
payment's way and day, notifications that name the request, the assisted request reachable
from the participant's page, the rates note only where it matters, the advance's question."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.core.models import Notification
from app.expenses import services
from app.expenses.categories import Category
from app.expenses.models import ActivityType, ExpenseRequest, PaymentMethod, RequestKind
from app.expenses.services import LineInput, Payment, Review
from tests.conftest import login
from tests.factories import PASSWORD
from tests.worlds import a_jpeg, a_payment_choice, an_organisation, member, saved


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai",
            paul=member(Role.PARTICIPANT, name="Paul"),
            fac=Role.FACILITATOR,
            finance=Role.FINANCE,
        )
        a_payment_choice(team["paul"], "cash")
        return {"team": team, "org": team.org.id, "paul": team["paul"].id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _request(team, kind=RequestKind.REIMBURSEMENT, lines=(("train", "12,50"),), label="", on=None):
    paul = team["paul"]
    request = services.create_request(
        paul, paul, team.org, kind, ActivityType.CONSULTATION, label, activity_on=on
    )
    for category, amount in lines:
        line = services.add_line(paul, request, LineInput(Category(category), amount))
        if kind != RequestKind.ADVANCE:
            services.attach_receipt(paul, line, a_jpeg(), "ticket.jpg")
    return request


def _pay(team, request):
    services.pay(team["finance"], request, Payment(PaymentMethod.CASH, "", team["fac"].id))


def _page(app, who, url):
    response = _client(app, who).get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _advance_and_settlement(app, world, settled_at="41,20", decided=True):
    """An advance of 38,40 € paid, and the real costs of 41,20 € sent (and accepted)."""
    team = world["team"]
    with saved(app):
        advance = _request(team, RequestKind.ADVANCE, [("train", "38,40")], "Forum logement")
        services.submit(team["paul"], advance)
        services.review(team["finance"], advance, Review("approve"))
        _pay(team, advance)
        settlement = services.settle_advance(team["paul"], advance)
        line = services.add_line(team["paul"], settlement, LineInput(Category.TRAIN, settled_at))
        services.attach_receipt(team["paul"], line, a_jpeg(), "billet.jpg")
        services.submit(team["paul"], settlement)
        if decided:
            services.review(team["finance"], settlement, Review("approve"))
        return advance.id, settlement.id


def test_request_page_shows_each_cost_accepted_and_why_when_partly_accepted_and_paid(app, world):
    team = world["team"]
    with saved(app):
        request = _request(team, lines=[("train", "12,50"), ("taxi", "30,00")])
        services.submit(team["paul"], request)
        taxi = request.lines[1]
        services.review(
            team["finance"],
            request,
            Review("approve", "Le taxi est payé jusqu'à 20 euros.", {taxi.id: "20,00"}),
        )
        _pay(team, request)
        request_id = request.id
    html = _page(app, "paul", f"/expenses/{request_id}")
    assert "Accepté en entier." in html  # the train ticket
    assert "Accepté : 20,00\u00a0€ sur 30,00\u00a0€." in html.replace("&nbsp;", "\u00a0")
    # Paid now, the reason of the partial acceptance is still on the request.
    assert "Le taxi est payé jusqu&#39;à 20 euros." in html
    assert "Vous aviez demandé 42,50" in html


def test_settlement_page_links_the_advance_and_shows_the_balance_before_approval(app, world):
    advance_id, settlement_id = _advance_and_settlement(app, world, decided=False)
    html = _page(app, "paul", f"/expenses/{settlement_id}")
    assert f'href="/expenses/{advance_id}"' in html
    assert "Si tout est accepté :" in html and "Nous vous devons encore 2,80" in html
    advance_html = _page(app, "paul", f"/expenses/{advance_id}")
    assert f'href="/expenses/{settlement_id}"' in advance_html
    assert "Nous vous devons encore 2,80" in advance_html


def test_list_shows_the_balance_owed_not_the_costs_after_an_advance(app, world):
    _advance_and_settlement(app, world)
    html = _page(app, "paul", "/expenses/")
    assert "Nous vous devons encore 2,80" in html
    assert "41,20" not in html


def test_list_shows_what_is_to_give_back_after_an_advance_too_big(app, world):
    _advance_and_settlement(app, world, settled_at="30,00")
    html = _page(app, "paul", "/expenses/")
    assert "À rendre : 8,40" in html


def test_notifications_name_the_request_they_speak_of(app, world):
    team = world["team"]
    with saved(app):
        bus = _request(team, lines=[("local_transport", "3,20")], on=date(2027, 3, 3))
        train = _request(team, lines=[("train", "12,50")], label="Forum logement")
        for request in (bus, train):
            services.submit(team["paul"], request)
            services.review(team["finance"], request, Review("approve"))
            _pay(team, request)
    with app.app_context():
        subjects = db.session.scalars(
            select(Notification.subject).where(
                Notification.person_id == world["paul"],
                Notification.subject.like("%: payée"),
            )
        ).all()
    assert sorted(subjects) == [
        "Votre demande (frais du 3 mars 2027, bus, métro ou tram, 3,20\u00a0€) : payée",
        f"Votre demande (frais du {_today_fr(app)}, Forum logement, 12,50\u00a0€) : payée",
    ]


def _today_fr(app) -> str:
    from flask_babel import force_locale, format_date

    from app.db import utcnow

    with app.test_request_context(), force_locale("fr"):
        return format_date(utcnow().date(), "d MMMM")


def test_paid_request_shows_how_and_when_in_the_list_and_on_its_page(app, world):
    team = world["team"]
    with saved(app):
        request = _request(team)
        services.submit(team["paul"], request)
        services.review(team["finance"], request, Review("approve"))
        request_id = request.id
    waiting = _page(app, "paul", f"/expenses/{request_id}")
    assert "Comment vous serez payé" in waiting
    assert "Payé : " not in waiting  # the way of payment said once, not "paid" before it is
    with saved(app):
        _pay(team, db.session.get(ExpenseRequest, request_id))
    listing = _page(app, "paul", "/expenses/")
    assert "Payée le " in listing and "espèces" in listing.lower()
    assert "Payée. Payée" not in listing  # the state said once, with its day and way
    page = _page(app, "paul", f"/expenses/{request_id}")
    assert "Payé le" in page and "12,50" in page


def test_paid_request_says_paid_once_in_the_list(app, world):
    team = world["team"]
    with saved(app):
        request = _request(team)
        services.submit(team["paul"], request)
        services.review(team["finance"], request, Review("approve"))
        _pay(team, request)
    listing = _page(app, "paul", "/expenses/")
    assert listing.count("Payée") == 1


def test_participant_page_links_to_a_cost_request_for_the_person(app, world):
    html = _page(app, "fac", f"/participants/{world['paul']}")
    assert f'href="/expenses/new?person_id={world["paul"]}"' in html


def test_rates_note_shows_to_staff_who_set_the_rates_not_to_the_person(app, world):
    team = world["team"]
    with saved(app):
        draft = _request(team, lines=[("train", "12,50"), ("taxi", "8,00")])
        sent = _request(team)
        services.submit(team["paul"], sent)
        ids = draft.id, sent.id
    note = "Les tarifs sont des exemples"
    assert note not in _page(app, "paul", f"/expenses/{ids[0]}")
    assert note not in _page(app, "paul", f"/expenses/{ids[1]}")
    staff = _page(app, "finance", f"/expenses/{ids[1]}/review")
    assert staff.count(note) == 1
    assert f'href="/expenses/organisations/{world["org"]}/settings"' in staff
    assert note not in _page(app, "fac", f"/expenses/{ids[1]}/review")


def test_advance_asks_what_you_are_going_to_pay(app, world):
    with saved(app):
        advance = _request(world["team"], RequestKind.ADVANCE, [])
        reimbursement = _request(world["team"], lines=[])
        ids = advance.id, reimbursement.id
    advance_page = unescape(_page(app, "paul", f"/expenses/{ids[0]}"))
    assert "Qu'allez-vous payer ?" in advance_page and "Qu'avez-vous payé ?" not in advance_page
    assert "Qu'avez-vous payé ?" in unescape(_page(app, "paul", f"/expenses/{ids[1]}"))


def test_balance_amounts_are_exact_cents(app, world):
    """The balance is computed in Decimal: 41,20 - 38,40 is 2,80 exactly."""
    advance_id, settlement_id = _advance_and_settlement(app, world)
    with app.app_context():
        from app.expenses import story

        found = story.balance(db.session.get(ExpenseRequest, settlement_id))
    assert found.amount == Decimal("2.80") and not found.estimate
