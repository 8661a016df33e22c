"""Moderation forms sent twice: at the same moment from two tabs of one login (a double click
that reached the server twice), again after the first was answered (a lost connection), and
from two tabs each with its own form (two keys). The second copy changes nothing more: one
decision and one message to the author, one report per person and text, one appeal, a
measure lifted once. No 500. Real threads and commits, on SQLite and on PostgreSQL.

Also: where "Lift this measure" sends the browser back (`next`) stays on the site."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.consultations import services as consultations
from app.core.models import AuditEntry, Notification
from app.moderation import services
from app.moderation.models import (
    AuthorMeasure,
    ModerationAppeal,
    ModerationDecision,
    ModerationItem,
    ModerationReport,
    ModerationStatus,
)
from tests.concurrency import (
    SENDINGS,
    logged_in,
    send_twice,
)
from tests.conftest import app_on_own_database, post_form
from tests.moderation_factories import make_discussion
from tests.worlds import saved

PHONE_TEXT = "Appelez-moi au 06 12 34 56 78 pour en parler."


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_moderation") as app:
        yield app


def _world(app, decided=None, measure=False):
    """A discussion with one held message (a phone number) and one published one. `decided`:
    a first decision already taken on the held one; `measure`: its author is checked before
    publication (a measure to lift)."""
    with saved(app):
        d = make_discussion()
        held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        published = consultations.add_comment(d.author, d.round, "Le bus passe trop peu.")
        item = services.item_for(held)
        if decided:
            services.decide(d.moderator, item, decided, -2, "Sans le numéro.")
        measure_id = None
        if measure:
            measure_id = services.restrict_author(d.moderator, item, -2).id
        return {
            "round": d.round.id,
            "item": item.id,
            "published": published.id,
            "author": d.author.id,
            "measure": measure_id,
        }


def _send(app, how, identifier, page, url, extra=None):
    return send_twice(app, how, identifier, page, url, extra)


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _check_answers(responses, how):
    """No error page; a copy of the same form gets the same redirect; of two tabs, one is
    done and the other is told it was done already (a form shown again, 400)."""
    statuses = [r.status_code for r in responses]
    assert all(s < 500 for s in statuses), [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    if how == "from two tabs":
        assert sorted(statuses) in ([303, 303], [303, 400]), statuses
    else:
        assert statuses == [303, 303]
        assert responses[0].location == responses[1].location


def _audits(app, action):
    return _count(app, AuditEntry, AuditEntry.action == action)


@pytest.mark.parametrize("how", SENDINGS)
def test_decision_sent_twice_is_taken_once_and_told_once(own_app, how):
    world = _world(own_app)
    url = f"/moderation/items/{world['item']}"
    responses = _send(
        own_app, how, "mod@m.test", url, url, {"action": "hide", "reason_id": "-2", "note": ""}
    )
    _check_answers(responses, how)
    with own_app.test_request_context("/"):
        assert db.session.get(ModerationItem, world["item"]).status == ModerationStatus.HIDDEN
    assert _count(own_app, ModerationDecision) == 1
    assert _audits(own_app, "moderation.decided") == 1
    assert _count(own_app, Notification, Notification.person_id == world["author"]) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_report_sent_twice_counts_once(own_app, how):
    world = _world(own_app)
    url = f"/moderation/report/consultation_comment/{world['published']}"
    responses = _send(own_app, how, "reader@m.test", url, url, {"reason": "rude", "comment": ""})
    _check_answers(responses, how)
    assert _count(own_app, ModerationReport) == 1
    assert _audits(own_app, "moderation.reported") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_appeal_sent_twice_is_one_appeal(own_app, how):
    world = _world(own_app, decided="ask_change")
    url = f"/moderation/mine/{world['item']}/appeal"
    responses = _send(own_app, how, "author@m.test", url, url, {"text": "C'est le numéro du CCAS."})
    _check_answers(responses, how)
    assert _count(own_app, ModerationAppeal) == 1
    assert _audits(own_app, "moderation.appealed") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_lift_sent_twice_lifts_once(own_app, how):
    world = _world(own_app, decided="hide", measure=True)
    page = f"/moderation/items/{world['item']}"
    url = f"/moderation/measures/{world['measure']}/lift"
    responses = _send(own_app, how, "mod@m.test", page, url)
    statuses = [r.status_code for r in responses]
    assert all(s < 500 for s in statuses), statuses
    assert 303 in statuses
    with own_app.test_request_context("/"):
        assert db.session.get(AuthorMeasure, world["measure"]).lifted_at is not None
    assert _audits(own_app, "moderation.measure_lifted") == 1


# --- where "Lift this measure" leads ---------------------------------------------------


@pytest.mark.parametrize(
    "next_",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/moderation/\r\nSet-Cookie: a=b",
        "javascript:alert(1)",
    ],
)
def test_lift_never_sends_the_browser_off_the_site(own_app, next_):
    world = _world(own_app, decided="hide", measure=True)
    client = logged_in(own_app, "mod@m.test", n=1)[0]
    page = f"/moderation/items/{world['item']}"
    url = f"/moderation/measures/{world['measure']}/lift"
    response = post_form(client, url, {"next": next_}, get_url=page)
    assert response.status_code == 303
    assert response.location == "/moderation/"
    assert "Set-Cookie: a" not in str(response.headers)


def test_lift_goes_back_to_the_page_it_was_asked_from(own_app):
    world = _world(own_app, decided="hide", measure=True)
    client = logged_in(own_app, "mod@m.test", n=1)[0]
    page = f"/moderation/items/{world['item']}"
    url = f"/moderation/measures/{world['measure']}/lift"
    response = post_form(client, url, {"next": page}, get_url=page)
    assert response.status_code == 303
    assert response.location == page


@pytest.mark.parametrize("how", ("at the same moment", "again after the answer"))
def test_limit_sent_twice_takes_one_measure(own_app, how):
    """A copy must not turn the first's 'checked before publication' into a pause. (Two
    tabs, each with its own form, are two decisions: the second is the next step, a pause,
    as when a moderator limits the same author again from this text.)"""
    world = _world(own_app, decided="hide")
    page = f"/moderation/items/{world['item']}"
    url = f"{page}/measure"
    responses = _send(own_app, how, "mod@m.test", page, url, {"measure-reason_id": "-2"})
    _check_answers(responses, how)
    with own_app.test_request_context("/"):
        kinds = [m.kind.value for m in db.session.scalars(select(AuthorMeasure))]
    assert kinds == ["premoderation"]
    assert _audits(own_app, "moderation.measure") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_ban_sent_twice_is_one_ban(own_app, how):
    world = _world(own_app, decided="hide")
    page = f"/moderation/items/{world['item']}"
    url = f"{page}/ban"
    reason = {"reason": "Des insultes répétées malgré deux avertissements."}
    responses = _send(own_app, how, "admin@m.test", page, url, reason)
    _check_answers(responses, how)
    assert _count(own_app, AuthorMeasure) == 1
    assert _audits(own_app, "moderation.measure") == 1
