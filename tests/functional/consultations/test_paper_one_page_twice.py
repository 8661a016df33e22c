"""A whole paper questionnaire sent twice, with real threads and commits, on SQLite and on
PostgreSQL: the same copy at the same moment or again after the answer gets the same
redirect; two tabs with the same code save it once and tell the second it is already typed
in. Always one response, its confusions once, one audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import Confusion, Response
from app.core.models import AuditEntry
from tests.concurrency import SENDINGS, send_twice
from tests.conftest import app_on_own_database
from tests.worlds import a_round, an_organisation, saved


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "paper_one_page_twice") as app:
        yield app


def _count(app, model, *where) -> int:
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("how", SENDINGS)
def test_a_paper_questionnaire_sent_twice_is_saved_once(own_app, how):
    with saved(own_app):
        team = an_organisation("CRPA Papier deux", domain="pd.test", fac=Role.FACILITATOR)
        round_ = a_round(team.org, team["fac"], step="open", invited=team.join_many("p", 1))
        (code,) = services.create_paper_codes(team["fac"], round_, 1)
        round_id = round_.id
    url = f"/consultations/{round_id}/paper/one-page"
    extra = {"code": code, "q2": "5", "q2_confused": "y", "q4": "Un bus le soir."}
    responses = send_twice(own_app, how, "fac@pd.test", url, url, extra)
    statuses = sorted(r.status_code for r in responses)
    assert all(s < 500 for s in statuses), statuses
    if how == "from two tabs":
        assert statuses == [303, 400]  # the second tab: "already typed in", next to the code
        refused = next(r for r in responses if r.status_code == 400)
        assert 'id="code-error"' in refused.get_data(as_text=True)
    else:
        assert statuses == [303, 303] and responses[0].location == responses[1].location
    assert _count(own_app, Response, Response.submitted_at.is_not(None)) == 1
    assert _count(own_app, Confusion) == 1
    assert _count(own_app, AuditEntry, AuditEntry.action == "consultation.paper_entered") == 1
