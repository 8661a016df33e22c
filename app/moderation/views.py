"""Moderation pages: the queue, the decision page, reports, the author's own texts, the
charter, the organisation's settings, reasons and monthly count. Views stay thin: the rules
are in services.py."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import db
from app.accounts.models import Organisation
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status, safe_next
from app.moderation import detectors, registry, services
from app.moderation.blueprint import bp
from app.moderation.forms import (
    AppealForm,
    BanForm,
    DecisionForm,
    EditForm,
    MeasureForm,
    ReasonForm,
    ReportForm,
    SettingsForm,
)
from app.moderation.models import (
    ACTION_LABELS,
    REPORT_LABELS,
    Action,
    AuthorMeasure,
    Policy,
)


@bp.app_template_global("may_read")
def _may_read(content: Any) -> bool:
    """For templates that show one moderated text: the same rule as every page."""
    return services.may_read(current_actor(), content)


def _reason_choices(organisation_id: int) -> list[tuple[int, str]]:
    return [(0, _("Choose a reason"))] + [
        (t.id, t.text) for t in services.reason_templates(organisation_id)
    ]


def _organisation_or_404(organisation_id: int, permission: str) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(current_actor(), permission, organisation_id):
        abort(404)
    return organisation


# --- the queue -------------------------------------------------------------------------


@bp.route("/")
@login_required
def queue() -> Any:
    actor = current_actor()
    if not can(actor, "moderation.queue"):
        abort(403)
    organisation_id = request.args.get("organisation_id", type=int)
    items = services.queue(actor, organisation_id)
    rows = []
    contents = services.contents_of(items)
    for item in items:
        content = contents.get(item.id)
        if content is None:  # the text was deleted with its space
            continue
        content_type = registry.get(item.content_type)
        rows.append(
            {
                "item": item,
                "type": content_type.label,
                "space": content_type.space(content),
                "excerpt": services.text_of(content)[:160],
            }
        )
    organisations = [
        db.session.get(Organisation, o) for o in services.moderated_organisations(actor)
    ]
    return render_template(
        "moderation/queue.html",
        rows=rows,
        organisations=organisations,
        organisation_id=organisation_id,
        kind_label=services.kind_label,
        report_labels=REPORT_LABELS,
    )


def _render_item(item: Any, form: DecisionForm | None = None, status: int = 200, **forms: Any):
    actor = current_actor()
    content = services.content_of(item)
    content_type = registry.get(item.content_type)
    text = services.text_of(content)
    findings = services.detect_for(item.organisation_id, text)
    choices = _reason_choices(item.organisation_id)
    if form is None:
        form = DecisionForm(formdata=None)
        form.redacted.data = detectors.redact(text, findings, placeholder="[…]")
    form.reason_id.choices = choices
    measure_form = forms.get("measure_form") or MeasureForm(formdata=None, prefix="measure")
    measure_form.reason_id.choices = choices
    return (
        render_template(
            "moderation/item.html",
            item=item,
            content=content,
            content_type=content_type,
            segments=detectors.segments(text, findings),
            kinds=detectors.kinds(findings),
            kind_label=services.kind_label,
            history=services.author_history(actor, item),
            form=form,
            measure_form=measure_form,
            ban_form=forms.get("ban_form") or BanForm(formdata=None),
            may_ban=can(actor, "moderation.ban", item.organisation_id),
            blocked=services._appeal_blocks(actor, item),
            own=item.author_id == actor.id,
            report_labels=REPORT_LABELS,
            action_labels=ACTION_LABELS,
        ),
        status,
    )


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int) -> Any:
    actor = current_actor()
    item = services.load_item(actor, item_id)
    if request.method == "GET":
        return _render_item(item)
    form = DecisionForm()
    form.reason_id.choices = _reason_choices(item.organisation_id)
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: services.decide(
                actor,
                item,
                Action(form.action.data),
                form.reason_id.data or None,
                form.note.data or "",
                form.redacted.data,
            ),
        )
        if ok:
            flash_ok(_("Your decision is saved. The author is told."))
            return redirect(url_for("moderation.queue"), 303)
        item = services.load_item(actor, item_id)
    return _render_item(item, form, 400)


@bp.route("/items/<int:item_id>/measure", methods=["POST"])
@login_required
def measure(item_id: int) -> Any:
    actor = current_actor()
    item = services.load_item(actor, item_id)
    form = MeasureForm(prefix="measure")
    form.reason_id.choices = _reason_choices(item.organisation_id)
    if form.validate_on_submit():
        ok, created = commit_or_show_error(
            form, lambda: services.restrict_author(actor, item, form.reason_id.data or None)
        )
        if ok:
            flash_ok(_("Done: %(measure)s.", measure=created.kind.label))
            return redirect(url_for("moderation.item", item_id=item.id), 303)
        item = services.load_item(actor, item_id)
    return _render_item(item, None, 400, measure_form=form)


@bp.route("/items/<int:item_id>/ban", methods=["POST"])
@login_required
def ban(item_id: int) -> Any:
    actor = current_actor()
    item = services.load_item(actor, item_id)
    if not can(actor, "moderation.ban", item.organisation_id):
        abort(403)
    form = BanForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.ban_author(actor, item, form.reason.data)
        )
        if ok:
            flash_ok(_("Done: this person cannot write messages here any more."))
            return redirect(url_for("moderation.item", item_id=item.id), 303)
        item = services.load_item(actor, item_id)
    return _render_item(item, None, 400, ban_form=form)


@bp.route("/measures/<int:measure_id>/lift", methods=["POST"])
@login_required
def lift(measure_id: int) -> Any:
    actor = current_actor()
    measure = db.session.get(AuthorMeasure, measure_id)
    if measure is None or not can(actor, "moderation.decide", measure.organisation_id):
        abort(404)
    commit_or_show_error(None, lambda: services.lift_measure(actor, measure), on_refusal="page")
    flash_ok(_("The measure is lifted."))
    return redirect(safe_next(request.form.get("next"), url_for("moderation.queue")), 303)


# --- reports ---------------------------------------------------------------------------


@bp.route("/report/<content_type>/<int:content_id>", methods=["GET", "POST"])
@login_required
def report(content_type: str, content_id: int) -> Any:
    actor = current_actor()
    try:
        kind = registry.get(content_type)
    except KeyError:
        abort(404)
    content = db.session.get(kind.model, content_id)
    if content is None or not services.may_read(actor, content):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.report(actor, content, form.reason.data, form.comment.data or "")
        )
        if ok:
            flash_ok(_("Thank you. A moderator will look at this message."))
            return redirect(kind.url(content), 303)
    return (
        render_template(
            "moderation/report.html",
            form=form,
            content=content,
            content_type=kind,
            back=kind.url(content),
            text=services.text_of(content),
        ),
        form_status(form),
    )


# --- the author's side -----------------------------------------------------------------


@bp.route("/mine")
@login_required
def mine() -> Any:
    rows = []
    for item, content in services.my_items(current_actor()):
        kind = registry.get(item.content_type)
        rows.append(
            {
                "item": item,
                "content": content,
                "type": kind.label,
                "space": kind.space(content),
                "url": kind.url(content),
                "text": services.text_of(content),
                "view": services.author_view(item),
            }
        )
    return render_template("moderation/mine.html", rows=rows)


@bp.route("/mine/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_mine(item_id: int) -> Any:
    actor = current_actor()
    item = services.load_own_item(actor, item_id)
    content = services.content_of(item)
    if not services.may_change(item):
        abort(404)
    form = EditForm()
    if request.method == "GET":
        form.body.data = services.text_of(content)
    elif form.validate_on_submit():
        ok, new_status = commit_or_show_error(
            form, lambda: services.resubmit(actor, item, form.body.data)
        )
        if ok:
            if new_status.public:
                flash_ok(_("Your message is published."))
            else:
                flash_ok(_("Your message waits for a check by a person. We do it to protect you."))
            return redirect(url_for("moderation.mine"), 303)
    view = services.author_view(item)
    return render_template(
        "moderation/edit_mine.html", form=form, item=item, view=view
    ), form_status(form)


@bp.route("/mine/<int:item_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(item_id: int) -> Any:
    actor = current_actor()
    item = services.load_own_item(actor, item_id)
    if not services.may_appeal(item):
        if request.method == "POST":  # sent from a second tab once the first was saved
            flash(_("You cannot disagree with this decision now."), "error")
            return redirect(url_for("moderation.mine"), 303)
        abort(404)
    content = services.content_of(item)
    form = AppealForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.appeal(actor, item, form.text.data or "")
        )
        if ok:
            flash_ok(_("Thank you. Another moderator will look at your message."))
            return redirect(url_for("moderation.mine"), 303)
    return (
        render_template(
            "moderation/appeal.html",
            form=form,
            item=item,
            text=services.text_of(content),
            view=services.author_view(item),
        ),
        form_status(form),
    )


# --- public charter --------------------------------------------------------------------


@bp.route("/charter")
def charter() -> Any:
    return render_template("moderation/charter.html")


# --- the organisation ------------------------------------------------------------------


@bp.route("/organisations/<int:organisation_id>/numbers")
@login_required
def numbers(organisation_id: int) -> Any:
    organisation = _organisation_or_404(organisation_id, "moderation.stats")
    months = services.monthly_counts(current_actor(), organisation_id)
    return render_template(
        "moderation/numbers.html",
        organisation=organisation,
        months=months,
        actions=list(Action),
        action_labels=ACTION_LABELS,
    )


@bp.route("/organisations/<int:organisation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(organisation_id: int) -> Any:
    actor = current_actor()
    organisation = _organisation_or_404(organisation_id, "moderation.settings")
    current = services.settings_for(organisation_id)
    form = SettingsForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.default_policy.data = current.default_policy.value
        form.referent_id.data = current.referent_id or 0
    form.referent_id.choices = [(0, _("Nobody: administrators and facilitators"))] + [
        (p.id, p.display_name) for p in services.staff(organisation_id)
    ]
    if form.validate_on_submit():
        data = services.SettingsData(
            default_policy=Policy(form.default_policy.data),
            referent_id=form.referent_id.data or None,
            premoderation_days=form.premoderation_days.data,
            pause_days=form.pause_days.data,
            insults=form.insults.data or "",
            distress=form.distress.data or "",
            staff_names=form.staff_names.data or "",
        )
        ok, _result = commit_or_show_error(
            form, lambda: services.update_settings(actor, organisation_id, data)
        )
        if ok:
            flash_ok(_("Saved."))
            return redirect(url_for("moderation.settings", organisation_id=organisation_id), 303)
    return (
        render_template(
            "moderation/settings.html",
            form=form,
            organisation=organisation,
            default_insults=detectors.DEFAULT_INSULTS,
        ),
        form_status(form),
    )


@bp.route("/organisations/<int:organisation_id>/reasons", methods=["GET", "POST"])
@login_required
def reasons(organisation_id: int) -> Any:
    """The reasons moderators choose from. One form at a time: add one, or change one."""
    actor = current_actor()
    organisation = _organisation_or_404(organisation_id, "moderation.settings")
    templates = services.reason_templates(organisation_id, include_inactive=True)
    editing = request.values.get("reason_id", type=int)
    current = next((t for t in templates if t.id == editing), None)
    if editing is not None and current is None:
        abort(404)
    form = ReasonForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: services.save_reason(
                actor, organisation_id, form.text.data, editing, bool(form.active.data)
            ),
        )
        if ok:
            flash_ok(_("Saved."))
            return redirect(url_for("moderation.reasons", organisation_id=organisation_id), 303)
    return (
        render_template(
            "moderation/reasons.html",
            form=form,
            organisation=organisation,
            templates=templates,
            editing=current,
        ),
        form_status(form),
    )
