"""Consultation forms sent twice: at the same moment from two tabs of one login (a double click
that reached the server twice), again after the first was answered (a browser sending a form
again after a lost connection), and from two tabs each with its own form (two keys). The
second copy changes nothing more: one response, one answer per question, one "sent" audit
entry, feedback items at distinct positions, one feedback e-mail per person. No 500. Real
threads and commits, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import (
    Answer,
    Comment,
    ConsultationRound,
    Evaluation,
    FeedbackItem,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.core.models import AuditEntry, OutboxMessage
from tests.concurrency import (
    SENDINGS,
    form_fields,
    logged_in,
    send_twice,
)
from tests.conftest import app_on_own_database
from tests.worlds import a_round, an_organisation, saved


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_consultations") as app:
        yield app


def _world(app, step="open"):
    """A round with 4 questions, 2 invited people (p0, p1), a facilitator; `step`: "open",
    "closed" (closed, no feedback yet), "results" (one feedback item, results published) or
    "feedback" (feedback published: the evaluation is open)."""
    with saved(app):
        team = an_organisation("CRPA Deux fois", domain="a.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"], step=step, invited=people)
        single = next(q for q in round_.questions if q.kind == QuestionKind.SINGLE)
        return {"round": round_.id, "single": single.id, "choices": [c.id for c in single.choices]}


def _send(app, how, identifier, page, url, extra=None):
    return send_twice(app, how, identifier, page, url, extra)


def _count(app, model, *where):
    with app.test_request_context("/"):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _no_error_page(responses):
    statuses = [r.status_code for r in responses]
    assert all(s < 500 for s in statuses), [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    return statuses


def _same_redirect(responses):
    assert [r.status_code for r in responses] == [303, 303], [
        (r.status_code, r.get_data(as_text=True).split("<main")[-1][:600]) for r in responses
    ]
    assert responses[0].location == responses[1].location


def _start(app, world, identifier="p0@a.test"):
    client = logged_in(app, identifier, n=1)[0]
    page = f"/consultations/{world['round']}"
    url = f"{page}/start"
    response = client.post(url, data=form_fields(client, page, url))
    assert response.status_code == 303
    return response.location


def _every_question_answered(app):
    """p0 started the round and answered every question (declined): ready to send."""
    world = _world(app)
    url = _start(app, world)
    response_id = int(url.split("/responses/")[1].split("/")[0])
    with app.test_request_context("/"):
        response = db.session.get(Response, response_id)
        for question in services.get_round(world["round"]).questions:
            services.save_answer(
                response.invitation.person, response, question, services.AnswerInput(declined=True)
            )
        db.session.commit()
    return response_id


def _audits(app, action):
    return _count(app, AuditEntry, AuditEntry.action == action)


# --- answering ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", SENDINGS)
def test_start_sent_twice_makes_one_response(own_app, how):
    world = _world(own_app)
    page = f"/consultations/{world['round']}"
    responses = _send(own_app, how, "p0@a.test", page, f"{page}/start")
    _same_redirect(responses)
    assert _count(own_app, Response) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_same_question_answered_twice_keeps_one_answer(own_app, how):
    world = _world(own_app)
    url = _start(own_app, world)
    response_id = int(url.split("/responses/")[1].split("/")[0])
    responses = _send(
        own_app, how, "p0@a.test", url, url, {"action": "next", "answer": world["choices"][1]}
    )
    _same_redirect(responses)
    assert _count(own_app, Answer, Answer.response_id == response_id) == 1
    with own_app.test_request_context("/"):
        answer = db.session.scalar(select(Answer).where(Answer.response_id == response_id))
        assert [s.choice_id for s in answer.selections] == [world["choices"][1]]


@pytest.mark.parametrize("how", SENDINGS)
def test_answers_sent_twice_are_sent_once(own_app, how):
    response_id = _every_question_answered(own_app)
    page = f"/consultations/responses/{response_id}/review"
    submit = f"/consultations/responses/{response_id}/submit"
    responses = _send(own_app, how, "p0@a.test", page, submit)
    statuses = _no_error_page(responses)
    assert 303 in statuses
    assert _audits(own_app, "consultation.response_sent") == 1
    if how != "from two tabs":
        _same_redirect(responses)


def test_answers_sent_again_after_a_crash_between_commit_and_answer_get_the_thank_you_page(
    own_app,
):
    """A server process killed after the commit of "Send" but before the key was given its
    answer: the copy the browser sends again must get the same "thank you" redirect, not the
    "already sent" page (found by the crash drill)."""
    response_id = _every_question_answered(own_app)
    client = logged_in(own_app, "p0@a.test", n=1)[0]
    page = f"/consultations/responses/{response_id}/review"
    submit = f"/consultations/responses/{response_id}/submit"
    fields = form_fields(client, page, submit)
    hooks = own_app.after_request_funcs["consultations"]
    saved = list(hooks)

    def killed(response):  # noqa: ANN001, ANN202 - the process dies before answering
        raise SystemExit("killed")

    hooks[:] = [killed]
    try:
        with pytest.raises(SystemExit):
            client.post(submit, data=fields)
    finally:
        hooks[:] = saved
    assert _audits(own_app, "consultation.response_sent") == 1  # the work was committed
    again = client.post(submit, data=fields)
    assert again.status_code == 303, again.get_data(as_text=True)[:300]
    assert again.location.endswith(f"/consultations/responses/{response_id}/done")
    assert _audits(own_app, "consultation.response_sent") == 1


# --- feedback and lifecycle --------------------------------------------------------------


FEEDBACK = {
    "question_id": "0",
    "theme": "Le bus",
    "you_said": "Le bus passe rarement.",
    "you_said_easy": "Le bus ne passe pas souvent.",
    "we_did": "Un bus de plus le matin.",
    "we_did_easy": "Il y a un bus en plus le matin.",
    "who": "",
    "when": "",
}


@pytest.mark.parametrize("how", SENDINGS)
def test_feedback_item_sent_twice_counts_once_or_takes_the_next_position(own_app, how):
    world = _world(own_app, "closed")
    url = f"/consultations/{world['round']}/feedback/new"
    responses = _send(own_app, how, "fac@a.test", url, url, FEEDBACK)
    _same_redirect(responses)
    with own_app.test_request_context("/"):
        positions = sorted(
            db.session.scalars(
                select(FeedbackItem.position).where(FeedbackItem.round_id == world["round"])
            )
        )
    # Two tabs are two items the facilitator wrote: both kept, one after the other.
    assert positions == ([1, 2] if how == "from two tabs" else [1])


@pytest.mark.parametrize("how", SENDINGS)
def test_feedback_published_twice_mails_each_person_once(own_app, how):
    world = _world(own_app, "results")
    page = f"/consultations/{world['round']}"
    url = f"{page}/publish-feedback"
    responses = _send(own_app, how, "fac@a.test", page, url, {"confirm": "1"})
    statuses = _no_error_page(responses)
    assert 303 in statuses
    with own_app.test_request_context("/"):
        assert db.session.get(ConsultationRound, world["round"]).status == (
            RoundStatus.FEEDBACK_PUBLISHED
        )
    for person in ("p0@a.test", "p1@a.test"):
        # the invitation, then the feedback
        assert _count(own_app, OutboxMessage, OutboxMessage.to_address == person) == 2
    assert (
        _count(
            own_app,
            AuditEntry,
            AuditEntry.action == "consultation.transition",
            AuditEntry.details["to_status"].as_string() == "feedback_published",
        )
        == 1
    )
    if how != "from two tabs":
        _same_redirect(responses)


@pytest.mark.parametrize("how", SENDINGS)
def test_evaluation_sent_twice_is_kept_once(own_app, how):
    world = _world(own_app, "feedback")
    url = f"/consultations/{world['round']}/evaluation"
    answers = {name: "yes" for name in ("understood", "could_speak", "costs_covered")}
    responses = _send(
        own_app, how, "p0@a.test", url, url, {**answers, "sees_change": "a_little", "comment": ""}
    )
    statuses = _no_error_page(responses)
    assert 303 in statuses
    assert _count(own_app, Evaluation) == 1
    if how != "from two tabs":
        _same_redirect(responses)


# --- entry with help, paper, discussion --------------------------------------------------


@pytest.mark.parametrize("how", SENDINGS)
def test_assisted_start_sent_twice_makes_one_response(own_app, how):
    world = _world(own_app)
    with own_app.test_request_context("/"):
        paul = db.session.scalar(select(Person.id).where(Person.email == "p0@a.test"))
    url = f"/consultations/{world['round']}/assist"
    note = "Il m'a dit oui au téléphone le 3 mars."
    responses = _send(
        own_app, how, "fac@a.test", url, url, {"person_id": str(paul), "consent_note": note}
    )
    _same_redirect(responses)
    assert _count(own_app, Response) == 1
    assert _audits(own_app, "consultation.assisted_response") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_paper_questionnaire_opened_twice_makes_one_response(own_app, how):
    world = _world(own_app)
    with own_app.test_request_context("/"):
        round_ = services.get_round(world["round"])
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@a.test"))
        (code,) = services.create_paper_codes(facilitator, round_, 1)
        db.session.commit()
    url = f"/consultations/{world['round']}/paper"
    responses = _send(own_app, how, "fac@a.test", url, url, {"code": code})
    _same_redirect(responses)
    assert _count(own_app, Response) == 1


@pytest.mark.parametrize("how", ("at the same moment", "again after the answer"))
def test_message_sent_twice_is_written_once(own_app, how):
    world = _world(own_app)
    with own_app.test_request_context("/"):
        db.session.get(ConsultationRound, world["round"]).discussion_enabled = True
        db.session.commit()
    page = f"/consultations/{world['round']}"
    url = f"{page}/comments"
    responses = _send(
        own_app, how, "p0@a.test", page, url, {"question_id": "0", "body": "Le bus est rare."}
    )
    _same_redirect(responses)
    assert _count(own_app, Comment) == 1
    assert _audits(own_app, "moderation.submitted") == 1
