"""Onboarding by e-mail: invite someone, open the account from the link, "Forgot your
password?" and the reset link, an e-mail address added to a card account. Views stay thin: the rules are in onboarding.py.

The token of a link travels in the page's address (`?token=`), never in a log: the referrer
policy (app/core/security.py) keeps it from other sites."""

from __future__ import annotations

import time
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user
from itsdangerous import BadSignature, URLSafeSerializer

from app import db
from app.accounts import onboarding, services
from app.accounts.blueprint import accounts_bp as bp
from app.accounts.blueprint import participants_bp
from app.accounts.models import LinkPurpose, Organisation, Role
from app.accounts.onboarding_forms import (
    AddEmailForm,
    AskAgainForm,
    ChoosePasswordForm,
    ConfirmEmailForm,
    ForgottenPasswordForm,
    ImportConfirmForm,
    ImportForm,
    InviteByEmailForm,
)
from app.accounts.views import SEEN, _login_client
from app.core import idempotency
from app.core.errors import DomainError, TooManyAttempts
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status

# The status of a page that explains why a link cannot be used.
LINK_STATUS = {
    onboarding.LinkState.FORGED: 404,
    onboarding.LinkState.EXPIRED: 410,
    onboarding.LinkState.USED: 410,
}


def _token() -> str:
    return (request.args.get("token") or "")[:100]


def _log_in(person: Any) -> None:
    """The same login as the login page's, for the person who just chose a password."""
    token = services.open_login_session(person)
    db.session.commit()
    session.clear()
    login_user(person)
    session["sid"] = token
    session[SEEN] = int(time.time())


def _link_page(problem: onboarding.LinkProblem, purpose: LinkPurpose) -> Any:
    ask_again = (
        AskAgainForm()
        if purpose is LinkPurpose.INVITATION
        and problem.state is onboarding.LinkState.EXPIRED
        and problem.link is not None
        and problem.link.invited_by_id is not None
        else None
    )
    return render_template(
        "accounts/onboarding/link_problem.html",
        state=problem.state.value,
        purpose=purpose.value,
        ask_again=ask_again,
        asked=problem.link is not None and problem.link.renewal_asked_at is not None,
    ), LINK_STATUS[problem.state]


# --- invite by e-mail --------------------------------------------------------------------


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite() -> Any:
    actor = current_actor()
    if not can(actor, "onboarding.invite", None):
        abort(403)
    organisations = onboarding.organisations_to_invite_to(actor)
    form = InviteByEmailForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    chosen = next((o for o in organisations if o.id == form.organisation_id.data), None)
    roles = {role for org in organisations for role in onboarding.roles_to_give(actor, org)}
    form.role.choices = [(r.value, r.label) for r in Role if r in roles]
    if form.validate_on_submit() and isinstance(chosen, Organisation):
        done, _result = commit_or_show_error(
            form,
            lambda: onboarding.invite_by_email(
                actor, chosen, form.email.data, form.display_name.data, form.role.data
            ),
        )
        if done:
            flash_ok(str(onboarding.INVITATION_BY_EMAIL_SENT))
            return redirect(url_for("accounts.invite"), 303)
    return render_template(
        "accounts/onboarding/invite.html",
        form=form,
        hours=current_app.config["INVITATION_LINK_HOURS"],
    ), form_status(form)


# --- the link in the invitation ----------------------------------------------------------


@bp.route("/activate", methods=["GET", "POST"])
# Nobody is logged in yet, and the link itself works once (a copy finds it used).
@idempotency.exempt
def activate() -> Any:
    token = _token()
    try:
        link = onboarding.read_link(token, LinkPurpose.INVITATION)
    except onboarding.LinkProblem as problem:
        return _link_page(problem, LinkPurpose.INVITATION)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        done, person = commit_or_show_error(
            form, lambda: onboarding.activate(token, form.password.data)
        )
        if done:
            _log_in(person)
            flash_ok(_("Welcome to Parole. Your account is ready."))
            return redirect(url_for("main.home"), 303)
        try:  # used meanwhile (two sends at once): say so
            link = onboarding.read_link(token, LinkPurpose.INVITATION)
        except onboarding.LinkProblem as problem:
            return _link_page(problem, LinkPurpose.INVITATION)
    organisation = link.organisation
    return render_template(
        "accounts/onboarding/activate.html",
        form=form,
        email=link.email,
        organisation=organisation.name if organisation else None,
        role=link.role.label if link.role else None,
    ), form_status(form)


@bp.route("/activate/ask-again", methods=["POST"])
@idempotency.exempt
def ask_new_invitation() -> Any:
    token = _token()
    form = AskAgainForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(None, lambda: onboarding.ask_new_invitation(token))
        if done:
            flash_ok(_("Done. The person who invited you is told. They will send a new link."))
    return redirect(url_for("accounts.activate", token=token), 303)


# --- forgot your password ----------------------------------------------------------------


@bp.route("/password/forgotten", methods=["GET", "POST"])
# Nobody is logged in; every request counts in the throttle instead.
@idempotency.exempt
def forgotten_password() -> Any:
    form = ForgottenPasswordForm()
    status = None
    if form.validate_on_submit():
        try:
            onboarding.request_reset(form.email.data, client=_login_client())
        except TooManyAttempts as exc:
            db.session.rollback()
            form.add_domain_error(exc)
            status = 429
        else:
            db.session.commit()
            flash_ok(str(onboarding.RESET_REQUESTED))
            return redirect(url_for("accounts.forgotten_password"), 303)
    return render_template("accounts/onboarding/forgotten.html", form=form), status or form_status(
        form
    )


