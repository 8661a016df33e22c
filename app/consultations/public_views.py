"""Public pages (no login) and the setting a facilitator uses to show a round there.

The public pages are the same for every visitor without an account, so they may be kept by
browsers and shared caches for a few minutes (`Cache-Control: public`). They hold no form:
a form carries a token of the visitor's session, which a cache must never hand to another
visitor. The footer's switches are plain links here: `?version=easy|full` (the easy-to-read
texts, with the easy-to-read display, or the full texts) and `?lang=fr|en`. Without them a
page follows the visitor's own preferences (their cookies: `Vary: Cookie`)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.consultations import public
from app.consultations.blueprint import bp
from app.consultations.public_forms import PublicPageForm
from app.consultations.views import load_round
from app.core.i18n import display_preferences
from app.core.urls import external_url
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status

public_bp = Blueprint("public", __name__, url_prefix="/public")

PUBLIC_MAX_AGE = 300  # seconds a browser or a shared cache may keep a public page
VERSIONS = ("easy", "full")


def _public_page(template: str, **context: Any) -> Any:
    version = request.args.get("version")
    language = request.args.get("lang")
    keep = {}
    if version in VERSIONS:
        keep["version"] = version
    if language in current_app.config["LANGUAGES"]:
        keep["lang"] = language
    preferences = display_preferences()
    easy = version == "easy" if version in VERSIONS else preferences["easy_read"]
    values = dict(request.view_args or {})

    def here(**changes: Any) -> str:
        """This page with the switches kept, some changed."""
        return url_for(str(request.endpoint), **values, **{**keep, **changes})

    def link(endpoint: str, **args: Any) -> str:
        """Another public page with the same switches."""
        return url_for(endpoint, **args, **keep)

    with force_locale(keep["lang"]) if "lang" in keep else nullcontext():
        page = render_template(
            template,
            easy=easy,
            display={**preferences, "easy_read": preferences["easy_read"] or easy},
            here=here,
            link=link,
            **context,
        )
    response = make_response(page)
    if not current_user.is_authenticated and not session.modified:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.vary.add("Cookie")
    return response


@public_bp.route("/<slug>")
def organisation(slug: str) -> Any:
    organisation, rounds = public.public_organisation(slug)
    return _public_page("public/organisation.html", organisation=organisation, rounds=rounds)


@public_bp.route("/<slug>/<int:round_id>")
def round_page(slug: str, round_id: int) -> Any:
    round_ = public.public_round(slug, round_id)
    return _public_page("public/round.html", view=public.public_view(round_), round=round_)


# --- the facilitator's setting ------------------------------------------------------------------


@bp.route("/<int:round_id>/public", methods=["GET", "POST"])
@login_required
def public_setting(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.manage")
    form = PublicPageForm()
    if request.method == "GET":
        form.shown.data = round_.shown_publicly_at is not None
    if form.validate_on_submit():
        shown = bool(form.shown.data)
        done, _changed = commit_or_show_error(
            form, lambda: public.set_shown_publicly(current_actor(), round_, shown)
        )
        if done:
            flash_ok(
                _("The round is shown on your public page.")
                if shown
                else _("The round is no longer shown on your public page.")
            )
            return redirect(url_for("consultations.public_setting", round_id=round_.id), 303)
        round_ = load_round(round_id, "consultations.manage")
    slug = round_.organisation.public_slug
    page = render_template(
        "consultations/public_setting.html",
        form=form,
        round=round_,
        organisation_url=(
            external_url("public.organisation", slug=slug)
            if slug and public.shown_rounds(round_.organisation)
            else None
        ),
        round_url=(
            external_url("public.round_page", slug=slug, round_id=round_.id)
            if slug and public.is_public(round_)
            else None
        ),
    )
    return page, form_status(form)
