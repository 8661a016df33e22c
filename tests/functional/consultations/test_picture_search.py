"""Finding a picture by a French word in the question editor, without JavaScript: the
"Find" button lists the matching pictures and keeps what was typed; "Put this picture"
writes its name on the chosen answer; nothing is saved before "Add the question"."""

from __future__ import annotations

import html as html_lib

from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations.models import ConsultationRound, Question
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved


def _world(app) -> dict:
    with saved(app):
        team = an_organisation("CRPA Images", domain="im.test", fac=Role.FACILITATOR)
        round_ = a_round(team.org, team["fac"])
        everyone_reads_english()
        return {"round": round_.id, "count": len(round_.questions)}


def _questions(app, round_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Question.id)).where(Question.round_id == round_id)
        )


def test_find_and_put_a_picture_by_french_word_keeps_the_typed_question(client, app):
    world = _world(app)
    login(client, "fac@im.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/new"
    typed = {
        "kind": "single",
        "text": "Comment venez-vous ?",
        "text_easy": "Vous venez comment ?",
        "choices": "En bus\nÀ pied\nChez le médecin",
    }
    found = post_form(client, url, typed | {"action": "find", "picture_search": "Medecin"})
    page = html_lib.unescape(found.get_data(as_text=True))
    assert found.status_code == 200
    assert 'src="/static/img/pictograms/doctor.svg"' in page and 'value="doctor"' in page
    assert "Comment venez-vous ?" in page and "Chez le médecin" in page
    assert '<option value="3">3. Chez le médecin</option>' in page
    assert _questions(app, world["round"]) == world["count"]  # nothing saved
    put = post_form(
        client, url, typed | {"action": "pick", "picture": "doctor", "picture_line": "3"}
    )
    page = html_lib.unescape(put.get_data(as_text=True))
    assert put.status_code == 200 and "En bus\nÀ pied\nChez le médecin | doctor" in page
    added = post_form(
        client, url, typed | {"choices": "En bus | autobus\nÀ pied\nChez le médecin | doctor"}
    )
    assert added.status_code == 303
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        assert [c.pictogram for c in round_.questions[-1].choices] == ["transport", None, "doctor"]


def test_find_by_link_shows_pictures_on_a_fresh_form_and_says_when_none(client, app):
    world = _world(app)
    login(client, "fac@im.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/new"
    page = client.get(f"{url}?picture_search=t%C3%A9l%C3%A9phone").get_data(as_text=True)
    assert 'value="phone"' in page
    page = post_form(client, url, {"kind": "single", "action": "find", "picture_search": "zzz"})
    assert page.status_code == 200 and 'id="pictures-none"' in page.get_data(as_text=True)
    nul = post_form(client, url, {"kind": "single", "action": "find", "picture_search": "a\x00b"})
    assert nul.status_code == 400 and 'id="picture_search-error"' in nul.get_data(as_text=True)
