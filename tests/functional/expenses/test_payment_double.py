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
