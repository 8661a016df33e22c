"""The live easy-read check: the authoring pages' script posts the text and puts the
returned HTML next to the field (the same HTML the page shows after "Check")."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.accounts.permissions import organisations_where
from app.falc import services
from app.falc.blueprint import bp

MAX_TEXT = 20_000


@bp.route("/check", methods=["POST"])
@login_required
def check() -> Any:
    authors = organisations_where(current_user, Role.FACILITATOR) + organisations_where(
        current_user, Role.INSTITUTE_STAFF
    )
    if not authors:
        abort(403)
    text = request.form.get("text", "")[:MAX_TEXT]
    field_id = request.form.get("field", "text")
    if not field_id.replace("_", "").isalnum():
        abort(400)
    organisation_id = request.form.get("organisation_id", type=int)
    if organisation_id not in {o.id for o in authors}:
        organisation_id = authors[0].id
    report = services.check_text(organisation_id, text)
    return render_template("falc/_report.html", report=report, field_id=field_id)
