"""Answering a round: one question per screen, a review page, sending; answers entered by a
facilitator for a person or typed in from paper. Views stay thin.

A copy of a form already sent (double click, two tabs, a retry) gets the first answer's
redirect without the view running: the blueprint is protected (app/core/idempotency.py), and
the protection runs before the response is loaded, so a sent response (no longer open to
filling in) still answers its copy with the same "thank you" redirect.

Every response page answers 404 to anybody who may not fill the response in, so nobody
learns that another person's response exists.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import db
from app.consultations import conditions, services
from app.consultations.answering_forms import (
    SCALE_LABELS,
    AssistForm,
    PaperForm,
    SendForm,
    answer_form,
    pictogram_url,
)
from app.consultations.blueprint import bp
from app.consultations.models import ConsultationRound, Question, Response
from app.consultations.services import AnswerInput
from app.consultations.views import load_round
from app.core import idempotency
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, form_status


def _load_response(response_id: int) -> tuple[Response, ConsultationRound]:
    response = db.session.get(Response, response_id)
    if response is None or not can(current_user, "consultations.fill_response", response):
        abort(404)
    return response, services.get_round(response.round_id)


def _question_at(round_: ConsultationRound, position: int) -> Question:
    question = next((q for q in round_.questions if q.position == position), None)
    if question is None:
        abort(404)
    return question


def _question_url(response: Response, position: int, from_review: bool = False) -> str:
    url = url_for("consultations.answer_question", response_id=response.id, position=position)
    return url + "?from=review" if from_review else url


def _shown(response: Response, round_: ConsultationRound) -> list[Question]:
    """The questions this person sees, given their answers so far (conditional questions)."""
    return conditions.shown_questions(round_, services.answers_by_question(response))


def _resume_url(
    response: Response, round_: ConsultationRound, after: int = 0, from_review: bool = False
) -> str:
    """The first question shown after position `after` without an answer, or the review
    page when all have one."""
    answered = services.answers_by_question(response)
    for question in _shown(response, round_):
        if question.position > after and question.id not in answered:
            return _question_url(response, question.position, from_review)
    return url_for("consultations.answer_review", response_id=response.id)


def _location_after(
    response: Response, round_: ConsultationRound, position: int, action: str, from_review: bool
) -> str:
    """Where a question page leads once its answer is saved: the previous or next question
    this person is shown (the answer may just have shown or hidden the ones after it)."""
    shown = _shown(response, round_)
    if action == "back":
        earlier = [q for q in shown if q.position < position]
        if earlier:
            return _question_url(response, earlier[-1].position)
        return url_for("consultations.show", round_id=round_.id)
    if from_review:  # a question this answer now shows is asked before the review
        return _resume_url(response, round_, position, from_review=True)
    later = [q for q in shown if q.position > position]
    if later:
        return _question_url(response, later[0].position)
    return url_for("consultations.answer_review", response_id=response.id)


def _page_context(response: Response, round_: ConsultationRound) -> dict[str, Any]:
    """What every response page shows: who it is for (assisted and paper entry), whom to ask."""
    person = response.invitation.person
    if person is not None:
        subject_name = person.display_name
    else:
        subject_name = _("paper questionnaire %(code)s", code=response.invitation.paper_code)
    return {
        "response": response,
        "round": round_,
        "subject_name": subject_name,
        "who_to_ask": round_.contact_name or round_.organisation.name,
        "scale_labels": SCALE_LABELS,
        "pictogram_url": pictogram_url,
    }


@bp.route("/<int:round_id>/start", methods=["POST"])
@login_required
def start(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.answer")
    done, response = commit_or_show_error(
        None, lambda: services.start_response(current_actor(), round_)
    )
    if not done:
        return redirect(url_for("consultations.show", round_id=round_.id), 303)
    if not can(current_user, "consultations.fill_response", response):
        # A facilitator is filling these answers in with the person.
        flash(_("A facilitator is filling in your answers with you. Ask them."), "error")
        return redirect(url_for("consultations.show", round_id=round_.id), 303)
    return redirect(_resume_url(response, round_), 303)


@bp.route("/responses/<int:response_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def answer_question(response_id: int, position: int) -> Any:
    response, round_ = _load_response(response_id)
    question = _question_at(round_, position)
    from_review = request.args.get("from") == "review"
    shown = _shown(response, round_)
    if question not in shown:  # not for this person, given their answers: the next one is
        return redirect(_location_after(response, round_, position, "next", from_review), 303)
    saved = services.answers_by_question(response).get(question.id)
    form = answer_form(question, saved if request.method == "GET" else None)
    confused = False
    if form.validate_on_submit():
        action = request.form.get("action", "next")
        actor = current_actor()
        where: dict[str, str] = {}

        def work() -> None:
            if action == "confused":
                services.record_confusion(actor, response, question)
            elif action == "decline":
                services.save_answer(actor, response, question, AnswerInput(declined=True))
            elif action != "back" or not form.is_empty:
                # "Previous question" saves what was entered, and never blocks on nothing.
                services.save_answer(actor, response, question, AnswerInput(**form.answer_input()))

        def remember_redirect(_result: None) -> None:
            if action != "confused":
                # Decided once the answer is saved: it may show or hide the next questions.
                where["location"] = _location_after(response, round_, position, action, from_review)
                idempotency.will_redirect(where["location"])

        done, _none = commit_or_show_error(form, work, before_commit=remember_redirect)
        if done:
            if action == "confused":
                confused = True  # the same page again: full text open, whom to ask
            else:
                return redirect(where["location"], 303)
    saved = services.answers_by_question(response).get(question.id)
    shown = _shown(response, round_)
    page = render_template(
        "consultations/answer_question.html",
        form=form,
        question=question,
        saved=saved,
        # "Question 3 of 5": among the questions this person is shown.
        number=shown.index(question) + 1,
        total=len(shown),
        confused=confused,
        from_review=from_review,
        action_url=_question_url(response, position, from_review),
        **_page_context(response, round_),
    )
    return page, form_status(form)


def _review(response: Response, round_: ConsultationRound, form: SendForm) -> Any:
    answers = services.answers_by_question(response)
    questions = conditions.shown_questions(round_, answers)
    page = render_template(
        "consultations/answer_review.html",
        form=form,
        answers=answers,
        questions=questions,
        missing=any(q.id not in answers for q in questions),
        **_page_context(response, round_),
    )
    return page, form_status(form)


@bp.route("/responses/<int:response_id>/review")
@login_required
def answer_review(response_id: int) -> Any:
    response, round_ = _load_response(response_id)
    return _review(response, round_, SendForm())


@bp.route("/responses/<int:response_id>/submit", methods=["POST"])
@login_required
def answer_submit(response_id: int) -> Any:
    response, round_ = _load_response(response_id)
    form = SendForm()
    if form.validate_on_submit():
        location = url_for("consultations.answer_done", response_id=response.id)
        done, _none = commit_or_show_error(
            form,
            lambda: services.submit_response(current_actor(), response),
            before_commit=lambda _result: idempotency.will_redirect(location),
        )
        if done:
            return redirect(location, 303)
    return _review(response, round_, form)


@bp.route("/responses/<int:response_id>/done")
@login_required
def answer_done(response_id: int) -> Any:
    response = db.session.get(Response, response_id)
    actor_id = current_user.id
    if response is None or actor_id not in (response.invitation.person_id, response.entered_by_id):
        abort(404)
    if response.submitted_at is None:
        return redirect(url_for("consultations.answer_review", response_id=response.id), 303)
    round_ = services.get_round(response.round_id)
    return render_template("consultations/answer_done.html", **_page_context(response, round_))


@bp.route("/<int:round_id>/assist", methods=["GET", "POST"])
@login_required
def assist(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    people = sorted(
        (i.person for i in round_.invitations if i.person is not None),
        key=lambda p: p.display_name.casefold(),
    )
    form = AssistForm()
    form.person_id.choices = [("", _("Choose the person"))] + [
        (p.id, p.display_name) for p in people
    ]
    if form.validate_on_submit():
        person = next(p for p in people if p.id == form.person_id.data)
        done, response = commit_or_show_error(
            form,
            lambda: services.start_response(
                current_actor(), round_, person=person, consent_note=form.consent_note.data
            ),
        )
        if done:
            return redirect(_resume_url(response, round_), 303)
    page = render_template(
        "consultations/answer_assist.html", form=form, round=round_, has_people=bool(people)
    )
    return page, form_status(form)


@bp.route("/<int:round_id>/paper", methods=["GET", "POST"])
@login_required
def paper(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = PaperForm()
    if form.validate_on_submit():
        done, response = commit_or_show_error(
            form, lambda: services.start_paper_response(current_actor(), round_, form.code.data)
        )
        if done:
            return redirect(_resume_url(response, round_), 303)
    page = render_template("consultations/answer_paper.html", form=form, round=round_)
    return page, form_status(form)
