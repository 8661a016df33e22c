"""A batch sent twice (a double click that reached the server twice, a form sent again
after a lost connection) acts once: each request accepted once, paid once. Real threads and
commits, on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import func, select

from app import db
from app.core.models import AuditEntry
from app.expenses.models import ExpenseRequest, RequestStatus
from tests.concurrency import form_fields, logged_in, replayed, twice_at_once
from tests.conftest import app_on_own_database
from tests.functional.expenses.test_finance_queue import _world

SENDINGS = ["at the same moment", "again after the answer"]


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_batch") as app:
        yield app


def _send(app, how, ids, action):
    clients = logged_in(app, "fin@e.test")
    url = "/expenses/finance/batch"
    fields = form_fields(clients[0], "/expenses/finance", url)
    data = {**fields, "request_ids": [str(i) for i in ids], "action": action}
    if how == "at the same moment":
        return twice_at_once(clients, url, data)
    return replayed(clients[0], url, data)


def _moves(app, ids):
    with app.test_request_context("/"):
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "expenses.moved", AuditEntry.object_id.in_(ids))
        )


def _statuses(app, ids):
    with app.test_request_context("/"):
        return {db.session.get(ExpenseRequest, i).status for i in ids}


@pytest.mark.parametrize("how", SENDINGS)
def test_a_batch_sent_twice_accepts_and_pays_each_request_once(own_app, tmp_path, how):
    world = _world(own_app, tmp_path, n=4)
    ids = world["ids"]
    responses = _send(own_app, how, ids, "approve")
    assert [r.status_code for r in responses] == [303, 303]
    assert _statuses(own_app, ids) == {RequestStatus.APPROVED}
    assert _moves(own_app, ids) == 2 * len(ids)  # sent, accepted
    responses = _send(own_app, how, ids, "pay")
    assert [r.status_code for r in responses] == [303, 303]
    assert _statuses(own_app, ids) == {RequestStatus.PAID}
    assert _moves(own_app, ids) == 3 * len(ids)  # sent, accepted, paid
