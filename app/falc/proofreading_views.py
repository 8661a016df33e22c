"""Proofreading pages (relecture FALC): my texts to proofread, the simple page with one
sentence per line, the marks a proofreader dictates, the proofreaders of an organisation and
sending a text for proofreading. Views stay thin.

A proofreading page answers 404 to anybody who may not see it, so nobody learns that it exists.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import db
from app.accounts.models import Organisation, Person, Role
from app.accounts.permissions import organisations_where
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.falc import proofreading as services
from app.falc.blueprint import bp
from app.falc.permissions import assignment_of
from app.falc.proofreading_forms import ProofreaderForm, RequestForm, sentences_form
from app.falc.proofreading_models import STATUS_LABELS, Proofreading


def _load(proofreading_id: int) -> Proofreading:
    proofreading = services.get_proofreading(proofreading_id)
    if proofreading is None or not can(current_user, "falc.view", proofreading):
        abort(404)  # do not tell whether the proofreading exists
    return proofreading


def _organisation_from_args() -> tuple[Organisation, list[Organisation]]:
    """The organisation named by ?organisation_id=, or the first one the actor facilitates."""
    organisations = sorted(
        organisations_where(current_user, Role.FACILITATOR), key=lambda o: o.name.casefold()
    )
    if not organisations:
        abort(403)
    wanted = request.args.get("organisation_id", type=int)
    if wanted is None:
        return organisations[0], organisations
    organisation = next((o for o in organisations if o.id == wanted), None)
    if organisation is None:
        abort(404)
    return organisation, organisations


@bp.route("/")
@login_required
def index() -> Any:
    if not can(current_user, "falc.access"):
        abort(403)
    actor = current_actor()
    return render_template(
        "falc/index.html",
        todo=services.assignments_for(actor),
        finished=services.finished_by(actor),
        managed=services.proofreadings_managed_by(actor),
        is_facilitator=bool(organisations_where(actor, Role.FACILITATOR)),
        status_labels=STATUS_LABELS,
    )


@bp.route("/<int:proofreading_id>", methods=["GET", "POST"])
@login_required
def proofread(proofreading_id: int) -> Any:
    proofreading = _load(proofreading_id)
    actor = current_actor()
    assignment = assignment_of(actor, proofreading)
    if assignment is None:  # a facilitator of the organisation
        return redirect(url_for("falc.results", proofreading_id=proofreading.id), 303)
    sentences = proofreading.sentences
    is_open = can(current_user, "falc.proofread", proofreading)
    changing = request.args.get("change") == "1"
    if request.method == "POST" and not is_open:
        return redirect(url_for("falc.proofread", proofreading_id=proofreading.id), 303)
    if is_open and (assignment.done_at is None or changing or request.method == "POST"):
        saved = services.marks_of(proofreading, actor) if request.method == "GET" else None
        form = sentences_form(sentences, saved)
        if form.validate_on_submit():
            done, _result = commit_or_show_error(
                form, lambda: services.submit_marks(actor, proofreading, form.marks())
            )
            if done:
                flash_ok(_("Thank you! Your answers are saved."))
                return redirect(url_for("falc.proofread", proofreading_id=proofreading.id), 303)
        action = url_for("falc.proofread", proofreading_id=proofreading.id)
        return render_template(
            "falc/proofread.html",
            form=form,
            proofreading=proofreading,
            action_url=action + ("?change=1" if changing else ""),
            person=None,
        ), form_status(form)
    return render_template(
        "falc/proofread_done.html",
        proofreading=proofreading,
        assignment=assignment,
        sentences=sentences,
        marks=services.marks_of(proofreading, actor),
        is_open=is_open,
    )


@bp.route("/<int:proofreading_id>/results")
@login_required
def results(proofreading_id: int) -> Any:
    proofreading = _load(proofreading_id)
    if not can(current_user, "falc.see_results", proofreading):
        abort(403)
    badge = services.badge_for(
        proofreading.subject_type,
        proofreading.subject_id,
        proofreading.field,
        proofreading.text,
        organisation_id=proofreading.organisation_id,
    )
    return render_template(
        "falc/results.html",
        proofreading=proofreading,
        rows=services.results(proofreading),
        progress=services.progress(proofreading),
        sentence_count=len(proofreading.sentences),
        can_enter=can(current_user, "falc.proofread", proofreading),
        badge=badge,
        status_labels=STATUS_LABELS,
    )


@bp.route("/<int:proofreading_id>/for/<int:person_id>", methods=["GET", "POST"])
@login_required
def proofread_for(proofreading_id: int, person_id: int) -> Any:
    proofreading = _load(proofreading_id)
    if not can(current_user, "falc.see_results", proofreading):
        abort(403)
    person = db.session.get(Person, person_id)
    if person is None or assignment_of(person, proofreading) is None:
        abort(404)
    if not can(current_user, "falc.proofread", proofreading):
        return redirect(url_for("falc.results", proofreading_id=proofreading.id), 303)
    saved = services.marks_of(proofreading, person) if request.method == "GET" else None
    form = sentences_form(proofreading.sentences, saved, assisted=True)
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form,
            lambda: services.submit_marks(
                current_actor(),
                proofreading,
                form.marks(),
                for_person=person,
                consent_note=form.consent_note.data,
            ),
        )
        if done:
            flash_ok(_("The answers of %(name)s are saved.", name=person.display_name))
            return redirect(url_for("falc.results", proofreading_id=proofreading.id), 303)
    return render_template(
        "falc/proofread.html",
        form=form,
        proofreading=proofreading,
        action_url=url_for(
            "falc.proofread_for", proofreading_id=proofreading.id, person_id=person.id
        ),
        person=person,
    ), form_status(form)


@bp.route("/proofreaders", methods=["GET", "POST"])
@login_required
def proofreaders() -> Any:
    organisation, organisations = _organisation_from_args()
    if not can(current_user, "falc.manage_proofreaders", organisation):
        abort(403)
    candidates = services.proofreader_candidates(organisation)
    form = ProofreaderForm()
    form.person_id.choices = [("", _("Choose the person"))] + [
        (p.id, p.display_name) for p in candidates
    ]
    if form.validate_on_submit():
        person = next(p for p in candidates if p.id == form.person_id.data)
        done, _result = commit_or_show_error(
            form,
            lambda: services.register_proofreader(
                current_actor(),
                person,
                form.consent_note.data,
                bool(form.show_name.data),
                organisation=organisation,
            ),
        )
        if done:
            flash_ok(_("%(name)s is now a proofreader.", name=person.display_name))
            return redirect(url_for("falc.proofreaders", organisation_id=organisation.id), 303)
    return render_template(
        "falc/proofreaders.html",
        form=form,
        organisation=organisation,
        organisations=organisations,
        proofreaders=services.proofreaders_of(organisation),
        has_candidates=bool(candidates),
    ), form_status(form)


@bp.route("/proofreaders/<int:proofreader_id>/deactivate", methods=["POST"])
@login_required
def deactivate(proofreader_id: int) -> Any:
    proofreader = services.get_proofreader(proofreader_id)
    if proofreader is None or not can(
        current_user, "falc.manage_proofreaders", proofreader.organisation
    ):
        abort(404)
    commit_or_show_error(
        None,
        lambda: services.deactivate_proofreader(current_actor(), proofreader),
        on_refusal="page",
    )
    flash_ok(_("%(name)s no longer proofreads texts.", name=proofreader.person.display_name))
    return redirect(url_for("falc.proofreaders", organisation_id=proofreader.organisation_id), 303)


@bp.route("/request", methods=["GET", "POST"], endpoint="request")
@login_required
def request_proofreading() -> Any:
    organisation, organisations = _organisation_from_args()
    if not can(current_user, "falc.request", organisation):
        abort(403)
    subject_type = request.args.get("subject_type", "").strip()
    subject_id = request.args.get("subject_id", type=int)
    field_name = request.args.get("field", "").strip()
    if not subject_type or subject_id is None or not field_name:
        abort(404)
    # The text's page links here with ?label=&text=, or posts them with prefill=1 when the
    # text is too long for an address: both only fill the form in.
    prefill = request.method == "POST" and request.form.get("prefill") == "1"
    if request.method == "GET" or prefill:
        source = request.form if prefill else request.args
        form = RequestForm(
            formdata=None, data={"label": source.get("label", ""), "text": source.get("text", "")}
        )
    else:
        form = RequestForm()
    proofreaders = services.proofreaders_of(organisation)
    form.proofreader_ids.choices = [(p.person_id, p.person.display_name) for p in proofreaders]
    if not prefill and form.validate_on_submit():
        done, proofreading = commit_or_show_error(
            form,
            lambda: services.request_proofreading(
                current_actor(),
                organisation,
                subject_type,
                subject_id,
                field_name,
                form.text.data or "",
                form.proofreader_ids.data or [],
                required_understood=form.required_understood.data or 1,
                label=form.label.data or "",
            ),
        )
        if done:
            flash_ok(_("The text is sent to the proofreaders."))
            return redirect(url_for("falc.results", proofreading_id=proofreading.id), 303)
    subject_args = {"subject_type": subject_type, "subject_id": subject_id, "field": field_name}
    return render_template(
        "falc/request.html",
        form=form,
        organisation=organisation,
        organisations=organisations,
        has_proofreaders=bool(proofreaders),
        subject_args=subject_args,
        action_url=url_for("falc.request", organisation_id=organisation.id, **subject_args),
    ), form_status(form)
