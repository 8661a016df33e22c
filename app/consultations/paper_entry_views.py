"""The one-page paper entry: a facilitator types a whole paper questionnaire on one page, then
the next one. The question-by-question entry (answering_views.paper) stays available."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.consultations import paper_entry
from app.consultations.blueprint import bp
from app.consultations.paper_entry_forms import paper_entry_form
from app.consultations.views import load_round
from app.core import idempotency
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


@bp.route("/<int:round_id>/paper/one-page", methods=["GET", "POST"])
@login_required
def paper_one_page(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.type_in_paper")
    form = paper_entry_form(round_)
    if form.validate_on_submit():
        location = url_for("consultations.paper_one_page", round_id=round_.id)
        code = form.code.data
        done, _response = commit_or_show_error(
            form,
            lambda: paper_entry.enter_paper_questionnaire(
                current_actor(), round_, form.questionnaire()
            ),
            before_commit=lambda _result: idempotency.will_redirect(location),
        )
        if done:
            flash_ok(_("Questionnaire %(code)s is saved. You can type in the next one.", code=code))
            return redirect(location, 303)
    page = render_template("consultations/paper_entry.html", form=form, round=round_)
    return page, form_status(form)
