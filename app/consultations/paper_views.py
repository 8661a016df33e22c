"""The paper codes page of a round: every code with what became of it, printing the unused
ones again, cancelling one (with a confirmation page, so it works without JavaScript).
The codes are made by the form of the round's page (views.paper_codes), which comes here."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.consultations import paper_codes
from app.consultations.blueprint import bp
from app.consultations.models import PaperCodeState
from app.consultations.views import load_round
from app.core.forms import Form
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


@bp.route("/<int:round_id>/paper-codes", methods=["GET"])
@login_required
def paper_code_list(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    codes = paper_codes.list_paper_codes(current_actor(), round_)
    unused = [c.code for c in codes if c.state == PaperCodeState.UNUSED]
    return render_template(
        "consultations/paper_codes.html", round=round_, codes=codes, unused=unused
    )


@bp.route("/<int:round_id>/paper-codes/<code>/cancel", methods=["GET", "POST"])
@login_required
def cancel_paper_code(round_id: int, code: str) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    invitation = paper_codes.find_paper_code(round_, code)
    if invitation is None:
        abort(404)
    form = Form()
    if form.validate_on_submit():
        printed = invitation.paper_code
        done, _none = commit_or_show_error(
            form, lambda: paper_codes.cancel_paper_code(current_actor(), invitation)
        )
        if done:
            flash_ok(_("The code %(code)s is cancelled. Nobody can answer with it.", code=printed))
            return redirect(url_for("consultations.paper_code_list", round_id=round_.id), 303)
        invitation = paper_codes.find_paper_code(round_, code)  # the rollback expired it
    return render_template(
        "consultations/paper_code_cancel.html",
        round=round_,
        invitation=invitation,
        state=paper_codes.code_state(invitation),
        form=form,
    ), form_status(form)
