"""Checklist pages: the checklist of a consultation round or a co-training mission (items by
phase, computed from the data or ticked by hand with a note), and the organisation's
dashboard (each round and each mission with its score per phase). Thin: the rules are in
checklist.py. Without "kit.follow" on the organisation, every page is a 404."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import db
from app.accounts.models import Organisation
from app.core.errors import NotFound
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok
from app.db import utcnow
from app.kit import checklist as service
from app.kit.blueprint import bp
from app.kit.checklist_forms import TickForm
from app.kit.models import Phase

# The address part of each subject, and back.
KINDS = {"rounds": "round", "missions": "mission"}
PATHS = {kind: path for path, kind in KINDS.items()}


def _subject(kind: str, subject_id: int) -> Any:
    try:
        subject = service.get_subject(kind, subject_id)
    except NotFound:
        abort(404)
    if not can(current_actor(), "kit.follow", subject.organisation_id):
        abort(404)
    return subject


def _render(kind: str, subject: Any, failed: tuple[str, TickForm] | None = None) -> Any:
    phases = service.checklist(kind, subject, utcnow())
    forms = {}
    for phase in phases:
        for row in phase.items:
            if not row.manual:
                continue
            form = TickForm(formdata=None, prefix=f"{row.item.key}-")
            if row.tick is not None:
                form.done.data = row.tick.done
                form.note.data = row.tick.note
            forms[row.item.key] = form
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "kit/checklist.html",
        kind=kind,
        path=PATHS[kind],
        subject=subject,
        phases=phases,
        forms=forms,
        error_form=failed[1] if failed else None,
    ), 400 if failed else 200


@bp.route("/rounds/<int:round_id>/checklist")
@login_required
def round_checklist(round_id: int) -> Any:
    return _render("round", _subject("round", round_id))


@bp.route("/missions/<int:mission_id>/checklist")
@login_required
def mission_checklist(mission_id: int) -> Any:
    return _render("mission", _subject("mission", mission_id))


@bp.route("/<any(rounds, missions):subject>/<int:subject_id>/checklist/<item>", methods=["POST"])
@login_required
def tick(subject: str, subject_id: int, item: str) -> Any:
    kind = KINDS[subject]
    found = _subject(kind, subject_id)
    try:
        service.item_for(kind, item)
    except NotFound:
        abort(404)
    form = TickForm(prefix=f"{item}-")
    if form.validate_on_submit():
        done, note = bool(form.done.data), form.note.data or ""
        ok, _tick = commit_or_show_error(
            form,
            lambda: service.tick(current_actor(), kind, found.id, item, done, note),
        )
        if ok:
            flash_ok(_("Saved: the item is ticked.") if done else _("Saved: the item is not done."))
            endpoint = "kit.round_checklist" if kind == "round" else "kit.mission_checklist"
            target = url_for(endpoint, **{f"{kind}_id": found.id})
            return redirect(f"{target}#item-{item}", 303)
        found = _subject(kind, subject_id)
    return _render(kind, found, failed=(item, form))


@bp.route("/organisations/<int:organisation_id>")
@login_required
def dashboard(organisation_id: int) -> Any:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(current_actor(), "kit.follow", organisation_id):
        abort(404)
    board = service.dashboard(current_actor(), organisation_id)
    return render_template(
        "kit/dashboard.html", organisation=organisation, board=board, phases=list(Phase)
    )
