"""Consultation rounds: list, authoring, lifecycle, results, feedback. Views stay thin."""

from __future__ import annotations

from typing import Any

from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import db
from app.accounts.models import Role
from app.accounts.permissions import organisations_where
from app.consultations import charts, conditions, corrections, printing, services, spoken
from app.consultations.blueprint import bp
from app.consultations.forms import (
    CommentForm,
    EvaluationForm,
    InviteForm,
    PaperCodesForm,
    QuestionForm,
    RoundForm,
    StepForm,
    day_end,
    day_start,
)
from app.consultations.lifecycle import STEP_PATHS, Allow, RoundStatus
from app.consultations.models import EVALUATION_QUESTIONS, Question
from app.consultations.picture_search import picture_search
from app.consultations.texts import FEEDBACK, ROUND, as_check_input, participant_texts
from app.core import audio as spoken_audio
from app.core.csv_files import csv_download
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import writes_on_get
from app.falc import proofreading
from app.falc import services as falc_services
from app.falc.proofreading_models import STATUS_LABELS as PROOFREADING_LABELS
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus


def load_round(round_id: int, action: str = "consultations.view") -> Any:
    round_ = services.get_round(round_id)
    if not can(current_user, "consultations.view", round_):
        abort(404)  # do not tell whether the round exists
    if not can(current_user, action, round_):
        abort(403)
    return round_


ROUND_EASY_FIELDS = ("title_easy", "subject_easy", "why_easy", "what_next_easy")


SUBJECT_TYPE = "consultation_round"


def _easy_texts(round_: Any) -> list[tuple[str, str, str]]:
    """(field, label, text) of every easy-to-read text of the round that has content."""
    rows = [
        ("title_easy", _("Title, easy-to-read version"), round_.title_easy),
        ("subject_easy", _("What is it about? Easy-to-read version"), round_.subject_easy),
        ("why_easy", _("Why your opinion matters, easy-to-read version"), round_.why_easy),
        (
            "what_next_easy",
            _("What will be done with the answers, easy-to-read version"),
            round_.what_next_easy,
        ),
    ]
    rows += [
        (f"question_{q.id}", _("Question %(n)s", n=q.position), q.text_easy)
        for q in round_.questions
    ]
    return [row for row in rows if (row[2] or "").strip()]


def _badges(round_: Any) -> dict[str, Any]:
    """The easy-read badge of each text approved by proofreaders (and unchanged since)."""
    badges = {}
    for field_name, _label, text in _easy_texts(round_):
        badge = proofreading.badge_for(
            SUBJECT_TYPE, round_.id, field_name, text, organisation_id=round_.organisation_id
        )
        if badge is not None:
            badges[field_name] = badge
    return badges


def _proofreading_rows(round_: Any) -> list[dict[str, Any]]:
    return [
        {
            "field": field_name,
            "label": label,
            "text": text,
            "status": proofreading.status_for(
                SUBJECT_TYPE, round_.id, field_name, text, organisation_id=round_.organisation_id
            ),
        }
        for field_name, label, text in _easy_texts(round_)
    ]


def _wants_check(form: Any) -> bool:
    """The "Check the easy-to-read text" button: show the findings, save nothing."""
    return form.is_submitted() and request.form.get("action") == "check"


def _render_edit(form: RoundForm, round_: Any, check_organisation: int | None) -> Any:
    falc = {}
    if check_organisation is not None:
        texts = {name: getattr(form, name).data for name in ROUND_EASY_FIELDS}
        falc = falc_services.check_fields(check_organisation, texts)
    page = render_template("consultations/edit.html", form=form, round=round_, falc=falc)
    return page, form_status(form)


def _round_data(form: RoundForm) -> services.RoundData:
    return services.RoundData(
        **form.texts(*services.ROUND_TEXTS, "discussion_moderation"),
        discussion_enabled=bool(form.discussion_enabled.data),
        pictogram=form.pictogram.data or "",
        opens_at=day_start(form.opens_on.data),
        closes_at=day_end(form.closes_on.data),
        feedback_due_at=day_end(form.feedback_due_on.data) if form.feedback_due_on.data else None,
    )


