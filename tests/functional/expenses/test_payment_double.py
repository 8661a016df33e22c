"""Money forms of how people are paid, sent twice (a double click that reached the server
twice, a form sent again after a lost connection): a direct purchase is recorded once, a
choice with the judge's decision is saved once with one file. Real threads and commits, on
SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core.models import AuditEntry
from app.expenses.models import ExpenseRequest, RequestKind
from app.expenses.payment_models import PaymentPreference
from tests.concurrency import form_fields, logged_in, replayed, twice_at_once
from tests.conftest import app_on_own_database
from tests.worlds import a_jpeg, an_organisation, saved

SENDINGS = ["at the same moment", "again after the answer"]


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_payment") as app:
        app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
        yield app


def _world(app):
    with saved(app):
        team = an_organisation(paul=Role.PARTICIPANT, fac=Role.FACILITATOR, fin=Role.FINANCE)
        return {"org": team.org.id, "paul": team["paul"].id}


def _send(app, how, identifier, page, url, extra):
    clients = logged_in(app, identifier)
    fields = {**form_fields(clients[0], page, url), **extra}
    kwargs = {"content_type": "multipart/form-data"}
    if how == "at the same moment":
        return twice_at_once(clients, url, fields, **kwargs)
    return replayed(clients[0], url, fields, **kwargs)


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _same_redirect(responses):
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    assert responses[0].location == responses[1].location


@pytest.mark.parametrize("how", SENDINGS)
def test_a_direct_purchase_sent_twice_is_recorded_once(own_app, how):
    ids = _world(own_app)
    url = f"/expenses/organisations/{ids['org']}/direct-purchase"
    extra = {
        "person_id": str(ids["paul"]),
        "activity_label": "Réunion du 3 mars",
        "category": "train",
        "what": "billet de train",
        "supplier": "SNCF",
        "amount": "23,40",
        "invoice": (a_jpeg((200, 10, 10)), "facture.jpg"),
    }
    _same_redirect(_send(own_app, how, "fac@e.test", url, url, extra))
    kind = ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE
    assert _count(own_app, ExpenseRequest, kind) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_a_curator_chosen_twice_is_saved_once_with_one_file(own_app, how, tmp_path):
    _world(own_app)
    url = "/expenses/payment-preference"
    extra = {
        "method": "third_party",
        "iban": "FR14 2004 1010 0505 0001 3M02 606",
        "third_party_name": "Mme Durand",
        "third_party_role": "curator",
        "document": (a_jpeg((30, 60, 90)), "jugement.jpg"),
    }
    _same_redirect(_send(own_app, how, "paul@e.test", url, url, extra))
    assert _count(own_app, PaymentPreference) == 1
    saved_times = _count(own_app, AuditEntry, AuditEntry.action == "expenses.payment_preference")
    assert saved_times == 1
    assert len(list((tmp_path / "uploads" / "payees").rglob("*.jpg"))) == 1


def _bought_and_accepted(app):
    """A train ticket the organisation bought for Paul, accepted, waiting to be paid."""
    from app.expenses import direct, services

    with saved(app):
        team = an_organisation(paul=Role.PARTICIPANT, fac=Role.FACILITATOR, fin=Role.FINANCE)
        ticket = direct.record(
            team["fac"],
            team.org,
            direct.PurchaseInput(
                person_id=team["paul"].id,
                activity_label="Réunion du 3 mars",
                category="train",
                what="billet de train",
                supplier="SNCF",
                amount="23,40",
                invoice=a_jpeg(),
                invoice_name="facture.jpg",
            ),
        )
        services.review(team["fin"], ticket, services.Review("approve"))
        return {"request": ticket.id, "paul": team["paul"].id}


@pytest.mark.parametrize("how", SENDINGS)
def test_a_direct_purchase_paid_twice_is_paid_to_the_supplier_and_told_once(own_app, how):
    from app.core.models import Notification
    from app.expenses.models import RequestStatus

    ids = _bought_and_accepted(own_app)
    page = f"/expenses/{ids['request']}/review"
    url = f"/expenses/{ids['request']}/payment"
    extra = {"method": "third_party", "third_party_name": "SNCF", "handed_over_by_id": 0}
    _same_redirect(_send(own_app, how, "fin@e.test", page, url, extra))
    paid = (
        AuditEntry.action == "expenses.moved",
        AuditEntry.object_id == ids["request"],
        AuditEntry.details["to_status"].as_string() == "paid",
    )
    assert _count(own_app, AuditEntry, *paid) == 1
    with own_app.test_request_context("/"):
        assert db.session.get(ExpenseRequest, ids["request"]).status == RequestStatus.PAID
    assert _count(own_app, Notification, Notification.person_id == ids["paul"]) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_a_sworn_statement_signed_twice_is_signed_once(own_app, how):
    from app.expenses import services
    from app.expenses.categories import Category
    from app.expenses.models import ActivityType
    from app.expenses.services import LineInput

    with saved(own_app):
        team = an_organisation(paul=Role.PARTICIPANT, fin=Role.FINANCE)
        paul = team["paul"]
        request = services.create_request(
            paul, paul, team.org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "CVS"
        )
        line = services.add_line(paul, request, LineInput(Category.LOCAL_TRANSPORT, "3,20"))
        ids = {"request": request.id, "line": line.id}
    page = f"/expenses/{ids['request']}"
    url = f"/expenses/lines/{ids['line']}/sworn"
    extra = {f"sworn{ids['line']}-agreed": "y"}
    _same_redirect(_send(own_app, how, "paul@e.test", page, url, extra))
    signed = AuditEntry.action == "expenses.sworn_statement", AuditEntry.object_id == ids["request"]
    assert _count(own_app, AuditEntry, *signed) == 1
