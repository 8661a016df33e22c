"""Each step of a cost request asked twice at the same moment (two tabs, two finance people):
real threads, each with its own connection, on a file database (SQLite) and on PostgreSQL
when the suite runs there. The step happens once: state, audit entries, notifications and
e-mails; what another person did meanwhile is refused with a plain message, never a 500."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.expenses import services
from app.expenses.models import (
    BankDetails,
    ExpenseLine,
    ExpenseRequest,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from app.expenses.services import Payment, Review
from tests.concurrency import services_at_once
from tests.conftest import app_on_own_database
from tests.worlds import a_cost_request, a_payment_choice, an_organisation, saved

IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def race_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "expense_races") as app:
        app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
        yield app


def _world(app, step="draft", kind=RequestKind.REIMBURSEMENT):
    with saved(app):
        team = an_organisation(paul=Role.PARTICIPANT)
        a_payment_choice(team["paul"])
        finance = [team.join(f"finance{n}", Role.FINANCE, email=None) for n in range(2)]
        expense, line = a_cost_request(team["paul"], team.org, finance[0], step=step, kind=kind)
        return {
            "paul": team["paul"].id,
            "finance": [f.id for f in finance],
            "request": expense.id,
            "line": line.id,
        }


def _get(model, id_):
    return db.session.get(model, id_)


def _moved_to(app, request_id, status):
    with app.test_request_context("/"):
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "expenses.moved",
                AuditEntry.object_id == request_id,
                AuditEntry.details["to_status"].as_string() == status,
            )
        )


def _told_paul(app, ids):
    with app.test_request_context("/"):
        notes = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.person_id == ids["paul"])
        )
        mails = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address == "paul@e.test")
        )
        return notes, mails


def _status(app, ids):
    with app.test_request_context("/"):
        return _get(ExpenseRequest, ids["request"]).status


def test_a_request_sent_from_two_tabs_is_sent_once(race_app):
    ids = _world(race_app)

    def submit(i):
        services.submit(_get(Person, ids["paul"]), _get(ExpenseRequest, ids["request"]))

    assert services_at_once(race_app, submit) == ["done", "done"]
    assert _status(race_app, ids) == RequestStatus.SUBMITTED
    assert _moved_to(race_app, ids["request"], "submitted") == 1
    assert _told_paul(race_app, ids) == (1, 1)


def test_a_request_cancelled_from_two_tabs_is_cancelled_once(race_app):
    ids = _world(race_app, "submitted")

    def cancel(i):
        services.cancel(_get(Person, ids["paul"]), _get(ExpenseRequest, ids["request"]))

    assert services_at_once(race_app, cancel) == ["done", "done"]
    assert _moved_to(race_app, ids["request"], "cancelled") == 1
    assert _told_paul(race_app, ids) == (2, 2)  # submitted, cancelled


def test_two_reviewers_approving_at_once_approve_once(race_app):
    ids = _world(race_app, "submitted")

    def approve(i):
        reviewer = _get(Person, ids["finance"][i])
        services.review(reviewer, _get(ExpenseRequest, ids["request"]), Review("approve"))

    assert services_at_once(race_app, approve) == ["InvalidTransition", "done"]
    assert _status(race_app, ids) == RequestStatus.APPROVED
    assert _moved_to(race_app, ids["request"], "approved") == 1
    assert _told_paul(race_app, ids) == (2, 2)


def test_one_reviewer_approving_from_two_tabs_approves_once(race_app):
    ids = _world(race_app, "submitted")

    def approve(i):
        reviewer = _get(Person, ids["finance"][0])
        services.review(reviewer, _get(ExpenseRequest, ids["request"]), Review("approve"))

    assert services_at_once(race_app, approve) == ["done", "done"]
    assert _moved_to(race_app, ids["request"], "approved") == 1
    assert _told_paul(race_app, ids) == (2, 2)


def test_a_payment_recorded_from_two_tabs_is_recorded_and_told_once(race_app):
    ids = _world(race_app, "approved")

    def pay(i):
        payer = _get(Person, ids["finance"][0])
        payment = Payment(PaymentMethod.THIRD_PARTY, "", None, "SNCF")
        services.pay(payer, _get(ExpenseRequest, ids["request"]), payment)

    assert services_at_once(race_app, pay) == ["done", "done"]
    assert _moved_to(race_app, ids["request"], "paid") == 1
    assert _told_paul(race_app, ids) == (3, 3)  # submitted, approved, paid


def test_two_finance_people_paying_at_once_pay_once(race_app):
    ids = _world(race_app, "approved")

    def pay(i):
        payer = _get(Person, ids["finance"][i])
        payment = Payment(PaymentMethod.THIRD_PARTY, "", None, f"Tiers {i}")
        services.pay(payer, _get(ExpenseRequest, ids["request"]), payment)

    assert services_at_once(race_app, pay) == ["InvalidTransition", "done"]
    assert _moved_to(race_app, ids["request"], "paid") == 1
    assert _told_paul(race_app, ids) == (3, 3)


def test_a_cost_removed_from_two_tabs_is_removed_once(race_app):
    ids = _world(race_app)

    def remove_if_there(i):
        with db.session.no_autoflush:
            line = _get(ExpenseLine, ids["line"])
            if line is not None:  # gone before this tab loaded it: the page says so (404)
                services.remove_line(_get(Person, ids["paul"]), line)

    assert services_at_once(race_app, remove_if_there) == ["done", "done"]
    with race_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).select_from(ExpenseLine)) == 0


def test_an_advance_settled_from_two_tabs_starts_one_settlement(race_app):
    ids = _world(race_app, "paid", kind=RequestKind.ADVANCE)

    def settle(i):
        services.settle_advance(_get(Person, ids["paul"]), _get(ExpenseRequest, ids["request"]))

    assert services_at_once(race_app, settle) == ["done", "done"]
    with race_app.test_request_context("/"):
        started = db.session.scalar(
            select(func.count())
            .select_from(ExpenseRequest)
            .where(ExpenseRequest.settles_id == ids["request"])
        )
        assert started == 1


def test_bank_details_saved_from_two_tabs_are_saved_once(race_app):
    ids = _world(race_app)

    def save(i):
        paul = _get(Person, ids["paul"])
        services.set_bank_details(paul, paul, IBAN, "Paul")

    assert services_at_once(race_app, save) == ["done", "done"]
    with race_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).select_from(BankDetails)) == 1
        saved = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "expenses.bank_details_saved")
        )
        assert saved == 1
