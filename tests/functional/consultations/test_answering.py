"""Answering a round through the pages: one question per screen, resume, back and next,
"I prefer not to answer", "I do not understand", review, send once; assisted and paper entry;
and every access rule from the wrong side."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import (
    Channel,
    Confusion,
    ConsultationRound,
    QuestionKind,
    Response,
)
from app.consultations.services import ChoiceData
from tests.conftest import csrf_from, login, post_form
from tests.consultation_factories import open_round
from tests.factories import PASSWORD
from tests.worlds import a_round, a_stranger, an_organisation, saved

LOCATION_RE = re.compile(r"/consultations/responses/(\d+)/questions/(\d+)$")


@pytest.fixture
def world(app):
    """An open round of 6 questions, one of each kind, 2 invited people, 1 not invited."""
    with saved(app):
        team = an_organisation("CRPA Réponses", domain="a.test", fac=Role.FACILITATOR)
        facilitator = team["fac"]
        invited = team.join_many("p", 2)
        team.join("out")
        a_stranger("a.test")
        round_ = a_round(team.org, facilitator)  # single, scale, yes/no, long text
        services.add_question(
            facilitator,
            round_,
            QuestionKind.MULTIPLE,
            "Quels transports utilisez-vous ?",
            "Vous prenez quoi pour vous déplacer ?",
            [ChoiceData("Le bus", "transport"), ChoiceData("La voiture"), ChoiceData("À pied")],
        )
        services.add_question(
            facilitator, round_, QuestionKind.SHORT_TEXT, "Votre quartier ?", "Où vivez-vous ?"
        )
        open_round(round_, facilitator, invited)
        codes = services.create_paper_codes(facilitator, round_, 2)
        questions = {
            q.kind.value: {"id": q.id, "position": q.position, "choices": [c.id for c in q.choices]}
            for q in round_.questions
        }
        return {
            "round": round_.id,
            "questions": questions,
            "people": [p.id for p in invited],
            "codes": codes,
        }


def _start(client, world) -> str:
    base = f"/consultations/{world['round']}"
    response = post_form(client, f"{base}/start", {}, get_url=base)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def _response_id(location: str) -> int:
    match = re.search(r"/responses/(\d+)/", location)
    assert match, location
    return int(match.group(1))


def _answer(client, response_id: int, position: int, data: dict, query: str = ""):
    url = f"/consultations/responses/{response_id}/questions/{position}{query}"
    return post_form(client, url, {"action": "next", **data})


def _answers(app, response_id: int) -> dict[int, SimpleNamespace]:
    """The saved answers, read in the database, by question id."""
    with app.app_context():
        response = db.session.get(Response, response_id)
        return {
            a.question_id: SimpleNamespace(
                declined=a.declined,
                value_int=a.value_int,
                value_text=a.value_text,
                choice_ids=[s.choice_id for s in a.selections],
            )
            for a in response.answers
        }


def _fill_all(client, world, response_id: int) -> None:
    q = world["questions"]
    steps = [
        {"answer": q["single"]["choices"][1]},
        {"answer": 4},
        {"action": "decline"},
        {"answer": "Plus de logements sociaux."},
        {"answer": [q["multiple"]["choices"][0], q["multiple"]["choices"][2]]},
        {"answer": "Le centre-ville"},
    ]
    for position, data in enumerate(steps, start=1):
        response = _answer(client, response_id, position, data)
        assert response.status_code == 303, (position, response.get_data(as_text=True)[:800])


def test_start_shows_question_1_then_resumes_on_the_first_unanswered(client, world):
    login(client, "p0@a.test", PASSWORD)
    location = _start(client, world)
    assert LOCATION_RE.search(location).group(2) == "1"
    response_id = _response_id(location)
    html = client.get(location).get_data(as_text=True)
    assert 'data-position="1" data-total="6"' in html
    assert html.count('name="answer" type="radio"') == 3
    assert re.search(r'<img class="pictogram" src="/static/img/pictograms/house.svg" alt="\w', html)
    assert '<details class="answer-full-text"' in html and "Quel est votre logement" in html
    for action in ("next", "decline", "confused"):
        assert f'name="action" value="{action}"' in html
    assert 'value="back"' not in html  # no previous question on the first one

    choice = world["questions"]["single"]["choices"][2]
    saved = _answer(client, response_id, 1, {"answer": choice})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/questions/2")
    # leave, come back later: the same response, on question 2
    again = _start(client, world)
    assert _response_id(again) == response_id and again.endswith("/questions/2")
    # the saved answer is shown again
    html = client.get(f"/consultations/responses/{response_id}/questions/1").get_data(as_text=True)
    assert re.search(rf'value="{choice}"[^>]*checked|checked[^>]*value="{choice}"', html)


def test_back_never_blocks_on_an_empty_answer_and_saves_a_given_one(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    _answer(client, response_id, 1, {"answer": world["questions"]["single"]["choices"][0]})
    url = f"/consultations/responses/{response_id}/questions/2"
    back = post_form(client, url, {"action": "back"})
    assert back.status_code == 303 and back.headers["Location"].endswith("/questions/1")
    assert world["questions"]["scale"]["id"] not in _answers(app, response_id)
    back = post_form(client, url, {"action": "back", "answer": "5"})
    assert back.status_code == 303 and back.headers["Location"].endswith("/questions/1")
    assert _answers(app, response_id)[world["questions"]["scale"]["id"]].value_int == 5
    html = client.get(url).get_data(as_text=True)
    assert html.count("/static/img/pictograms/face-") == 5
    assert re.search(r'value="5"[^>]*checked|checked[^>]*value="5"', html)


@pytest.mark.parametrize("kind", ["single", "multiple", "yes_no"])
def test_going_back_and_next_again_with_the_same_choice_works(client, world, app, kind):
    """Back, then next without changing anything: the same choices are saved again."""
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    question = world["questions"][kind]
    chosen = question["choices"][:2] if kind == "multiple" else question["choices"][:1]
    first = _answer(client, response_id, question["position"], {"answer": chosen})
    assert first.status_code == 303
    again = _answer(client, response_id, question["position"], {"answer": chosen})
    assert again.status_code == 303, again.get_data(as_text=True)[:300]
    assert _answers(app, response_id)[question["id"]].choice_ids == chosen


def test_i_prefer_not_to_answer_is_a_real_answer(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    declined = _answer(client, response_id, 1, {"action": "decline"})
    assert declined.status_code == 303 and declined.headers["Location"].endswith("/questions/2")
    answer = _answers(app, response_id)[world["questions"]["single"]["id"]]
    assert answer.declined and not answer.choice_ids
    assert _start(client, world).endswith("/questions/2")  # counted as answered
    html = client.get(f"/consultations/responses/{response_id}/questions/1").get_data(as_text=True)
    assert 'id="answer-declined"' in html


def test_i_do_not_understand_is_counted_and_shows_full_text_and_whom_to_ask(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    url = f"/consultations/responses/{response_id}/questions/4"
    page = post_form(client, url, {"action": "confused", "answer": "Je commence à écrire"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<details class="answer-full-text" id="full-text" open>' in html
    assert 'id="answer-help"' in html and "CRPA Réponses" in html  # no contact name: the org
    assert "Je commence à écrire</textarea>" in html  # what was typed is kept
    post_form(client, url, {"action": "confused"})
    with app.app_context():
        counted = db.session.scalar(
            select(func.count(Confusion.id)).where(
                Confusion.question_id == world["questions"]["long_text"]["id"]
            )
        )
    assert counted == 2
    assert world["questions"]["long_text"]["id"] not in _answers(app, response_id)


def test_contact_name_is_whom_to_ask(client, world, app):
    with app.app_context():
        db.session.get(ConsultationRound, world["round"]).contact_name = "Fanny au 01 02 03 04 05"
        db.session.commit()
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    url = f"/consultations/responses/{response_id}/questions/1"
    html = post_form(client, url, {"action": "confused"}).get_data(as_text=True)
    assert "Fanny au 01 02 03 04 05" in html


@pytest.mark.parametrize(
    ("kind", "data", "kept"),
    [
        ("single", {}, None),
        ("scale", {}, None),
        ("multiple", {}, None),
        ("long_text", {"answer": "trop long " * 600}, "trop long trop long"),
        ("short_text", {"answer": "x" * 201}, "x" * 201),
        ("short_text", {"answer": "   "}, None),
    ],
)
def test_next_with_a_missing_or_invalid_answer_shows_the_error_and_keeps_the_input(
    client, world, app, kind, data, kept
):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    position = world["questions"][kind]["position"]
    page = _answer(client, response_id, position, data)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "<title>Erreur" in html and 'class="error-summary"' in html
    assert 'id="answer-error"' in html and 'aria-invalid="true"' in html
    anchor = "#answer-0" if kind in ("single", "scale", "multiple") else "#answer"
    assert f'href="{anchor}"' in html
    if kept:
        assert kept in html
    assert world["questions"][kind]["id"] not in _answers(app, response_id)


def test_one_answer_only_for_a_single_choice(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    choices = world["questions"]["single"]["choices"]
    page = _answer(client, response_id, 1, {"answer": choices[:2]})
    # the radio field takes the first value sent; never two answers
    assert page.status_code == 303
    answer = _answers(app, response_id)[world["questions"]["single"]["id"]]
    assert answer.choice_ids == [choices[0]]


def test_a_choice_of_another_question_is_refused(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    other = world["questions"]["multiple"]["choices"][0]
    page = _answer(client, response_id, 1, {"answer": other})
    assert page.status_code == 400 and 'id="answer-error"' in page.get_data(as_text=True)


def test_review_shows_every_answer_and_each_can_change_before_sending(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    _fill_all(client, world, response_id)
    assert _start(client, world).endswith(f"/responses/{response_id}/review")
    review = client.get(f"/consultations/responses/{response_id}/review")
    html = review.get_data(as_text=True)
    assert review.status_code == 200
    assert html.count('class="answer-review-item"') == 6
    assert html.count('data-state="answered"') == 5 and html.count('data-state="declined"') == 1
    for text in ("Un foyer", "Plus de logements sociaux.", "Le bus", "À pied", "Le centre-ville"):
        assert text in html
    assert "La voiture" not in html and 'id="missing-note"' not in html
    assert 'src="/static/img/pictograms/face-4.svg"' in html
    for position in range(1, 7):
        assert (
            f'href="/consultations/responses/{response_id}/questions/{position}?from=review"'
            in (html)
        )
    # change question 2 from the review: "next" comes back to the review
    changed = _answer(client, response_id, 2, {"answer": 1}, query="?from=review")
    assert changed.status_code == 303
    assert changed.headers["Location"].endswith(f"/responses/{response_id}/review")
    assert _answers(app, response_id)[world["questions"]["scale"]["id"]].value_int == 1
    html = client.get(f"/consultations/responses/{response_id}/review").get_data(as_text=True)
    assert 'src="/static/img/pictograms/face-1.svg"' in html


def test_the_last_question_leads_to_the_review(client, world):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    last = _answer(client, response_id, 6, {"answer": "Nord"})
    assert last.headers["Location"].endswith(f"/responses/{response_id}/review")


def test_sending_with_missing_answers_shows_the_error_on_the_review(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    _answer(client, response_id, 1, {"action": "decline"})
    review = f"/consultations/responses/{response_id}/review"
    html = client.get(review).get_data(as_text=True)
    assert html.count('data-state="missing"') == 5 and 'id="missing-note"' in html
    page = post_form(client, f"/consultations/responses/{response_id}/submit", {}, get_url=review)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "<title>Erreur" in html and 'class="error-summary"' in html and "2, 3, 4, 5, 6" in html
    with app.app_context():
        assert db.session.get(Response, response_id).submitted_at is None


def test_sending_works_once_then_the_thank_you_page(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    _fill_all(client, world, response_id)
    review = f"/consultations/responses/{response_id}/review"
    submit_url = f"/consultations/responses/{response_id}/submit"
    token = csrf_from(client.get(review).get_data(as_text=True))
    sent = client.post(submit_url, data={"csrf_token": token})
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/responses/{response_id}/done")
    done = client.get(sent.headers["Location"])
    assert done.status_code == 200 and "<h1>" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Response, response_id).submitted_at is not None
    assert client.post(submit_url, data={"csrf_token": token}).status_code == 404
    assert client.get(review).status_code == 404
    assert client.get(f"/consultations/responses/{response_id}/questions/1").status_code == 404
    # starting again says it is already sent, on the round page
    base = f"/consultations/{world['round']}"
    again = post_form(client, f"{base}/start", {}, get_url=base)
    assert again.status_code == 303 and again.headers["Location"].endswith(base)


def test_done_page_before_sending_goes_to_the_review(client, world):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    page = client.get(f"/consultations/responses/{response_id}/done")
    assert page.status_code == 303 and page.headers["Location"].endswith("/review")


def test_another_participant_gets_404_on_every_page_of_someone_elses_response(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    other = app.test_client()
    login(other, "p1@a.test", PASSWORD)
    base = f"/consultations/responses/{response_id}"
    for url in (f"{base}/questions/1", f"{base}/review", f"{base}/done"):
        assert other.get(url).status_code == 404, url
    token = csrf_from(other.get("/").get_data(as_text=True))
    for url in (f"{base}/questions/1", f"{base}/submit"):
        assert other.post(url, data={"csrf_token": token, "action": "next"}).status_code == 404
    # a facilitator of another organisation, and the round's own facilitator, too
    for identifier in ("stranger@a.test", "fac@a.test"):
        outsider = app.test_client()
        login(outsider, identifier, PASSWORD)
        assert outsider.get(f"{base}/questions/1").status_code == 404
    # after sending, the thank-you page is for the person only
    _fill_all(client, world, response_id)
    post_form(client, f"{base}/submit", {}, get_url=f"{base}/review")
    assert client.get(f"{base}/done").status_code == 200
    assert other.get(f"{base}/done").status_code == 404
    assert app.test_client().get(f"{base}/done").status_code in (302, 303)  # anonymous: log in


def test_a_question_number_outside_the_round_is_404(client, world):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    assert client.get(f"/consultations/responses/{response_id}/questions/7").status_code == 404
    assert client.get(f"/consultations/responses/{response_id}/questions/0").status_code == 404
    assert client.get("/consultations/responses/999999/questions/1").status_code == 404


def test_a_person_not_invited_cannot_start(client, world):
    login(client, "out@a.test", PASSWORD)
    token = csrf_from(client.get("/").get_data(as_text=True))
    page = client.post(f"/consultations/{world['round']}/start", data={"csrf_token": token})
    assert page.status_code == 404


def test_start_needs_the_csrf_token(client, world):
    login(client, "p0@a.test", PASSWORD)
    assert client.post(f"/consultations/{world['round']}/start").status_code == 400


def test_participants_cannot_open_assist_or_paper_pages(client, world):
    login(client, "p0@a.test", PASSWORD)
    for page in ("assist", "paper"):
        assert client.get(f"/consultations/{world['round']}/{page}").status_code == 403
    stranger = client.application.test_client()
    login(stranger, "stranger@a.test", PASSWORD)
    for page in ("assist", "paper"):
        assert stranger.get(f"/consultations/{world['round']}/{page}").status_code == 404


def test_assisted_answers_record_who_for_whom_and_consent(client, world, app):
    login(client, "fac@a.test", PASSWORD)
    url = f"/consultations/{world['round']}/assist"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("<option") == 3  # "choose" + 2 people
    person_id = world["people"][0]
    missing = post_form(client, url, {"person_id": person_id, "consent_note": ""})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and 'id="consent_note-error"' in html
    assert re.search(rf'<option selected value="{person_id}"|value="{person_id}" selected', html)
    nobody = post_form(client, url, {"person_id": "", "consent_note": "Elle a dit oui."})
    assert nobody.status_code == 400 and 'id="person_id-error"' in nobody.get_data(as_text=True)
    started = post_form(
        client, url, {"person_id": person_id, "consent_note": "Elle m'a dicté ses réponses."}
    )
    assert started.status_code == 303
    location = started.headers["Location"]
    assert location.endswith("/questions/1")
    response_id = _response_id(location)
    html = client.get(location).get_data(as_text=True)
    assert 'class="provenance"' in html and "Elle m&#39;a dicté ses réponses." in html
    _answer(client, response_id, 1, {"answer": world["questions"]["single"]["choices"][0]})
    with app.app_context():
        response = db.session.get(Response, response_id)
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@a.test"))
        assert response.channel == Channel.ASSISTED
        assert response.entered_by_id == facilitator.id
        assert response.consent_note == "Elle m'a dicté ses réponses."
        assert response.invitation.person_id == person_id
    # the person cannot open the response the facilitator is filling in
    person = app.test_client()
    login(person, "p0@a.test", PASSWORD)
    assert person.get(location).status_code == 404
    assert person.get(f"/consultations/responses/{response_id}/review").status_code == 404
    base = f"/consultations/{world['round']}"
    refused = post_form(person, f"{base}/start", {}, get_url=base)
    assert refused.status_code == 303 and refused.headers["Location"].endswith(base)
    # the facilitator finishes, sends, and sees the thank-you page
    _fill_all(client, world, response_id)
    sent = post_form(
        client,
        f"/consultations/responses/{response_id}/submit",
        {},
        get_url=f"/consultations/responses/{response_id}/review",
    )
    assert sent.status_code == 303
    done = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f'href="/consultations/{world["round"]}/assist"' in done


def test_paper_answers_are_typed_in_with_their_code(client, world, app):
    login(client, "fac@a.test", PASSWORD)
    url = f"/consultations/{world['round']}/paper"
    assert client.get(url).status_code == 200
    empty = post_form(client, url, {"code": ""})
    assert empty.status_code == 400 and 'id="code-error"' in empty.get_data(as_text=True)
    wrong = post_form(client, url, {"code": "P-NOPE00"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and 'id="code-error"' in html and 'value="P-NOPE00"' in html
    code = world["codes"][0]
    started = post_form(client, url, {"code": f"  {code.lower()} "})
    assert started.status_code == 303 and started.headers["Location"].endswith("/questions/1")
    response_id = _response_id(started.headers["Location"])
    html = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'class="provenance"' in html and code in html
    _fill_all(client, world, response_id)
    sent = post_form(
        client,
        f"/consultations/responses/{response_id}/submit",
        {},
        get_url=f"/consultations/responses/{response_id}/review",
    )
    assert sent.status_code == 303
    done = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f'href="/consultations/{world["round"]}/paper"' in done
    with app.app_context():
        response = db.session.get(Response, response_id)
        assert response.channel == Channel.PAPER and response.submitted_at is not None
        assert response.invitation.paper_code == code
    again = post_form(client, url, {"code": code})
    assert again.status_code == 400 and 'id="code-error"' in again.get_data(as_text=True)


def test_the_rounds_page_thanks_a_person_who_sent_instead_of_offering_to_answer(client, world):
    login(client, "p0@a.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    assert 'action="' + base + '/start"' in client.get(base).get_data(as_text=True)
    response_id = _response_id(_start(client, world))
    _fill_all(client, world, response_id)
    review = f"/consultations/responses/{response_id}/review"
    post_form(client, f"/consultations/responses/{response_id}/submit", {}, get_url=review)
    html = client.get(base).get_data(as_text=True)
    assert 'action="' + base + '/start"' not in html
    assert "Merci ! Les réponses sont envoyées." in html


def test_a_question_is_not_marked_optional_since_an_answer_or_i_prefer_not_is_needed(client, world):
    login(client, "p0@a.test", PASSWORD)
    location = _start(client, world)
    response_id = _response_id(location)
    for position in range(1, 7):
        url = f"/consultations/responses/{response_id}/questions/{position}"
        html = client.get(url).get_data(as_text=True)
        assert "(facultatif)" not in html, position
        _answer(client, response_id, position, {"action": "decline"})
