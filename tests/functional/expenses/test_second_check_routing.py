"""A second check never strands a request: above the organisation's threshold two different
people must accept it. When the first reviewer was the only one of their stage (an institute
whose one administrator accepted a co-trainer's pay), the second check goes on to the next
stage, whose people are told, and the request is still paid."""

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.expenses import services
from app.expenses.categories import Category
from app.expenses.models import ActivityType, ExpenseRequest, PayChoice, RequestKind, RequestStatus
from app.expenses.services import LineInput
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.functional.expenses.test_routing import CANDIDATES, ROLES, SHAPES, _told
from tests.worlds import a_jpeg, a_payment_choice, an_organisation, member, saved

KINDS = [RequestKind.REIMBURSEMENT, RequestKind.PAY]


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
        paul = team["paul"]
        request = services.new_draft(
            paul, paul, team.org, kind, ActivityType.CO_TRAINING, "Cours du mardi", None, None
        )
        if kind == RequestKind.PAY:
            services.set_pay(paul, request, "8", "25,00", PayChoice.PAID, True)  # 200 €
        else:
            line = services.add_line(paul, request, LineInput(Category.TRAIN, "180,00"))
            services.attach_receipt(paul, line, a_jpeg(), "billet.jpg")
        a_payment_choice(paul)
        services.submit(paul, request)
        return request.id


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _openers(clients, request_id):
    return [
        who
        for who, client in clients.items()
        if 'name="decision"' in client.get(f"/expenses/{request_id}/review").get_data(as_text=True)
    ]


@pytest.mark.parametrize("shape", [s for s in SHAPES if s], ids=lambda s: "+".join(sorted(s)))
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_two_different_people_accept_a_large_request_whatever_the_organisation(
    app, tmp_path, shape, kind
):
    request_id = _world(app, tmp_path, shape, kind)
    present = [who for who in CANDIDATES if who in shape or who in ("staff", "root")]
    clients = {who: _client(app, who) for who in present}
    first = _openers(clients, request_id)
    assert first, f"nobody can decide on request {request_id}"
    post_form(clients[first[0]], f"/expenses/{request_id}/review", {"decision": "approve"})
    with app.app_context():
        request = db.session.get(ExpenseRequest, request_id)
        assert request.status == RequestStatus.AWAITING_SECOND
    second = [who for who in _openers(clients, request_id) if who != first[0]]
    assert second, f"nobody but {first[0]} can give the second check of request {request_id}"
    assert first[0] not in _openers(clients, request_id)
    decided = post_form(
        clients[second[0]], f"/expenses/{request_id}/review", {"decision": "approve"}
    )
    assert decided.status_code == 303
    with app.app_context():
        request = db.session.get(ExpenseRequest, request_id)
        assert request.status == RequestStatus.APPROVED
        assert request.first_reviewer_id != request.second_reviewer_id


def test_the_platform_is_told_when_the_second_check_comes_to_it(app, tmp_path):
    request_id = _world(app, tmp_path, frozenset({"adm"}), RequestKind.PAY)
    admin = _client(app, "adm")
    root = _client(app, "root")
    assert root.get(f"/expenses/{request_id}/review").status_code == 404
    with app.app_context():
        before = len(_told(("root@e.test",)))
    post_form(admin, f"/expenses/{request_id}/review", {"decision": "approve"})
    with app.app_context():
        subjects = [subject for _email, subject in _told(("root@e.test",))]
    assert len(subjects) == before + 1
    assert "second check" in subjects[-1] or "deuxième" in subjects[-1]
    assert admin.get(f"/expenses/{request_id}/review").status_code in (200, 404)
    assert 'name="decision"' not in admin.get(f"/expenses/{request_id}/review").get_data(
        as_text=True
    )
    decided = post_form(root, f"/expenses/{request_id}/review", {"decision": "approve"})
    assert decided.status_code == 303
    with app.app_context():
        assert db.session.get(ExpenseRequest, request_id).status == RequestStatus.APPROVED


def test_one_check_stands_when_nobody_else_anywhere_may_give_the_second(app, tmp_path):
    """No staff in the organisation and one platform administrator: a request is never
    stranded; the single check is recorded for the accounts."""
    from app.core.models import AuditEntry

    request_id = _world(app, tmp_path, frozenset(), RequestKind.PAY)
    root = _client(app, "root")
    decided = post_form(root, f"/expenses/{request_id}/review", {"decision": "approve"})
    assert decided.status_code == 303
    with app.app_context():
        assert db.session.get(ExpenseRequest, request_id).status == RequestStatus.APPROVED
        recorded = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == request_id)
        ).all()
    assert "expenses.second_check_impossible" in recorded