@bp.route("/")
@login_required
def index() -> Any:
    actor = current_actor()
    managed = services.rounds_managed_by(actor)
    return render_template(
        "consultations/index.html",
        managed=managed,
        overdue={r.id for r in services.overdue_feedback(managed)},
        invited=services.rounds_for_participant(actor),
        can_create=bool(organisations_where(actor, Role.FACILITATOR)),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    organisations = organisations_where(current_actor(), Role.FACILITATOR)
    if not organisations:
        abort(403)
    form = RoundForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    if _wants_check(form):
        return _render_edit(form, None, form.organisation_id.data)
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        done, round_ = commit_or_show_error(
            form, lambda: services.create_round(current_actor(), organisation, _round_data(form))
        )
        if done:
            flash_ok(_("The round is created. Now add the questions."))
            return redirect(url_for("consultations.show", round_id=round_.id), 303)
    return _render_edit(form, None, None)


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@login_required
def edit(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = RoundForm(obj=round_ if request.method == "GET" else None)
    form.organisation_id.choices = [(round_.organisation_id, round_.organisation.name)]
    if request.method == "GET":
        form.organisation_id.data = round_.organisation_id
        form.opens_on.data = round_.opens_at.date()
        form.closes_on.data = round_.closes_at.date()
        form.feedback_due_on.data = round_.feedback_due_at.date()
    if _wants_check(form):
        return _render_edit(form, round_, round_.organisation_id)
    if form.validate_on_submit():
        done, _none = commit_or_show_error(
            form, lambda: services.update_round(current_actor(), round_, _round_data(form))
        )
        if done:
            flash_ok(_("Saved."))
            return redirect(url_for("consultations.show", round_id=round_.id), 303)
    return _render_edit(form, round_, None)


def _comment_form(round_: Any, form: CommentForm | None = None) -> CommentForm:
    form = form or CommentForm()
    form.question_id.choices = [(0, _("The whole consultation"))] + [
        (q.id, _("Question %(n)s", n=q.position)) for q in round_.questions
    ]
    return form


def _render_show(
    round_: Any, comment_form: CommentForm | None = None, paper_form: PaperCodesForm | None = None
) -> Any:
    actor = current_actor()
    manage = can(current_user, "consultations.manage", round_)
    context: dict[str, Any] = {
        "round": round_,
        "manage": manage,
        "full": request.args.get("full") == "1",
        "can_evaluate": services.can_evaluate(actor, round_),
        "answers_sent": services.answers_sent(actor, round_),
        "audio": spoken_audio.available(),
        "badges": _badges(round_),
    }
    if round_.discussion_enabled:
        comments = services.visible_comments(actor, round_)
        context.update(
            comments=comments,
            comment_form=_comment_form(round_, comment_form),
            held_count=services.held_count(actor, round_),
            moderation_items=moderation.items_for(comments),
            author_view=moderation.author_view,
        )
    if manage:
        invite_form = InviteForm()
        invite_form.person_ids.choices = [
            (p.id, p.display_name) for p in services.invitable_people(actor, round_)
        ]
        context.update(
            stages=list(RoundStatus),
            invite_form=invite_form,
            paper_form=paper_form or PaperCodesForm(),
            paper_count=sum(1 for i in round_.invitations if i.paper_code),
            people_count=len({i.person_id for i in round_.invitations if i.person_id}),
            overdue=bool(services.overdue_feedback([round_])),
        )
        context["proofreading"] = _proofreading_rows(round_)
        context["proofreading_labels"] = PROOFREADING_LABELS
        if round_.status.allows(Allow.FEEDBACK_SHOWN):
            context["evaluation"] = services.evaluation_summary(actor, round_)
            context["evaluation_questions"] = EVALUATION_QUESTIONS
            context["evaluation_comments"] = services.evaluation_comments(actor, round_)
    page = render_template("consultations/show.html", form=comment_form, **context)
    return page, form_status(comment_form, paper_form)


@bp.route("/<int:round_id>")
@login_required
def show(round_id: int) -> Any:
    return _render_show(load_round(round_id))


@bp.route("/<int:round_id>/comments", methods=["POST"])
@login_required
def comment(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.comment")
    form = _comment_form(round_)
    if form.validate_on_submit():
        done, created = commit_or_show_error(
            form,
            lambda: services.add_comment(
                current_actor(), round_, form.body.data, form.question_id.data or None
            ),
        )
        if done:
            if created.moderation_status == ModerationStatus.PUBLISHED:
                flash_ok(_("Your message is published."))
            else:
                flash_ok(_("Your message waits for a check by a person. We do it to protect you."))
            return redirect(url_for("consultations.show", round_id=round_.id) + "#discussion", 303)
    return _render_show(round_, form)


@bp.route("/<int:round_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = QuestionForm()
    form.condition_choice_id.choices = conditions.condition_options(round_)
    falc = (
        falc_services.check_fields(round_.organisation_id, {"text_easy": form.text_easy.data})
        if _wants_check(form)
        else {}
    )
    pictures = picture_search(form, round_.organisation_id)
    if not pictures.acted and not falc and form.validate_on_submit():
        done, _question = commit_or_show_error(
            form,
            lambda: services.add_question(
                current_actor(),
                round_,
                form.kind.data,
                form.text.data,
                form.text_easy.data or "",
                form.choice_list(),
                form.condition_choice_id.data,
            ),
        )
        if done:
            flash_ok(_("The question is added."))
            return redirect(url_for("consultations.show", round_id=round_.id) + "#questions", 303)
    page = render_template(
        "consultations/question_form.html", form=form, round=round_, falc=falc, pictures=pictures
    )
    return page, form_status(form, pictures)


def _load_question(round_: Any, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.round_id != round_.id:
        abort(404)
    return question


@bp.route("/<int:round_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(round_id: int, question_id: int) -> Any:
    """The "new question" form, filled with the question; its kind stays."""
    round_ = load_round(round_id, "consultations.manage")
    question = _load_question(round_, question_id)
    form = QuestionForm(data=services.question_form_data(question))
    del form.kind
    form.condition_choice_id.choices = conditions.condition_options(round_, question)
    conditional = conditions.conditional_ids(round_) - {question.id}  # others may lose theirs
    falc = (
        falc_services.check_fields(round_.organisation_id, {"text_easy": form.text_easy.data})
        if _wants_check(form)
        else {}
    )
    pictures = picture_search(form, round_.organisation_id)
    if not pictures.acted and not falc and form.validate_on_submit():
        done, changed = commit_or_show_error(
            form,
            lambda: corrections.change_question(
                current_actor(),
                question,
                services.QuestionData(
                    form.text.data,
                    form.text_easy.data or "",
                    form.choice_list(),
                    form.condition_choice_id.data,
                ),
            ),
        )
        if done:
            if changed:
                flash_ok(_("Question %(n)s is changed.", n=question.position))
            else:
                flash_ok(_("Nothing was changed in question %(n)s.", n=question.position))
            for note in conditions.notes_for_lost(round_, conditional):
                flash(note, "info")
            return redirect(url_for("consultations.show", round_id=round_.id) + "#questions", 303)
    page = render_template(
        "consultations/question_form.html",
        form=form,
        round=round_,
        falc=falc,
        question=question,
        pictures=pictures,
    )
    return page, form_status(form, pictures)


@bp.route("/<int:round_id>/questions/<int:question_id>/move", methods=["POST"])
@login_required
def move_question(round_id: int, question_id: int) -> Any:
    """The "Monter" / "Descendre" buttons of the round's page: one place up or down."""
    round_ = load_round(round_id, "consultations.manage")
    question = _load_question(round_, question_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    done, moved = commit_or_show_error(
        None, lambda: services.move_question(current_actor(), question, offset)
    )
    if done and moved:
        flash_ok(_("Question %(n)s is moved.", n=question.position))
    return redirect(url_for("consultations.show", round_id=round_.id) + "#questions", 303)


@bp.route("/<int:round_id>/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def delete_question(round_id: int, question_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    question = db.session.get(Question, question_id)
    if question is None or question.round_id != round_.id:
        abort(404)
    done, dropped = commit_or_show_error(
        None, lambda: services.remove_question(current_actor(), question)
    )
    if done:
        flash_ok(_("The question is removed."))
        for each in dropped:
            flash(conditions.dropped_note(each), "info")
    return redirect(url_for("consultations.show", round_id=round_.id) + "#questions", 303)


@bp.route("/<int:round_id>/invite-members", methods=["POST"])
@login_required
def invite_members(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    done, added = commit_or_show_error(
        None, lambda: services.invite_members(current_actor(), round_)
    )
    if done:
        flash_ok(ngettext("%(num)s person invited.", "%(num)s people invited.", added))
    return redirect(url_for("consultations.show", round_id=round_.id) + "#invitations", 303)


@bp.route("/<int:round_id>/invite", methods=["POST"])
@login_required
def invite_one(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    person_id = request.form.get("person_ids", type=int)
    if person_id is None:
        abort(400)
    done, _added = commit_or_show_error(
        None, lambda: services.invite_people(current_actor(), round_, [person_id])
    )
    if done:
        flash_ok(ngettext("%(num)s person invited.", "%(num)s people invited.", 1))
    return redirect(url_for("consultations.show", round_id=round_.id) + "#invitations", 303)


@bp.route("/<int:round_id>/paper-codes", methods=["POST"])
@login_required
def paper_codes(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = PaperCodesForm()
    if form.validate_on_submit():
        done, codes = commit_or_show_error(
            form, lambda: services.create_paper_codes(current_actor(), round_, form.count.data)
        )
        if done:
            # The codes page lists them (and the earlier ones): a reload or "back" shows it again.
            flash_ok(_("New paper questionnaire codes: %(n)s.", n=len(codes)))
            return redirect(url_for("consultations.paper_code_list", round_id=round_.id), 303)
    return _render_show(round_, paper_form=form)


@bp.route(
    "/<int:round_id>/<any(" + ", ".join(f"'{p}'" for p in STEP_PATHS) + "):step>",
    methods=["POST"],
)
@login_required
def step(round_id: int, step: str) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    taken = STEP_PATHS[step]
    form = StepForm()
    if not form.validate():
        # `confirm` is a hidden "1" or nothing: anything else is no request of this page.
        abort(400)
    if taken.checks and form.confirm.data != "1":
        texts = participant_texts(round_, taken.checks)
        check = falc_services.publication_check(round_.organisation_id, as_check_input(texts))
        if not check.clean:
            # Never block silently: show what people would receive, let the author decide.
            return render_template(
                "consultations/confirm_publish.html",
                round=round_,
                step=step,
                check=check,
                places={t.key: t for t in texts},
            )
    due = services.early_date(round_, taken.target) if form.confirm.data != "1" else None
    if due is not None:
        # Before the round's own date: the facilitator confirms, the page names the date.
        return render_template(
            "consultations/confirm_early.html",
            round=round_,
            step=step,
            target=taken.target,
            due=due,
        )
    done, _none = commit_or_show_error(
        form, lambda: services.transition(current_actor(), round_, taken.target)
    )
    if not done:
        # The step is refused in the state the round is in (409), with the service's words.
        return render_template(
            "consultations/show_error.html", round=round_, message=form.form_errors[-1]
        ), 409
    flash_ok(_("Done. The round is now at the step: %(step)s.", step=round_.status.label))
    return redirect(url_for("consultations.show", round_id=round_.id), 303)


@bp.route("/<int:round_id>/texts-check")
@login_required
def texts_check(round_id: int) -> Any:
    """The easy-read check of every text people will read (?texts=feedback: the feedback
    items), at any time: the same list as before announcing, without the button."""
    round_ = load_round(round_id, "consultations.manage")
    which = request.args.get("texts", ROUND)
    if which not in (ROUND, FEEDBACK):
        abort(404)
    texts = participant_texts(round_, which)
    check = falc_services.publication_check(round_.organisation_id, as_check_input(texts))
    return render_template(
        "consultations/confirm_publish.html",
        round=round_,
        step=None,
        check=check,
        places={t.key: t for t in texts},
    )


@bp.route("/<int:round_id>/results")
@login_required
def results(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.see_results")
    data = services.compute_results(current_actor(), round_)
    return render_template("consultations/results.html", round=round_, results=data, charts=charts)


@bp.route("/<int:round_id>/results/questions/<int:question_id>/texts")
@login_required
def result_texts(round_id: int, question_id: int) -> Any:
    """Everything people wrote to one question, 50 texts a page."""
    round_ = load_round(round_id, "consultations.see_results")
    page = request.args.get("page", 1, type=int) or 1
    data = services.question_texts(current_actor(), round_, question_id, page)
    return render_template("consultations/result_texts.html", round=round_, data=data)


@bp.route("/<int:round_id>/results/questions/<int:question_id>/chart.svg")
@login_required
def chart(round_id: int, question_id: int) -> Any:
    round_ = load_round(round_id, "consultations.see_results")
    data = services.compute_results(current_actor(), round_, include_texts=False)
    result = next((q for q in data.questions if q.question.id == question_id), None)
    if result is None:
        abort(404)
    return HttpResponse(charts.bar_chart_svg(result, data.threshold), mimetype="image/svg+xml")


def _pdf(data: bytes, name: str) -> HttpResponse:
    return HttpResponse(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename={name}.pdf"},
    )


@bp.route("/<int:round_id>/questionnaire.pdf")
@login_required
def questionnaire_pdf(round_id: int) -> Any:
    """The paper questionnaire; with ?codes=P-...,P-... one copy per paper code."""
    round_ = load_round(round_id, "consultations.manage")
    wanted = [c.strip().upper() for c in request.args.get("codes", "").split(",") if c.strip()]
    known = {i.paper_code for i in round_.invitations if i.paper_code}
    known -= {i.paper_code for i in round_.invitations if i.paper_code_cancelled_at}
    if any(code not in known for code in wanted):
        abort(404)
    return _pdf(printing.questionnaire_pdf(round_, wanted or [None]), f"questionnaire-{round_.id}")


@bp.route("/<int:round_id>/easy.pdf")
@login_required
def easy_pdf(round_id: int) -> Any:
    round_ = load_round(round_id)
    return _pdf(printing.easy_pdf(round_), f"consultation-{round_.id}-facile")


@bp.route("/<int:round_id>/audio.ogg")
@login_required
def audio(round_id: int) -> Any:
    round_ = load_round(round_id)
    path = spoken.round_audio(round_)  # in the round's language, whatever the interface's
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/ogg", max_age=3600)


@bp.route("/<int:round_id>/summary.pdf")
@login_required
def summary_pdf(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.see_results")
    results = services.compute_results(current_actor(), round_)  # with the chosen quotes
    return _pdf(printing.summary_pdf(round_, results), f"consultation-{round_.id}-resume")


@bp.route("/<int:round_id>/answers.csv")
@writes_on_get
@login_required
def export_csv(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    rows = services.export_answers_rows(current_actor(), round_)
    db.session.commit()
    return csv_download(f"consultation-{round_.id}-reponses.csv", services.CSV_COLUMNS, rows)


# The feedback pages (the timeline, writing and changing items, their news, evaluations typed
# in from paper) are in feedback_views.py.


@bp.route("/<int:round_id>/evaluation", methods=["GET", "POST"])
@login_required
def evaluation(round_id: int) -> Any:
    round_ = load_round(round_id)
    if not services.can_evaluate(current_actor(), round_):
        abort(403)
    form = EvaluationForm()
    if form.validate_on_submit():
        answers = {name: getattr(form, name).data for name in EVALUATION_QUESTIONS}
        done, _evaluation = commit_or_show_error(
            form,
            lambda: services.submit_evaluation(
                current_actor(), round_, answers, form.comment.data or ""
            ),
        )
        if done:
            flash_ok(_("Thank you! Your opinion helps to do better next time."))
            return redirect(url_for("consultations.show", round_id=round_.id), 303)
    page = render_template("consultations/evaluation.html", form=form, round=round_)
    return page, form_status(form)
