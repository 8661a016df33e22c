"""Free texts chosen before they are shown (app/consultations/curation.py), through the pages:
a text the facilitator did not choose never reaches a participant, in HTML, CSV or PDF."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.curation_models import Quote
from app.consultations.models import Answer, ConsultationRound, RoundStatus
from app.consultations.services import AnswerInput
from app.core.models import AuditEntry
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.worlds import a_round, a_stranger, an_organisation, everyone_reads_english, saved

PHONE = "Appelez-moi au 06 12 34 56 78, le bus est trop cher."
NAME = "Chloé Martin dit que le foyer est trop froid."
PLAIN = "Il faut plus de bus le soir."


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation("CRPA Essai", domain="q.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 3, names=["Chloé Martin", "Karim Benali", "Rose Petit"])
        a_stranger("q.test")
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        round_.small_group_threshold = 3  # 3 people answer: their numbers and quotes are shown
        question = round_.questions[3]
        for person, text in zip(people, (PHONE, NAME, PLAIN), strict=True):
            response = services.start_response(person, round_)
            for other in round_.questions[:3]:
                services.save_answer(person, response, other, AnswerInput(declined=True))
            services.save_answer(person, response, question, AnswerInput(value_text=text))
            services.submit_response(person, response)
        services.transition(team["fac"], round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            team["fac"], round_, services.FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(team["fac"], round_, RoundStatus.RESULTS)
        everyone_reads_english()
        answers = {
            a.value_text: a.id
            for a in db.session.scalars(select(Answer).where(Answer.question_id == question.id))
        }
        return {"round": round_.id, "question": question.id, "answers": answers}


def _base(world):
    return f"/consultations/{world['round']}"


def _curation(world):
    return f"{_base(world)}/curation/{world['question']}"


def _choose(client, world, text, *, chosen=True, shown=None, action="save"):
    page = client.get(_curation(world)).get_data(as_text=True)
    answer_id = world["answers"][text]
    data = {
        "csrf_token": csrf_from(page),
        f"a{answer_id}-text": text if shown is None else shown,
        "action": action,
    }
    if chosen:
        data[f"a{answer_id}-chosen"] = "y"
    return client.post(f"{_curation(world)}/{answer_id}", data=data)


def _ready(client, world):
    page = client.get(_curation(world)).get_data(as_text=True)
    return client.post(f"{_curation(world)}/ready", data={"csrf_token": csrf_from(page)})


def _participant(client):
    other = client.application.test_client()
    login(other, "p2@q.test", PASSWORD)
    return other


def _pdf_text(data):
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_curation_page_marks_a_phone_and_a_name(client, world):
    login(client, "fac@q.test", PASSWORD)
    html = client.get(_curation(world)).get_data(as_text=True)
    assert re.search(
        r"<mark>06 12 34 56 78</mark><span class=\"visually-hidden\"> "
        r"\(possible personal data: Phone number\)</span>",
        html,
    )
    assert re.search(
        r"<mark>Chloé Martin</mark><span class=\"visually-hidden\"> "
        r"\(possible personal data: Name of a person\)</span>",
        html,
    )
    assert "<mark>" not in html.split(PLAIN)[0].split("Answer 3")[-1]  # nothing found in it
    # Nothing is chosen at first.
    assert html.count("Not chosen") == 3


def test_participants_read_nothing_before_the_choice_is_finished(client, world):
    login(client, "fac@q.test", PASSWORD)
    assert _choose(client, world, PLAIN).status_code == 303
    participant = _participant(client)
    html = participant.get(f"{_base(world)}/results").get_data(as_text=True)
    assert "The facilitator is choosing which written answers to show." in html
    for text in (PHONE, NAME, PLAIN):
        assert text not in html
    texts = participant.get(f"{_base(world)}/results/questions/{world['question']}/texts")
    assert PLAIN not in texts.get_data(as_text=True)
    summary = _pdf_text(participant.get(f"{_base(world)}/summary.pdf").data)
    assert "The facilitator is choosing" in summary and "plus de bus" not in summary


def test_a_text_not_chosen_never_reaches_participants(client, world):
    login(client, "fac@q.test", PASSWORD)
    assert _choose(client, world, PLAIN).status_code == 303
    assert _choose(client, world, PHONE, action="mask").status_code == 303
    assert _ready(client, world).status_code == 303
    masked = "Appelez-moi au […], le bus est trop cher."
    participant = _participant(client)
    pages = {
        "results": participant.get(f"{_base(world)}/results").get_data(as_text=True),
        "texts": participant.get(
            f"{_base(world)}/results/questions/{world['question']}/texts"
        ).get_data(as_text=True),
    }
    for html in pages.values():
        assert f"<li>{PLAIN}</li>" in html and f"<li>{masked}</li>" in html
        assert NAME not in html and "Chloé" not in html  # not chosen
        assert "06 12 34 56 78" not in html  # masked
    summary = _pdf_text(participant.get(f"{_base(world)}/summary.pdf").data)
    assert "plus de bus le soir" in summary and "Appelez-moi au […]" in summary
    assert "trop froid" not in summary and "06 12" not in summary
    # The CSV of the answers is for the staff only.
    assert participant.get(f"{_base(world)}/answers.csv").status_code in (403, 404)
    # The staff see what participants see, plus the way to the curation page.
    staff = client.get(f"{_base(world)}/results").get_data(as_text=True)
    assert NAME not in staff and f"<li>{masked}</li>" in staff
    assert f'href="{_curation(world)}"' in staff
    assert f'href="{_curation(world)}"' not in pages["results"]


def test_staff_csv_keeps_the_original_and_marks_the_choice(client, world):
    login(client, "fac@q.test", PASSWORD)
    _choose(client, world, PHONE, shown="Le bus est trop cher.")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"{_base(world)}/answers.csv").get_data(as_text=True))
        )
    )
    texts = {row["answer"]: row for row in rows if row["question"] == "4"}
    assert set(texts) == {PHONE, NAME, PLAIN}  # the originals
    assert texts[PHONE]["chosen_as_quote"] == "yes"
    assert texts[PHONE]["shown_version"] == "Le bus est trop cher."
    assert texts[NAME]["chosen_as_quote"] == "no" and texts[NAME]["shown_version"] == ""
    other = next(row for row in rows if row["question"] == "1")
    assert other["chosen_as_quote"] == "" and other["shown_version"] == ""


def test_shortening_keeps_the_original_and_is_audited_without_the_text(client, world, app):
    login(client, "fac@q.test", PASSWORD)
    response = _choose(client, world, NAME, shown="Le foyer est trop froid.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#answer-{world['answers'][NAME]}")
    with app.app_context():
        answer = db.session.get(Answer, world["answers"][NAME])
        assert answer.value_text == NAME
        quote = db.session.scalar(select(Quote).where(Quote.answer_id == answer.id))
        assert quote.chosen and quote.shown_text == "Le foyer est trop froid."
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consultation.quote_changed")
        ).all()
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@q.test"))
        assert [(e.actor_id, e.object_id) for e in entries] == [(facilitator.id, quote.id)]
        assert entries[0].details["chosen"] is True and entries[0].details["edited"] is True
        assert "froid" not in str(entries[0].details)
    html = client.get(_curation(world)).get_data(as_text=True)
    assert (
        "<mark>Chloé Martin</mark>" in html and "</span> dit que le foyer est trop froid." in html
    )
    assert "Le foyer est trop froid.</textarea>" in html  # the version shown


def test_the_same_choice_sent_twice_acts_once(client, world, app):
    login(client, "fac@q.test", PASSWORD)
    page = client.get(_curation(world)).get_data(as_text=True)
    answer_id = world["answers"][PLAIN]
    data = {"csrf_token": csrf_from(page), f"a{answer_id}-chosen": "y", f"a{answer_id}-text": PLAIN}
    for _ in range(2):
        assert client.post(f"{_curation(world)}/{answer_id}", data=data).status_code == 303
    assert _ready(client, world).status_code == 303
    assert _ready(client, world).status_code == 303
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("consultation.quote%"))
        ).all()
        assert sorted(actions) == ["consultation.quote_changed", "consultation.quotes_ready"]
        assert db.session.scalar(select(Quote).where(Quote.answer_id == answer_id)).chosen


def test_an_empty_chosen_text_is_refused_next_to_the_field(client, world):
    login(client, "fac@q.test", PASSWORD)
    response = _choose(client, world, PLAIN, shown="   ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write the text to show, or do not choose it." in html
    assert 'aria-invalid="true"' in html


def test_only_the_round_staff_open_the_curation_page_after_closing(client, world, app):
    for who in ("p2@q.test", "stranger@q.test"):
        other = client.application.test_client()
        login(other, who, PASSWORD)
        assert other.get(_curation(world)).status_code in (403, 404)
        assert other.get(f"{_base(world)}/curation").status_code in (403, 404)
    login(client, "fac@q.test", PASSWORD)
    overview = client.get(f"{_base(world)}/curation").get_data(as_text=True)
    assert "Written answers: 3. Chosen as quotes: 0." in overview
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.status = RoundStatus.OPEN
        db.session.commit()
    assert client.get(_curation(world)).status_code == 403


def test_the_public_page_shows_only_the_chosen_quotes(client, world, app):
    from app.consultations import public

    login(client, "fac@q.test", PASSWORD)
    _choose(client, world, PHONE, action="mask")
    _choose(client, world, NAME, chosen=False)
    with app.test_request_context("/"):
        round_ = db.session.get(ConsultationRound, world["round"])
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@q.test"))
        public.set_shown_publicly(facilitator, round_, True)
        db.session.commit()
        base = f"/public/{round_.organisation.public_slug}/{round_.id}"
    visitor = client.application.test_client()
    before = visitor.get(base).get_data(as_text=True)
    assert all(text not in before for text in (PHONE, NAME, PLAIN, "Appelez-moi"))
    assert _ready(client, world).status_code == 303
    for version in ("easy", "full"):
        html = visitor.get(f"{base}?version={version}").get_data(as_text=True)
        assert "Appelez-moi au […], le bus est trop cher." in html
        assert "06 12 34 56 78" not in html and "Chloé" not in html and PLAIN not in html
