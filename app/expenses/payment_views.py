"""Pages of how a person is paid (the choice, the court's document) and of a direct
purchase recorded by the organiser. Thin: the rules are in payment.py and direct.py."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import db
from app.accounts.models import Person
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.expenses import direct, payment
from app.expenses.blueprint import bp
from app.expenses.models import BankDetails, ExpenseRequest
from app.expenses.payment_forms import DirectPurchaseForm, PreferenceForm

SERVED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


def _person() -> Person:
    """The actor, or the person they act for (?person_id=)."""
    actor = current_actor()
    person_id = request.args.get("person_id", type=int)
    if not person_id or person_id == actor.id:
        return actor
    person = db.session.get(Person, person_id)
    if person is None or not can(actor, "person.act_for", person):
        abort(404)
    return person


def _next_request(person: Person) -> int | None:
    """The request to go back to (?request=), when it is one this actor fills in."""
    request_id = request.args.get("request", type=int)
    found = db.session.get(ExpenseRequest, request_id) if request_id else None
    if found is None or found.person_id != person.id:
        return None
    return found.id


@bp.route("/payment-preference", methods=["GET", "POST"])
@login_required
def payment_preference() -> Any:
    actor = current_actor()
    person = _person()
    back = _next_request(person)
    current = payment.preference_of(person.id)
    form = PreferenceForm()
    if request.method == "GET" and current is not None:
        form.method.data = current.method.value
        form.third_party_name.data = current.third_party_name
        form.third_party_role.data = (
            current.third_party_role.value if current.third_party_role else ""
        )
    if form.validate_on_submit():
        upload = form.document.data
        data = payment.PreferenceInput(
            method=form.method.data,
            iban=form.iban.data or "",
            third_party_name=form.third_party_name.data or "",
            third_party_role=form.third_party_role.data or "",
            document=upload.read() if upload else b"",
            document_name=(upload.filename or "") if upload else "",
            consent_note=form.consent_note.data or "",
        )
        ok, _result = commit_or_show_error(
            form, lambda: payment.set_preference(actor, person, data)
        )
        if ok:
            flash_ok(_("Saved. We will pay you this way."))
            if back:
                return redirect(url_for("expenses.show", request_id=back) + "#summary", 303)
            args = {"person_id": person.id} if person.id != actor.id else {}
            return redirect(url_for("expenses.payment_preference", **args), 303)
        current = payment.preference_of(person.id)
    return render_template(
        "expenses/payment_preference.html",
        form=form,
        person=person,
        for_someone=person.id != actor.id,
        current=current,
        bank=db.session.get(BankDetails, person.id),
        back=back,
    ), form_status(form)


@bp.route("/payment-preference/document/<int:person_id>")
@login_required
def payee_document(person_id: int) -> Any:
    found, path = payment.document_for(current_actor(), person_id)
    mime = found.document_mime if found.document_mime in SERVED_TYPES else None
    response = send_file(
        path,
        mimetype=mime or "application/octet-stream",
        as_attachment=True,
        download_name=f"decision-{person_id}{path.suffix}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/organisations/<int:organisation_id>/direct-purchase", methods=["GET", "POST"])
@login_required
def direct_purchase(organisation_id: int) -> Any:
    actor = current_actor()
    organisation = direct.load_organisation(actor, organisation_id)
    form = DirectPurchaseForm()
    people = direct.people_for(organisation)
    form.person_id.choices = [(0, _("Choose"))] + [(p.id, p.display_name) for p in people]
    if form.validate_on_submit():
        upload = form.invoice.data
        data = direct.PurchaseInput(
            person_id=form.person_id.data,
            activity_label=form.activity_label.data or "",
            category=form.category.data,
            what=form.what.data or "",
            supplier=form.supplier.data or "",
            amount=form.amount.data or "",
            invoice=upload.read(),
            invoice_name=upload.filename or "",
        )
        ok, created = commit_or_show_error(form, lambda: direct.record(actor, organisation, data))
        if ok:
            flash_ok(_("The purchase is recorded. Finance pays the supplier."))
            return redirect(url_for("expenses.show", request_id=created.id), 303)
    return render_template(
        "expenses/direct_purchase.html", form=form, organisation=organisation
    ), form_status(form)
