"""Admin pages: organisations, memberships and roles."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import db
from app.accounts import personal_data, services
from app.accounts.blueprint import admin_bp as bp
from app.accounts.forms import MembershipForm, OrganisationForm, RetentionForm
from app.accounts.models import Membership, Organisation
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


@bp.before_request
@login_required
def _gate() -> Any:
    if not can(current_user, "admin.access"):
        abort(403)
    return None


@bp.route("/")
def index() -> Any:
    organisations = [
        o
        for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
        if can(current_user, "organisation.manage", o)
    ]
    return render_template("admin/index.html", organisations=organisations)


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Any:
    if not can(current_user, "organisation.create"):
        abort(403)
    form = OrganisationForm()
    if form.validate_on_submit():
        done, org = commit_or_show_error(
            form,
            lambda: services.create_organisation(current_actor(), form.name.data, form.kind.data),
        )
        if done:
            flash_ok(_("The organisation is created."))
            return redirect(url_for("admin.organisation", org_id=org.id), 303)
    return render_template("admin/new_organisation.html", form=form), form_status(form)


def _org_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    if not can(current_user, "organisation.manage", org):
        abort(403)
    return org


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation(org_id: int) -> Any:
    org = _org_or_404(org_id)
    form = MembershipForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form,
            lambda: services.invite_member(
                current_actor(), org, form.identifier.data, form.role.data
            ),
        )
        if done:
            # The same words whether or not someone has this identifier (never tell who exists).
            flash_ok(services.INVITATION_SENT)
            return redirect(url_for("admin.organisation", org_id=org.id), 303)
        org = _org_or_404(org_id)
    return _organisation_page(org, form, RetentionForm(retention_months=org.retention_months))


def _organisation_page(org: Organisation, form: Any, retention: Any) -> Any:
    members = sorted(org.memberships, key=lambda m: (m.person.display_name.lower(), m.role))
    invitations = services.invitations_of(current_actor(), org)
    return render_template(
        "admin/organisation.html",
        org=org,
        members=members,
        invitations=invitations,
        form=form,
        retention=retention,
    ), form_status(form, retention)


@bp.route("/organisations/<int:org_id>/retention", methods=["POST"])
def retention(org_id: int) -> Any:
    org = _org_or_404(org_id)
    form = RetentionForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form,
            lambda: personal_data.set_retention(current_actor(), org, form.retention_months.data),
        )
        if done:
            flash_ok(_("Saved."))
            return redirect(url_for("admin.organisation", org_id=org.id), 303)
        org = _org_or_404(org_id)
    return _organisation_page(org, MembershipForm(formdata=None), form)


@bp.route("/memberships/<int:membership_id>/remove", methods=["POST"])
def remove_membership(membership_id: int) -> Any:
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    org_id = membership.organisation_id
    commit_or_show_error(
        None, lambda: services.remove_membership(current_actor(), membership), on_refusal="page"
    )
    flash_ok(_("The role is removed."))
    return redirect(url_for("admin.organisation", org_id=org_id), 303)


@bp.route("/invitations/<int:invitation_id>/withdraw", methods=["POST"])
def withdraw_invitation(invitation_id: int) -> Any:
    invitation = services.get_invitation(invitation_id)
    org_id = invitation.organisation_id
    _org_or_404(org_id)
    commit_or_show_error(
        None, lambda: services.withdraw_invitation(current_actor(), invitation), on_refusal="page"
    )
    flash_ok(_("The invitation is withdrawn."))
    return redirect(url_for("admin.organisation", org_id=org_id), 303)
