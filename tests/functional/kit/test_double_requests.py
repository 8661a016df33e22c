"""A checklist item ticked twice: at the same moment from two tabs of one login (a double
click that reached the server twice), again after the first was answered, and from two tabs
each with its own form. One tick is kept, no 500; a copy of the same form is saved once.
Real threads and commits, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from app import db
from app.accounts.models import Role
from app.core.models import AuditEntry
from app.kit.models import ChecklistTick
from tests.conftest import app_on_own_database
from tests.consultation_factories import make_round
from tests.factories import make_org, make_person
from tests.functional.consultations.test_double_requests import SENDINGS, _count, _send


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_kit") as app:
        yield app


@pytest.mark.parametrize("how", SENDINGS)
def test_checklist_item_ticked_twice_keeps_one_tick(own_app, how):
    with own_app.test_request_context("/"):
        org = make_org("CRPA Liste")
        facilitator = make_person((org, Role.FACILITATOR), email="fac@k.test")
        round_, _ = make_round(org, facilitator)
        db.session.commit()
        round_id = round_.id
    page = f"/kit/rounds/{round_id}/checklist"
    url = f"{page}/place_access"
    responses = _send(
        own_app,
        how,
        "fac@k.test",
        page,
        url,
        {"place_access-done": "y", "place_access-note": "Salle au rez-de-chaussée."},
    )
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    assert _count(own_app, ChecklistTick) == 1
    ticks = _count(own_app, AuditEntry, AuditEntry.action == "kit.checklist_ticked")
    # Two tabs are two saves of the same tick (the second updates it); a copy is not saved.
    assert ticks == (2 if how == "from two tabs" else 1)
