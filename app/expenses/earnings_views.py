"""The page "Mes revenus Parole" and the quarter's statement (PDF). Thin: the counting and
the reference amounts are in earnings.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import db
from app.accounts.models import Organisation, Person
from app.core import calendar
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import utcnow
from app.expenses import earnings
from app.expenses.blueprint import bp
from app.expenses.earnings_forms import ThresholdsForm


def _person(actor: Person) -> Person:
    """The actor, or the person they act for (?person_id=); the service checks the right."""
    person_id = request.args.get("person_id", type=int)
    if not person_id or person_id == actor.id:
        return actor
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    return person


@bp.app_template_global("earnings_day")
def earnings_day(day: date) -> str:
    """The date of reference amounts, "1er avril 2025" (the earnings warning's templates)."""
    return earnings.day_name(day)


@bp.route("/earnings")
@login_required
def earnings_page() -> Any:
    actor = current_actor()
    person = _person(actor)
    this_year = calendar.current_year(utcnow())
    year = request.args.get("year", type=int) or this_year
    if not calendar.known_year(year):
        abort(404)
    found = earnings.earnings(actor, person, year)
    return render_template(
        "expenses/earnings.html",
        person=person,
        for_someone=person.id != actor.id,
        found=found,
        this_year=this_year,
        thresholds=earnings.thresholds(),
        quarters=[(q, earnings.quarter_name(year, q)) for q in earnings.QUARTERS],
        simulators=earnings.SIMULATORS,
        amounts_date=earnings.DEFAULTS_FROM,
        month_names={m: earnings.month_name(year, m) for m in range(1, 13)},
    )


@bp.route("/earnings/<int:year>/quarter-<int:number>.pdf")
@login_required
def earnings_statement(year: int, number: int) -> Any:
    if not calendar.known_year(year) or number not in earnings.QUARTERS:
        abort(404)
    actor = current_actor()
    person = _person(actor)
    data = earnings.statement_pdf(actor, person, year, number)
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="revenus-{year}-T{number}.pdf"'},
    )


@bp.route("/organisations/<int:organisation_id>/earnings-amounts", methods=["GET", "POST"])
@login_required
def earnings_amounts(organisation_id: int) -> Any:
    actor = current_actor()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(actor, "expenses.settings", organisation_id):
        abort(404)
    current = earnings.thresholds(organisation_id)
    today = calendar.paris(utcnow()).date()
    form = ThresholdsForm()
    if request.method == "GET":
        for default, now in zip(earnings.DEFAULT_THRESHOLDS, current, strict=True):
            if now.yearly != default.yearly:
                form[now.key].data = f"{now.yearly:.2f}".replace(".", ",")
    if form.validate_on_submit():
        ok, _done = commit_or_show_error(
            form, lambda: earnings.set_thresholds(actor, organisation_id, form.amounts())
        )
        if ok:
            flash_ok(_("The amounts are saved."))
            return redirect(
                url_for("expenses.earnings_amounts", organisation_id=organisation_id), 303
            )
    return render_template(
        "expenses/earnings_amounts.html",
        form=form,
        organisation=organisation,
        defaults=earnings.DEFAULT_THRESHOLDS,
        current=current,
        today=today,
        stale_since=earnings.out_of_date(current, today),
        simulators=earnings.SIMULATORS_FOR_STAFF,
    ), form_status(form)
