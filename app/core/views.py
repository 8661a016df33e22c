"""The home page and the pages every visitor can read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from app.core.web import current_actor

bp = Blueprint("main", __name__)


@bp.route("/")
def home() -> Any:
    news: dict[str, list[Any]] = {"open": [], "feedback": []}
    if current_user.is_authenticated:
        from app.consultations.models import RoundStatus
        from app.consultations.services import rounds_for_participant

        for round_ in rounds_for_participant(current_actor()):
            if round_.status == RoundStatus.OPEN:
                news["open"].append(round_)
            elif round_.status == RoundStatus.FEEDBACK_PUBLISHED:
                news["feedback"].append(round_)
    return render_template("main/home.html", news=news)


@bp.route("/accessibility")
def accessibility() -> Any:
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz() -> Any:
    from sqlalchemy import text

    from app import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
