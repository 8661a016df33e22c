"""The demo shows the routing and the ways to be paid: Paul's co-trainer pay, sent to the
institute that has no finance person, is checked by the institute's administrator; Nadia
reads that the CRPA paid her train ticket; Bernard is paid through a court-appointed agent."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.demo.base import DEMO_PASSWORD
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus
from app.expenses.payment_models import PayeeMethod, PaymentPreference
from tests.conftest import login


def _load(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def _client(app, who, secret=DEMO_PASSWORD):
    client = app.test_client()
    login(client, who, secret)
    return client


def test_the_demo_institute_without_finance_has_its_co_trainer_pay_checked(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    _load(app)
    with app.app_context():
        institute = db.session.scalar(select(Organisation).where(Organisation.name.like("IRTS%")))
        pay = db.session.scalar(
            select(ExpenseRequest).where(
                ExpenseRequest.organisation_id == institute.id,
                ExpenseRequest.kind == RequestKind.PAY,
            )
        )
        assert pay.status == RequestStatus.SUBMITTED
    admin = _client(app, "admin@demo.parole.invalid")
    page = admin.get(f"/expenses/{pay.id}/review").get_data(as_text=True)
    assert 'name="decision"' in page
    assert f"/expenses/{pay.id}/review" in admin.get("/expenses/").get_data(as_text=True)


def test_the_demo_shows_a_ticket_paid_directly_and_a_court_appointed_agent(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    _load(app)
    home = _client(app, "nadia@demo.parole.invalid").get("/expenses/").get_data(as_text=True)
    assert "a payé votre billet de train : 23,40" in home.replace("\u202f", " ")
    with app.app_context():
        bernard = db.session.scalar(select(Person).where(Person.login_identifier == "DEMO-01"))
        choice = db.session.get(PaymentPreference, bernard.id)
        assert choice.method == PayeeMethod.THIRD_PARTY and choice.document_key
    _load(app)  # twice: nothing more
    with app.app_context():
        tickets = db.session.scalars(
            select(ExpenseRequest).where(ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE)
        ).all()
    assert len(tickets) == 1
