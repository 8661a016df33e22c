"""Moderation through the pages: queue, decision, report, the author's side, settings."""

import pytest
from sqlalchemy import select

from app import db
from app.consultations import services as consultations
from app.moderation.models import ModerationItem, ModerationStatus
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.moderation_factories import make_discussion
from tests.worlds import saved

PHONE_TEXT = "Appelez-moi au 06 12 34 56 78 pour en parler."


@pytest.fixture
def world(app):
    with saved(app):
        d = make_discussion("f")
        held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
        published = consultations.add_comment(d.author, d.round, "Le bus passe trop peu.")
        item_id = db.session.scalars(
            select(ModerationItem.id).where(ModerationItem.content_id == held.id)
        ).one()
        return {
            "org": d.org.id,
            "round": d.round.id,
            "held": held.id,
            "published": published.id,
            "item": item_id,
        }


def _client(app, who):
    client = app.test_client()
    login(client, f"f{who}@m.test", PASSWORD)
    return client


def test_queue_and_decision_with_an_error_then_saved(app, world):
    moderator = _client(app, "mod")
    queue = moderator.get("/moderation/").get_data(as_text=True)
    assert f"/moderation/items/{world['item']}" in queue
    url = f"/moderation/items/{world['item']}"
    page = moderator.get(url).get_data(as_text=True)
    assert "<mark" in page and "06 12 34 56 78</mark>" in page
    assert "Paul" not in page  # moderators do not see who wrote it
    wrong = post_form(moderator, url, {"action": "hide", "reason_id": 0, "note": "Gardez ceci"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert 'class="error-summary"' in html and 'id="reason_id-error"' in html
    assert "Gardez ceci" in html  # nothing typed is lost
    saved = post_form(moderator, url, {"action": "hide", "reason_id": -2})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(ModerationItem, world["item"]).status == ModerationStatus.HIDDEN


def test_participants_and_strangers_cannot_moderate(app, world):
    reader = _client(app, "reader")
    assert reader.get("/moderation/").status_code == 403
    assert reader.get(f"/moderation/items/{world['item']}").status_code == 404
    assert reader.get(f"/moderation/organisations/{world['org']}/settings").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get("/moderation/").status_code == 302
    assert anonymous.get("/moderation/charter").status_code == 200


def test_report_from_the_round_page_keeps_the_message_published(app, world):
    reader = _client(app, "reader")
    round_page = reader.get(f"/consultations/{world['round']}").get_data(as_text=True)
    report_url = f"/moderation/report/consultation_comment/{world['published']}"
    assert report_url in round_page
    assert "06 12 34 56 78" not in round_page
    empty = post_form(reader, report_url, {"comment": "Pas gentil"})
    assert empty.status_code == 400 and "Pas gentil" in empty.get_data(as_text=True)
    sent = post_form(reader, report_url, {"reason": "rude", "comment": ""})
    assert sent.status_code == 303
    assert "Le bus passe trop peu." in reader.get(f"/consultations/{world['round']}").get_data(
        as_text=True
    )
    assert reader.get(f"/moderation/report/consultation_comment/{world['held']}").status_code in (
        200,
        404,
    )


def test_author_sees_the_decision_changes_the_text_and_disagrees(app, world):
    moderator = _client(app, "mod")
    url = f"/moderation/items/{world['item']}"
    post_form(moderator, url, {"action": "ask_change", "reason_id": -2, "note": "Sans le numéro."})
    author = _client(app, "author")
    mine = author.get("/moderation/mine").get_data(as_text=True)
    assert "Sans le numéro." in mine
    assert f"/moderation/mine/{world['item']}/edit" in mine
    assert f"/moderation/mine/{world['item']}/appeal" in mine
    notes = author.get("/notifications").get_data(as_text=True)
    assert "Sans le numéro." in notes
    empty = post_form(author, f"/moderation/mine/{world['item']}/edit", {"body": ""})
    assert empty.status_code == 400
    appeal = post_form(
        author, f"/moderation/mine/{world['item']}/appeal", {"text": "C'est le numéro du CCAS."}
    )
    assert appeal.status_code == 303
    # The moderator who decided no longer sees it; another one does.
    assert url not in moderator.get("/moderation/").get_data(as_text=True)
    assert url in _client(app, "mod2").get("/moderation/").get_data(as_text=True)
    changed = post_form(
        author, f"/moderation/mine/{world['item']}/edit", {"body": "Parlons-en à la réunion."}
    )
    assert changed.status_code == 303
    with app.app_context():
        assert db.session.get(ModerationItem, world["item"]).status == ModerationStatus.PUBLISHED


def test_settings_reasons_and_numbers(app, world):
    admin = _client(app, "admin")
    url = f"/moderation/organisations/{world['org']}/settings"
    assert admin.get(url).status_code == 200
    wrong = post_form(
        admin,
        url,
        {"default_policy": "pre", "referent_id": 0, "premoderation_days": 0, "pause_days": 7},
    )
    assert wrong.status_code == 400 and 'id="premoderation_days-error"' in wrong.get_data(
        as_text=True
    )
    saved = post_form(
        admin,
        url,
        {
            "default_policy": "pre",
            "referent_id": 0,
            "premoderation_days": 10,
            "pause_days": 5,
            "insults": "zigoto\n",
        },
    )
    assert saved.status_code == 303
    reasons = f"/moderation/organisations/{world['org']}/reasons"
    assert admin.get(reasons).status_code == 200
    added = post_form(admin, reasons, {"text": "Merci de rester poli.", "active": "y"})
    assert added.status_code == 303
    assert "Merci de rester poli." in admin.get(reasons).get_data(as_text=True)
    reader = _client(app, "reader")
    numbers = reader.get(f"/moderation/organisations/{world['org']}/numbers")
    assert numbers.status_code == 200


def test_notifications_can_be_marked_as_read(app, world):
    facilitator = _client(app, "fac")
    moderator = _client(app, "mod")
    post_form(
        moderator, f"/moderation/items/{world['item']}", {"action": "escalate", "reason_id": -6}
    )
    page = facilitator.get("/notifications").get_data(as_text=True)
    assert 'class="badge"' in page
    done = post_form(facilitator, "/notifications/read", {})
    assert done.status_code == 303
    assert "notification--unread" not in facilitator.get("/notifications").get_data(as_text=True)
