"""The organisation's glossary: the easy-read check explains these words and initials."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.falc import services
from app.falc.blueprint import bp
from app.falc.forms import GlossaryForm
from app.falc.models import GlossaryEntry


def _organisations() -> list[Organisation]:
    return [
        m.organisation
        for m in current_user.memberships
        if can(current_user, "falc.edit_glossary", m.organisation)
    ]


@bp.route("/glossaire", methods=["GET", "POST"])
@login_required
def glossary() -> Any:
    organisations = list({o.id: o for o in _organisations()}.values())
    if not organisations:
        abort(403)
    chosen = request.args.get("organisation_id", type=int) or organisations[0].id
    organisation = next((o for o in organisations if o.id == chosen), None)
    if organisation is None:
        abort(404)
    form = GlossaryForm()
    if form.validate_on_submit():
        done, _entry = commit_or_show_error(
            form,
            lambda: services.add_glossary_entry(
                current_actor(), organisation, form.term.data, form.explanation.data
            ),
        )
        if done:
            flash_ok(_("Saved."))
            return redirect(url_for("falc.glossary", organisation_id=organisation.id), 303)
    entries = db.session.scalars(
        select(GlossaryEntry)
        .where(GlossaryEntry.organisation_id == organisation.id)
        .order_by(GlossaryEntry.term)
    ).all()
    return render_template(
        "falc/glossary.html",
        form=form,
        organisation=organisation,
        organisations=organisations,
        entries=entries,
    ), form_status(form)


@bp.route("/glossaire/<int:entry_id>/remove", methods=["POST"])
@login_required
def remove_glossary_entry(entry_id: int) -> Any:
    entry = db.session.get(GlossaryEntry, entry_id)
    if entry is None:
        abort(404)
    organisation_id = entry.organisation_id
    commit_or_show_error(
        None, lambda: services.remove_glossary_entry(current_actor(), entry), on_refusal="page"
    )
    flash_ok(_("Removed."))
    return redirect(url_for("falc.glossary", organisation_id=organisation_id), 303)
