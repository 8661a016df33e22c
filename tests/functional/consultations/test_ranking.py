"""A ranking question through the pages: the question editor offers it, a person answers
with one numbered list per answer (no JavaScript), mistakes come back next to the field with
what was chosen, and the results page, chart, CSV and PDF summary show the order."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import ConsultationRound, QuestionKind, Response
from app.consultations.services import AnswerInput, ChoiceData
from tests.conftest import login, post_form
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person

PRIORITIES = ["Le logement", "Le travail", "La santé"]


@pytest.fixture
def ranking_round(app):
    """An open round with one ranking question; 3 invited people, results shown from 2."""
    with app.app_context():
        org = make_org("CRPA Classement")
        facilitator = make_person((org, Role.FACILITATOR), email="fac@r.test")
        people = [make_person((org, Role.PARTICIPANT), email=f"p{i}@r.test") for i in range(3)]
        round_, _ = make_round(org, facilitator, questions=False)
        round_.small_group_threshold = 2
        question = services.add_question(
            facilitator,
            round_,
            QuestionKind.RANKING,
            "Qu'est-ce qui compte le plus pour vous ?",
            "Qu'est-ce qui est le plus important ?",
            [ChoiceData(label) for label in PRIORITIES],
        )
        open_round(round_, facilitator, people)
        db.session.commit()
        return {
            "round": round_.id,
            "question": question.id,
            "choices": {c.label: c.id for c in question.choices},
            "people": [p.id for p in people],
        }


def _start(client, world) -> int:
    base = f"/consultations/{world['round']}"
    response = post_form(client, f"{base}/start", {}, get_url=base)
    assert response.status_code == 303
    return int(re.search(r"/responses/(\d+)/", response.headers["Location"]).group(1))


def _places(world, *labels_in_order: str) -> dict:
    return {f"answer-{world['choices'][label]}": n for n, label in enumerate(labels_in_order, 1)}


def test_question_editor_offers_ranking_with_2_to_8_answers(client, app):
    with app.app_context():
        org = make_org("CRPA Éditeur")
        make_person((org, Role.FACILITATOR), email="editor@r.test")
        round_, _ = make_round(org, org.memberships[0].person, questions=False)
        db.session.commit()
        round_id = round_.id
    login(client, "editor@r.test", PASSWORD)
    url = f"/consultations/{round_id}/questions/new"
    page = client.get(url).get_data(as_text=True)
    option = re.search(r'<option value="ranking">(.*?)</option>', page)
    assert option and option.group(1).startswith("Classement : mettre les réponses dans l"), page
    assert "De 2 à 8 réponses possibles." in page
    too_many = "\n".join(f"Réponse {n}" for n in range(1, 10))
    refused = post_form(client, url, {"kind": "ranking", "text": "Classez", "choices": too_many})
    # a form error: 200 or 400 while the views move to one status (docs/architecture.md)
    assert refused.status_code in (200, 400)
    assert "Écrivez 8 réponses possibles au plus." in refused.get_data(as_text=True)
    added = post_form(client, url, {"kind": "ranking", "text": "Classez", "choices": "A\nB\nC"})
    assert added.status_code == 303
    with app.app_context():
        (question,) = db.session.get(ConsultationRound, round_id).questions
        assert question.kind == QuestionKind.RANKING and len(question.choices) == 3


def test_person_ranks_the_answers_with_numbered_lists(client, ranking_round, app):
    login(client, "p0@r.test", PASSWORD)
    response_id = _start(client, ranking_round)
    url = f"/consultations/responses/{response_id}/questions/1"
    page = client.get(url).get_data(as_text=True)
    assert "Classez ces choix du plus important au moins important." in page
    for index, label in enumerate(PRIORITIES):
        select_id = f"answer-{index}"
        name = f"answer-{ranking_round['choices'][label]}"
        assert re.search(rf'<select[^>]*id="{select_id}"[^>]*name="{name}"', page), label
        assert f'<label for="{select_id}">{label}</label>' in page
    assert page.count('<option value="3">3</option>') == 3

    sent = post_form(
        client,
        url,
        {"action": "next", **_places(ranking_round, "La santé", "Le logement", "Le travail")},
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/review")
    review = client.get(sent.headers["Location"]).get_data(as_text=True)
    ordered = re.search(r'<ol class="answer-choices">(.*?)</ol>', review, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", ordered) == ["La santé", "Le logement", "Le travail"]
    # Back on the question, the person's order is there.
    again = client.get(url).get_data(as_text=True)
    santé = ranking_round["choices"]["La santé"]
    assert re.search(rf'name="answer-{santé}"[^>]*>.*?<option value="1" selected>', again, re.S)


def test_a_number_given_twice_comes_back_next_to_the_field_with_the_input(
    client, ranking_round, app
):
    login(client, "p0@r.test", PASSWORD)
    response_id = _start(client, ranking_round)
    url = f"/consultations/responses/{response_id}/questions/1"
    choices = ranking_round["choices"]
    data = {
        f"answer-{choices['Le logement']}": 1,
        f"answer-{choices['Le travail']}": 1,
        f"answer-{choices['La santé']}": 2,
    }
    page = post_form(client, url, {"action": "next", **data})
    assert page.status_code in (200, 400)
    html = page.get_data(as_text=True)
    assert "<title>Erreur" in html and 'href="#answer-0"' in html
    assert "Chaque numéro peut servir une seule fois. Numéros donnés plusieurs fois : 1." in html
    assert 'id="answer-error"' in html and html.count('aria-invalid="true"') >= 3
    assert len(re.findall(r'<option value="1" selected>', html)) == 2  # the input is kept
    with app.app_context():
        response = db.session.get(Response, response_id)
        assert response.answers == []


def test_results_page_chart_csv_and_summary_show_the_order(client, ranking_round, app):
    # Everybody puts "La santé" first: no count under the threshold (2), so the order and the
    # averages are shown (one hidden count would hide them: disclosure.py).
    orders = [
        ("La santé", "Le logement", "Le travail"),
        ("La santé", "Le travail", "Le logement"),
        ("La santé", "Le logement", "Le travail"),
    ]
    with app.app_context():
        round_ = db.session.get(ConsultationRound, ranking_round["round"])
        question = round_.questions[0]
        ids = ranking_round["choices"]
        for person_id, order in zip(ranking_round["people"], orders, strict=True):
            person = db.session.get(type(round_.organisation.memberships[0].person), person_id)
            response = services.start_response(person, round_)
            places = {ids[label]: n for n, label in enumerate(order, 1)}
            services.save_answer(person, response, question, AnswerInput(choice_values=places))
            services.submit_response(person, response)
        db.session.commit()
        assert db.session.scalar(select(Response.id).where(Response.submitted_at.is_(None))) is None
    login(client, "fac@r.test", PASSWORD)
    base = f"/consultations/{ranking_round['round']}"
    html = client.get(f"{base}/results").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">(.*?)</th>', html)
    assert rows == ["1. La santé", "2. Le logement", "3. Le travail"]
    assert "Rang moyen" in html and "2,3" in html  # Le logement: (2 + 3 + 2) / 3
    svg = client.get(f"{base}/results/questions/{ranking_round['question']}/chart.svg")
    assert svg.mimetype == "image/svg+xml" and "1. La santé" in svg.get_data(as_text=True)
    data = client.get(f"{base}/answers.csv").get_data(as_text=True).lstrip("\ufeff")
    answers = [row["answer"] for row in csv.DictReader(io.StringIO(data))]
    assert answers == [" > ".join(order) for order in orders]
    from pypdf import PdfReader

    summary = client.get(f"{base}/summary.pdf")
    # Words as read, whatever the line breaks and the non-breaking spaces (before ":").
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(summary.data)).pages).split()
    )
    assert "1. La santé : rang moyen 1,0, mis en premier : 3" in text
    assert "3. Le travail : rang moyen 2,7, mis en premier : moins de 2" not in text
    assert "3. Le travail : rang moyen 2,7, mis en premier : 0" in text
