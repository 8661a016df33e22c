"""Finance's queue page and its batch of requests (accept or pay the ticked ones). Thin: the
rules are in finance.py and services.py."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from app import db
from app.accounts.models import Organisation
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.expenses import finance, sepa, services, story
from app.expenses.blueprint import bp
from app.expenses.finance_forms import AccountForm, BatchForm, QueueFilterForm
from app.expenses.models import RequestKind, RequestStatus


def _organisations(actor: Any) -> list[Organisation]:
    ids = services.reviewable_organisations(actor)
    return [o for o in (db.session.get(Organisation, i) for i in ids) if o is not None]


def _render(
    filters: QueueFilterForm,
    form: BatchForm,
    status: int,
    outcome: Any = None,
    paid: list[int] | None = None,
) -> Any:
    actor = current_actor()
    organisations = _organisations(actor)
    if not organisations:
        abort(404)
    filters.organisation.choices = [("", _("All organisations"))] + [
        (str(o.id), o.name) for o in organisations
    ]
    chosen = {}
    kept = {}  # the filters, kept in the links to the other pages
    if filters.validate():
        chosen = {
            "organisation_id": int(filters.organisation.data)
            if filters.organisation.data
            else None,
            "kind": RequestKind(filters.kind.data) if filters.kind.data else None,
            "state": RequestStatus(filters.state.data) if filters.state.data else None,
        }
        kept = {
            name: filters[name].data
            for name in ("organisation", "kind", "state")
            if filters[name].data
        }
    listing = finance.queue_page(actor, request.args.get("page", 1, type=int), **chosen)
    rows = listing.rows
    form.request_ids.choices = [(row.request.id, str(row.request.id)) for row in rows]
    paid = paid if paid is not None else _paid_in_url()
    return (
        render_template(
            "expenses/finance.html",
            filters=filters,
            form=form,
            rows=rows,
            listing=listing,
            kept=kept,
            outcome=outcome,
            paid=paid,
            left_out=_left_out(paid),
            recent=sepa.recent_transfers(actor),
            story=story,
            without_account=_without_account(actor, organisations),
            accounts=[o for o in organisations if can(actor, "expenses.settings", o.id)],
            many_organisations=len(organisations) > 1,
        ),
        status,
    )


def _left_out(paid: list[int]) -> list[Any]:
    """The requests just paid by transfer that the bank file leaves out (no IBAN)."""
    from sqlalchemy import select

    from app.expenses import sepa
    from app.expenses.models import ExpenseRequest

    if not paid:
        return []
    requests = db.session.scalars(select(ExpenseRequest).where(ExpenseRequest.id.in_(paid)))
    actor = current_actor()
    return sepa.left_out([r for r in requests if can(actor, "expenses.pay", r.organisation_id)])


def _without_account(actor: Any, organisations: list[Organisation]) -> list[Organisation]:
    """The organisations this person pays for whose own bank account is not given yet: the
    bank file of their transfers needs it."""
    from app.expenses.finance_models import FinanceAccount

    return [
        o
        for o in organisations
        if can(actor, "expenses.pay", o.id) and db.session.get(FinanceAccount, o.id) is None
    ]


def _paid_in_url() -> list[int]:
    return [int(v) for v in request.args.getlist("paid") if v.isdigit()][: finance.BATCH_MAX]


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
            paid = (
                [r.id for r in outcome.done + outcome.already] if form.action.data == "pay" else []
            )
            if not outcome.refused:
                return redirect(url_for("expenses.finance_queue", paid=paid), 303)
            filters = QueueFilterForm(formdata=None)
            return _render(filters, BatchForm(formdata=None), 200, outcome, paid)
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


@bp.route("/organisations/<int:organisation_id>/bank-account", methods=["GET", "POST"])
@login_required
def finance_account(organisation_id: int) -> Any:
    from app.expenses.finance_models import FinanceAccount

    actor = current_actor()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(actor, "expenses.settings", organisation_id):
        abort(404)
    form = AccountForm()
    account = db.session.get(FinanceAccount, organisation_id)
    if request.method == "GET" and account is not None:
        form.holder.data, form.iban.data, form.bic.data = account.holder, account.iban, account.bic
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: finance.set_account(
                actor, organisation_id, form.holder.data, form.iban.data, form.bic.data
            ),
        )
        if ok:
            flash_ok(_("The organisation's bank account is saved."))
            return redirect(
                url_for("expenses.finance_account", organisation_id=organisation_id), 303
            )
    return render_template(
        "expenses/finance_account.html", form=form, organisation=organisation
    ), form_status(form)


@bp.route("/finance/transfers.xml")
@login_required
def finance_transfers() -> Any:
    from app.core.errors import DomainError
    from app.expenses import sepa

    actor = current_actor()
    if not services.reviewable_organisations(actor):
        abort(404)
    ids = [int(v) for v in request.args.getlist("ids") if v.isdigit()][: finance.BATCH_MAX]
    try:
        data = sepa.transfer_xml(actor, ids)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("expenses.finance_queue"), 303)
    response = make_response(data)
    response.headers["Content-Type"] = "application/xml"
    response.headers["Content-Disposition"] = 'attachment; filename="virements.xml"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/organisations/<int:organisation_id>/accounting")
@login_required
def finance_accounting(organisation_id: int) -> Any:
    """The paid requests of a period as journal entries: ?from=2026-01-01&to=2026-12-31,
    and &layout=fec for the French FEC file (tab-separated) instead of the CSV."""
    from datetime import date

    from flask import Response

    from app.core.calendar import current_year, known_year
    from app.core.csv_files import csv_download
    from app.db import utcnow
    from app.expenses import accounting

    actor = current_actor()
    if not can(actor, "expenses.pay", organisation_id):
        abort(404)
    year = current_year(utcnow())
    try:
        start = date.fromisoformat(request.args.get("from", f"{year}-01-01"))
        end = date.fromisoformat(request.args.get("to", f"{year}-12-31"))
    except ValueError:
        abort(400)
    if not (known_year(start.year) and known_year(end.year)):
        abort(400)
    found = accounting.entries(actor, organisation_id, start, end)
    if request.args.get("layout") == "fec":
        name = f"FEC-{organisation_id}-{end.strftime('%Y%m%d')}.txt"
        return Response(
            accounting.fec_text(found),
            mimetype="text/plain",
            headers={
                "Content-Disposition": f"attachment; filename={name}",
                "X-Content-Type-Options": "nosniff",
            },
        )
    return csv_download(
        f"ecritures-{organisation_id}-{start}-{end}.csv",
        accounting.CSV_COLUMNS,
        accounting.csv_rows(found),
    )


@bp.route("/receipts/<int:receipt_id>/preview")
@login_required
def receipt_preview(receipt_id: int) -> Any:
    """The receipt as a picture, shown inline on the review page (never the raw PDF)."""
    from app.expenses import finance_preview

    data, mime = finance_preview.preview(current_actor(), receipt_id)
    if data is None:  # a PDF that could not be drawn: said in words, with the file to download
        return render_template("expenses/receipt_unreadable.html", receipt_id=receipt_id)
    response = make_response(data)
    response.headers["Content-Type"] = mime
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/organisations/<int:organisation_id>/ledger", methods=["GET", "POST"])
@login_required
def finance_ledger(organisation_id: int) -> Any:
    from app.expenses import accounting
    from app.expenses.finance_forms import LEDGER_KEYS, LedgerForm

    actor = current_actor()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(actor, "expenses.settings", organisation_id):
        abort(404)
    form = LedgerForm()
    if request.method == "GET":
        current = accounting.accounts_of(organisation_id)
        for key in LEDGER_KEYS:
            form[f"ledger_{key}"].data = current[key]
    if form.validate_on_submit():
        typed = {key: form[f"ledger_{key}"].data or "" for key in LEDGER_KEYS}
        ok, _result = commit_or_show_error(
            form, lambda: accounting.set_accounts(actor, organisation_id, typed)
        )
        if ok:
            flash_ok(_("The ledger accounts are saved."))
            return redirect(
                url_for("expenses.finance_ledger", organisation_id=organisation_id), 303
            )
    return render_template(
        "expenses/finance_ledger.html", form=form, organisation=organisation
    ), form_status(form)
