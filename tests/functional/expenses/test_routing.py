"""Routing that never strands a request: whatever the kind of request and whoever the
paying organisation has (facilitator, finance person, administrator, or none of them),
somebody can open the request, decide on it and pay it, through the pages."""

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core.models import Notification
from app.expenses import services
from app.expenses.categories import Category
from app.expenses.models import (
    ActivityType,
    ExpenseRequest,
    PayChoice,
    RequestKind,
    RequestStatus,
)
from app.expenses.services import LineInput
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_jpeg, a_payment_choice, an_organisation, member, saved

STAFF = ("fac", "fin", "adm")
ROLES = {"fac": Role.FACILITATOR, "fin": Role.FINANCE, "adm": Role.ADMIN}
SHAPES = [frozenset(c) for n in range(len(STAFF) + 1) for c in itertools.combinations(STAFF, n)]
KINDS = [RequestKind.REIMBURSEMENT, RequestKind.ADVANCE, RequestKind.PAY, RequestKind.COMPENSATION]
CANDIDATES = ("fac", "fin", "adm", "staff", "root")


def _sendable(kind, person, org, candidates):
    request = services.new_draft(
        person, person, org, kind, ActivityType.CO_TRAINING, "Cours du mardi", None, None
    )
    if kind.has_costs:
        line = services.add_line(person, request, LineInput(Category.TRAIN, "12,50"))
        if kind == RequestKind.REIMBURSEMENT:
            services.attach_receipt(person, line, a_jpeg(), "billet.jpg")
    elif kind == RequestKind.PAY:
        services.set_pay(person, request, "3", "25,00", PayChoice.PAID, True)
    else:
        setter = next(p for p in candidates if p is not None and _may_set(p, request))
        services.set_compensation(setter, request, "30,00")
    a_payment_choice(person)
    services.submit(person, request)
    return request


def _may_set(person, request):
    from app.core.permissions import can

    return can(person, "expenses.set_compensation", request)


def _world(app, tmp_path, shape, kind):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        roles = {key: ROLES[key] for key in sorted(shape)}
        team = an_organisation(
            "Institut Essai",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            staff=Role.INSTITUTE_STAFF,
            paul=member(Role.PARTICIPANT, name="Paul"),
            root=member(None, admin=True),
            **roles,
        )
        people = {key: team.people.get(key) for key in CANDIDATES}
        request = _sendable(kind, team["paul"], team.org, people.values())
        return request.id


def _told(emails):
    """(e-mail, subject) of the notifications of these people, in order."""
    return db.session.execute(
        select(Person.email, Notification.subject)
        .join(Person, Person.id == Notification.person_id)
        .where(Person.email.in_(emails))
        .order_by(Notification.id)
    ).all()


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "+".join(sorted(s)) or "no-staff")
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_somebody_can_decide_and_pay_whatever_the_organisation(app, tmp_path, shape, kind):
    request_id = _world(app, tmp_path, shape, kind)
    present = [who for who in CANDIDATES if who in shape or who in ("staff", "root")]
    clients = {who: _client(app, who) for who in present}
    opened = [
        who
        for who, client in clients.items()
        if client.get(f"/expenses/{request_id}/review").status_code == 200
    ]
    assert opened, f"nobody can open request {request_id}"
    decided = post_form(
        clients[opened[0]], f"/expenses/{request_id}/review", {"decision": "approve"}
    )
    assert decided.status_code == 303, decided.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.get(ExpenseRequest, request_id).status == RequestStatus.APPROVED
    payers = [
        who
        for who, client in clients.items()
        if 'name="method"' in client.get(f"/expenses/{request_id}/review").get_data(as_text=True)
    ]
    assert payers, f"nobody can pay request {request_id}"
    paid = post_form(
        clients[payers[0]],
        f"/expenses/{request_id}/payment",
        {"method": "third_party", "third_party_name": "Banque", "handed_over_by_id": "0"},
        get_url=f"/expenses/{request_id}/review",
    )
    assert paid.status_code == 303, paid.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.get(ExpenseRequest, request_id).status == RequestStatus.PAID


def test_reviewers_stay_the_usual_ones_when_the_organisation_has_them(app, tmp_path):
    request_id = _world(app, tmp_path, frozenset({"fin", "adm"}), RequestKind.REIMBURSEMENT)
    assert _client(app, "fin").get(f"/expenses/{request_id}/review").status_code == 200
    for who in ("adm", "root", "staff"):
        assert _client(app, who).get(f"/expenses/{request_id}/review").status_code == 404, who


def test_institute_without_finance_sends_pay_to_its_admin_and_warns_the_platform(app, tmp_path):
    request_id = _world(app, tmp_path, frozenset({"adm"}), RequestKind.PAY)
    with app.app_context():
        told = _told(("adm@e.test", "root@e.test"))
    assert {email for email, _subject in told} == {"adm@e.test", "root@e.test"}
    assert all("Institut Essai" in subject for _email, subject in told)
    admin = _client(app, "adm")
    page = admin.get("/expenses/")
    assert f"/expenses/{request_id}/review" in page.get_data(as_text=True)
    assert _client(app, "root").get(f"/expenses/{request_id}/review").status_code == 404


def test_the_warning_goes_once_when_the_request_is_sent_again(app, tmp_path):
    request_id = _world(app, tmp_path, frozenset({"adm"}), RequestKind.REIMBURSEMENT)
    admin = _client(app, "adm")
    post_form(
        admin,
        f"/expenses/{request_id}/review",
        {"decision": "needs_info", "reason": "Quel train ?"},
    )
    paul = _client(app, "paul")
    sent = post_form(paul, f"/expenses/{request_id}/submit", {}, get_url=f"/expenses/{request_id}")
    assert sent.status_code == 303
    with app.app_context():
        assert len(_told(("root@e.test",))) == 1


def test_once_the_institute_admin_names_a_finance_person_requests_go_to_them(app, tmp_path):
    from app.accounts import services as accounts
    from app.accounts.models import Organisation

    request_id = _world(app, tmp_path, frozenset({"adm"}), RequestKind.PAY)
    admin = _client(app, "adm")
    assert admin.get(f"/expenses/{request_id}/review").status_code == 200
    with saved(app):
        org_id = db.session.scalar(
            select(Organisation.id).where(Organisation.name == "Institut Essai")
        )
        newcomer_id = an_organisation("Ailleurs", domain="f.test", fin=Role.PARTICIPANT)["fin"].id
    named = post_form(
        admin, f"/admin/organisations/{org_id}", {"identifier": "fin@f.test", "role": "finance"}
    )
    assert named.status_code == 303
    with saved(app):
        newcomer = db.session.get(Person, newcomer_id)
        invitation = accounts.pending_invitations_for(newcomer)[0]
        accounts.answer_invitation(newcomer, invitation, accept=True)
    finance = app.test_client()
    login(finance, "fin@f.test", PASSWORD)
    assert finance.get(f"/expenses/{request_id}/review").status_code == 200
    assert admin.get(f"/expenses/{request_id}/review").status_code == 404
