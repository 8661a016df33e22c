"""The kit's ten fiches: the list and each fiche (public, no account needed), their editing
and their history (platform administrators only: 404 for everybody else)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import utcnow
from app.falc import services as falc_services
from app.kit import fiches
from app.kit.blueprint import bp
from app.kit.fiche_forms import FicheForm
from app.kit.models import PARTS, Fiche, Phase

# The four parts of a fiche, with the kit's French headings as English msgids.
PART_HEADINGS = {
    "why": _l("Why this step?"),
    "how": _l("How to go about it?"),
    "tools": _l("What tools are there?"),
    "success_factors": _l("What makes it work?"),
}
FIELD_LABELS = {
    "number": _l("Number"),
    "phase": _l("Phase"),
    "title": _l("Title"),
    **PART_HEADINGS,
    "easy": _l("Easy-to-read version"),
    "source": _l("Sources"),
    "edition": _l("Edition"),
    "verified": _l("Checked against the official kit"),
}


@bp.app_template_global("kit_fiche")
def kit_fiche(number: int) -> Fiche | None:
    """The fiche with this number, or None (templates link to it with kit_link)."""
    return fiches.find(number)


@bp.route("/")
def index() -> Any:
    all_ = fiches.all_fiches()
    groups = [(phase, [f for f in all_ if f.phase == phase]) for phase in Phase]
    followed = []
    if current_user.is_authenticated:
        followed = sorted(
            {
                m.organisation_id: m.organisation
                for m in current_user.memberships
                if can(current_user, "kit.follow", m.organisation_id)
            }.values(),
            key=lambda o: o.name,
        )
    return render_template(
        "kit/index.html", groups=groups, count=len(all_), followed=followed, year=utcnow().year
    )


@bp.route("/fiches/<int:number>")
def fiche(number: int) -> Any:
    item = fiches.get(number)
    full = request.args.get("full") == "1" or not item.easy.strip()
    return render_template(
        "kit/fiche.html",
        fiche=item,
        full=full,
        parts=[(name, PART_HEADINGS[name], getattr(item, name)) for name in PARTS],
        easy_blocks=_blocks(item.easy),
        can_edit=can(current_user, "kit.edit", item),
    )


def _blocks(text: str) -> list[str]:
    """The easy-to-read text in groups of lines (an empty line separates two groups)."""
    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _editable(number: int) -> Fiche:
    item = fiches.find(number)
    if item is None or not can(current_user, "kit.edit", item):
        abort(404)
    return item


@bp.route("/fiches/<int:number>/edit", methods=["GET", "POST"])
def edit_fiche(number: int) -> Any:
    item = _editable(number)
    form = FicheForm()
    falc: dict[str, Any] = {}
    if request.method == "GET":
        for name in ("title", *PARTS, "easy", "source", "edition", "verified"):
            form[name].data = getattr(item, name)
        form.phase.data = Phase(item.phase).value
    elif request.form.get("action") == "check":
        # Check the easy-to-read version, save nothing.
        falc = falc_services.check_fields(None, {"easy": form.easy.data or ""})
    elif form.validate_on_submit():
        data = {name: form[name].data for name in ("title", *PARTS, "easy", "source", "edition")}
        data["phase"] = form.phase.data
        data["verified"] = bool(form.verified.data)
        ok, _result = commit_or_show_error(form, lambda: fiches.update(current_actor(), item, data))
        if ok:
            flash_ok(_("The fiche is saved. The previous version is in its history."))
            return redirect(url_for("kit.fiche", number=number, full=1), 303)
    return render_template("kit/edit.html", form=form, fiche=item, falc=falc), form_status(form)


@bp.route("/fiches/<int:number>/history")
def history(number: int) -> Any:
    item = _editable(number)
    return render_template(
        "kit/history.html",
        fiche=item,
        entries=fiches.history(item),
        labels=FIELD_LABELS,
        phase_labels={phase.value: phase.label for phase in Phase},
        parts=PARTS,
    )
