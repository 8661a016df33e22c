"""Direct purchases: the organiser records a ticket bought for a person, with the supplier,
the amount and the invoice; a reviewer accepts it, finance pays the supplier; the person
never sees it as money owed, and reads in their history what was paid for them."""

import io

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.core.models import Notification
from app.expenses.models import ExpenseRequest, Receipt, RequestKind, RequestStatus
from app.expenses.payment_models import ExpensePayee, PayeeMethod
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_jpeg, a_stranger, an_organisation, member, saved


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
        a_stranger(role=Role.FACILITATOR)
        return {"org": team.org.id, "paul": team["paul"].id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _form(world, **change):
    data = {
        "person_id": world["paul"],
        "activity_label": "Réunion du 3 mars",
        "category": "train",
        "what": "billet de train",
        "supplier": "SNCF",
        "amount": "23,40",
        "invoice": (io.BytesIO(a_jpeg((200, 10, 10))), "facture.jpg"),
    }
    return {k: v for k, v in {**data, **change}.items() if v is not None}


def _record(client, world, **change):
    url = f"/expenses/organisations/{world['org']}/direct-purchase"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, **_form(world, **change)},
        content_type="multipart/form-data",
    )


def _the_purchase(app):
    with app.app_context():
        return db.session.scalar(
            select(ExpenseRequest).where(ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE)
        )


def test_a_direct_purchase_is_recorded_accepted_paid_and_told_to_the_person(app, world):
    fac = _client(app, "fac")
    assert "direct-purchase" in fac.get("/expenses/").get_data(as_text=True)
    recorded = _record(fac, world)
    assert recorded.status_code == 303
    purchase = _the_purchase(app)
    with app.app_context():
        purchase = db.session.get(ExpenseRequest, purchase.id)
        assert purchase.status == RequestStatus.SUBMITTED
        assert purchase.asked_amount == __import__("decimal").Decimal("23.40")
        assert db.session.scalar(select(Receipt.mime)) == "image/jpeg"
        payee = db.session.get(ExpensePayee, purchase.id)
        assert (payee.method, payee.name) == (PayeeMethod.DIRECT, "SNCF")
    paul = _client(app, "paul")
    home = paul.get("/expenses/").get_data(as_text=True)
    assert f'/expenses/{purchase.id}"' not in home and "23,40" not in home  # not owed to him
    finance = _client(app, "finance")
    page = f"/expenses/{purchase.id}/review"
    assert page in finance.get("/expenses/").get_data(as_text=True)
    assert post_form(finance, page, {"decision": "approve"}).status_code == 303
    assert 'value="SNCF"' in finance.get(page).get_data(as_text=True)
    paid = post_form(
        finance,
        f"/expenses/{purchase.id}/payment",
        {"method": "third_party", "third_party_name": "SNCF", "handed_over_by_id": "0"},
        get_url=page,
    )
    assert paid.status_code == 303
    home = paul.get("/expenses/").get_data(as_text=True)
    assert "CCAS Essai a payé votre billet de train : 23,40" in home.replace("\u202f", " ")
    with app.app_context():
        told = db.session.scalars(
            select(Notification.body).where(Notification.person_id == world["paul"])
        ).all()
    assert len(told) == 1 and "billet de train" in told[0]
    with app.test_request_context("/"):
        from app.core.calendar import current_year
        from app.db import utcnow
        from app.expenses import services

        person = db.session.get(Person, world["paul"])
        year = services.yearly_statement(person, person, current_year(utcnow()))
        assert not (year.reimbursed or year.paid_for_work or year.compensated)  # not his money


def test_institute_staff_buy_a_ticket_for_a_co_trainer_who_is_not_a_member(app, tmp_path):
    from app.accounts.models import OrganisationKind
    from app.expenses import services
    from app.expenses.models import ActivityType

    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        paul = an_organisation("CCAS Essai", domain="c.test", paul=Role.PARTICIPANT)["paul"]
        services.new_draft(
            paul, paul, institute.org, RequestKind.PAY, ActivityType.CO_TRAINING, "Cours", 1, None
        )
        world = {"org": institute.org.id, "paul": paul.id}
    recorded = _record(_client(app, "staff"), world)
    assert recorded.status_code == 303
    assert _the_purchase(app).person_id == world["paul"]


def test_the_person_cannot_cancel_or_change_a_purchase_made_for_them(app, world):
    _record(_client(app, "fac"), world)
    purchase = _the_purchase(app)
    paul = _client(app, "paul")
    page = f"/expenses/{purchase.id}"
    html = paul.get(page).get_data(as_text=True)
    assert f"{page}/cancel" not in html
    refused = post_form(paul, f"{page}/cancel", {}, get_url=page)
    assert refused.status_code == 404
    assert _the_purchase(app).status == RequestStatus.SUBMITTED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_id": 0}, "person_id"),
        ({"supplier": ""}, "supplier"),
        ({"amount": "beaucoup"}, "amount"),
        ({"invoice": None}, "invoice"),
        ({"invoice": (io.BytesIO(b"<html>"), "facture.pdf")}, "invoice"),
    ],
    ids=["nobody", "no-supplier", "no-amount", "no-invoice", "fake-invoice"],
)
def test_a_purchase_missing_something_is_refused_next_to_the_field(app, world, change, field):
    refused = _record(_client(app, "fac"), world, **change)
    assert refused.status_code == 400
    assert f'id="{field}-error"' in refused.get_data(as_text=True)
    assert _the_purchase(app) is None


def test_only_the_organisers_record_purchases_for_their_people(app, world):
    url = f"/expenses/organisations/{world['org']}/direct-purchase"
    assert _client(app, "paul").get(url).status_code == 404
    assert _client(app, "stranger").get(url).status_code == 404
    with app.app_context():
        other = db.session.scalar(select(Person).where(Person.email == "stranger@e.test"))
    refused = _record(_client(app, "fac"), world, person_id=other.id)
    assert refused.status_code == 400


def test_a_purchase_is_accepted_or_refused_never_sent_back_with_a_question(app, world):
    _record(_client(app, "fac"), world)
    purchase = _the_purchase(app)
    page = f"/expenses/{purchase.id}/review"
    asked = post_form(
        _client(app, "finance"), page, {"decision": "needs_info", "reason": "Quel train ?"}
    )
    assert asked.status_code == 400 and 'id="decision-error"' in asked.get_data(as_text=True)
    assert _the_purchase(app).status == RequestStatus.SUBMITTED
