"""The outbox page's "Send again" sent twice: at the same moment from two tabs of one login,
again after the first was answered, and from two tabs each with its own form. The e-mail is
put back in the queue once (one audit entry) and no error page is shown. Real threads and
commits, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from app import db
from app.accounts.models import Role
from app.core.models import AuditEntry, OutboxMessage, OutboxStatus
from app.db import utcnow
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person
from tests.functional.consultations.test_double_requests import SENDINGS, _count, _send


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_core") as app:
        yield app


@pytest.mark.parametrize("how", SENDINGS)
def test_failed_mail_sent_again_twice_is_queued_once(own_app, how):
    with own_app.test_request_context("/"):
        make_person((make_org(), Role.PARTICIPANT), email="paul@o.test")
        make_person(admin=True, email="root@o.test")
        message = OutboxMessage(
            to_address="paul@o.test",
            subject="Votre mission de mardi",
            body_text="La mission commence à 10 h.",
            status=OutboxStatus.FAILED,
            attempts=1,
            failed_at=utcnow(),
            last_error="unreachable: 9",
        )
        db.session.add(message)
        db.session.commit()
        url = f"/admin/outbox/{message.id}/retry"
    responses = _send(own_app, how, "root@o.test", "/admin/outbox", url)
    statuses = [r.status_code for r in responses]
    assert all(s < 500 for s in statuses), statuses
    assert 303 in statuses
    if how != "from two tabs":
        assert statuses == [303, 303]
    assert _count(own_app, OutboxMessage, OutboxMessage.status == OutboxStatus.PENDING) == 1
    assert _count(own_app, AuditEntry, AuditEntry.action == "outbox.retry") == 1
