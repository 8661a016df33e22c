"""Feedback pages: what was done with people's words and its news over time (the timeline),
writing and changing an item, giving news of it, and typing in an evaluation written on
paper. Views stay thin: the rules are in app/consultations/feedback.py."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.consultations import feedback
from app.consultations.blueprint import bp
from app.consultations.feedback_forms import FeedbackNewsForm, PaperEvaluationForm
from app.consultations.forms import FeedbackForm
from app.consultations.models import EVALUATION_QUESTIONS, FeedbackItem, FeedbackStatus
from app.consultations.texts import as_check_input, feedback_form_texts
from app.consultations.views import _wants_check, load_round
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.falc import services as falc_services


@bp.route("/<int:round_id>/feedback", endpoint="feedback")
@login_required
def feedback_page(round_id: int) -> Any:
    """The timeline: each item with where it stands and its dated news, newest first."""
    round_ = load_round(round_id, "consultations.see_feedback")
    return render_template(
        "consultations/feedback.html",
        round=round_,
        items=feedback.timeline(round_),
        full=request.args.get("full") == "1",
        manage=can(current_user, "consultations.write_feedback", round_),
    )


def _item_form(round_: Any, item: FeedbackItem | None = None) -> FeedbackForm:
    data = None
    if item is not None and request.method == "GET":
        data = {
            name: getattr(item, name)
            for name in ("theme", "you_said", "you_said_easy", "we_did", "we_did_easy")
        } | {
            "who": item.who,
            "when": item.when,
            "question_id": item.question_id or 0,
            "status": item.status.value,
            "progress": item.progress,
            "reason": item.reason,
        }
    form = FeedbackForm(data=data)
    form.question_id.choices = [(0, _("No question: a theme"))] + [
        (q.id, f"{q.position}. {q.text}") for q in round_.questions
    ]
    return form


def _feedback_data(form: FeedbackForm, item: FeedbackItem | None = None) -> feedback.FeedbackData:
    sent = form.status.raw_data
    kept = item.status if item is not None else FeedbackStatus.UNDER_STUDY
    return feedback.FeedbackData(
        **form.texts("you_said", "you_said_easy", "we_did", "we_did_easy", "theme", "who", "when"),
        question_id=form.question_id.data or None,
        status=form.status.data if sent else kept,
        progress=form.progress.data,
        reason=form.reason.data or "",
    )


def _falc(round_: Any, form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The easy-read findings of the form's easy texts, when "Check" was pressed."""
    if not _wants_check(form):
        return {}
    texts = {name: getattr(form, name).data for name in names}
    return falc_services.check_fields(round_.organisation_id, texts)


ITEM_TEXTS = (
    "theme",
    "you_said",
    "you_said_easy",
    "we_did",
    "we_did_easy",
    "who",
    "when",
    "reason",
)
NEWS_TEXTS = ("text", "text_easy", "reason")


def _item_check(round_: Any, form: Any, names: tuple[str, ...] = ITEM_TEXTS) -> Any:
    """What people will read of the item (or its news), when "Check" was pressed:
    (check, places), or None."""
    if not _wants_check(form):
        return None
    typed = feedback_form_texts({name: getattr(form, name).data or "" for name in names})
    check = falc_services.publication_check(round_.organisation_id, as_check_input(typed))
    return check, {t.key: t for t in typed}


@bp.route("/<int:round_id>/feedback/new", methods=["GET", "POST"])
@login_required
def new_feedback(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = _item_form(round_)
    falc = _falc(round_, form, ("you_said_easy", "we_did_easy", "reason"))
    check = _item_check(round_, form)
    if check is None and form.validate_on_submit():
        data = _feedback_data(form)
        done, _item = commit_or_show_error(
            form, lambda: feedback.add_feedback_item(current_actor(), round_, data)
        )
        if done:
            flash_ok(_("The feedback item is saved."))
            return redirect(url_for("consultations.show", round_id=round_.id) + "#feedback", 303)
    page = render_template(
        "consultations/feedback_form.html",
        form=form,
        round=round_,
        falc=falc,
        item=None,
        check=check,
    )
    return page, form_status(form)


@bp.route("/<int:round_id>/feedback/<int:position>/edit", methods=["GET", "POST"])
@login_required
def edit_feedback(round_id: int, position: int) -> Any:
    round_ = load_round(round_id, "consultations.write_feedback")
    item = feedback.find_item(round_, position)
    form = _item_form(round_, item)
    falc = _falc(round_, form, ("you_said_easy", "we_did_easy", "reason"))
    check = _item_check(round_, form)
    if check is None and form.validate_on_submit():
        data = _feedback_data(form, item)
        done, _item = commit_or_show_error(
            form, lambda: feedback.edit_feedback_item(current_actor(), item, data)
        )
        if done:
            flash_ok(_("The feedback item is saved."))
            return redirect(
                url_for("consultations.feedback", round_id=round_.id) + f"#feedback-item-{item.id}",
                303,
            )
    page = render_template(
        "consultations/feedback_form.html",
        form=form,
        round=round_,
        falc=falc,
        item=item,
        check=check,
    )
    return page, form_status(form)


@bp.route("/<int:round_id>/feedback/<int:position>/news", methods=["GET", "POST"])
@login_required
def feedback_news(round_id: int, position: int) -> Any:
    round_ = load_round(round_id, "consultations.write_feedback")
    item = feedback.find_item(round_, position)
    data = None
    if request.method == "GET":
        data = {"status": item.status.value, "progress": item.progress, "reason": item.reason}
    form = FeedbackNewsForm(data=data)
    falc = _falc(round_, form, ("text_easy", "reason"))
    check = _item_check(round_, form, NEWS_TEXTS)
    if check is None and form.validate_on_submit():
        news = feedback.NewsData(
            status=form.status.data or "",
            progress=form.progress.data,
            **form.texts("text", "text_easy", "reason"),
        )
        done, _update = commit_or_show_error(
            form, lambda: feedback.give_news(current_actor(), item, news)
        )
        if done:
            flash_ok(_("The news is saved."))
            return redirect(
                url_for("consultations.feedback", round_id=round_.id) + f"#feedback-item-{item.id}",
                303,
            )
    page = render_template(
        "consultations/feedback_news.html",
        form=form,
        round=round_,
        item=item,
        falc=falc,
        check=check,
    )
    return page, form_status(form)


@bp.route("/<int:round_id>/evaluation/paper", methods=["GET", "POST"])
@login_required
def paper_evaluation(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.enter_paper_evaluation")
    actor = current_actor()
    form = PaperEvaluationForm()
    codes = feedback.paper_respondents(actor, round_)
    form.code.choices = [("", _("Choose the code"))] + [(code, code) for code in codes]
    if form.validate_on_submit():
        answers = {name: getattr(form, name).data for name in EVALUATION_QUESTIONS}
        done, _evaluation = commit_or_show_error(
            form,
            lambda: feedback.submit_paper_evaluation(
                actor,
                round_,
                form.code.data,
                answers,
                form.consent_note.data or "",
                form.comment.data or "",
            ),
        )
        if done:
            flash_ok(_("The evaluation is saved. Thank you!"))
            return redirect(url_for("consultations.show", round_id=round_.id) + "#evaluation", 303)
    page = render_template(
        "consultations/feedback_paper_evaluation.html", form=form, round=round_, codes=codes
    )
    return page, form_status(form)
