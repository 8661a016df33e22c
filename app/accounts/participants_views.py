"""Facilitator pages: my participants, create an account, print a login card, reset a code."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import onboarding, personal_data, services
from app.accounts.blueprint import participants_bp as bp
from app.accounts.forms import CreateParticipantForm, RecordInvitationAnswerForm
from app.accounts.models import ConsentKind
from app.core.permissions import can
from app.core.urls import external_url
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


def _card_response(card: services.LoginCard) -> Any:
    response = Response(render_template("participants/login_card.html", card=card))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@login_required
def index() -> Any:
    if not can(current_user, "participants.access"):
        abort(403)
    search = (request.args.get("q") or "").strip()[:120]
    listing = onboarding.people_page(
        current_actor(), search, request.args.get("page", 1, type=int) or 1
    )
    return render_template("participants/index.html", listing=listing, search=search)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not can(current_user, "participants.access"):
        abort(403)
    form = CreateParticipantForm()
    organisations = onboarding.organisations_for_cards(current_actor())
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation_id.data)
        done, card = commit_or_show_error(
            form,
            lambda: services.create_assisted_account(
                current_actor(), organisation, form.display_name.data, form.consent_note.data
            ),
        )
        if done:
            # The temporary code is shown once, on this printable page, and never stored.
            return _card_response(card)
    return render_template("participants/new.html", form=form), form_status(form)


def _participant_or_404(person_id: int) -> Any:
    person = services.get_person(person_id)
    if not can(current_user, "person.act_for", person):
        abort(404)  # do not tell whether the account exists
    return person


def _invitation_forms(person: Any, posted: Any = None) -> list[tuple[Any, Any]]:
    """The person's invitations still waiting, each with a form to note their answer."""
    return [
        (
            invitation,
            posted
            if posted is not None and posted.invitation_id == invitation.id
            else RecordInvitationAnswerForm(formdata=None, prefix=f"invitation-{invitation.id}"),
        )
        for invitation in services.pending_invitations_for(person)
    ]


def _show_page(person: Any, posted: Any = None) -> Any:
    # What the person agreed to: to check before quoting them, taking photos or naming them.
    agreements = {kind: personal_data.current_consent(person, kind) for kind in ConsentKind}
    return render_template(
        "participants/show.html",
        person=person,
        agreements=agreements,
        invitations=_invitation_forms(person, posted),
    ), form_status(posted)


@bp.route("/<int:person_id>")
@login_required
def show(person_id: int) -> Any:
    return _show_page(_participant_or_404(person_id))


@bp.route("/<int:person_id>/invitations/<int:invitation_id>/answer", methods=["POST"])
@login_required
def record_invitation_answer(person_id: int, invitation_id: int) -> Any:
    """The facilitator notes the person's answer to an invitation, with how it was given."""
    person = _participant_or_404(person_id)
    invitation = services.get_invitation(invitation_id)
    if invitation.person_id != person.id:
        abort(404)
    form = RecordInvitationAnswerForm(prefix=f"invitation-{invitation.id}")
    form.invitation_id = invitation.id
    accept = request.form.get("answer") == "accept"
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form,
            lambda: services.record_invitation_answer(
                current_actor(), invitation, accept, form.consent_note.data
            ),
        )
        if done:
            flash_ok(_("The answer is noted. The person is told."))
            return redirect(url_for("participants.show", person_id=person_id), 303)
        person = _participant_or_404(person_id)
    return _show_page(person, form)


@bp.route("/<int:person_id>/reset-code", methods=["POST"])
@login_required
def reset_code(person_id: int) -> Any:
    person = _participant_or_404(person_id)
    _done, card = commit_or_show_error(
        None, lambda: services.reset_code(current_actor(), person), on_refusal="page"
    )
    return _card_response(card)


@bp.route("/<int:person_id>/login-qr.svg")
@login_required
def login_qr(person_id: int) -> Any:
    person = _participant_or_404(person_id)
    if not person.login_identifier:
        abort(404)
    target = external_url("accounts.login", identifier=person.login_identifier)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=6, title="QR")
    return Response(
        buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"}
    )
