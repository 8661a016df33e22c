"""Co-training pages for the institute's staff: the institute's missions, a mission's form,
the manage page (state, sign-ups and the answers to them, a message to the co-trainers,
attendance, feedback), attendance per session, and the co-trainer profiles people chose to
show. Thin: the rules are in services.py. Another institute's mission is a 404."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Organisation
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import utcnow
from app.expenses import earnings
from app.falc import services as falc_services
from app.trainings import services
from app.trainings.blueprint import bp
from app.trainings.forms import CHANNEL_LABELS, WENT_WELL_LABELS
from app.trainings.manage_forms import (
    ActionForm,
    MessageForm,
    MissionForm,
    ReasonForm,
    attendance_form,
    mission_form_data,
    typed_number,
)
from app.trainings.models import (
    TYPE_LABELS,
    Mission,
    MissionSession,
    MissionStatus,
    Signup,
    SignupStatus,
)

# What the manage page offers for each state of a sign-up (the services decide).
SIGNUP_ACTIONS: dict[SignupStatus, tuple[str, ...]] = {
    SignupStatus.INTERESTED: ("confirm", "waiting", "decline"),
    SignupStatus.WAITING: ("confirm", "decline"),
    SignupStatus.CONFIRMED: ("withdraw",),
    SignupStatus.OFFERED: ("withdraw",),
}
MOVE_ORDER = [
    MissionStatus.PUBLISHED,
    MissionStatus.FULL,
    MissionStatus.CLOSED,
    MissionStatus.DONE,
    MissionStatus.CANCELLED,
]


def _institute(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not can(current_actor(), "trainings.manage", organisation_id):
        abort(404)
    return organisation


def _mission(mission_id: int) -> Mission:
    mission = db.session.get(Mission, mission_id)
    if mission is None or not can(current_actor(), "trainings.manage", mission.organisation_id):
        abort(404)
    return mission


def _signup(signup_id: int) -> Signup:
    signup = db.session.get(Signup, signup_id)
    if signup is None or not can(
        current_actor(), "trainings.manage", signup.mission.organisation_id
    ):
        abort(404)
    return signup


# --- the institute's missions ---------------------------------------------------------


@bp.route("/organisations/<int:organisation_id>/missions")
@login_required
def institute(organisation_id: int) -> Any:
    organisation = _institute(organisation_id)
    actor = current_actor()
    missions = services.institute_missions(actor, organisation_id)
    return render_template(
        "trainings/manage/institute.html",
        organisation=organisation,
        missions=missions,
        unanswered={
            m.id: sum(1 for s in m.signups if s.status == SignupStatus.INTERESTED) for m in missions
        },
        profiles=sorted(
            services.visible_profiles(actor, organisation_id),
            key=lambda p: p.person.display_name.lower(),
        ),
        institutes=services.managed_institutes(actor),
    )


# What co-trainers read of a mission: each text, and its easy-to-read field (None: none).
MISSION_TEXTS = (
    ("title", "title_easy"),
    ("description", "description_easy"),
    ("topic", None),
    ("audience", None),
    ("place", None),
    ("contact_name", None),
)


def _mission_check(form: MissionForm, organisation_id: int) -> dict[str, Any]:
    """After "Check the easy-to-read texts" (nothing saved): what co-trainers will read, the
    list of what the check found and the findings next to the easy-to-read fields."""
    if request.method != "POST" or request.form.get("action") != "check":
        return {"check": None, "falc": {}}
    texts = {
        name: (
            str(form[name].label.text),
            form[name].data or "",
            (form[easy].data or "") if easy else None,
        )
        for name, easy in MISSION_TEXTS
    }
    easy = {e: form[e].data or "" for _name, e in MISSION_TEXTS if e}
    return {
        "check": falc_services.publication_check(organisation_id, texts),
        "places": {name: {"endpoint": "", "anchor": e or name} for name, e in MISSION_TEXTS},
        "falc": falc_services.check_fields(organisation_id, easy),
    }


@bp.route("/organisations/<int:organisation_id>/missions/new", methods=["GET", "POST"])
@login_required
def new_mission(organisation_id: int) -> Any:
    organisation = _institute(organisation_id)
    form = MissionForm()
    checked = _mission_check(form, organisation.id)
    if checked["check"] is None and form.validate_on_submit():
        data = form.mission_data()
        ok, mission = commit_or_show_error(
            form, lambda: services.create_mission(current_actor(), organisation, data)
        )
        if ok:
            flash_ok(_("The mission is saved. Nobody sees it before you publish it."))
            return redirect(url_for("trainings.manage", mission_id=mission.id), 303)
    status = form_status(form)
    return render_template(
        "trainings/manage/mission_form.html",
        form=form,
        organisation=organisation,
        mission=None,
        **checked,
    ), status


@bp.route("/missions/<int:mission_id>/edit", methods=["GET", "POST"])
@login_required
def edit_mission(mission_id: int) -> Any:
    mission = _mission(mission_id)
    if request.method == "POST":
        form = MissionForm()
    else:
        form = MissionForm(data=mission_form_data(mission))
    checked = _mission_check(form, mission.organisation_id)
    if checked["check"] is None and form.validate_on_submit():
        data = form.mission_data()
        ok, _result = commit_or_show_error(
            form, lambda: services.update_mission(current_actor(), mission, data)
        )
        if ok:
            flash_ok(_("The mission is saved."))
            return redirect(url_for("trainings.manage", mission_id=mission_id), 303)
        mission = _mission(mission_id)
    status = form_status(form)
    return render_template(
        "trainings/manage/mission_form.html",
        form=form,
        organisation=mission.organisation,
        mission=mission,
        **checked,
    ), status


# --- one mission ----------------------------------------------------------------------

# Sign-ups still to answer: the staff read the earnings warning before deciding.
UNDECIDED = (SignupStatus.INTERESTED, SignupStatus.WAITING, SignupStatus.OFFERED)


def _earnings_warnings(mission: Mission, signups: Any) -> dict[int, Any]:
    """The earnings warning of each sign-up still to answer (three queries for them all)."""
    waiting = [s for s in signups if s.person is not None and s.status in UNDECIDED]
    found = earnings.for_mission_people([s.person for s in waiting], mission, utcnow())
    return {s.id: found.get(s.person_id, []) for s in waiting}


def _render_manage(
    mission: Mission, status: int = 200, error_form: Any = None, **forms: Any
) -> Any:
    """The manage page. `forms` replaces the blank form of one action (key "move",
    "message", or "<action>-<signup id>") by the one that failed, shown with its error."""
    actor = current_actor()
    # One query for the sign-ups with their people and attendance (no query per row); kept
    # in a variable so that the session's identity map still holds them while rendering.
    signups = db.session.scalars(
        select(Signup)
        .where(Signup.mission_id == mission.id)
        .options(
            selectinload(Signup.person),
            selectinload(Signup.entered_by),
            selectinload(Signup.attendance),
        )
    ).all()
    blank: dict[str, Any] = {
        "move": ActionForm(formdata=None),
        "message": MessageForm(formdata=None),
    }
    for signup in mission.signups:
        for action in SIGNUP_ACTIONS.get(signup.status, ()):
            key = f"{action}-{signup.id}"
            if action in ("decline", "withdraw"):
                blank[key] = ReasonForm(formdata=None, prefix=key)
            else:
                blank[key] = ActionForm(formdata=None)
    blank.update(forms)
    confirmed = [s for s in mission.signups if s.status == SignupStatus.CONFIRMED]
    return render_template(
        "trainings/manage/manage.html",
        mission=mission,
        organisation=mission.organisation,
        moves=[t for t in MOVE_ORDER if t in services.MISSION_TRANSITIONS[mission.status]],
        editable=mission.status not in (MissionStatus.DONE, MissionStatus.CANCELLED),
        actions=SIGNUP_ACTIONS,
        forms=blank,
        error_form=error_form,
        confirmed=confirmed,
        feedback=services.feedback_for_signups([s.id for s in confirmed]),
        profile_ids=services.readable_profile_ids(actor, {s.person_id for s in mission.signups}),
        channels=CHANNEL_LABELS,
        went_well=WENT_WELL_LABELS,
        holders=sum(1 for s in signups if s.status in services.HOLDS_PLACE),
        earnings_warnings=_earnings_warnings(mission, signups),
        simulators=earnings.SIMULATORS_FOR_STAFF,
    ), status


@bp.route("/missions/<int:mission_id>/manage")
@login_required
def manage(mission_id: int) -> Any:
    return _render_manage(_mission(mission_id))


@bp.route("/missions/<int:mission_id>/move", methods=["POST"])
@login_required
def move(mission_id: int) -> Any:
    mission = _mission(mission_id)
    form = ActionForm()
    try:
        target = MissionStatus(form.target.data or "")
    except ValueError:
        abort(400)
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.move_mission(current_actor(), mission, target)
        )
        if ok:
            mission = _mission(mission_id)
            flash_ok(_("The mission is now: %(state)s.", state=mission.status.label))
            return redirect(url_for("trainings.manage", mission_id=mission_id), 303)
    return _render_manage(_mission(mission_id), 400, error_form=form, move=form)


@bp.route("/missions/<int:mission_id>/message", methods=["POST"])
@login_required
def message(mission_id: int) -> Any:
    mission = _mission(mission_id)
    form = MessageForm()
    if form.validate_on_submit():
        ok, sent = commit_or_show_error(
            form,
            lambda: services.message_cotrainers(
                current_actor(), mission, form.subject.data or "", form.body.data or ""
            ),
        )
        if ok:
            flash_ok(
                ngettext(
                    "Your message is sent to %(num)s person.",
                    "Your message is sent to %(num)s people.",
                    sent,
                )
            )
            return redirect(url_for("trainings.manage", mission_id=mission_id) + "#message", 303)
    return _render_manage(_mission(mission_id), 400, error_form=form, message=form)


# --- answers to sign-ups ----------------------------------------------------------------


def _answer(signup_id: int, action: str) -> Any:
    signup = _signup(signup_id)
    mission_id = signup.mission_id
    key = f"{action}-{signup_id}"
    form: Any = ReasonForm(prefix=key) if action in ("decline", "withdraw") else ActionForm()
    actor = current_actor()
    calls = {
        "confirm": lambda: services.confirm(actor, signup),
        "waiting": lambda: services.put_on_waiting_list(actor, signup),
        "decline": lambda: services.decline(actor, signup, form.reason.data or ""),
        "withdraw": lambda: services.withdraw(actor, signup, form.reason.data or ""),
    }
    done = {
        "confirm": _("The place is confirmed. We told the person."),
        "waiting": _("The person is on the waiting list. We told them."),
        "decline": _("The sign-up is declined. We told the person why."),
        "withdraw": _("The place is withdrawn. We told the person why."),
    }
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(form, calls[action])
        if ok:
            flash_ok(done[action])
            return redirect(
                url_for("trainings.manage", mission_id=mission_id) + f"#signup-{signup_id}", 303
            )
    return _render_manage(_mission(mission_id), 400, error_form=form, **{key: form})


@bp.route("/signups/<int:signup_id>/confirm", methods=["POST"])
@login_required
def confirm(signup_id: int) -> Any:
    return _answer(signup_id, "confirm")


@bp.route("/signups/<int:signup_id>/waiting", methods=["POST"])
@login_required
def waiting(signup_id: int) -> Any:
    return _answer(signup_id, "waiting")


@bp.route("/signups/<int:signup_id>/decline", methods=["POST"])
@login_required
def decline(signup_id: int) -> Any:
    return _answer(signup_id, "decline")


@bp.route("/signups/<int:signup_id>/withdraw", methods=["POST"])
@login_required
def withdraw(signup_id: int) -> Any:
    return _answer(signup_id, "withdraw")


# --- attendance ---------------------------------------------------------------------------


@bp.route(
    "/missions/<int:mission_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"]
)
@login_required
def attendance(mission_id: int, session_id: int) -> Any:
    mission = _mission(mission_id)
    session = db.session.get(MissionSession, session_id)
    if session is None or session.mission_id != mission.id:
        abort(404)
    confirmed = [s for s in mission.signups if s.status == SignupStatus.CONFIRMED]
    if request.method == "POST":
        form = attendance_form(confirmed)
    else:
        recorded = {
            a.signup_id: a for s in confirmed for a in s.attendance if a.session_id == session.id
        }
        initial: dict[str, Any] = {}
        for signup_id, record in recorded.items():
            initial[f"present-{signup_id}"] = record.present
            initial[f"hours-{signup_id}"] = typed_number(record.hours) if record.present else ""
        form = attendance_form(confirmed, data=initial)
    if form.validate_on_submit():
        presences = {
            s.id: services.Presence(
                present=bool(form[f"present-{s.id}"].data), hours=form[f"hours-{s.id}"].data or ""
            )
            for s in confirmed
        }
        ok, _result = commit_or_show_error(
            form, lambda: services.record_attendance(current_actor(), session, presences)
        )
        if ok:
            drafts = mission.hourly_rate is not None or bool(mission.covered_costs)
            flash_ok(
                _(
                    "Attendance is saved. We prepared the draft pay and costs requests for "
                    "each person who was there. They check them and send them."
                )
                if drafts
                else _("Attendance is saved.")
            )
            return redirect(
                url_for("trainings.attendance", mission_id=mission_id, session_id=session_id),
                303,
            )
    status = form_status(form)
    return render_template(
        "trainings/manage/attendance.html",
        form=form,
        mission=mission,
        session=session,
        confirmed=confirmed,
        started=session.starts_at <= utcnow(),
        recorded={
            a.signup_id for s in confirmed for a in s.attendance if a.session_id == session.id
        },
    ), status


# --- co-trainer profiles ----------------------------------------------------------------


@bp.route("/co-trainers/<int:person_id>")
@login_required
def cotrainer(person_id: int) -> Any:
    actor = current_actor()
    profile = services.profile_for_institute(actor, person_id)
    return render_template(
        "trainings/manage/cotrainer.html",
        profile=profile,
        type_labels=TYPE_LABELS,
        institutes=[o for o in profile.institutes if can(actor, "trainings.manage", o.id)],
    )
