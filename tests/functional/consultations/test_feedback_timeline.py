"""Feedback followed over time, through the pages: the timeline of a round (each point with
its status in words, its progress and its dated news, newest first) for the people invited and
the staff, the links of the round's page to change a point and give news after publishing (no
typed address), "not kept" refused without its reason, and the evaluation of a paper
questionnaire typed in by a facilitator. Then the news form sent twice (at once, again, from
two tabs), on a database of its own: one news, one notification per person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.consultations import feedback
from app.consultations import services as consultations
from app.consultations.feedback import FeedbackData, NewsData
from app.consultations.models import (
    ConsultationRound,
    Evaluation,
    FeedbackItem,
    FeedbackStatus,
    FeedbackUpdate,
    RoundStatus,
)
from app.consultations.services import AnswerInput
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.db import utcnow
from tests.concurrency import SENDINGS, send_twice
from tests.conftest import app_on_own_database, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, a_stranger, an_organisation, saved

CONSENT = "Il me l'a dit à l'accueil le 7 décembre."
ITEM = FeedbackData(
    you_said="Les bus sont rares le soir.",
    we_did="Le département a voté une ligne du soir.",
    you_said_easy="Il y a peu de bus le soir.",
    we_did_easy="Il y aura un bus le soir.",
    theme="Les bus du soir",
)


def _answer(person, round_):
    response = consultations.start_response(person, round_)
    for question in round_.questions:
        consultations.save_answer(person, response, question, AnswerInput(declined=True))
    consultations.submit_response(person, response)


def _world(app, publish=True, paper=False):
    """A round answered by p0 (p1 invited, silent), one point, published unless said; with
    `paper`, one paper questionnaire typed in too."""
    with saved(app):
        team = an_organisation("CRPA Suivi", domain="s.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        a_stranger("s.test", Role.PARTICIPANT, key="other")
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        _answer(people[0], round_)
        codes = []
        if paper:
            codes = consultations.create_paper_codes(team["fac"], round_, 1)
            response = consultations.start_paper_response(team["fac"], round_, codes[0])
            for question in round_.questions:
                consultations.save_answer(
                    team["fac"], response, question, AnswerInput(declined=True)
                )
            consultations.submit_response(team["fac"], response)
        later = utcnow() + timedelta(days=30)
        consultations.transition(team["fac"], round_, RoundStatus.CLOSED, now=later)
        item = feedback.add_feedback_item(team["fac"], round_, ITEM)
        consultations.transition(team["fac"], round_, RoundStatus.RESULTS, now=later)
        if publish:
            consultations.transition(team["fac"], round_, RoundStatus.FEEDBACK_PUBLISHED, now=later)
        return {"round": round_.id, "item": item.id, "codes": codes, "p0": people[0].id}


def _client(app, identifier):
    client = app.test_client()
    login(client, identifier, PASSWORD)
    return client


def _main(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[-1]


def test_timeline_shows_each_point_where_it_stands_and_its_news_newest_first(app):
    world = _world(app)
    with saved(app):
        item = db.session.get(FeedbackItem, world["item"])
        fac = db.session.get(ConsultationRound, world["round"]).organisation
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@s.test"))
        first = feedback.give_news(
            facilitator,
            item,
            NewsData(FeedbackStatus.DECIDED, None, "Le vote est prévu.", "On va voter."),
        )
        first.created_at = utcnow() - timedelta(days=40)
        feedback.give_news(
            facilitator,
            item,
            NewsData(
                FeedbackStatus.IN_PROGRESS, 60, "Les arrêts sont posés.", "Les arrêts sont là."
            ),
        )
        assert fac is not None
    page = _client(app, "p0@s.test").get(f"/consultations/{world['round']}/feedback")
    assert page.status_code == 200
    html = _main(page)
    assert "Les bus du soir" in html and "Où en est ce point :" in html
    assert '<strong class="badge feedback-status--in_progress">En cours</strong>' in html
    assert "Avancement : 60 %" in html and 'value="60"' in html
    # Newest first, the easy-to-read words by default, then the point's writing.
    newest, older, written = (
        html.index("Les arrêts sont là."),
        html.index("On va voter."),
        html.index("Point écrit."),
    )
    assert newest < older < written
    assert "Les arrêts sont posés." not in html
    full = _main(_client(app, "p0@s.test").get(f"/consultations/{world['round']}/feedback?full=1"))
    assert "Les arrêts sont posés." in full and "Le vote est prévu." in full
    # Participants get no links to change anything.
    assert "/news" not in html and "/edit" not in html


def test_timeline_is_for_the_people_invited_and_the_staff_only(app):
    world = _world(app)
    url = f"/consultations/{world['round']}/feedback"
    assert _client(app, "p1@s.test").get(url).status_code == 200  # invited
    assert _client(app, "fac@s.test").get(url).status_code == 200
    assert _client(app, "other@s.test").get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # to the login page


def test_before_publishing_only_the_staff_see_the_timeline(app):
    world = _world(app, publish=False)
    url = f"/consultations/{world['round']}/feedback"
    staff = _client(app, "fac@s.test").get(url)
    assert staff.status_code == 200 and "seule l'équipe voit cette page" in _main(staff)
    assert _client(app, "p0@s.test").get(url).status_code == 403


def test_round_page_links_to_change_a_point_and_give_news_after_publishing(app):
    world = _world(app)
    page = _main(_client(app, "fac@s.test").get(f"/consultations/{world['round']}"))
    news = f"/consultations/{world['round']}/feedback/1/news"
    edit = f"/consultations/{world['round']}/feedback/1/edit"
    assert f'href="{news}"' in page and "Donner des nouvelles du point 1" in page
    assert f'href="{edit}"' in page and "Modifier le point 1" in page
    assert f'href="/consultations/{world["round"]}/feedback/new"' in page
    participant = _main(_client(app, "p0@s.test").get(f"/consultations/{world['round']}"))
    assert news not in participant and edit not in participant


def test_news_through_the_page_moves_the_point_and_tells_who_answered(app):
    world = _world(app)
    url = f"/consultations/{world['round']}/feedback/1/news"
    client = _client(app, "fac@s.test")
    sent = post_form(
        client,
        url,
        {
            "status": "done",
            "progress": "100",
            "text": "La ligne 12 roule le soir.",
            "text_easy": "Le bus roule le soir.",
            "reason": "",
        },
    )
    assert sent.status_code == 303
    assert sent.location.endswith(
        f"/consultations/{world['round']}/feedback#feedback-item-{world['item']}"
    )
    with app.test_request_context("/"):
        item = db.session.get(FeedbackItem, world["item"])
        assert (item.status, item.progress) == (FeedbackStatus.DONE, 100)
        told = db.session.scalars(
            select(Notification.body).where(Notification.person_id == world["p0"])
        ).all()
        assert any("c'est maintenant « Fait »" in body for body in told)
    timeline = _main(client.get(f"/consultations/{world['round']}/feedback"))
    assert "Le bus roule le soir." in timeline and "Fait" in timeline


def test_not_kept_without_its_reason_is_shown_again_with_the_message(app):
    world = _world(app)
    url = f"/consultations/{world['round']}/feedback/1/news"
    answer = post_form(
        _client(app, "fac@s.test"),
        url,
        {"status": "not_kept", "progress": "", "text": "", "text_easy": "", "reason": ""},
    )
    assert answer.status_code == 400
    html = _main(answer)
    assert "Dites pourquoi ce n&#39;est pas retenu, avec des mots simples." in html
    assert re.search(
        r'id="reason"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="reason"', html
    )
    with app.test_request_context("/"):
        assert db.session.get(FeedbackItem, world["item"]).status == FeedbackStatus.UNDER_STUDY


def test_a_point_is_changed_after_publishing_through_its_form(app):
    world = _world(app)
    url = f"/consultations/{world['round']}/feedback/1/edit"
    client = _client(app, "fac@s.test")
    form = _main(client.get(url))
    assert "Il y aura un bus le soir." in form  # the form holds the point's words
    sent = post_form(
        client,
        url,
        {
            "question_id": "0",
            "theme": "Les bus du soir",
            "you_said": ITEM.you_said,
            "you_said_easy": ITEM.you_said_easy,
            "we_did": ITEM.we_did,
            "we_did_easy": "Un bus roulera le soir, à partir de mars.",
            "who": "Le département",
            "when": "31/03/2027",
            "status": "decided",
            "progress": "",
            "reason": "",
        },
    )
    assert sent.status_code == 303
    with app.test_request_context("/"):
        item = db.session.get(FeedbackItem, world["item"])
        assert item.we_did_easy == "Un bus roulera le soir, à partir de mars."
        assert item.status == FeedbackStatus.DECIDED and item.when == "31/03/2027"


def test_paper_evaluation_is_typed_in_from_the_list_of_codes_with_the_consent_note(app):
    world = _world(app, paper=True)
    code = world["codes"][0]
    round_page = _main(_client(app, "fac@s.test").get(f"/consultations/{world['round']}"))
    url = f"/consultations/{world['round']}/evaluation/paper"
    assert f'href="{url}"' in round_page
    client = _client(app, "fac@s.test")
    page = _main(client.get(url))
    assert f'<option value="{code}">{code}</option>' in page
    sent = post_form(
        client,
        url,
        {
            "code": code,
            "understood": "yes",
            "could_speak": "yes",
            "costs_covered": "declined",
            "sees_change": "a_little",
            "comment": "",
            "consent_note": CONSENT,
        },
    )
    assert sent.status_code == 303
    with app.test_request_context("/"):
        evaluation = db.session.scalar(
            select(Evaluation).where(Evaluation.round_id == world["round"])
        )
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@s.test"))
        assert (evaluation.entered_by_id, evaluation.consent_note) == (facilitator.id, CONSENT)
    again = _main(client.get(url))
    assert "Aucun questionnaire papier n'attend son évaluation." in again
    assert _client(app, "p0@s.test").get(url).status_code == 403


# --- sent twice ----------------------------------------------------------------------------


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "feedback_news") as app:
        yield app


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("how", SENDINGS)
def test_news_sent_twice_is_kept_once_and_told_once(own_app, how):
    world = _world(own_app)
    url = f"/consultations/{world['round']}/feedback/1/news"
    mails_before = _count(own_app, OutboxMessage, OutboxMessage.to_address == "p0@s.test")
    notes_before = _count(own_app, Notification, Notification.person_id == world["p0"])
    responses = send_twice(
        own_app,
        how,
        "fac@s.test",
        url,
        url,
        {
            "status": "in_progress",
            "progress": "30",
            "text": "",
            "text_easy": "Ça avance.",
            "reason": "",
        },
    )
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, _main(r)[:600]) for r in responses
    ]
    assert _count(own_app, FeedbackUpdate, FeedbackUpdate.item_id == world["item"]) == 1
    assert _count(own_app, Notification, Notification.person_id == world["p0"]) == notes_before + 1
    assert (
        _count(own_app, OutboxMessage, OutboxMessage.to_address == "p0@s.test") == mails_before + 1
    )
    assert _count(own_app, AuditEntry, AuditEntry.action == "consultation.feedback_news") == 1


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_printed_summary_keeps_the_feedback_until_it_is_published_then_says_where_it_stands(
    app,
):
    world = _world(app, publish=False)
    url = f"/consultations/{world['round']}/summary.pdf"
    before = _pdf_text(_client(app, "p0@s.test").get(url))
    assert "Il y a peu de bus le soir." not in before  # a draft: not for the people yet
    with saved(app):
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@s.test"))
        round_ = db.session.get(ConsultationRound, world["round"])
        consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
        feedback.give_news(
            facilitator,
            db.session.get(FeedbackItem, world["item"]),
            NewsData(FeedbackStatus.NOT_KEPT, reason="La ligne coûte trop cher."),
        )
    after = _pdf_text(_client(app, "p0@s.test").get(url))
    assert "Il y a peu de bus le soir." in after
    assert "Pas retenu" in after and "La ligne coûte trop cher." in after


def test_timeline_queries_do_not_grow_with_the_number_of_points(app):
    from sqlalchemy import event

    world = _world(app)
    client = _client(app, "p0@s.test")
    url = f"/consultations/{world['round']}/feedback"

    def queries() -> int:
        with app.test_request_context("/"):
            engine = db.session.get_bind()
        statements = []

        def count(*_args):  # noqa: ANN002, ANN202
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    one = queries()
    with saved(app):
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@s.test"))
        round_ = db.session.get(ConsultationRound, world["round"])
        for n in range(4):
            item = feedback.add_feedback_item(
                facilitator, round_, FeedbackData(**{**ITEM.__dict__, "theme": f"Point {n}"})
            )
            feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DECIDED))
    assert queries() == one


def test_kit_checklist_page_asks_for_news_of_a_point_left_without_news(app):
    world = _world(app)
    with saved(app):
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@s.test"))
        item = db.session.get(FeedbackItem, world["item"])
        feedback.give_news(facilitator, item, NewsData(FeedbackStatus.IN_PROGRESS, 10))
        item.news_at = utcnow() - timedelta(days=120)
    page = _main(_client(app, "fac@s.test").get(f"/kit/rounds/{world['round']}/checklist"))
    assert "Les personnes ont des nouvelles de ce qui est décidé" in page
    assert "Donnez des nouvelles de : Les bus du soir." in page
