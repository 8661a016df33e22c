"""Two `flask jobs run` at the same moment (two hosts with the same cron line), for real: two
`flask jobs run` processes, and two threads per job, each with its own connection and
transactions, on a database of their own (SQLite,
or PostgreSQL when the suite runs there: `bash .ci/with-postgres`). Each round is opened once,
each person reminded once, each late feedback reported once, each expired offer passed on
once: whether the second run finds the job taken (its `job_runs` row) or, forced, runs it at
the same moment and finds the rows claimed and done."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services
from app.consultations.lifecycle import RoundStatus
from app.core import jobs
from app.core.models import AuditEntry, Notification
from app.trainings import services as trainings
from app.trainings.models import MissionStatus, MissionType, Signup, SignupStatus
from tests.concurrency import at_once
from tests.conftest import WAIT, app_on_own_database
from tests.consultation_factories import make_round, open_round
from tests.factories import make_org, make_person


def _world(now):
    """Due at `now`: one announced round to open, one open round to close whose invited people
    were not reminded, one round with late feedback, one expired waiting-list offer."""
    to_open, facilitator = make_round(title="A ouvrir")
    org = to_open.organisation
    people = [make_person((org, Role.PARTICIPANT)) for _ in range(3)]
    services.invite_people(facilitator, to_open, [p.id for p in people])
    services.transition(facilitator, to_open, RoundStatus.ANNOUNCED)
    to_open.announced_at = now - timedelta(days=10)  # announced in time, due to open now
    to_open.opens_at = now - timedelta(minutes=1)

    closing, _f = make_round(org, facilitator, title="Bientot fini")
    open_round(closing, facilitator, people)
    closing.closes_at = now + timedelta(days=1)  # reminders due, closing not yet

    late, _f = make_round(org, facilitator, title="En retard")
    open_round(late, facilitator, people)
    services.transition(facilitator, late, RoundStatus.CLOSED)
    late.feedback_due_at = now - timedelta(days=1)

    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = make_person((institute, Role.INSTITUTE_STAFF))
    start = now + timedelta(days=20)
    mission = trainings.create_mission(
        staff,
        institute,
        trainings.MissionData(
            type=MissionType.TEACHING,
            title="Cours",
            seats=1,
            sessions=[(start, start + timedelta(hours=3))],
            place="Salle 4",
        ),
    )
    trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
    holder, waiting, next_one = (make_person((org, Role.PARTICIPANT)) for _ in range(3))
    held = trainings.sign_up(holder, holder, mission, trainings.SignupData())
    trainings.confirm(staff, held)
    for person in (waiting, next_one):
        trainings.put_on_waiting_list(
            staff, trainings.sign_up(person, person, mission, trainings.SignupData())
        )
    trainings.cancel(holder, held)  # offered to `waiting`, who does not answer in time
    offered = db.session.scalar(select(Signup).where(Signup.status == SignupStatus.OFFERED))
    offered.offer_expires_at = now - timedelta(minutes=1)
    soon = now + timedelta(hours=40)  # a session in 2 days: its reminder is due
    course = trainings.create_mission(
        staff,
        institute,
        trainings.MissionData(
            type=MissionType.TEACHING,
            title="Cours proche",
            seats=2,
            sessions=[(soon, soon + timedelta(hours=3))],
            place="Salle 5",
        ),
    )
    trainings.move_mission(staff, course, MissionStatus.PUBLISHED)
    for person in people[:2]:
        trainings.confirm(staff, trainings.sign_up(person, person, course, trainings.SignupData()))
    return {"to_open": to_open.id, "closing": closing.id, "late": late.id}


@pytest.mark.parametrize("forced", [False, True], ids=["due", "forced"])
def test_two_job_runs_at_once_do_each_piece_of_work_once(request, tmp_path, forced):
    with app_on_own_database(request, tmp_path, f"jobs_at_once_{int(forced)}") as app:
        with app.test_request_context("/"):
            now = db.utcnow() + timedelta(days=1)
            ids = _world(now)
            db.session.commit()

        def run(job):
            def one(i):
                with app.test_request_context("/"):
                    try:
                        return jobs.run_job(job, now, force=forced, give_up_after=60)
                    finally:
                        db.get_db().session.remove()

            return one

        done = {}
        for job in jobs.registered_jobs():  # each job started by both runs at the same moment
            for outcome in at_once(2, run(job)):
                if isinstance(outcome, BaseException):
                    raise outcome
                assert not outcome.error, outcome
                done[job.name] = done.get(job.name, 0) + outcome.done
        assert done["consultations.open_rounds"] == 1
        assert done["consultations.remind_before_closing"] == 3
        assert done["consultations.overdue_feedback"] == 1
        assert done["trainings.expire_offers"] == 1
        assert done["trainings.session_reminders"] == 2

        with app.test_request_context("/"):
            opened = db.session.scalar(
                select(func.count()).where(
                    AuditEntry.action == "consultation.transition",
                    AuditEntry.object_id == ids["to_open"],
                    AuditEntry.actor_id.is_(None),
                )
            )
            assert opened == 1
            reminders = db.session.scalar(
                select(func.count()).where(Notification.subject.like("Rappel : Bientot fini%"))
            )
            assert reminders == 3
            session_reminders = db.session.scalar(
                select(func.count()).where(Notification.subject.like("Rappel : Cours proche%"))
            )
            assert session_reminders == 2
            overdue = db.session.scalar(
                select(func.count()).where(
                    AuditEntry.action == "consultation.feedback_overdue",
                    AuditEntry.object_id == ids["late"],
                )
            )
            assert overdue == 1
            statuses = sorted(s.status for s in db.session.scalars(select(Signup)))
            assert statuses.count(SignupStatus.OFFERED) == 1  # passed on to the next one, once
            runs = {row.name: row for row in jobs.job_runs()}
            assert set(runs) == {job.name for job in jobs.registered_jobs()}
            assert all(row.succeeded_at == now for row in runs.values())


ROOT = Path(__file__).resolve().parents[3]
FLASK = ROOT / ".venv" / "bin" / "flask"


def _flask(url: str, work: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, PAROLE_ENV="development", PAROLE_INSTANCE_DIR=str(work))
    env.pop("FLASK_DEBUG", None)
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [str(FLASK), "--app", "app:create_app", "jobs", "run", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_flask_jobs_run_processes_at_once_open_the_round_once(request, tmp_path):
    with app_on_own_database(request, tmp_path, "jobs_processes") as app:
        with app.test_request_context("/"):
            now = db.utcnow() + timedelta(days=1)
            ids = _world(now)
            db.session.commit()
        url = app.extensions["parole.db"].url
        processes = [_flask(url, tmp_path, "--now", now.isoformat()) for _ in range(2)]
        outputs = [p.communicate(timeout=WAIT)[0] for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        both = "\n".join(outputs)
        assert both.count("consultations.open_rounds: 1 done") == 1, both
        with app.test_request_context("/"):
            opened = db.session.scalar(
                select(func.count()).where(
                    AuditEntry.action == "consultation.transition",
                    AuditEntry.object_id == ids["to_open"],
                    AuditEntry.actor_id.is_(None),
                )
            )
            assert opened == 1
            reminders = db.session.scalar(
                select(func.count()).where(Notification.subject.like("Rappel : Bientot fini%"))
            )
            assert reminders == 3


def test_the_loop_keeps_running_and_runs_the_jobs(request, tmp_path):
    with app_on_own_database(request, tmp_path, "jobs_loop") as app:
        url = app.extensions["parole.db"].url
        loop = _flask(url, tmp_path, "--loop", "--interval", "0.2")
        try:
            deadline = time.monotonic() + WAIT
            names = set()
            while time.monotonic() < deadline and len(names) < len(jobs.registered_jobs()):
                assert loop.poll() is None, loop.communicate()[0]
                with app.app_context():
                    names = {row.name for row in jobs.job_runs() if row.succeeded_at}
                    db.get_db().session.remove()
                time.sleep(0.1)
            assert names == {job.name for job in jobs.registered_jobs()}
            assert loop.poll() is None  # still running, waiting for the next turn
        finally:
            loop.terminate()
            loop.communicate(timeout=WAIT)
