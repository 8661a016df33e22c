"""A whole paper questionnaire typed in on one page: every answer and every "I do not
understand" box saved with one send; bad input refused next to its question and in the
summary, with everything typed kept; a copy of the same send acts once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import (
    AnswerChoice,
    Channel,
    Confusion,
    ConsultationRound,
    QuestionKind,
    Response,
)
from app.consultations.services import ChoiceData
from app.core.models import AuditEntry
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved

KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


@pytest.fixture
def world(app):
    """An open round: single, scale, yes/no, long text, then a ranking; 2 paper codes."""
    with saved(app):
        team = an_organisation("CRPA Papier", domain="pp.test", fac=Role.FACILITATOR)
        round_ = a_round(team.org, team["fac"], step="draft")
        services.add_question(
            team["fac"],
            round_,
            QuestionKind.RANKING,
            "Classez ces aides.",
            "Qu'est-ce qui compte le plus ?",
            [ChoiceData("Le bus"), ChoiceData("Le repas"), ChoiceData("La garde")],
        )
        from tests.consultation_factories import open_round

        open_round(round_, team["fac"], team.join_many("p", 1))
        codes = services.create_paper_codes(team["fac"], round_, 2)
        everyone_reads_english()
        questions = [
            {"position": q.position, "id": q.id, "choices": [c.id for c in q.choices]}
            for q in round_.questions
        ]
        return {"round": round_.id, "codes": codes, "questions": questions}


def _page(client, world) -> tuple[str, str]:
    url = f"/consultations/{world['round']}/paper/one-page"
    page = client.get(url)
    assert page.status_code == 200
    return url, page.get_data(as_text=True)


def _send(client, url: str, html: str, data: dict):
    payload = {"csrf_token": csrf_from(html), "idempotency_key": KEY_RE.search(html).group(1)}
    return client.post(url, data=payload | data)


def _filled(world, code: str) -> dict:
    single, _scale, _yes_no, _text, ranking = world["questions"]
    return {
        "code": code,
        "q1": str(single["choices"][1]),
        "q2": "4",
        "q2_confused": "y",  # "I do not understand" ticked on the paper
        "q3_declined": "y",
        "q4": "Plus de bus le soir.",
        **{f"q5-{c}": str(n) for n, c in enumerate(ranking["choices"], start=1)},
    }


def test_one_page_saves_every_answer_and_confusion_and_sends_once(client, app, world):
    login(client, "fac@pp.test", PASSWORD)
    url, html = _page(client, world)
    for n in range(1, 6):
        assert f'id="q{n}_declined"' in html and f'id="q{n}_confused"' in html
    code = world["codes"][0]
    data = _filled(world, code)
    sent = _send(client, url, html, data)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/paper/one-page")
    again = _send(client, url, html, data)  # the same send again (double click, retry)
    assert again.status_code == 303 and again.headers["Location"] == sent.headers["Location"]
    assert f"Questionnaire {code} is saved" in client.get(url).get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.round_id == world["round"]))
        assert response.channel == Channel.PAPER and response.submitted_at is not None
        answers = {a.question_id: a for a in response.answers}
        single, scale, yes_no, text, ranking = world["questions"]
        assert [s.choice_id for s in answers[single["id"]].selections] == [single["choices"][1]]
        assert answers[scale["id"]].value_int == 4
        assert answers[yes_no["id"]].declined
        assert answers[text["id"]].value_text == "Plus de bus le soir."
        assert [(s.choice_id, s.position) for s in answers[ranking["id"]].selections] == [
            (c, n) for n, c in enumerate(ranking["choices"], start=1)
        ]
        confusions = db.session.scalars(select(Confusion)).all()
        assert [(c.question_id, c.response_id) for c in confusions] == [(scale["id"], response.id)]
        assert db.session.scalar(select(func.count(Response.id))) == 1
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "consultation.paper_entered")
        )
        assert entry.details == {"questions": 5, "confusions": 1}


def test_one_page_refuses_bad_answers_next_to_them_and_keeps_what_was_typed(client, app, world):
    login(client, "fac@pp.test", PASSWORD)
    url, html = _page(client, world)
    ranking = world["questions"][4]
    data = _filled(world, world["codes"][1]) | {
        "q1_declined": "y",  # an answer and "I prefer not to answer" on the same question
        **{f"q5-{c}": "1" for c in ranking["choices"]},  # the same number three times
    }
    refused = _send(client, url, html, data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert page.count('class="field-error"') == 2
    assert 'id="q1-error"' in page and 'id="q5-error"' in page
    assert 'href="#q1-0"' in page and 'href="#q5-0"' in page  # the summary links to each
    assert "Plus de bus le soir." in page and f'value="{world["codes"][1]}"' in page
    assert "checked" in re.search(r'<input[^>]*name="q2_confused"[^>]*>', page).group(0)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0
        assert db.session.scalar(select(func.count(AnswerChoice.id))) == 0
        assert db.session.scalar(select(func.count(Confusion.id))) == 0


def test_one_page_refuses_an_unknown_code_and_an_empty_question_counts_as_declined(
    client, app, world
):
    login(client, "fac@pp.test", PASSWORD)
    url, html = _page(client, world)
    wrong = _send(client, url, html, {"code": "P-NOPE00", "q4": "Bonjour"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and 'id="code-error"' in page and "Bonjour" in page
    sent = _send(client, url, html, {"code": world["codes"][1]})
    assert sent.status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.round_id == world["round"]))
        assert [a.declined for a in response.answers] == [True] * 5


def test_one_page_is_for_the_round_managers_while_paper_answers_are_typed(client, app, world):
    login(client, "p0@pp.test", PASSWORD)
    assert client.get(f"/consultations/{world['round']}/paper/one-page").status_code == 403
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        assert round_.status.value == "open"
