"""Authoring, lifecycle, results and feedback pages through the Flask client."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import ConsultationRound, RoundStatus
from app.consultations.services import AnswerInput
from app.db import utcnow
from tests.conftest import csrf_from, login, post_form
from tests.consultation_factories import (
    add_free_texts,
    choose_all_texts,
    open_round,
    publish_feedback,
)
from tests.factories import PASSWORD, make_person
from tests.worlds import a_round, a_stranger, an_organisation, saved


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation("CRPA Essai", domain="c.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 3)
        outsider = team.join("out")
        stranger = a_stranger("c.test")
        round_ = a_round(team.org, team["fac"])
        return {
            "org": team.org.id,
            "round": round_.id,
            "people": [p.id for p in people],
            "outsider": outsider.id,
            "stranger": stranger.id,
        }


def _post(client, url, data=None, page=None):
    token = csrf_from(client.get(page or "/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def test_facilitator_creates_a_round_with_french_dates(client, world):
    login(client, "fac@c.test", PASSWORD)
    start = (utcnow() + timedelta(days=20)).strftime("%d/%m/%Y")
    end = (utcnow() + timedelta(days=40)).strftime("%d/%m/%Y")
    response = post_form(
        client,
        "/consultations/new",
        {
            "organisation_id": world["org"],
            "title": "Les transports",
            "title_easy": "Le bus et le train",
            "opens_on": start,
            "closes_on": end,
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Le bus et le train" in page


def test_round_form_errors_keep_input(client, world):
    login(client, "fac@c.test", PASSWORD)
    html = post_form(
        client,
        "/consultations/new",
        {
            "organisation_id": world["org"],
            "title": "Mon titre",
            "opens_on": "32/13/2027",
            "closes_on": "",
        },
    ).get_data(as_text=True)
    assert (
        'value="Mon titre"' in html
        and 'id="opens_on-error"' in html
        and 'id="closes_on-error"' in html
    )
    assert "<title>Erreur :" in html


def test_closing_before_opening_is_refused_next_to_the_field(client, world):
    login(client, "fac@c.test", PASSWORD)
    html = post_form(
        client,
        "/consultations/new",
        {
            "organisation_id": world["org"],
            "title": "X",
            "opens_on": "10/05/2030",
            "closes_on": "01/05/2030",
        },
    ).get_data(as_text=True)
    assert 'id="closes_on-error"' in html


def test_question_with_pictograms_and_too_few_choices(client, world):
    login(client, "fac@c.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/new"
    bad = post_form(
        client, url, {"kind": "single", "text": "Vous préférez ?", "choices": "Une seule"}
    )
    assert 'id="choices-error"' in bad.get_data(as_text=True)
    ok = post_form(
        client,
        url,
        {
            "kind": "single",
            "text": "Vous préférez ?",
            "text_easy": "Quoi ?",
            "choices": "Le bus | transport\nLe train",
        },
    )
    assert ok.status_code == 303
    with client.application.app_context():
        question = db.session.get(ConsultationRound, world["round"]).questions[-1]
        assert question.choices[0].pictogram == "transport" and question.choices[0].pictogram_alt


def test_whole_lifecycle_through_the_pages(client, world):
    login(client, "fac@c.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    assert _post(client, f"{base}/invite-members", page=base).status_code == 303
    response = _post(client, f"{base}/open", page=base)
    assert response.status_code == 409  # announce first
    assert _post(client, f"{base}/announce", page=base).status_code == 303
    too_early = _post(client, f"{base}/open", page=base)
    assert too_early.status_code == 409 and "7" in too_early.get_data(as_text=True)
    with client.application.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.announced_at = utcnow() - timedelta(days=8)
        db.session.commit()
    for step in ("open", "close"):  # before the round's own dates: the page asks first
        assert _post(client, f"{base}/{step}", page=base).status_code == 200, step
        confirmed = _post(client, f"{base}/{step}", {"confirm": "1"}, page=base)
        assert confirmed.status_code == 303, step
    assert _post(client, f"{base}/publish-results", page=base).status_code == 303
    feedback = post_form(
        client,
        f"{base}/feedback/new",
        {
            "question_id": 0,
            "theme": "Logement",
            "you_said": "Les loyers sont trop chers.",
            "you_said_easy": "Vous avez dit : le loyer coûte cher.",
            "we_did": "Une aide est votée.",
            "we_did_easy": "Nous avons fait : une aide pour le loyer.",
        },
    )
    assert feedback.status_code == 303
    assert _post(client, f"{base}/publish-feedback", page=base).status_code == 303
    participant = client.application.test_client()
    login(participant, "p0@c.test", PASSWORD)
    html = participant.get(f"{base}/feedback").get_data(as_text=True)
    assert "le loyer coûte cher" in html and "Les loyers sont trop chers" not in html
    assert "Les loyers sont trop chers" in participant.get(f"{base}/feedback?full=1").get_data(
        as_text=True
    )


def test_wrong_side_gets_404_or_403(client, world):
    base = f"/consultations/{world['round']}"
    login(client, "stranger@c.test", PASSWORD)
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/results").status_code == 404
    assert _post(client, f"{base}/announce").status_code == 404
    other = client.application.test_client()
    login(other, "p0@c.test", PASSWORD)
    assert other.get(base).status_code == 404  # draft: participants do not see it
    assert other.get(f"{base}/edit").status_code == 404
    assert other.get("/consultations/new").status_code == 403


def test_results_page_csv_and_chart(client, world, app):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        facilitator = round_.organisation.memberships[0].person
        people = [db.session.get(type(facilitator), pid) for pid in world["people"]]
        open_round(round_, facilitator, people)
        helped = services.start_response(
            facilitator, round_, person=people[0], consent_note="Au téléphone, elle a dit oui."
        )
        for q in round_.questions:
            services.save_answer(facilitator, helped, q, AnswerInput(declined=True))
        services.submit_response(facilitator, helped)
        db.session.commit()
    login(client, "fac@c.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    html = client.get(f"{base}/results").get_data(as_text=True)
    assert "<table" in html and "chart.svg" in html
    svg = client.get(f"{base}/results/questions/{round_.questions[0].id}/chart.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and b"style=" not in svg.data
    data = client.get(f"{base}/answers.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows and rows[0]["channel"] == "assisted" and rows[0]["entered_with_help"] == "yes"
    assert rows[0]["consent_note"] == "Au téléphone, elle a dit oui."
    assert "p0@c.test" not in data and "Personne" not in data
    from pypdf import PdfReader

    summary = client.get(f"{base}/summary.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(summary.data)).pages)
    assert "1 personnes ont envoyé" not in text  # 1 is under the threshold: hidden
    assert "Moins de 5 personnes ont envoyé leurs réponses." in text


def test_printable_questionnaire_and_summary_are_real_pdfs(client, world, app):
    from pypdf import PdfReader

    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        facilitator = round_.organisation.memberships[0].person
        codes = services.create_paper_codes(facilitator, round_, 2)
        db.session.commit()
    login(client, "fac@c.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    response = client.get(f"{base}/questionnaire.pdf?codes={','.join(codes)}")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2 * (1 + 4)  # a cover and one page per question, for each code
    # Words as read, whatever the line breaks and the non-breaking spaces (before "?").
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert codes[0] in text and codes[1] in text
    assert "Question 1 sur 4" in text and "Je préfère ne pas répondre" in text
    assert "Où habitez-vous ?" in text
    summary = client.get(f"{base}/summary.pdf")
    assert summary.status_code == 403  # a draft has no results yet
    assert client.get(f"{base}/questionnaire.pdf?codes=P-NOTME1").status_code == 404
    participant = client.application.test_client()
    login(participant, "p0@c.test", PASSWORD)
    assert participant.get(f"{base}/questionnaire.pdf").status_code == 404


def test_discussion_through_the_pages(client, world, app):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.discussion_enabled = True
        facilitator = round_.organisation.memberships[0].person
        people = [db.session.get(type(facilitator), pid) for pid in world["people"]]
        open_round(round_, facilitator, people)
        db.session.commit()
    base = f"/consultations/{world['round']}"
    login(client, "p0@c.test", PASSWORD)
    empty = post_form(client, f"{base}/comments", {"question_id": 0, "body": ""}, get_url=base)
    assert empty.status_code == 400 and 'id="body-error"' in empty.get_data(as_text=True)
    held = post_form(
        client,
        f"{base}/comments",
        {"question_id": 0, "body": "Mon numéro : 06 12 34 56 78"},
        get_url=base,
    )
    assert held.status_code == 303
    assert "06 12 34 56 78" in client.get(base).get_data(as_text=True)
    reader = client.application.test_client()
    login(reader, "p1@c.test", PASSWORD)
    assert "06 12 34 56 78" not in reader.get(base).get_data(as_text=True)
    with app.app_context():
        from app.moderation.models import ModerationItem

        item_id = db.session.scalars(select(ModerationItem.id)).one()
    item_url = f"/moderation/items/{item_id}"
    assert reader.get(item_url).status_code == 404
    moderator = client.application.test_client()
    login(moderator, "fac@c.test", PASSWORD)
    assert item_url in moderator.get("/moderation/").get_data(as_text=True)
    decided = post_form(moderator, item_url, {"action": "publish", "reason_id": -1})
    assert decided.status_code == 303
    assert "06 12 34 56 78" in reader.get(base).get_data(as_text=True)


def test_large_print_pdf_one_sentence_per_line(client, world, app):
    from pypdf import PdfReader

    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.subject_easy = "Le département veut vous aider. Il veut savoir ce que vous pensez."
        db.session.commit()
    login(client, "fac@c.test", PASSWORD)
    response = client.get(f"/consultations/{world['round']}/easy.pdf")
    assert response.mimetype == "application/pdf"
    lines = PdfReader(io.BytesIO(response.data)).pages[0].extract_text().splitlines()
    assert "Le département veut vous aider." in lines
    assert "Il veut savoir ce que vous pensez." in lines


def test_spoken_version_is_real_ogg_audio_made_once(client, world, app):
    import os
    import shutil

    if not (shutil.which("espeak-ng") and shutil.which("oggenc")):
        message = "espeak-ng and oggenc are not installed: the spoken version cannot be made here"
        if os.environ.get("REQUIRE_ALL") == "1":
            pytest.fail(message)
        pytest.skip(message)
    login(client, "fac@c.test", PASSWORD)
    html = client.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert "<audio" in html and "audio.ogg" in html
    first = client.get(f"/consultations/{world['round']}/audio.ogg")
    assert first.status_code == 200 and first.mimetype == "audio/ogg"
    assert first.data[:4] == b"OggS" and len(first.data) > 2000
    from pathlib import Path

    cached = list((Path(app.instance_path) / "audio").glob("*.ogg"))
    assert cached
    before = {p: p.stat().st_mtime_ns for p in cached}
    second = client.get(f"/consultations/{world['round']}/audio.ogg")
    assert second.data == first.data
    assert {p: p.stat().st_mtime_ns for p in cached} == before  # served from the cache
    other = client.application.test_client()
    login(other, "stranger@c.test", PASSWORD)
    assert other.get(f"/consultations/{world['round']}/audio.ogg").status_code == 404


def _many_texts(app, world, n):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@c.test"))
        people = [db.session.get(Person, pid) for pid in world["people"]]
        open_round(round_, facilitator, people)
        add_free_texts(round_, n)
        # Fewer people than the threshold: every number is hidden, and so are the quotes
        # (disclosure.py rule 8); this round's threshold lets the texts show.
        round_.small_group_threshold = min(round_.small_group_threshold, n)
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        choose_all_texts(round_, round_.questions[3])  # every text chosen as written
        db.session.commit()
        return [q.id for q in round_.questions]


def _quotes(html):
    import re

    return re.findall(r"<li>(Texte \d+)</li>", html)


def test_results_show_50_free_texts_and_the_others_a_page_at_a_time(client, world, app):
    questions = _many_texts(app, world, 120)
    login(client, "fac@c.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    html = client.get(f"{base}/results").get_data(as_text=True)
    assert _quotes(html) == [f"Texte {i}" for i in range(1, 51)]
    assert "Lire les citations suivantes (120 en tout)" in html
    texts = f"{base}/results/questions/{questions[3]}/texts"
    assert f'href="{texts}?page=2"' in html
    page2 = client.get(f"{texts}?page=2").get_data(as_text=True)
    assert _quotes(page2) == [f"Texte {i}" for i in range(51, 101)]
    assert "Citations 51 à 100 sur 120" in page2 and 'start="51"' in page2
    assert f'href="{texts}?page=1"' in page2 and f'href="{texts}?page=3"' in page2
    last = client.get(f"{texts}?page=3").get_data(as_text=True)
    assert _quotes(last) == [f"Texte {i}" for i in range(101, 121)]
    assert "Page 3 sur 3" in last and "page=4" not in last
    assert _quotes(client.get(f"{texts}?page=99").get_data(as_text=True)) == _quotes(last)
    assert _quotes(client.get(f"{texts}?page=abc").get_data(as_text=True))[0] == "Texte 1"
    assert client.get(f"{base}/results/questions/{questions[0]}/texts").status_code == 404
    assert client.get(f"{base}/results/questions/999999/texts").status_code == 404
    participant = client.application.test_client()
    login(participant, "p0@c.test", PASSWORD)
    assert participant.get(texts).status_code in (403, 404)  # results not published yet


def test_results_with_few_texts_have_no_link_to_more(client, world, app):
    questions = _many_texts(app, world, 3)
    login(client, "fac@c.test", PASSWORD)
    html = client.get(f"/consultations/{world['round']}/results").get_data(as_text=True)
    assert _quotes(html) == ["Texte 1", "Texte 2", "Texte 3"]
    assert f"/questions/{questions[3]}/texts" not in html


def test_the_staff_read_evaluation_comments_without_names_once_five_people_answered(
    client, world, app
):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@c.test"))
        org = round_.organisation
        people = [make_person((org, Role.PARTICIPANT), email=f"e{i}@c.test") for i in range(5)]
        publish_feedback(open_round(round_, facilitator, people), facilitator)
        answers = dict.fromkeys(("understood", "could_speak", "costs_covered", "sees_change"), "no")
        for number, person in enumerate(people[:4]):
            services.submit_evaluation(person, round_, answers, f"Avis numéro {number}")
        db.session.commit()
    login(client, "fac@c.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    page = client.get(base).get_data(as_text=True)
    assert "Avis numéro" not in page and "quand 5 personnes ont donné leur avis" in page
    other = client.application.test_client()
    login(other, "e4@c.test", PASSWORD)
    given = post_form(other, f"{base}/evaluation", answers | {"comment": "La salle était loin."})
    assert given.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "La salle était loin." in page and "Avis numéro 0" in page
