"""Fixing a typo after announcing, through the pages: the round's page offers "Correct the
words", the form explains what may change, and people see "Changed on ..." beside the
question when they answer, check their answers and read the results."""

from __future__ import annotations

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import ConsultationRound, Question, RoundStatus
from app.core.models import AuditEntry
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved


def _world(app) -> dict:
    with saved(app):
        team = an_organisation("CRPA Typo", domain="ty.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 1)
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        response = services.start_response(people[0], round_)
        everyone_reads_english()
        return {"round": round_.id, "question": round_.questions[0].id, "response": response.id}


def test_a_typo_fixed_while_open_is_shown_as_changed_to_people(client, app):
    world = _world(app)
    login(client, "fac@ty.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    url = f"{base}/questions/{world['question']}/edit"
    assert f'href="{url}"' in client.get(base).get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    assert "Correct the words of question 1" in form and "Keep its meaning" in form
    assert 'id="picture-search"' not in form  # pictures cannot change any more
    fixed = post_form(
        client,
        url,
        {
            "text": "Quel est votre logement ?",
            "text_easy": "Où habitez-vous en ce moment ?",
            "choices": "Un appartement | house\nUn foyer\nDans la rue",
        },
    )
    assert fixed.status_code == 303
    with app.app_context():
        question = db.session.get(Question, world["question"])
        assert question.text_easy == "Où habitez-vous en ce moment ?" and question.edited_at
        day = question.edited_at.date().isoformat()
        assert (
            db.session.query(AuditEntry).filter_by(action="consultation.question_corrected").count()
            == 1
        )
    client = app.test_client()  # the person who answers
    login(client, "p0@ty.test", PASSWORD)
    pages = (
        f"/consultations/responses/{world['response']}/questions/1",
        f"/consultations/responses/{world['response']}/review",
    )
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert "Où habitez-vous en ce moment ?" in html
        assert f'Changed on <time datetime="{day}">' in html, page
    other = client.get(f"/consultations/responses/{world['response']}/questions/2")
    assert "Changed on" not in other.get_data(as_text=True)
    with saved(app):
        db.session.get(ConsultationRound, world["round"]).status = RoundStatus.RESULTS
    html = client.get(f"/consultations/{world['round']}/results").get_data(as_text=True)
    assert f'Changed on <time datetime="{day}">' in html


def test_the_words_are_fixed_once_the_round_is_closed(client, app):
    world = _world(app)
    with saved(app):
        db.session.get(ConsultationRound, world["round"]).status = RoundStatus.CLOSED
    login(client, "fac@ty.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    assert "Correct the words" not in client.get(base).get_data(as_text=True)
    url = f"{base}/questions/{world['question']}/edit"
    refused = post_form(client, url, {"text": "Autre", "text_easy": "Autre"})
    assert refused.status_code == 400
    assert "The round is closed" in refused.get_data(as_text=True)


def test_sending_the_same_words_again_dates_nothing(client, app):
    world = _world(app)
    login(client, "fac@ty.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/{world['question']}/edit"
    same = post_form(client, url, {})  # the form as shown: the question's own words
    assert same.status_code == 303
    page = client.get(same.headers["Location"]).get_data(as_text=True)
    assert "Nothing was changed in question 1." in page and "Changed on" not in page
    with app.app_context():
        assert db.session.get(Question, world["question"]).edited_at is None
