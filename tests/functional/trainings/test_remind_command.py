"""`flask trainings remind`, the real command (Flask's CLI runner, in this process) against
its own database (a file, or PostgreSQL when the suite runs there), committed between runs
like a cron job: one reminder per confirmed person two days before a session, never twice;
offers not answered in time go to the next person."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.core.models import Notification, OutboxMessage
from app.db import utcnow
from app.trainings import services
from app.trainings.models import MissionStatus, MissionType, Signup, SignupStatus
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person


@pytest.fixture
def command_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "remind") as app:
        yield app


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["trainings", "remind"])
    assert result.exit_code == 0, result.output
    app.extensions["parole.db"].session.remove()  # the next run starts afresh, like a new process
    return result.output


def test_remind_command_sends_once_and_passes_expired_offers_on(command_app):
    app = command_app
    with app.test_request_context("/"):
        institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
        staff = make_person((institute, Role.INSTITUTE_STAFF))
        soon = utcnow() + timedelta(hours=40)
        mission = services.create_mission(
            staff,
            institute,
            services.MissionData(
                type=MissionType.TEACHING,
                title="Cours du jeudi",
                seats=1,
                sessions=[(soon, soon + timedelta(hours=3))],
                place="IRTS, salle 4",
                contact_name="Claire",
                contact_phone="03 20 00 00 00",
            ),
        )
        services.move_mission(staff, mission, MissionStatus.PUBLISHED)
        home = make_org()
        holder, waiting, next_one = (
            make_person((home, Role.PARTICIPANT), email=f"p{i}@e.test") for i in range(3)
        )
        held = services.sign_up(holder, holder, mission, services.SignupData())
        services.confirm(staff, held)
        for person in (waiting, next_one):
            services.put_on_waiting_list(
                staff, services.sign_up(person, person, mission, services.SignupData())
            )
        services.cancel(holder, held)  # offered to `waiting`, who does not answer in time
        offered = db.session.scalar(select(Signup).where(Signup.status == SignupStatus.OFFERED))
        offered.offer_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        ids = {"waiting": waiting.id, "next": next_one.id}

    first = _run(app)
    assert "0 reminder(s) sent, 1 offer(s) passed on." in first
    second = _run(app)  # the place offered to the next person is not confirmed yet
    assert "0 reminder(s) sent, 0 offer(s) passed on." in second
    with app.test_request_context("/"):
        signups = {s.person_id: s for s in db.session.scalars(select(Signup))}
        assert signups[ids["waiting"]].status == SignupStatus.CANCELLED
        assert signups[ids["next"]].status == SignupStatus.OFFERED
        from app.accounts.models import Person

        services.accept_offer(db.session.get(Person, ids["next"]), signups[ids["next"]])
        db.session.commit()
    third = _run(app)
    assert "1 reminder(s) sent" in third
    assert "0 reminder(s) sent" in _run(app)  # never twice
    with app.test_request_context("/"):
        reminder = db.session.scalar(
            select(Notification).where(
                Notification.person_id == ids["next"], Notification.subject.like("Rappel%")
            )
        )
        assert reminder is not None
        assert "IRTS, salle 4" in reminder.body and "03 20 00 00 00" in reminder.body
        assert (
            db.session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.subject.like("Rappel%"))
            )
            == 1
        )
