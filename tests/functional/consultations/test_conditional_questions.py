"""Conditional questions through the pages: the editor's select and the round's page, the
notes when a condition is dropped or a move refused; answering without JavaScript (skipping,
an honest "question 4 of 5", the review, resume, an earlier answer changed before sending),
with help and typed in from paper; the go-to lines of the paper questionnaire."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import ConsultationRound, QuestionKind, Response
from tests.conftest import login, post_form
from tests.consultation_factories import open_round
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved


def _conditional_round(app, *, step: str = "open", english: bool = True) -> SimpleNamespace:
    """The four usual questions (single, scale, yes/no, long text); question 5 only for the
    people who answered "Oui" to question 3; question 6 for everybody. The round is made
    in French (its yes/no choices are "Oui" and "Non"); the pages are read in English."""
    with saved(app):
        team = an_organisation("CRPA Conditions", domain="k.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"])
        yes, no = round_.questions[2].choices
        services.add_question(
            team["fac"],
            round_,
            QuestionKind.SHORT_TEXT,
            "Quelle aide voulez-vous ?",
            "Quelle aide ?",
            condition_choice_id=yes.id,
        )
        services.add_question(
            team["fac"], round_, QuestionKind.SHORT_TEXT, "Votre quartier ?", "Où vivez-vous ?"
        )
        codes = []
        if step == "open":
            open_round(round_, team["fac"], people)
            codes = services.create_paper_codes(team["fac"], round_, 1)
        if english:
            everyone_reads_english()
        return SimpleNamespace(
            round=round_.id,
            questions=[q.id for q in round_.questions],
            single=round_.questions[0].choices[0].id,
            yes=yes.id,
            no=no.id,
            codes=codes,
        )


def _answer(client, response_id: int, position: int, data: dict, query: str = ""):
    url = f"/consultations/responses/{response_id}/questions/{position}{query}"
    return post_form(client, url, {"action": "next", **data})


def _response_id(location: str) -> int:
    return int(re.search(r"/responses/(\d+)/", location).group(1))


def _progress(html: str) -> str:
    return re.search(r'id="progress"[^>]*>([^<]*)<', html).group(1)


def _kept(app, response_id: int) -> set[int]:
    with app.app_context():
        return {a.question_id for a in db.session.get(Response, response_id).answers}


# --- the editor ----------------------------------------------------------------------------


def test_editor_lists_the_answers_of_earlier_questions_and_the_round_page_shows_the_condition(
    client, app
):
    world = _conditional_round(app, step="draft")
    login(client, "fac@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    form = client.get(f"{base}/questions/new").get_data(as_text=True)
    assert 'name="condition_choice_id"' in form
    assert f'<option value="{world.yes}">Question 3 — Oui</option>' in form
    assert ">Question 2 —" not in form  # a scale shows no other question
    first = client.get(f"{base}/questions/{world.questions[0]}/edit").get_data(as_text=True)
    assert 'name="condition_choice_id"' not in first  # nothing comes before question 1
    added = post_form(
        client,
        f"{base}/questions/new",
        {"kind": "long_text", "text": "Pourquoi ?", "condition_choice_id": world.no},
    )
    assert added.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert 'Only for people who answered "Oui" to question 3.' in page
    assert 'Only for people who answered "Non" to question 3.' in page
    edit = client.get(f"{base}/questions/{world.questions[4]}/edit").get_data(as_text=True)
    assert re.search(rf'<option selected value="{world.yes}"|value="{world.yes}" selected', edit)
    later = post_form(
        client,
        f"{base}/questions/{world.questions[1]}/edit",
        {"text": "Content ?", "condition_choice_id": world.yes},
    )
    assert later.status_code == 400  # question 3 comes after question 2: not in the list


def test_removing_the_question_of_a_condition_says_who_sees_the_question_now(client, app):
    world = _conditional_round(app, step="draft")
    login(client, "fac@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    removed = post_form(client, f"{base}/questions/{world.questions[2]}/delete", {}, get_url=base)
    assert removed.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "Question 4 is now shown to everybody" in page
    assert "Only for people who answered" not in page


def test_moving_a_question_above_its_condition_is_refused_with_a_plain_message(client, app):
    world = _conditional_round(app, step="draft")
    login(client, "fac@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    # 5 under 4 is fine (still after 3); then 4 (it was 5) above 3 is refused.
    moved = post_form(
        client,
        f"{base}/questions/{world.questions[4]}/move",
        {"direction": "up"},
        get_url=base,
    )
    assert moved.status_code == 303
    refused = post_form(
        client,
        f"{base}/questions/{world.questions[4]}/move",
        {"direction": "up"},
        get_url=base,
    )
    assert refused.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "Question 4 is shown after an answer to question 3: it must stay after it." in page
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world.round)
        order = [q.id for q in round_.questions]
    q = world.questions
    assert order == [q[0], q[1], q[2], q[4], q[3], q[5]]


# --- answering -----------------------------------------------------------------------------


def _first_three(client, response_id: int, world, answer_3: int) -> str:
    assert _answer(client, response_id, 1, {"answer": world.single}).status_code == 303
    assert _answer(client, response_id, 2, {"answer": 4}).status_code == 303
    third = _answer(client, response_id, 3, {"answer": answer_3})
    assert third.status_code == 303
    return third.headers["Location"]


def test_answering_no_skips_the_conditional_question_and_the_count_says_so(client, app):
    world = _conditional_round(app)
    login(client, "p0@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    started = post_form(client, f"{base}/start", {}, get_url=base)
    location = started.headers["Location"]
    response_id = _response_id(location)
    assert _progress(client.get(location).get_data(as_text=True)) == "Question 1 of 6"
    after_three = _first_three(client, response_id, world, world.no)
    assert after_three.endswith("/questions/4")
    fourth = client.get(after_three).get_data(as_text=True)
    assert _progress(fourth) == "Question 4 of 5"
    after_four = _answer(client, response_id, 4, {"answer": "Plus de logements."})
    assert after_four.headers["Location"].endswith("/questions/6")
    last = client.get(after_four.headers["Location"]).get_data(as_text=True)
    assert _progress(last) == "Question 5 of 5" and "Next: check my answers" in last
    # The address of question 5 leads on to the next question this person is shown.
    skipped = client.get(f"/consultations/responses/{response_id}/questions/5")
    assert skipped.status_code == 303 and skipped.headers["Location"].endswith("/questions/6")
    back = post_form(
        client, f"/consultations/responses/{response_id}/questions/6", {"action": "back"}
    )
    assert back.headers["Location"].endswith("/questions/4")
    # Resuming later starts at the first question shown without an answer: question 6.
    resumed = post_form(client, f"{base}/start", {}, get_url=base)
    assert resumed.headers["Location"].endswith("/questions/6")
    _answer(client, response_id, 6, {"answer": "Le centre"})
    review = client.get(f"/consultations/responses/{response_id}/review").get_data(as_text=True)
    assert review.count('class="answer-review-item"') == 5
    assert "Quelle aide ?" not in review and "missing-note" not in review
    sent = post_form(
        client,
        f"/consultations/responses/{response_id}/submit",
        {},
        get_url=f"/consultations/responses/{response_id}/review",
    )
    assert sent.status_code == 303


def test_an_earlier_answer_changed_before_sending_asks_or_drops_the_conditional_answer(client, app):
    world = _conditional_round(app)
    login(client, "p0@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    response_id = _response_id(post_form(client, f"{base}/start", {}, get_url=base).location)
    assert _first_three(client, response_id, world, world.yes).endswith("/questions/4")
    _answer(client, response_id, 4, {"answer": "Plus de logements."})
    assert _answer(client, response_id, 5, {"answer": "Un bus"}).location.endswith("/6")
    _answer(client, response_id, 6, {"answer": "Le centre"})
    review_url = f"/consultations/responses/{response_id}/review"
    assert client.get(review_url).get_data(as_text=True).count('class="answer-review-item"') == 6
    # From the review, "No" at question 3: question 5 leaves the review...
    changed = _answer(client, response_id, 3, {"answer": world.no}, "?from=review")
    assert changed.location.endswith("/review")
    review = client.get(review_url).get_data(as_text=True)
    assert review.count('class="answer-review-item"') == 5 and "Quelle aide ?" not in review
    # ... "Yes" again: it comes back with its answer, nothing to type again.
    again = _answer(client, response_id, 3, {"answer": world.yes}, "?from=review")
    assert again.location.endswith("/review")
    assert "Un bus" in client.get(review_url).get_data(as_text=True)
    # "No" once more, then send: the answer to question 5 is not kept.
    _answer(client, response_id, 3, {"answer": world.no}, "?from=review")
    sent = post_form(client, f"/consultations/responses/{response_id}/submit", {}, review_url)
    assert sent.status_code == 303
    assert world.questions[4] not in _kept(app, response_id)
    assert len(_kept(app, response_id)) == 5


def test_yes_from_the_review_asks_the_question_it_shows_before_the_review(client, app):
    world = _conditional_round(app)
    login(client, "p0@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    response_id = _response_id(post_form(client, f"{base}/start", {}, get_url=base).location)
    _first_three(client, response_id, world, world.no)
    _answer(client, response_id, 4, {"answer": "Plus de logements."})
    _answer(client, response_id, 6, {"answer": "Le centre"})
    changed = _answer(client, response_id, 3, {"answer": world.yes}, "?from=review")
    assert changed.location.endswith("/questions/5?from=review")
    page = client.get(changed.location).get_data(as_text=True)
    assert _progress(page) == "Question 5 of 6" and "Save and go back to my answers" in page


@pytest.mark.parametrize("how", ["assisted", "paper"])
def test_assisted_and_paper_entry_skip_the_same_way(client, app, how):
    world = _conditional_round(app)
    login(client, "fac@k.test", PASSWORD)
    base = f"/consultations/{world.round}"
    if how == "assisted":
        page = client.get(f"{base}/assist").get_data(as_text=True)
        person_id = re.search(r'<option value="(\d+)">', page).group(1)
        started = post_form(
            client,
            f"{base}/assist",
            {"person_id": person_id, "consent_note": "Il m'a dicté ses réponses."},
        )
    else:
        started = post_form(client, f"{base}/paper", {"code": world.codes[0]})
    assert started.status_code == 303
    response_id = _response_id(started.location)
    assert _first_three(client, response_id, world, world.no).endswith("/questions/4")
    assert _answer(client, response_id, 4, {"answer": "Rien"}).location.endswith("/6")
    page = client.get(f"/consultations/responses/{response_id}/questions/6").get_data(as_text=True)
    assert _progress(page) == "Question 5 of 5"


# --- paper ---------------------------------------------------------------------------------


def test_paper_questionnaire_says_where_to_go_in_french(client, app):
    world = _conditional_round(app, step="draft", english=False)
    login(client, "fac@k.test", PASSWORD)
    pdf = client.get(f"/consultations/{world.round}/questionnaire.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    assert (
        "Si vous avez coché « Oui » à la question 3, répondez à la question 5. "
        "Sinon, allez à la question 6." in text
    )
    assert (
        "Répondez à cette question seulement si vous avez coché « Oui » à la question 3. "
        "Sinon, allez à la question 6." in text
    )


def test_one_page_paper_entry_keeps_no_answer_to_a_question_the_paper_skips(client, app):
    world = _conditional_round(app)
    login(client, "fac@k.test", PASSWORD)
    url = f"/consultations/{world.round}/paper/one-page"
    typed = post_form(
        client,
        url,
        {
            "code": world.codes[0],
            "q1": str(world.single),
            "q2": "3",
            "q3": str(world.no),
            "q4": "Plus de bus.",
            "q5": "Écrit quand même",  # answered on the paper though "Non" says to skip it
            "q6": "Le centre",
        },
    )
    assert typed.status_code == 303, typed.get_data(as_text=True)[:1500]
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.round_id == world.round))
        kept = {a.question_id for a in response.answers}
    assert response is not None and world.questions[4] not in kept and len(kept) == 5
