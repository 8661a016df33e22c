"""Through the web: the round's page edits a draft's questions ("Modifier la question") and
moves them ("Monter" / "Descendre" buttons, POST, no JavaScript); a double click moves once."""

from __future__ import annotations

import re

from app import db
from app.accounts.models import Role
from app.consultations.models import ConsultationRound
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved

KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


def _world(app, step: str = "draft") -> dict:
    with saved(app):
        team = an_organisation("CRPA Essai", domain="q.test", fac=Role.FACILITATOR)
        round_ = a_round(team.org, team["fac"], step=step, invited=team.join_many("p", 1))
        everyone_reads_english()
        return {"round": round_.id, "questions": [q.id for q in round_.questions]}


def _order(app, round_id: int) -> list[int]:
    with app.app_context():
        round_ = db.session.get(ConsultationRound, round_id)
        assert [q.position for q in round_.questions] == list(range(1, len(round_.questions) + 1))
        return [q.id for q in round_.questions]


def _move_form(html: str, question_id: int, direction: str) -> dict[str, str]:
    """The hidden fields of one "up"/"down" button of the round's page."""
    forms = re.findall(r"<form [^>]*>.*?</form>", html, re.S)
    action = f"/questions/{question_id}/move"
    form = next(f for f in forms if action in f and f'value="{direction}"' in f)
    return {
        "csrf_token": csrf_from(form),
        "idempotency_key": KEY_RE.search(form).group(1),
        "direction": direction,
    }


def test_the_edit_page_shows_the_question_and_saves_its_changes(client, app):
    world = _world(app)
    login(client, "fac@q.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    url = f"{base}/questions/{world['questions'][0]}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Quel est votre logement ?" in page and "Un appartement | house" in page
    saved_ = post_form(
        client,
        url,
        {"text": "Où vivez-vous ?", "text_easy": "Votre maison ?", "choices": "Chez moi\nAilleurs"},
    )
    assert saved_.status_code == 303
    shown = client.get(base).get_data(as_text=True)
    assert "Votre maison ?" in shown and "Chez moi" in shown and "Un appartement" not in shown


def test_an_edit_with_an_error_comes_back_with_the_input_and_400(client, app):
    world = _world(app)
    login(client, "fac@q.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/{world['questions'][0]}/edit"
    page = post_form(client, url, {"text": "Où vivez-vous ?", "choices": "Seulement un"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "<title>Error:" in html and 'id="choices-error"' in html
    assert "Où vivez-vous ?" in html and "Seulement un" in html
    assert _order(app, world["round"]) == world["questions"]


def test_the_buttons_move_a_question_and_a_double_click_moves_it_once(client, app):
    world = _world(app)
    login(client, "fac@q.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    first, second, third, fourth = world["questions"]
    html = client.get(base).get_data(as_text=True)
    assert f"/questions/{first}/move" in html and "Move question 1 up" not in html
    assert "Move question 4 down" not in html and "Change question 2" in html
    data = _move_form(html, third, "up")
    for _click in range(2):
        pressed = client.post(f"{base}/questions/{third}/move", data=data)
        assert pressed.status_code == 303
    assert _order(app, world["round"]) == [first, third, second, fourth]
    html = client.get(base).get_data(as_text=True)
    assert "Question 2 is moved." in html
    pressed = client.post(f"{base}/questions/{first}/move", data=_move_form(html, first, "down"))
    assert pressed.status_code == 303
    assert _order(app, world["round"]) == [third, first, second, fourth]


def test_an_announced_round_offers_no_edit_and_refuses_a_move(client, app):
    world = _world(app, "open")
    login(client, "fac@q.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    html = client.get(base).get_data(as_text=True)
    questions = html.split('id="questions"')[1]
    # Only the words can still be corrected (tests/functional/consultations/test_corrections.py).
    assert "Change question" not in questions and "/move" not in html
    assert "Correct the words of question 2" in questions
    token = csrf_from(html)
    second = world["questions"][1]
    pressed = client.post(
        f"{base}/questions/{second}/move", data={"csrf_token": token, "direction": "up"}
    )
    assert pressed.status_code == 303
    assert _order(app, world["round"]) == world["questions"]
    # Fewer possible answers would change what the answers given mean: refused.
    first = world["questions"][0]
    refused = post_form(client, f"{base}/questions/{first}/edit", {"choices": "A\nB"})
    assert refused.status_code == 400
