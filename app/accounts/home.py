"""What accounts puts on the home page: the roles an organisation offers the person, each
with its answer form (a section registered in core's home-page registry), and the route
that takes the answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts import services
from app.accounts.blueprint import accounts_bp as bp
from app.accounts.forms import InvitationAnswerForm
from app.accounts.models import MembershipInvitation, Role
from app.core.web import commit_or_show_error, current_actor, flash_ok


@dataclass(frozen=True)
class InvitationOffer:
    invitation: MembershipInvitation
    form: InvitationAnswerForm
    asks_allow_help: bool  # a participant role, and no organisation holds the account yet


def pending_invitations(actor: Any) -> list[InvitationOffer]:
    """The roles offered to the person, each with its own answer form."""
    return [
        InvitationOffer(
            invitation,
            InvitationAnswerForm(formdata=None, prefix=f"invitation-{invitation.id}"),
            invitation.role == Role.PARTICIPANT and actor.holder_organisation_id is None,
        )
        for invitation in services.pending_invitations_for(actor)
    ]


@bp.route("/invitations/<int:invitation_id>/answer", methods=["POST"])
@login_required
def answer_invitation(invitation_id: int) -> Any:
    """Accept or refuse a role from the home page."""
    invitation = services.get_invitation(invitation_id)
    form = InvitationAnswerForm(prefix=f"invitation-{invitation.id}")
    if not form.validate_on_submit():
        abort(400)
    accept = request.form.get("answer") == "accept"
    commit_or_show_error(
        None,
        lambda: services.answer_invitation(
            current_actor(), invitation, accept, bool(form.allow_help.data)
        ),
        on_refusal="page",
    )
    flash_ok(_("Thank you. Your answer is saved.") if accept else _("You refused. It is noted."))
    return redirect(url_for("main.home"), 303)
