"""The home page and the pages every visitor can read."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core import home as home_page
from app.core.blueprint import bp
from app.core.web import commit_or_show_error, current_actor


@bp.route("/")
def home() -> Any:
    """The home page: what waits for the person now (sections registered by the domains, see
    app/core/home.py), their unread notifications, and a card for each part of Parole."""
    items = home_page.HomeItems()
    unread = 0
    if current_user.is_authenticated:
        from app.core.notifications import unread_count

        actor = current_actor()
        items = home_page.items_for(actor)
        unread = unread_count(actor)
    return render_template("main/home.html", home=items, unread=unread)


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
    from app.core import notifications as service

    notification_id = request.form.get("notification_id", type=int)
    commit_or_show_error(
        None, lambda: service.mark_read(current_actor(), notification_id), on_refusal="page"
    )
    return redirect(url_for("main.notifications"), 303)
