"""The yearly evaluation report of an organisation: the page (easy-to-read summary first,
then the details) and its large-print PDF. Only the people who follow the organisation's
participation see it; for anybody else the page does not exist."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, url_for
from flask_login import login_required

from app.consultations.models import EVALUATION_QUESTIONS, Channel, EvaluationAnswer
from app.core.web import current_actor
from app.kit import report as reports
from app.kit.blueprint import bp

FIRST_YEAR = 2000


def _load(organisation_id: int, year: int) -> reports.Report:
    if not FIRST_YEAR <= year <= reports.current_year() + 1:
        abort(404)
    return reports.yearly_report(current_actor(), organisation_id, year)


@bp.route("/organisations/<int:organisation_id>/report")
@login_required
def report_now(organisation_id: int) -> Any:
    return redirect(
        url_for("kit.report", organisation_id=organisation_id, year=reports.current_year()), 303
    )


@bp.route("/organisations/<int:organisation_id>/report/<int:year>")
@login_required
def report(organisation_id: int, year: int) -> Any:
    found = _load(organisation_id, year)
    this_year = reports.current_year()
    return render_template(
        "kit/report.html",
        report=found,
        summary=reports.summary(found),
        changes=reports.changes_by_round(found),
        statuses=reports.ordered_statuses(found),
        money_lines=reports.money_lines(found),
        channels=list(Channel),
        questions=EVALUATION_QUESTIONS,
        answers=list(EvaluationAnswer),
        shown=reports.shown,
        percent_text=reports.percent_text,
        days_text=reports.days_text,
        previous_year=year - 1 if year - 1 >= FIRST_YEAR else None,
        next_year=year + 1 if year + 1 <= this_year else None,
    )


@bp.route("/organisations/<int:organisation_id>/report/<int:year>.pdf")
@login_required
def report_pdf(organisation_id: int, year: int) -> Any:
    found = _load(organisation_id, year)
    return Response(
        reports.report_pdf(found),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f"attachment; filename=bilan-participation-{organisation_id}-{year}.pdf"
            ),
            "Cache-Control": "private, no-store",
        },
    )
