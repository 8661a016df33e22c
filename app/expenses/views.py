"""Expense pages: my requests, a new request step by step, the request page (costs, receipts,
summary before sending), review and payment, receipts, bank details, the organisation's
rates. Thin: the rules are in services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import StringField
from wtforms.validators import Length, Optional

from app import db
from app.accounts.models import Organisation, Person, Role
from app.core import formatting
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.expenses import mileage, services, statements, story
from app.expenses.blueprint import bp
from app.expenses.categories import Category
from app.expenses.forms import (
    BankForm,
    CompensationForm,
    ExpenseSettingsForm,
    LineForm,
    NewRequestForm,
    PayForm,
    PaymentForm,
    ReceiptForm,
    ReviewForm,
    StatementForm,
)
from app.expenses.models import ActivityType, BankDetails, ExpenseLine, PaymentMethod, RequestKind


def _payment() -> Any:
    """How the person is paid (payment.py), read by the request and review pages."""
    from app.expenses import payment

    return payment


def _load(request_id: int) -> Any:
    return services.load_request(current_actor(), request_id)


def _to_fill(request_id: int) -> Any:
    """A request the actor fills in: the person or their helper (expenses.fill)."""
    expense = _load(request_id)
    if not can(current_actor(), "expenses.fill", expense):
        abort(404)
    return expense


@bp.route("/")
@login_required
def index() -> Any:
    actor = current_actor()
    overdue = []
    for organisation_id in services.reviewable_organisations(actor):
        overdue.extend(services.overdue(organisation_id))
    from app.core.calendar import current_year
    from app.db import utcnow

    finance = {
        m.organisation_id: m.organisation
        for m in actor.memberships
        if can(actor, "expenses.settings", m.organisation_id)
    }
    mine = services.my_requests(actor)
    return render_template(
        "expenses/index.html",
        this_year=current_year(utcnow()),
        finance_organisations=list(finance.values()),
        mine=mine,
        payees=story.payees_of(mine),
        story=story,
        **_to_review(actor),
        overdue=overdue,
        **_direct_purchases(actor),
    )


TO_REVIEW_SHOWN = 10  # on the costs page; all of them in finance's queue, page by page


def _to_review(actor: Any) -> dict[str, Any]:
    waiting = services.to_review(actor)
    return {
        "to_review": waiting[:TO_REVIEW_SHOWN],
        "more_to_review": max(len(waiting) - TO_REVIEW_SHOWN, 0),
    }


def _direct_purchases(actor: Any) -> dict[str, Any]:
    """What organisations paid directly for the actor, and where they record such purchases."""
    from app.expenses import direct

    return {
        "paid_for_me": [direct.sentence(r) for r in direct.paid_for(actor)],
        "buying_organisations": direct.organisations_buying(actor),
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    actor = current_actor()
    person = actor
    person_id = request.args.get("person_id", type=int)
    if person_id and person_id != actor.id:
        person = db.session.get(Person, person_id)
        if person is None or not can(actor, "person.act_for", person):
            abort(404)
    form = NewRequestForm()
    organisations = {m.organisation_id: m.organisation for m in person.memberships}
    form.organisation_id.choices = [(o.id, o.name) for o in organisations.values()]
    if form.validate_on_submit():
        ok, created = commit_or_show_error(
            form,
            lambda: services.create_request(
                actor,
                person,
                organisations.get(form.organisation_id.data),
                RequestKind(form.kind.data),
                ActivityType(form.activity_type.data),
                form.activity_label.data or "",
                activity_on=form.activity_on.data,
                consent_note=form.consent_note.data,
            ),
        )
        if ok:
            return redirect(url_for("expenses.show", request_id=created.id), 303)
    status = form_status(form)
    return render_template(
        "expenses/new.html", form=form, person=person, for_someone=person.id != actor.id
    ), status


def _render_show(expense: Any, status: int = 200, **forms: Any) -> Any:
    actor = current_actor()
    settings = services.settings_for(expense.organisation_id)
    pay_form = forms.get("pay_form") or PayForm(formdata=None)
    if expense.pay_choice and "pay_form" not in forms:
        pay_form.pay_choice.data = expense.pay_choice.value
        pay_form.notice_read.data = True
    if "pay_form" not in forms and (expense.hours or expense.hourly_rate):
        # Also a draft prepared from co-training attendance: hours and rate already known.
        pay_form.hours.data = _typed(expense.hours)
        pay_form.hourly_rate.data = _typed(expense.hourly_rate)
    receipt_forms = {
        line.id: ReceiptForm(formdata=None, prefix=f"line{line.id}") for line in expense.lines
    }
    if "receipt_form" in forms:
        line_id, form = forms["receipt_form"]
        receipt_forms[line_id] = form
    statement_forms = _statement_forms(expense, forms.get("statement_form"))
    line_form = forms.get("line_form")
    if line_form is None:
        line_form = LineForm(formdata=None)
        line_form.vehicle_power.data = services.remembered_vehicle_power(expense.person_id)
    if expense.kind == RequestKind.ADVANCE:  # a cost still to come
        line_form.category.label.text = _("What are you going to pay for?")
    return (
        render_template(
            "expenses/show.html",
            expense=expense,
            settings=settings,
            line_form=line_form,
            receipt_forms=receipt_forms,
            statement_forms=statement_forms,
            without_receipt=statements.allowed_without_receipt(expense.organisation_id),
            uses_scale=settings.km_rate is None,
            pay_form=pay_form,
            compensation_form=forms.get("compensation_form")
            or CompensationForm(formdata=None, amount=_typed(expense.flat_amount)),
            problems=services.problems(expense),
            balance=services.advance_balance(expense) if expense.settles_id else None,
            story=story,
            iban=services.iban_for(actor, expense.person_id, expense.organisation_id)
            if expense.person_id
            else None,
            preference=_payment().preference_of(expense.person_id),
            payee=_payment().payee_view(actor, expense),
            sworn_ok={
                line.id: services.sworn_refusal(line, settings) is None for line in expense.lines
            },
        ),
        status,
    )


def _statement_forms(expense: Any, sent: tuple[int, Any] | None) -> dict[int, Any]:
    """One sworn statement form per cost line, its box labelled with the exact sentence."""
    for_someone = expense.person_id != current_actor().id
    name = expense.person.display_name if expense.person else ""
    found = {}
    for line in expense.lines:
        if sent is not None and sent[0] == line.id:
            form = sent[1]
        else:
            form = StatementForm(formdata=None, prefix=f"sworn{line.id}")
        form.agreed.label.text = statements.sentence(line, name, for_someone)
        found[line.id] = form
    return found


def _typed(value: Decimal | None) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


@bp.route("/<int:request_id>")
@login_required
def show(request_id: int) -> Any:
    return _render_show(_load(request_id))


@bp.route("/<int:request_id>/lines", methods=["POST"])
@login_required
def add_line(request_id: int) -> Any:
    expense = _to_fill(request_id)
    form = LineForm()
    if form.validate_on_submit():
        data = services.LineInput(
            category=Category(form.category.data),
            amount=form.amount.data or "",
            kilometres=form.kilometres.data or "",
            hours=form.hours.data or "",
            flat_rate=bool(form.flat_rate.data),
            description=form.description.data or "",
            vehicle_power=form.vehicle_power.data or "",
            electric=bool(form.electric.data),
            from_place=form.from_place.data or "",
            to_place=form.to_place.data or "",
        )
        ok, _result = commit_or_show_error(
            form, lambda: services.add_line(current_actor(), expense, data)
        )
        if ok:
            flash_ok(_("The cost is added."))
            return redirect(url_for("expenses.show", request_id=expense.id) + "#costs", 303)
        expense = _load(request_id)
    return _render_show(expense, 400, line_form=form)


def _line(line_id: int) -> ExpenseLine:
    """A cost line of a request the actor fills in (expenses.fill)."""
    line = db.session.get(ExpenseLine, line_id)
    if line is None or not can(current_actor(), "expenses.fill", line.request):
        abort(404)
    return line


@bp.route("/lines/<int:line_id>/remove", methods=["POST"])
@login_required
def remove_line(line_id: int) -> Any:
    return _line_button(line_id, services.remove_line, _("The cost is removed."))


def _line_button(line_id: int, service: Any, done: str) -> Any:
    """A button of a cost line: the service's work, then back to the request's costs."""
    line = _line(line_id)
    request_id = line.request_id
    ok, _result = commit_or_show_error(None, lambda: service(current_actor(), line))
    if ok:
        flash_ok(done)
    return redirect(url_for("expenses.show", request_id=request_id) + "#costs", 303)


@bp.route("/lines/<int:line_id>/receipts", methods=["POST"])
@login_required
def add_receipt(line_id: int) -> Any:
    line = _line(line_id)
    request_id = line.request_id
    form = ReceiptForm(prefix=f"line{line.id}")
    if form.validate_on_submit():
        upload = form.receipt.data
        ok, _result = commit_or_show_error(
            form,
            lambda: services.attach_receipt(
                current_actor(), line, upload.read(), upload.filename or ""
            ),
        )
        if ok:
            flash_ok(_("The receipt is added."))
            return redirect(url_for("expenses.show", request_id=request_id) + "#costs", 303)
    return _render_show(_load(request_id), 400, receipt_form=(line_id, form))


@bp.route("/lines/<int:line_id>/sworn", methods=["POST"])
@login_required
def sworn(line_id: int) -> Any:
    """The sworn statement of a cost: its box ticked (and the consent note written by a
    facilitator who signs for the person)."""
    line = _line(line_id)
    request_id = line.request_id
    form = StatementForm(prefix=f"sworn{line.id}")
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: statements.sign(
                current_actor(), line, bool(form.agreed.data), form.consent_note.data
            ),
        )
        if ok:
            flash_ok(_("Your sworn statement is saved. No receipt is needed for this cost."))
            return redirect(url_for("expenses.show", request_id=request_id) + "#costs", 303)
    return _render_show(_load(request_id), 400, statement_form=(line_id, form))


@bp.route("/<int:request_id>/pay", methods=["POST"])
@login_required
def pay_details(request_id: int) -> Any:
    expense = _to_fill(request_id)
    form = PayForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: services.set_pay(
                current_actor(),
                expense,
                form.hours.data or "",
                form.hourly_rate.data or "",
                form.pay_choice.data,
                bool(form.notice_read.data),
            ),
        )
        if ok:
            flash_ok(_("Saved."))
            return redirect(url_for("expenses.show", request_id=expense.id) + "#summary", 303)
        expense = _load(request_id)
    return _render_show(expense, 400, pay_form=form)


@bp.route("/<int:request_id>/compensation", methods=["POST"])
@login_required
def compensation(request_id: int) -> Any:
    expense = _load(request_id)
    actor = current_actor()
    if not can(actor, "expenses.set_compensation", expense):
        abort(404)
    form = CompensationForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.set_compensation(actor, expense, form.amount.data or "")
        )
        if ok:
            flash_ok(_("The amount is saved. The person can now send the request."))
            return redirect(url_for("expenses.show", request_id=expense.id) + "#summary", 303)
        expense = _load(request_id)
    return _render_show(expense, 400, compensation_form=form)


@bp.route("/<int:request_id>/<any(submit, cancel, settle):step>", methods=["POST"])
@login_required
def step(request_id: int, step: str) -> Any:
    expense = _to_fill(request_id)
    actor = current_actor()
    call, message = {
        "submit": (
            lambda: services.submit(actor, expense) or expense,
            _("Your request is sent. We tell you when it is checked.")
            if expense.person is None or expense.person_id == actor.id
            else _(
                "The request of %(name)s is sent. We tell %(name)s when it is checked.",
                name=expense.person.display_name or expense.person.login_identifier,
            ),
        ),
        "cancel": (
            lambda: services.cancel(actor, expense) or expense,
            _("Your request is cancelled."),
        ),
        "settle": (
            lambda: services.settle_advance(actor, expense),
            _("Now add your real costs and their receipts."),
        ),
    }[step]
    ok, target = commit_or_show_error(None, call)
    if not ok:
        if step == "submit":  # the summary again, with what is missing said above it
            return _render_show(_load(request_id), 400)
        return redirect(url_for("expenses.show", request_id=request_id), 303)
    flash_ok(message)
    return redirect(url_for("expenses.show", request_id=target.id), 303)


def _review_form(expense: Any) -> Any:
    """The review form with one amount field per cost line."""
    fields = {
        f"line_{line.id}": StringField(
            _("Amount accepted for cost %(n)s", n=position),
            description=_(
                "Asked: %(amount)s. Leave empty to accept all.",
                amount=formatting.money(line.amount),
            ),
            validators=[Optional(), Length(max=20)],
        )
        for position, line in enumerate(expense.lines, start=1)
    }
    return type("LineReviewForm", (ReviewForm,), fields)


@bp.route("/<int:request_id>/review", methods=["GET", "POST"])
@login_required
def review(request_id: int) -> Any:
    expense = _load(request_id)
    actor = current_actor()
    if not (
        can(actor, "expenses.review", expense.organisation_id)
        or can(actor, "expenses.review_this", expense)
        or can(actor, "expenses.pay_this", expense)
    ):
        abort(404)
    form = _review_form(expense)(formdata=None if request.method == "GET" else request.form)
    payment_form = _payment_form(expense)
    if request.method == "POST" and form.validate_on_submit():
        typed = {line.id: form[f"line_{line.id}"].data or "" for line in expense.lines}
        ok, _result = commit_or_show_error(
            form,
            lambda: services.review(
                actor,
                expense,
                services.Review(form.decision.data, form.reason.data or "", typed),
            ),
        )
        if ok:
            flash_ok(_("Your decision is saved. The person is told."))
            return redirect(url_for("expenses.index"), 303)
        expense = _load(request_id)
    return _render_review(expense, form, payment_form, form_status(form))


def _payment_form(expense: Any, formdata: Any = None) -> PaymentForm:
    form = PaymentForm(formdata=formdata)
    staff = [
        m.person
        for m in expense.organisation.memberships
        if m.role in (Role.FACILITATOR, Role.FINANCE, Role.ADMIN)
    ]
    payee = _payment().payee_of(expense.id)
    if formdata is None and payee is not None and payee.method in _payment().PAID_TO_SOMEONE:
        form.method.data, form.third_party_name.data = "third_party", payee.name
    form.handed_over_by_id.choices = [(0, _("Nobody: not handed over"))] + [
        (p.id, p.display_name) for p in {p.id: p for p in staff}.values()
    ]
    return form


def _drawable(expense: Any) -> dict[int, bool]:
    """Which receipts the review page shows as pictures (finance_preview.py)."""
    from app.expenses import finance_preview

    return finance_preview.drawable(r for line in expense.lines for r in line.receipts)


def _render_review(expense: Any, form: Any, payment_form: PaymentForm, status: int) -> Any:
    actor = current_actor()
    return (
        render_template(
            "expenses/review.html",
            expense=expense,
            form=form,
            payment_form=payment_form,
            may_pay=can(actor, "expenses.pay_this", expense),
            may_decide=can(actor, "expenses.decide", expense),
            settings=services.settings_for(expense.organisation_id),
            payee=_payment().payee_view(actor, expense),
            iban=services.iban_for(actor, expense.person_id, expense.organisation_id)
            if expense.person_id
            else None,
            balance=services.advance_balance(expense) if expense.settles_id else None,
            story=story,
            drawable=_drawable(expense),
        ),
        status,
    )


@bp.route("/<int:request_id>/payment", methods=["POST"])
@login_required
def payment(request_id: int) -> Any:
    expense = _load(request_id)
    actor = current_actor()
    if not can(actor, "expenses.pay", expense.organisation_id):
        abort(404)
    payment_form = _payment_form(expense, request.form)
    if payment_form.validate_on_submit():
        data = services.Payment(
            method=PaymentMethod(payment_form.method.data),
            reference=payment_form.reference.data or "",
            handed_over_by_id=payment_form.handed_over_by_id.data or None,
            third_party_name=payment_form.third_party_name.data or "",
        )
        ok, _result = commit_or_show_error(payment_form, lambda: services.pay(actor, expense, data))
        if ok:
            flash_ok(_("The payment is recorded. The person is told."))
            return redirect(url_for("expenses.index"), 303)
        expense = _load(request_id)
    form = _review_form(expense)(formdata=None)
    return _render_review(expense, form, payment_form, 400)


SERVED_RECEIPT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


@bp.route("/receipts/<int:receipt_id>")
@login_required
def receipt(receipt_id: int) -> Any:
    found, path = services.receipt_for(current_actor(), receipt_id)
    # Only the types the cleaner stores; anything else is a plain download, never a page.
    mime = found.mime if found.mime in SERVED_RECEIPT_TYPES else "application/octet-stream"
    response = send_file(
        path,
        mimetype=mime,
        as_attachment=True,
        download_name=f"justificatif-{found.id}{path.suffix}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/bank", methods=["GET", "POST"])
@login_required
def bank() -> Any:
    actor = current_actor()
    form = BankForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: services.set_bank_details(
                actor, actor, form.iban.data, form.holder_name.data or ""
            ),
        )
        if ok:
            flash_ok(_("Your bank details are saved."))
            return redirect(url_for("expenses.bank"), 303)
    details = db.session.get(BankDetails, actor.id)
    status = form_status(form)
    return render_template("expenses/bank.html", form=form, details=details), status


@bp.route("/organisations/<int:organisation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(organisation_id: int) -> Any:
    actor = current_actor()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(actor, "expenses.settings", organisation_id):
        abort(404)
    current = services.settings_for(organisation_id)
    form = ExpenseSettingsForm()
    if request.method == "GET":
        for name in (
            "km_rate",
            "meal_flat_rate",
            "childcare_hourly_rate",
            "second_approval_above",
        ):
            form[name].data = _typed(getattr(current, name))
        form.payment_days.data = str(current.payment_days)
        for category, rule in statements.rules(organisation_id).items():
            form[f"sworn_{category.value}"].data = rule.allowed
            form[f"ceiling_{category.value}"].data = _typed(rule.ceiling)
    elif form.validate_on_submit():
        data = services.SettingsInput(
            km_rate=form.km_rate.data or "",
            meal_flat_rate=form.meal_flat_rate.data,
            childcare_hourly_rate=form.childcare_hourly_rate.data,
            second_approval_above=form.second_approval_above.data,
            payment_days=form.payment_days.data,
            sworn_rules={
                c.value: (
                    bool(form[f"sworn_{c.value}"].data),
                    form[f"ceiling_{c.value}"].data or "",
                )
                for c in Category
            },
        )
        ok, _result = commit_or_show_error(
            form, lambda: services.update_settings(actor, organisation_id, data)
        )
        if ok:
            flash_ok(_("Saved."))
            return redirect(url_for("expenses.settings", organisation_id=organisation_id), 303)
    status = form_status(form)
    return render_template(
        "expenses/settings.html",
        form=form,
        organisation=organisation,
        current=current,
        kinds=list(Category),
        scale=mileage.scale_sentence(),
    ), status


@bp.route("/organisations/<int:organisation_id>/paid.csv")
@login_required
def accounting_csv(organisation_id: int) -> Any:
    """The older file of payments, replaced by the accountant's entries (accounting.py):
    a saved link goes there (308), with the same period (?from=...&to=...)."""
    if not can(current_actor(), "expenses.pay", organisation_id):
        abort(404)
    period = {key: request.args[key] for key in ("from", "to") if key in request.args}
    target = url_for("expenses.finance_accounting", organisation_id=organisation_id, **period)
    return redirect(target, 308)


@bp.route("/statement/<int:year>.pdf")
@login_required
def statement(year: int) -> Any:
    from flask import Response

    from app.core.calendar import known_year

    if not known_year(year):
        abort(404)  # no statement for the year 0 or 10000 (nor a French year to count)
    actor = current_actor()
    person = actor
    person_id = request.args.get("person_id", type=int)
    if person_id and person_id != actor.id:
        person = db.session.get(Person, person_id)
        if person is None:
            abort(404)
    found = services.yearly_statement(actor, person, year)
    return Response(
        services.statement_pdf(person, found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=releve-{year}.pdf"},
    )
