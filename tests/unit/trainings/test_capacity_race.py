"""Two people confirmed for the last place at the same moment: never both. Real threads,
each with its own connection, on a file database (SQLite) and on PostgreSQL when the suite
runs there; no shared test transaction."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core.errors import DomainError
from app.db import utcnow
from app.trainings import services
from app.trainings.models import Mission, MissionStatus, MissionType, Signup, SignupStatus
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person

ROUNDS = 8


@pytest.fixture
def race_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "race") as app:
        yield app


def _prepare(app, round_no):
    with app.test_request_context("/"):
        institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
        staff = [make_person((institute, Role.INSTITUTE_STAFF)) for _ in range(2)]
        start = utcnow() + timedelta(days=10)
        mission = services.create_mission(
            staff[0],
            institute,
            services.MissionData(
                type=MissionType.EVENT,
                title=f"Forum {round_no}",
                seats=1,
                sessions=[(start, start + timedelta(hours=2))],
                online=True,
            ),
        )
        services.move_mission(staff[0], mission, MissionStatus.PUBLISHED)
        signups = []
        for _ in range(2):
            person = make_person((make_org(), Role.PARTICIPANT))
            signups.append(services.sign_up(person, person, mission, services.SignupData()).id)
        db.session.commit()
        return mission.id, [s.id for s in staff], signups


def test_the_last_place_is_never_given_twice(race_app):
    for round_no in range(ROUNDS):
        mission_id, staff_ids, signup_ids = _prepare(race_app, round_no)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def confirm(staff_id, signup_id, barrier=barrier, outcomes=outcomes):
            with race_app.test_request_context("/"):
                actor = db.session.get(Person, staff_id)
                signup = db.session.get(Signup, signup_id)
                actor.memberships  # noqa: B018 - loaded before the race
                signup.mission  # noqa: B018
                db.session.commit()  # end the reading transaction; both start together below
                barrier.wait(timeout=30)
                try:
                    services.confirm(actor, signup)
                    db.session.commit()
                    outcomes.append("confirmed")
                except DomainError:
                    db.session.rollback()
                    outcomes.append("full")

        threads = [
            threading.Thread(target=confirm, args=(staff_ids[i], signup_ids[i])) for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["confirmed", "full"], outcomes
        with race_app.test_request_context("/"):
            mission = db.session.get(Mission, mission_id)
            confirmed = db.session.scalars(
                select(Signup).where(
                    Signup.mission_id == mission_id, Signup.status == SignupStatus.CONFIRMED
                )
            ).all()
            assert mission.confirmed_count == 1 and len(confirmed) == 1
            assert mission.status == MissionStatus.FULL
