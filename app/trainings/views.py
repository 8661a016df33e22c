"""Co-training pages for participants (and facilitators signing up for them)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import login_required

from app.trainings.blueprint import bp


@bp.route("/mine")
@login_required
def mine() -> Any:
    abort(404)


@bp.route("/missions/<int:mission_id>")
@login_required
def show(mission_id: int) -> Any:
    abort(404)


@bp.route("/signups/<int:signup_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(signup_id: int) -> Any:
    abort(404)
