"""The home page and the pages every visitor can read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

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
    unread = 0
    if current_user.is_authenticated:
        from app.core.notifications import unread_count

        unread = unread_count(current_actor())
    return render_template("main/home.html", news=news, unread=unread)


@bp.route("/accessibility")
def accessibility() -> Any:
    return render_template("main/accessibility.html")


@bp.route("/data-protection")
def data_protection() -> Any:
    return render_template("main/data_protection.html")


@bp.route("/healthz")
def healthz() -> Any:
    from sqlalchemy import text

    from app import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/notifications")
@login_required
def notifications() -> Any:
    from app.core import notifications as service

    actor = current_actor()
    return render_template(
        "main/notifications.html",
        notifications=service.for_person(actor),
        unread=service.unread_count(actor),
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read() -> Any:
    from app import db
    from app.core import notifications as service

    service.mark_read(current_actor(), request.form.get("notification_id", type=int))
    db.session.commit()
    return redirect(url_for("main.notifications"), 303)
