"""The page "Mes revenus Parole" and the quarter's statement (PDF). Thin: the counting and
the reference amounts are in earnings.py."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_login import login_required

from app import db
from app.accounts.models import Person
from app.core import calendar
from app.core.web import current_actor
from app.db import utcnow
from app.expenses import earnings
from app.expenses.blueprint import bp


def _person(actor: Person) -> Person:
    """The actor, or the person they act for (?person_id=); the service checks the right."""
    person_id = request.args.get("person_id", type=int)
    if not person_id or person_id == actor.id:
        return actor
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    return person


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
