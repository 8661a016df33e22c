"""The curation page: the facilitator chooses which free texts participants read
(app/consultations/curation.py)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.consultations import curation
from app.consultations.blueprint import bp
from app.consultations.curation_forms import QuoteForm
from app.consultations.views import load_round
from app.core.errors import NotFound
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


def _forms(page: curation.CurationPage) -> dict[int, QuoteForm]:
    """One form per answer, filled with the facilitator's current choice."""
    return {
        item.answer_id: QuoteForm(
            formdata=None,
            prefix=f"a{item.answer_id}",
            data={"chosen": item.chosen, "text": item.shown},
        )
        for item in page.items
    }


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/<int:round_id>/curation")
@login_required
def curation_overview(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.curate")
    questions = curation.curation_overview(current_actor(), round_)
    return render_template("consultations/curation.html", round=round_, questions=questions)


@bp.route("/<int:round_id>/curation/<int:question_id>")
@login_required
def curation_question(round_id: int, question_id: int) -> Any:
    round_ = load_round(round_id, "consultations.curate")
    page = curation.curation_page(current_actor(), round_, question_id, _page_number())
    return render_template(
        "consultations/curation_question.html",
        round=round_,
        data=page,
        forms=_forms(page),
        failed=None,
        found_label=curation.found_label,
    )


@bp.route("/<int:round_id>/curation/<int:question_id>/<int:answer_id>", methods=["POST"])
@login_required
def save_quote(round_id: int, question_id: int, answer_id: int) -> Any:
    round_ = load_round(round_id, "consultations.curate")
    number = _page_number()
    form = QuoteForm(prefix=f"a{answer_id}")
    if form.validate_on_submit():
        data = curation.QuoteData(
            chosen=bool(form.chosen.data),
            text=form.text.data or "",
            mask=request.form.get("action") == "mask",
        )
        done, _quote = commit_or_show_error(
            form, lambda: curation.save_quote(current_actor(), round_, answer_id, data)
        )
        if done:
            flash_ok(_("Saved. The answer as written is kept for the staff."))
            target = url_for(
                "consultations.curation_question",
                round_id=round_.id,
                question_id=question_id,
                page=number,
                _anchor=f"answer-{answer_id}",
            )
            return redirect(target, 303)
        round_ = load_round(round_id, "consultations.curate")
    page = curation.curation_page(current_actor(), round_, question_id, number)
    if answer_id not in {item.answer_id for item in page.items}:
        raise NotFound(_l("This page does not exist."))  # an answer of another page
    forms = _forms(page)
    forms[answer_id] = form
    return render_template(
        "consultations/curation_question.html",
        round=round_,
        data=page,
        forms=forms,
        failed=form,
        found_label=curation.found_label,
    ), form_status(form)


@bp.route("/<int:round_id>/curation/<int:question_id>/ready", methods=["POST"])
@login_required
def quotes_ready(round_id: int, question_id: int) -> Any:
    round_ = load_round(round_id, "consultations.curate")
    done, _changed = commit_or_show_error(
        None,
        lambda: curation.mark_quotes_ready(current_actor(), round_, question_id),
        on_refusal="page",
    )
    flash_ok(_("Done. Participants now read the quotes you chose."))
    return redirect(
        url_for("consultations.curation_question", round_id=round_id, question_id=question_id),
        303,
    )
