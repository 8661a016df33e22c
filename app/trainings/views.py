"""Co-training pages for participants (and facilitators signing up for them): find a
mission, read it (easy-to-read first), sign up, my sign-ups (accept a place, cancel,
calendar, attestation, drafts of pay and costs), a word after the mission, my profile.
Thin: the rules are in services.py."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import db
from app.accounts.models import Person
from app.accounts.services import participants_of
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import utcnow, writes_on_get
from app.expenses import categories, earnings
from app.expenses import services as expenses
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus
from app.trainings import services
from app.trainings.blueprint import bp
from app.trainings.forms import (
    CHANNEL_LABELS,
    WENT_WELL_LABELS,
    FeedbackForm,
    FilterForm,
    ForSomeoneForm,
    ProfileForm,
    SignupForm,
)
from app.trainings.models import FeedbackSide, MissionType, SignupStatus


def _person_for(actor: Person) -> Person:
    """The person a page acts for: the actor, or a participant their facilitator helps."""
    person_id = request.args.get("person_id", type=int)
    if not person_id or person_id == actor.id:
        return actor
    person = db.session.get(Person, person_id)
    if person is None or not can(actor, "person.act_for", person):
        abort(404)
    return person


def _helped_people(actor: Person) -> list[Person]:
    """The participants a facilitator may sign up (their organisations' participants)."""
    if not can(actor, "participants.access"):
        return []
    return [p for p in participants_of(actor) if p.id != actor.id]


@bp.route("/")
@login_required
def index() -> Any:
    actor = current_actor()
    form = FilterForm(request.args)
    departements = services.departements_offered()
    form.departement.choices = [("", _("Everywhere"))] + [(d, d) for d in departements]
    filters = services.Filters()
    status = 200
    if request.args:
        if form.validate():
            filters = services.Filters(
                starting=_start_of(form.starting.data),
                departement=form.departement.data or "",
                type=MissionType(form.type.data) if form.type.data else None,
                online=bool(form.online.data),
            )
        else:
            status = 400
    missions = services.find_missions(filters)
    return render_template(
        "trainings/index.html",
        form=form,
        missions=missions,
        filtered=bool(request.args) and status == 200,
        institutes=services.managed_institutes(actor),
        mine={s.mission_id: s for s in services.my_signups(actor)},
    ), status


def _start_of(day: Any) -> Any:
    if day is None:
        return None
    from datetime import datetime, time

    from app.core.calendar import PARIS

    return datetime.combine(day, time(0, 0), PARIS)


@bp.route("/missions/<int:mission_id>")
@login_required
def show(mission_id: int) -> Any:
    actor = current_actor()
    mission = services.load_mission(actor, mission_id)
    helped = _helped_people(actor)
    for_someone = None
    if helped:
        for_someone = ForSomeoneForm(formdata=None)
        for_someone.person_id.choices = [(p.id, p.display_name) for p in helped]
    return render_template(
        "trainings/show.html",
        mission=mission,
        full=request.args.get("full") == "1",
        signup=services.signup_of(actor, mission),
        may_manage=can(actor, "trainings.manage", mission.organisation_id),
        for_someone=for_someone,
        covered=categories.labels(mission.covered_costs),
        places_left=max(mission.seats - mission.confirmed_count, 0),
    )


@bp.route("/missions/<int:mission_id>/sign-up", methods=["GET", "POST"])
@login_required
def sign_up(mission_id: int) -> Any:
    actor = current_actor()
    mission = services.load_mission(actor, mission_id)
    person = _person_for(actor)
    for_someone = person.id != actor.id
    form = SignupForm()
    if not form.is_submitted() and person.contact_channel:
        form.contact_channel.data = person.contact_channel  # their choice on "Mon compte"
    if form.validate_on_submit():
        data = services.SignupData(
            why=form.why.data or "",
            can_share=form.can_share.data or "",
            needs_childcare=bool(form.needs_childcare.data),
            needs_companion=bool(form.needs_companion.data),
            needs_travel_help=bool(form.needs_travel_help.data),
            access_needs=form.access_needs.data or "",
            dietary_needs=form.dietary_needs.data or "",
            contact_channel=form.contact_channel.data,
        )
        note = form.consent_note.data if for_someone else None
        ok, _signup = commit_or_show_error(
            form, lambda: services.sign_up(actor, person, mission, data, consent_note=note)
        )
        if ok:
            flash_ok(_("Thank you. The institute will answer you soon."))
            if for_someone:
                return redirect(url_for("trainings.show", mission_id=mission_id), 303)
            return redirect(url_for("trainings.mine"), 303)
        mission = services.load_mission(actor, mission_id)
        person = db.session.get(Person, person.id)
    status = form_status(form)
    return render_template(
        "trainings/sign_up.html",
        form=form,
        mission=mission,
        person=person,
        for_someone=for_someone,
        crossings=earnings.for_mission(person, mission, utcnow()),
        simulators=earnings.SIMULATORS_FOR_STAFF if for_someone else earnings.SIMULATORS,
    ), status


@bp.route("/mine")
@login_required
def mine() -> Any:
    actor = current_actor()
    signups = services.my_signups(actor)
    request_ids = [i for s in signups for i in (s.pay_request_id, s.costs_request_id) if i]
    drafts = expenses.requests_by_id(actor, request_ids)
    return render_template(
        "trainings/mine.html",
        signups=signups,
        drafts=drafts,
        profile=services.profile_of(actor),
        channel_labels=CHANNEL_LABELS,
        S=SignupStatus,
        now=utcnow(),
    )


def _signup_action(signup_id: int, action: Any, message: str) -> Any:
    actor = current_actor()
    signup = services.load_signup(actor, signup_id)
    if not can(actor, "trainings.own_signup", signup):
        abort(404)
    ok, _result = commit_or_show_error(None, lambda: action(actor, signup))
    if ok:
        flash_ok(message)
    if actor.id == signup.person_id:
        return redirect(url_for("trainings.mine"), 303)
    return redirect(url_for("trainings.show", mission_id=signup.mission_id), 303)


@bp.route("/signups/<int:signup_id>/cancel", methods=["POST"])
@login_required
def cancel(signup_id: int) -> Any:
    return _signup_action(
        signup_id, services.cancel, _("Your sign-up is cancelled. Thank you for telling us.")
    )


@bp.route("/signups/<int:signup_id>/accept", methods=["POST"])
@login_required
def accept(signup_id: int) -> Any:
    return _signup_action(
        signup_id, services.accept_offer, _("Your place is confirmed. See you soon.")
    )


@bp.route("/signups/<int:signup_id>/calendar.ics")
@login_required
def calendar(signup_id: int) -> Any:
    actor = current_actor()
    signup = services.load_signup(actor, signup_id)
    data = services.calendar_file(actor, signup)
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="co-formation-{signup.mission_id}.ics"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/signups/<int:signup_id>/attestation.pdf")
@writes_on_get
@login_required
def attestation(signup_id: int) -> Any:
    actor = current_actor()
    signup = services.load_signup(actor, signup_id)
    data = services.attestation_pdf(actor, signup)
    db.session.commit()  # the audit entry
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="attestation-{signup.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/signups/<int:signup_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(signup_id: int) -> Any:
    actor = current_actor()
    signup = services.load_signup(actor, signup_id)
    side = services.feedback_side(actor, signup)
    given = services.feedback_for(signup)

    def readable(found: Any) -> Any:  # the words this person may read, or None
        return found if found is not None and moderation.may_read(actor, found) else None

    mine = readable(given.get(side))
    form = FeedbackForm(data={"went_well": mine.went_well, "body": mine.body} if mine else None)
    if form.validate_on_submit():
        ok, saved = commit_or_show_error(
            form,
            lambda: services.give_feedback(
                actor, signup, form.went_well.data, form.body.data or ""
            ),
        )
        if ok:
            if saved.moderation_status == ModerationStatus.PUBLISHED:
                flash_ok(_("Thank you. Your words are saved."))
            else:
                flash_ok(_("Thank you. A moderator reads your words before the other side does."))
            return redirect(url_for("trainings.feedback", signup_id=signup_id), 303)
        signup = services.load_signup(actor, signup_id)
        given = services.feedback_for(signup)
    other_side = (
        FeedbackSide.INSTITUTE if side == FeedbackSide.CO_TRAINER else FeedbackSide.CO_TRAINER
    )
    other = given.get(other_side)
    return render_template(
        "trainings/feedback.html",
        form=form,
        signup=signup,
        side=side,
        mine=readable(given.get(side)),
        other=readable(other),
        went_well_labels=WENT_WELL_LABELS,
        ready=bool(signup.sessions_present),
    ), form_status(form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    actor = current_actor()
    person = _person_for(actor)
    existing = services.profile_of(person)
    form = ProfileForm(
        data={
            "themes": existing.themes,
            "formats": existing.formats,
            "availability": existing.availability,
            "places": existing.places,
            "institute_ids": [o.id for o in existing.institutes],
        }
        if existing and request.method == "GET"
        else None
    )
    form.institute_ids.choices = [(o.id, o.name) for o in services.institutes_to_choose()]
    if form.validate_on_submit():
        data = services.ProfileData(
            themes=form.themes.data or "",
            formats=list(form.formats.data or []),
            availability=form.availability.data or "",
            places=form.places.data or "",
            institute_ids=list(form.institute_ids.data or []),
        )
        ok, _saved = commit_or_show_error(form, lambda: services.save_profile(actor, person, data))
        if ok:
            flash_ok(_("Your profile is saved. Only the institutes you chose can read it."))
            return redirect(url_for("trainings.profile", person_id=_id_arg(actor, person)), 303)
        existing = services.profile_of(person)
    return render_template(
        "trainings/profile.html",
        form=form,
        profile=existing,
        person=person,
        for_someone=person.id != actor.id,
    ), form_status(form)


def _id_arg(actor: Person, person: Person) -> int | None:
    return person.id if person.id != actor.id else None


@bp.route("/profile/visible", methods=["POST"])
@login_required
def profile_visible() -> Any:
    actor = current_actor()
    person = _person_for(actor)
    visible = request.form.get("visible") == "1"
    if services.profile_of(person) is None:
        abort(404)
    ok, _result = commit_or_show_error(
        None, lambda: services.set_profile_visible(actor, person, visible)
    )
    if ok:
        flash_ok(
            _("Your profile can be read again by the institutes you chose.")
            if visible
            else _("Your profile is hidden. No institute can read it now.")
        )
    return redirect(url_for("trainings.profile", person_id=_id_arg(actor, person)), 303)