@bp.route("/password/reset", methods=["GET", "POST"])
@idempotency.exempt
def reset_password() -> Any:
    token = _token()
    try:
        onboarding.read_link(token, LinkPurpose.RESET)
    except onboarding.LinkProblem as problem:
        return _link_page(problem, LinkPurpose.RESET)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        done, _person = commit_or_show_error(
            form, lambda: onboarding.reset_password(token, form.password.data)
        )
        if done:
            if current_user.is_authenticated:
                session.clear()
            flash_ok(_("Your password is changed. Log in with it."))
            return redirect(url_for("accounts.login"), 303)
        try:
            onboarding.read_link(token, LinkPurpose.RESET)
        except onboarding.LinkProblem as problem:
            return _link_page(problem, LinkPurpose.RESET)
    return render_template("accounts/onboarding/reset.html", form=form), form_status(form)


# --- an e-mail address added to a card account -------------------------------------------


def _add_email_page(person: Any, action: str, back: str) -> Any:
    actor = current_actor()
    form = AddEmailForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form, lambda: onboarding.request_email(actor, person, form.email.data)
        )
        if done:
            flash_ok(str(onboarding.EMAIL_LINK_SENT))
            return redirect(back, 303)
    return render_template(
        "accounts/onboarding/add_email.html",
        form=form,
        person=person,
        own=person.id == actor.id,
        action=action,
    ), form_status(form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def add_email() -> Any:
    actor = current_actor()
    if not actor.uses_code:
        abort(404)
    return _add_email_page(actor, url_for("accounts.add_email"), url_for("accounts.account"))


@participants_bp.route("/<int:person_id>/email", methods=["GET", "POST"])
@login_required
def person_email(person_id: int) -> Any:
    person = services.get_person(person_id)
    if not can(current_user, "person.act_for", person) or not person.uses_code:
        abort(404)  # do not tell whether the account exists
    return _add_email_page(
        person,
        url_for("participants.person_email", person_id=person_id),
        url_for("participants.show", person_id=person_id),
    )


@bp.route("/email/confirm", methods=["GET", "POST"])
# The link itself works once; the person may not be logged in.
@idempotency.exempt
def confirm_email() -> Any:
    token = _token()
    try:
        link = onboarding.read_link(token, LinkPurpose.EMAIL)
    except onboarding.LinkProblem as problem:
        return _link_page(problem, LinkPurpose.EMAIL)
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        done, _person = commit_or_show_error(form, lambda: onboarding.confirm_email(token))
        if done:
            flash_ok(_("Your e-mail address is saved. You can log in with it and your code."))
            return redirect(url_for("main.home"), 303)
        try:
            link = onboarding.read_link(token, LinkPurpose.EMAIL)
        except onboarding.LinkProblem as problem:
            return _link_page(problem, LinkPurpose.EMAIL)
    return render_template(
        "accounts/onboarding/confirm_email.html", form=form, email=link.email
    ), form_status(form)


# --- many invitations at once: a CSV file -------------------------------------------------


def _import_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="parole-invitation-import")


def _importable(actor: Any) -> list[Organisation]:
    if not can(actor, "onboarding.invite", None):
        abort(403)
    return onboarding.organisations_to_invite_to(actor)


@bp.route("/invite/import", methods=["GET", "POST"])
@login_required
def import_invitations() -> Any:
    """Upload a file: the preview shows every line with its error; nothing is created."""
    actor = current_actor()
    organisations = _importable(actor)
    form = ImportForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    chosen = next((o for o in organisations if o.id == form.organisation_id.data), None)
    if form.validate_on_submit() and chosen is not None:
        try:
            lines = onboarding.read_import(actor, chosen, form.file.data.read())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            valid = [
                [line.number, line.name, line.email, line.role.value]
                for line in lines
                if line.error is None and line.role is not None
            ]
            confirm = ImportConfirmForm(formdata=None)
            confirm.lines.data = _import_serializer().dumps({"org": chosen.id, "lines": valid})
            return render_template(
                "accounts/onboarding/import_preview.html",
                lines=lines,
                valid=len(valid),
                organisation=chosen,
                confirm=confirm,
            )
    return render_template("accounts/onboarding/import.html", form=form), form_status(form)


@bp.route("/invite/import/confirm", methods=["POST"])
@login_required
def confirm_import() -> Any:
    actor = current_actor()
    organisations = _importable(actor)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = _import_serializer().loads(form.lines.data)
        organisation = next(o for o in organisations if o.id == int(data["org"]))
        lines = [
            onboarding.ImportLine(int(n), str(name), str(email), Role(role))
            for n, name, email, role in data["lines"]
        ]
    except (BadSignature, KeyError, StopIteration, TypeError, ValueError):
        abort(400)
    done, made = commit_or_show_error(
        None, lambda: onboarding.confirm_import(actor, organisation, lines)
    )
    if done:
        flash_ok(
            ngettext("Done: %(num)s invitation sent.", "Done: %(num)s invitations sent.", made)
        )
    return redirect(url_for("accounts.invite"), 303)
