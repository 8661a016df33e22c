"""/admin/outbox: the mail outbox for platform administrators (counts, failed e-mails, send
again), what a person sees of their own failed e-mails, and the answer to a forged Host."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import SecurityError

from app import db
from app.core import notifications, outbox
from app.core.blueprint import bp
from app.core.forms import Form
from app.core.models import OutboxMessage
from app.core.permissions import can
from app.core.urls import external_url
from app.core.web import commit_or_show_error, current_actor, flash_ok

# The first word of OutboxMessage.last_error, in plain words (see app/core/outbox.py).
REASONS = {
    outbox.INVALID: _l("The e-mail could not be written: the address or the subject is not valid."),
    outbox.REFUSED: _l("The mail server refused this e-mail."),
    outbox.UNREACHABLE: _l("The mail server could not be reached, even after several tries."),
    outbox.CLAIM_EXPIRED: _l("The sending stopped several times while this e-mail was sent."),
}


def masked(address: str) -> str:
    """p***@example.org: enough to recognise a person, not enough to copy the address."""
    local, _at, domain = (address or "").partition("@")
    if not domain and local.startswith("+") and len(local) > 8:  # a text message's number
        return f"{local[:4]}{'*' * (len(local) - 6)}{local[-2:]}"
    return f"{local[:1]}***@{domain}" if domain else "***"


def reason(last_error: str | None) -> tuple[str, str]:
    """(plain words, technical detail) for a stored reason."""
    kind, _sep, detail = (last_error or "").partition(":")
    if kind.strip() == "ClaimExpired":  # written before the kinds existed
        kind = outbox.CLAIM_EXPIRED
    words = REASONS.get(kind.strip())
    if words is None:  # also from before: the class name of a network error
        return str(REASONS[outbox.UNREACHABLE]), (last_error or "").strip()
    return str(words), detail.strip()


@bp.route("/admin/outbox")
@login_required
def outbox_page() -> Any:
    if not can(current_user, "outbox.manage"):
        abort(403)
    return _outbox_page(Form())


def _outbox_page(form: Form) -> str:
    return render_template(
        "admin/outbox.html",
        counts=outbox.counts(),
        failed=outbox.failed_messages(),
        masked=masked,
        reason=reason,
        form=form,
    )


@bp.route("/admin/outbox/<int:message_id>/retry", methods=["POST"])
@login_required
def outbox_retry(message_id: int) -> Any:
    if not can(current_user, "outbox.manage"):
        abort(403)
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    form = Form()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form, lambda: outbox.retry_failed(current_actor(), message)
        )
        if done:
            flash_ok(_("The e-mail will be sent again in a moment."))
            return redirect(url_for("main.outbox_page"), 303)
    return _outbox_page(form), 400


@bp.app_context_processor
def _mail_failures() -> dict[str, Any]:
    def failed_mail_ids(unread_only: bool = False) -> set[int]:
        if not getattr(current_user, "is_authenticated", False):
            return set()
        return notifications.with_failed_mail(current_actor(), unread_only=unread_only)

    return {"failed_mail_ids": failed_mail_ids, "external_url": external_url}


@bp.app_errorhandler(SecurityError)
def _untrusted_host(exc: SecurityError) -> Any:
    """A Host that is not PUBLIC_URL's (TRUSTED_HOSTS): no page can be built for it (links
    need a URL adapter), so a short plain answer."""
    db.session.rollback()
    return "400 Bad Request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
