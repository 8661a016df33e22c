"""Claims without receipts through the pages: a car journey priced at the tax scale and sent
with a statement signed on screen, a cost whose rule asks for a receipt, a limit per kind of
cost, a facilitator signing for the person, and the organisation's table of rules (errors
shown next to the field, what was typed kept)."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.expenses.models import ExpenseLine, ExpenseRequest, RequestStatus
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_payment_choice, an_organisation, member, saved


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai",
            paul=member(Role.PARTICIPANT, name="Paul Martin"),
            fanny=member(Role.FACILITATOR, name="Fanny"),
            finance=Role.FINANCE,
        )
        a_payment_choice(team["paul"])
        return {"org": team.org.id, "paul": team.people["paul"].id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _text(response):
    return response.get_data(as_text=True).replace("\u00a0", " ").replace("&#39;", "'")


def _new_request(client, org_id, person_id=None, consent=""):
    url = "/expenses/new" + (f"?person_id={person_id}" if person_id else "")
    data = {
        "organisation_id": org_id,
        "kind": "reimbursement",
        "activity_type": "consultation",
        "activity_label": "Réunion logement",
    }
    if consent:
        data["consent_note"] = consent
    created = post_form(client, url, data)
    assert created.status_code == 303, _text(created)[:3000]
    return created.headers["Location"]


def _add(client, page, data):
    return post_form(client, f"{page}/lines", data, get_url=page)


def _last_line_id(app):
    with app.app_context():
        return db.session.scalar(select(ExpenseLine.id).order_by(ExpenseLine.id.desc()).limit(1))


def _sign(client, page, line_id, data):
    prefixed = {f"sworn{line_id}-{k}": v for k, v in data.items()}
    return post_form(client, f"/expenses/lines/{line_id}/sworn", prefixed, get_url=page)


def _request(app, page):
    with app.app_context():
        found = db.session.get(ExpenseRequest, int(page.rsplit("/", 1)[1]))
        return found.status, [
            (
                line.category.value,
                line.amount,
                len(line.receipts),
                line.sworn_statement,
                line.sworn_text,
            )
            for line in found.lines
        ]


def test_a_car_journey_is_sent_without_a_receipt_after_the_statement(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    form = _text(paul.get(page))
    assert "Pas besoin de justificatif, avec une attestation sur l'honneur, pour :" in form
    added = _add(paul, page, {"category": "car", "kilometres": "32", "vehicle_power": "5"})
    assert added.status_code == 303
    shown = _text(paul.get(page))
    assert "32 km × 0,636 € = 20,35 €" in shown
    assert (
        "Pas besoin de justificatif pour cette dépense : signez l'attestation ci-dessous." in shown
    )
    line_id = _last_line_id(app)
    unticked = _sign(paul, page, line_id, {})
    assert unticked.status_code == 400
    assert "Cochez la case pour signer l'attestation." in _text(unticked)
    signed = _sign(paul, page, line_id, {"agreed": "y"})
    assert signed.status_code == 303
    sent = post_form(paul, f"{page}/submit", {}, get_url=page)
    assert sent.status_code == 303
    status, lines = _request(app, page)
    assert status == RequestStatus.SUBMITTED
    [(category, amount, receipts, sworn, text)] = lines
    assert (category, amount, receipts, sworn) == ("car", Decimal("20.35"), 0, True)
    assert text.startswith("Je déclare sur l'honneur que cette dépense est réelle : Voiture")
    assert text.replace("\u00a0", " ") in _text(
        paul.get(page)
    )  # the sentence signed is shown, word for word
    # Finance reads the same sentence, when it was signed, and how the amount was computed.
    review = _text(_client(app, "finance").get(f"{page}/review"))
    assert text.replace("\u00a0", " ") in review
    assert "32 km × 0,636 € = 20,35 €" in review


def test_a_cost_whose_rule_asks_for_a_receipt_cannot_be_sworn_nor_sent_without_one(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    _add(paul, page, {"category": "train", "amount": "23,40"})
    line_id = _last_line_id(app)
    assert f"/expenses/lines/{line_id}/sworn" not in _text(paul.get(page))
    refused = _sign(paul, page, line_id, {"agreed": "y"})
    assert refused.status_code == 400
    assert "Pour cette dépense, il faut un justificatif." in _text(refused)
    assert "Dépense 1 : ajoutez une photo du justificatif." in _text(paul.get(page))
    post_form(paul, f"{page}/submit", {}, get_url=page)
    assert _request(app, page)[0] == RequestStatus.DRAFT


def test_a_statement_above_the_limit_of_its_kind_of_cost_is_refused(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    _add(paul, page, {"category": "parking", "amount": "45"})
    refused = _sign(paul, page, _last_line_id(app), {"agreed": "y"})
    assert refused.status_code == 400
    assert "Sans justificatif, la limite est de 30,00 €." in _text(refused) or (
        "30,00 €" in _text(refused)
    )
    assert _request(app, page)[1][0][3] is False


def test_a_facilitator_signs_a_childcare_statement_for_the_person_with_consent(app, world):
    fanny = _client(app, "fanny")
    note = "Paul est d'accord, il me l'a dit à l'accueil."
    page = _new_request(fanny, world["org"], world["paul"], consent=note)
    _add(fanny, page, {"category": "childcare", "hours": "3"})
    line_id = _last_line_id(app)
    shown = _text(fanny.get(page))
    assert "Paul Martin déclare sur l'honneur que cette dépense est réelle" in shown
    no_consent = _sign(fanny, page, line_id, {"agreed": "y"})
    assert no_consent.status_code == 400
    assert f'id="sworn{line_id}-consent_note-error"' in _text(no_consent)
    signed = _sign(fanny, page, line_id, {"agreed": "y", "consent_note": note})
    assert signed.status_code == 303
    assert post_form(fanny, f"{page}/submit", {}, get_url=page).status_code == 303
    status, [(category, amount, receipts, sworn, text)] = _request(app, page)
    assert (status, category, amount, receipts, sworn) == (
        RequestStatus.SUBMITTED,
        "childcare",
        Decimal("36.00"),
        0,
        True,
    )
    with app.app_context():
        line = db.session.get(ExpenseLine, line_id)
        assert line.sworn_consent_note == note and line.sworn_by_id != world["paul"]
    review = _text(_client(app, "finance").get(f"{page}/review"))
    assert "signée par un animateur ou une animatrice pour la personne, avec son accord" in review


def _settings(app, world, **changes):
    data = {
        "km_rate": "",
        "meal_flat_rate": "15",
        "childcare_hourly_rate": "12",
        "second_approval_above": "150",
        "payment_days": "30",
        "sworn_car": "y",
        "sworn_local_transport": "y",
        "ceiling_local_transport": "20",
    }
    data.update(changes)
    finance = _client(app, "finance")
    url = f"/expenses/organisations/{world['org']}/settings"
    return finance, url, post_form(finance, url, {k: v for k, v in data.items() if v is not None})


def test_the_rules_table_shows_errors_next_to_the_field_and_keeps_what_was_typed(app, world):
    finance, url, wrong = _settings(app, world, sworn_train="y", ceiling_train="beaucoup")
    html = _text(wrong)
    assert wrong.status_code == 400
    assert 'id="ceiling_train-error"' in html and 'value="beaucoup"' in html
    assert re.search(r'<input[^>]*checked[^>]*id="sworn_train"|id="sworn_train"[^>]*checked', html)
    _finance, _url, ok = _settings(app, world, sworn_train="y", ceiling_train="60")
    assert ok.status_code == 303
    page = _text(finance.get(url))
    # The tax scale that applies without a rate of their own, per power of the car.
    assert "3 CV ou moins : 0,529 €; 4 CV : 0,606 €; 5 CV : 0,636 €" in page
    assert re.search(
        r'id="ceiling_train"[^>]*value="60,00"|value="60,00"[^>]*id="ceiling_train"', page
    )
    # Parking is no longer ticked: a parking ticket now needs a receipt.
    paul = _client(app, "paul")
    request_page = _new_request(paul, world["org"])
    _add(paul, request_page, {"category": "parking", "amount": "4"})
    assert _sign(paul, request_page, _last_line_id(app), {"agreed": "y"}).status_code == 400
    _add(paul, request_page, {"category": "train", "amount": "59"})
    assert _sign(paul, request_page, _last_line_id(app), {"agreed": "y"}).status_code == 303


def test_the_organisation_own_rate_per_km_replaces_the_scale(app, world):
    _finance, _url, ok = _settings(app, world, km_rate="0,40")
    assert ok.status_code == 303
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    assert 'name="vehicle_power"' not in _text(paul.get(page))
    _add(paul, page, {"category": "car", "kilometres": "32"})
    assert "32 km × 0,40 € = 12,80 €" in _text(paul.get(page))
