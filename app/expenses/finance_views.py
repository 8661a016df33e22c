"""Finance's queue page and its batch of requests (accept or pay the ticked ones). Thin: the
rules are in finance.py and services.py."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from app import db
from app.accounts.models import Organisation
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.expenses import finance, services
from app.expenses.blueprint import bp
from app.expenses.finance_forms import BatchForm, QueueFilterForm
from app.expenses.models import RequestKind, RequestStatus


def _organisations(actor: Any) -> list[Organisation]:
    ids = services.reviewable_organisations(actor)
    return [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]


def _render(filters: QueueFilterForm, form: BatchForm, status: int, outcome: Any = None) -> Any:
    actor = current_actor()
    organisations = _organisations(actor)
    if not organisations:
        abort(404)
    filters.organisation.choices = [("", _("All organisations"))] + [
        (str(o.id), o.name) for o in organisations
    ]
    chosen = {}
    if filters.validate():
        chosen = {
            "organisation_id": int(filters.organisation.data)
            if filters.organisation.data
            else None,
            "kind": RequestKind(filters.kind.data) if filters.kind.data else None,
            "state": RequestStatus(filters.state.data) if filters.state.data else None,
        }
    rows = finance.queue(actor, **chosen)
    form.request_ids.choices = [(row.request.id, str(row.request.id)) for row in rows]
    return (
        render_template(
            "expenses/finance.html",
            filters=filters,
            form=form,
            rows=rows,
            outcome=outcome,
            many_organisations=len(organisations) > 1,
        ),
        status,
    )


@bp.route("/finance")
@login_required
def finance_queue() -> Any:
    return _render(QueueFilterForm(request.args), BatchForm(formdata=None), 200)


@bp.route("/finance/batch", methods=["POST"])
@login_required
def finance_batch() -> Any:
    actor = current_actor()
    if not services.reviewable_organisations(actor):
        abort(404)
    form = BatchForm()
    form.request_ids.choices = [(i, str(i)) for i in _ticked()]
    if form.validate_on_submit():
        if form.action.data == "pay":
            ids, reference = form.request_ids.data, form.reference.data or ""
            call = lambda: finance.pay_batch(actor, ids, reference)  # noqa: E731
        else:
            call = lambda: finance.approve_batch(actor, form.request_ids.data)  # noqa: E731
        ok, outcome = commit_or_show_error(form, call)
        if ok:
            _flash(form.action.data, outcome)
            if not outcome.refused:
                return redirect(url_for("expenses.finance_queue"), 303)
            filters = QueueFilterForm(formdata=None)
            return _render(filters, BatchForm(formdata=None), 200, outcome)
    return _render(QueueFilterForm(formdata=None), form, form_status(form))


def _ticked() -> list[int]:
    return [int(v) for v in request.form.getlist("request_ids") if v.isdigit()][: finance.BATCH_MAX]


def _flash(action: str, outcome: finance.BatchOutcome) -> None:
    count = len(outcome.done) + len(outcome.already)
    if not count:
        return
    if action == "pay":
        flash_ok(ngettext("%(num)d request paid.", "%(num)d requests paid.", count))
    else:
        flash_ok(ngettext("%(num)d request accepted.", "%(num)d requests accepted.", count))
