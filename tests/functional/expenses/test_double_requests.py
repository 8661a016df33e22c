"""Cost forms sent twice: at the same moment from two tabs of one login (a double click that
reached the server twice), and again after the first was answered (a form sent again after a
lost connection or a crash). The copy does nothing: one request, one cost line, one receipt,
one audit entry, one notification and one e-mail; both copies get the same redirect. Real
threads and commits, on SQLite and on PostgreSQL."""

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.expenses.models import (
    BankDetails,
    Category,
    ExpenseLine,
    ExpenseRequest,
    Receipt,
    RequestKind,
)
from tests.concurrency import form_fields, logged_in, replayed, twice_at_once
from tests.conftest import app_on_own_database
from tests.worlds import a_cost_request, a_jpeg, a_payment_choice, an_organisation, saved

SENDINGS = ["at the same moment", "again after the answer"]
IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_expenses") as app:
        app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
        yield app


def _world(app, step="draft", kind=RequestKind.REIMBURSEMENT):
    """Paul's request brought to `step`: draft (one train line with its receipt), submitted,
    approved."""
    with saved(app):
        team = an_organisation(paul=Role.PARTICIPANT, finance=Role.FINANCE, finance2=Role.FINANCE)
        a_payment_choice(team["paul"])
        expense, line = a_cost_request(
            team["paul"], team.org, team["finance2"], step=step, kind=kind
        )
        return {"org": team.org.id, "request": expense.id, "line": line.id, "paul": team["paul"].id}


def _send(app, how, identifier, page, url, extra=None, **kwargs):
    clients = logged_in(app, identifier)
    fields = {**form_fields(clients[0], page, url), **(extra or {})}
    if how == "at the same moment":
        return twice_at_once(clients, url, fields, **kwargs)
    return replayed(clients[0], url, fields, **kwargs)


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _moved_to(app, request_id, status):
    return _count(
        app,
        AuditEntry,
        AuditEntry.action == "expenses.moved",
        AuditEntry.object_id == request_id,
        AuditEntry.details["to_status"].as_string() == status,
    )


def _told(app, email):
    """Notifications and e-mails of the person with this address."""
    with app.test_request_context("/"):
        person = db.session.scalar(select(Person).where(Person.email == email))
        notes = _count(app, Notification, Notification.person_id == person.id)
    return notes, _count(app, OutboxMessage, OutboxMessage.to_address == email)


def _same_redirect(responses):
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    assert responses[0].location == responses[1].location


@pytest.mark.parametrize("how", SENDINGS)
def test_a_new_request_sent_twice_makes_one_request(own_app, how):
    ids = _world(own_app)
    fields = {
        "organisation_id": ids["org"],
        "kind": "reimbursement",
        "activity_type": "consultation",
        "activity_label": "Réunion logement",
    }
    responses = _send(own_app, how, "paul@e.test", "/expenses/new", "/expenses/new", fields)
    _same_redirect(responses)
    assert _count(own_app, ExpenseRequest) == 2  # the one of _world, and this one


@pytest.mark.parametrize("how", SENDINGS)
def test_a_cost_line_sent_twice_is_added_once(own_app, how):
    ids = _world(own_app)
    page = f"/expenses/{ids['request']}"
    extra = {"category": "parking", "amount": "3,20"}
    _same_redirect(_send(own_app, how, "paul@e.test", page, f"{page}/lines", extra))
    assert _count(own_app, ExpenseLine, ExpenseLine.category == Category.PARKING) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_a_receipt_sent_twice_is_stored_once(own_app, how):
    ids = _world(own_app)
    url = f"/expenses/lines/{ids['line']}/receipts"
    photo = {f"line{ids['line']}-receipt": (a_jpeg((10, 120, 200)), "ticket.jpg")}
    responses = _send(
        own_app, how, "paul@e.test", f"/expenses/{ids['request']}", url, photo,
        content_type="multipart/form-data",
    )  # fmt: skip
    _same_redirect(responses)
    assert _count(own_app, Receipt, Receipt.line_id == ids["line"]) == 2  # _world's, this one


def test_another_photo_sent_with_the_same_page_is_not_taken_for_a_copy(own_app):
    ids = _world(own_app)
    url = f"/expenses/lines/{ids['line']}/receipts"
    (client,) = logged_in(own_app, "paul@e.test", n=1)
    fields = form_fields(client, f"/expenses/{ids['request']}", url)
    for colour in ((10, 120, 200), (200, 30, 30)):
        photo = {f"line{ids['line']}-receipt": (io.BytesIO(a_jpeg(colour)), "ticket.jpg")}
        sent = client.post(url, data={**fields, **photo}, content_type="multipart/form-data")
        assert sent.status_code == 303
    assert _count(own_app, Receipt, Receipt.line_id == ids["line"]) == 3


@pytest.mark.parametrize("how", SENDINGS)
def test_a_request_sent_twice_is_sent_and_told_once(own_app, how):
    ids = _world(own_app)
    page = f"/expenses/{ids['request']}"
    _same_redirect(_send(own_app, how, "paul@e.test", page, f"{page}/submit"))
    assert _moved_to(own_app, ids["request"], "submitted") == 1
    assert _told(own_app, "paul@e.test") == (1, 1)


@pytest.mark.parametrize("how", SENDINGS)
def test_an_approval_sent_twice_is_recorded_once(own_app, how):
    ids = _world(own_app, "submitted")
    url = f"/expenses/{ids['request']}/review"
    extra = {"decision": "approve", "reason": ""}
    _same_redirect(_send(own_app, how, "finance@e.test", url, url, extra))
    assert _moved_to(own_app, ids["request"], "approved") == 1
    assert _told(own_app, "paul@e.test") == (2, 2)  # submitted, approved


@pytest.mark.parametrize("how", SENDINGS)
def test_a_payment_sent_twice_is_recorded_and_told_once(own_app, how):
    ids = _world(own_app, "approved")
    page = f"/expenses/{ids['request']}/review"
    url = f"/expenses/{ids['request']}/payment"
    extra = {"method": "third_party", "third_party_name": "SNCF", "handed_over_by_id": 0}
    _same_redirect(_send(own_app, how, "finance@e.test", page, url, extra))
    assert _moved_to(own_app, ids["request"], "paid") == 1
    assert _told(own_app, "paul@e.test") == (3, 3)  # submitted, approved, paid
    with own_app.test_request_context("/"):
        assert db.session.get(ExpenseRequest, ids["request"]).paid_amount == Decimal("12.50")


@pytest.mark.parametrize("how", SENDINGS)
def test_a_settlement_started_twice_is_one_settlement(own_app, how):
    ids = _world(own_app, "paid", kind=RequestKind.ADVANCE)
    page = f"/expenses/{ids['request']}"
    _same_redirect(_send(own_app, how, "paul@e.test", page, f"{page}/settle"))
    assert _count(own_app, ExpenseRequest, ExpenseRequest.settles_id == ids["request"]) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_bank_details_sent_twice_are_saved_and_told_once(own_app, how):
    ids = _world(own_app)
    extra = {"iban": IBAN, "holder_name": "Paul"}
    _same_redirect(_send(own_app, how, "paul@e.test", "/expenses/bank", "/expenses/bank", extra))
    assert _count(own_app, BankDetails) == 1
    saved = _count(own_app, AuditEntry, AuditEntry.action == "expenses.bank_details_saved")
    assert saved == 1
    with own_app.test_request_context("/"):
        assert db.session.get(BankDetails, ids["paul"]).iban_last4 == "0189"
