"""The home page and the pages every visitor can read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core import idempotency
from app.core.web import current_actor

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("main", __name__))


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
    invitations: list[tuple[Any, Any]] = []
    if current_user.is_authenticated:
        from app.core.notifications import unread_count

        unread = unread_count(current_actor())
        invitations = _invitations_with_forms()
    return render_template("main/home.html", news=news, unread=unread, invitations=invitations)


def _invitations_with_forms() -> list[tuple[Any, Any]]:
    """The roles offered to the person, each with its own answer form."""
    from app.accounts.forms import InvitationAnswerForm
    from app.accounts.services import pending_invitations_for

    return [
        (invitation, InvitationAnswerForm(formdata=None, prefix=f"invitation-{invitation.id}"))
        for invitation in pending_invitations_for(current_actor())
    ]


@bp.route("/invitations/<int:invitation_id>/answer", methods=["POST"])
@login_required
def answer_invitation(invitation_id: int) -> Any:
    """Accept or refuse a role from the home page."""
    from flask import abort
    from flask_babel import gettext as _

    from app import db
    from app.accounts import services
    from app.accounts.forms import InvitationAnswerForm
    from app.core.web import flash_ok

    invitation = services.get_invitation(invitation_id)
    form = InvitationAnswerForm(prefix=f"invitation-{invitation.id}")
    if not form.validate_on_submit():
        abort(400)
    accept = request.form.get("answer") == "accept"
    services.answer_invitation(current_actor(), invitation, accept, bool(form.allow_help.data))
    db.session.commit()
    flash_ok(_("Thank you. Your answer is saved.") if accept else _("You refused. It is noted."))
    return redirect(url_for("main.home"), 303)


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
