"""The organisation's own pictures: the page that lists and uploads them, and the route that
serves each one (always the PNG we drew again, never what was sent)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import db
from app.accounts.models import Organisation
from app.consultations import own_pictograms
from app.consultations.blueprint import bp
from app.consultations.own_pictogram_forms import OwnPictogramForm
from app.consultations.own_pictogram_models import OwnPictogram
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


def _organisations() -> list[Organisation]:
    found = {
        m.organisation.id: m.organisation
        for m in current_user.memberships
        if can(current_user, "consultations.manage_pictures", m.organisation)
    }
    return list(found.values())


@bp.route("/pictures", methods=["GET", "POST"])
@login_required
def own_pictograms_page() -> Any:
    organisations = _organisations()
    if not organisations:
        abort(403)
    chosen = request.args.get("organisation_id", type=int) or organisations[0].id
    organisation = next((o for o in organisations if o.id == chosen), None)
    if organisation is None:
        abort(404)
    form = OwnPictogramForm()
    if form.validate_on_submit():
        upload = form.picture.data
        done, _picture = commit_or_show_error(
            form,
            lambda: own_pictograms.upload(
                current_actor(),
                organisation,
                form.title.data,
                form.alt.data,
                upload.read(own_pictograms._max_bytes() + 1) if upload else b"",
            ),
        )
        if done:
            flash_ok(_("The picture is added. Find it by its name in the question editor."))
            return redirect(
                url_for("consultations.own_pictograms_page", organisation_id=organisation.id), 303
            )
    return render_template(
        "consultations/own_pictograms.html",
        form=form,
        organisation=organisation,
        organisations=organisations,
        pictures=own_pictograms.of_organisation(organisation.id),
    ), form_status(form)


@bp.route("/pictures/<int:picture_id>/remove", methods=["POST"])
@login_required
def remove_own_pictogram(picture_id: int) -> Any:
    picture = db.session.get(OwnPictogram, picture_id)
    if picture is None:
        abort(404)
    organisation_id = picture.organisation_id
    commit_or_show_error(
        None, lambda: own_pictograms.remove(current_actor(), picture), on_refusal="page"
    )
    flash_ok(_("The picture is removed."))
    return redirect(
        url_for("consultations.own_pictograms_page", organisation_id=organisation_id), 303
    )


@bp.route("/pictures/<picture_name>.png")
def own_pictogram_file(picture_name: str) -> Any:
    """A picture as a PNG, for the answering pages, the editor and the public pages alike:
    pictures of answers are no personal data."""
    found = own_pictograms.served(picture_name)
    response = send_file(found, mimetype="image/png", max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response
