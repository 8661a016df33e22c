"""The round's page offers what the round's state allows, and every form of the consultation
pages answers a refusal the same way: 400 with the error next to the field, or, for a
button, the reason on the round's page."""

from __future__ import annotations

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import ConsultationRound, Response
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved


def _world(app, step: str) -> dict:
    with saved(app):
        team = an_organisation("CRPA Essai", domain="r.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"], step=step, invited=people)
        codes = services.create_paper_codes(team["fac"], round_, 1)
        everyone_reads_english()
        return {"round": round_.id, "question": round_.questions[0].id, "code": codes[0]}


def _press(client, url: str, page: str):
    """A button of `page` (a form with only its CSRF token), pressed."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def test_a_closed_round_offers_typing_in_the_paper_questionnaires(client, app):
    """Paper questionnaires collected at the last meeting are typed in just after closing:
    the round's page leads there (it did only while the round was open)."""
    world = _world(app, "closed")
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    html = client.get(base).get_data(as_text=True)
    assert f'href="{base}/paper"' in html
    assert f'href="{base}/assist"' not in html  # answering with help: only while open
    started = post_form(client, f"{base}/paper", {"code": world["code"]})
    assert started.status_code == 303 and "/questions/1" in started.headers["Location"]
    with app.app_context():
        assert db.session.query(Response).filter_by(round_id=world["round"]).count() == 1


def test_a_wrong_number_of_paper_questionnaires_answers_400_next_to_the_field(client, app):
    world = _world(app, "open")
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    page = post_form(client, f"{base}/paper-codes", {"count": "900"}, get_url=base)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "<title>Error:" in html and 'class="error-summary"' in html
    assert 'id="count-error"' in html and "Choose a number between 1 and 500." in html
    assert 'value="900"' in html


def test_every_consultation_form_answers_400_on_an_error(client, app):
    world = _world(app, "draft")
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    refused = {
        "/consultations/new": {"title": ""},
        f"{base}/edit": {"title": "", "opens_on": "32/13/2027"},
        f"{base}/questions/new": {"kind": "single", "text": "Vous préférez ?", "choices": "Un"},
    }
    for url, data in refused.items():
        page = post_form(client, url, data)
        assert page.status_code == 400, url
        assert 'class="error-summary"' in page.get_data(as_text=True), url


def test_a_refused_button_shows_why_on_the_round_page(client, app):
    """A page left open in another tab: the question's button is pressed after the round
    was announced. The round's page comes back with the reason, not an error page."""
    world = _world(app, "open")
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    pressed = _press(client, f"{base}/questions/{world['question']}/delete", base)
    assert pressed.status_code == 303
    assert pressed.headers["Location"].endswith(f"{base}#questions")
    html = client.get(pressed.headers["Location"]).get_data(as_text=True)
    assert "Questions can change only while the round is being prepared." in html
    with app.app_context():
        assert len(db.session.get(ConsultationRound, world["round"]).questions) == 4


def test_a_refused_step_says_error_in_the_page_title(client, app):
    world = _world(app, "draft")
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    refused = _press(client, f"{base}/open", base)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "<title>Error: This step is not possible now" in html
    assert "This step is not possible now. The round is at the step: Being prepared." in html
