"""The scheduler (app/core/jobs.py): a job runs when it is due, once per interval, and its run
is written down (`job_runs`) without personal data. The tests move the clock, never sleep."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.core import jobs
from app.core.models import JobRun
from app.db import utcnow
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def test_retention_purge_runs_once_a_day():
    org = make_org()
    first = make_person((org, Role.PARTICIPANT))
    db.session.commit()
    job = jobs.get_job("accounts.retention_purge")
    day_one = utcnow() + timedelta(days=800)  # past the 24 months of retention
    outcome = jobs.run_job(job, day_one)
    assert outcome.ran and outcome.done >= 1
    assert db.session.get(Person, first.id).closed_at is not None

    second = make_person((org, Role.PARTICIPANT))
    db.session.commit()
    # Started again by cron every minute: not the same day.
    for later in (timedelta(minutes=1), timedelta(hours=23)):
        assert not jobs.run_job(job, day_one + later).ran
    assert db.session.get(Person, second.id).closed_at is None
    assert jobs.run_job(job, day_one + timedelta(days=1)).ran
    db.session.expire_all()
    assert db.session.get(Person, second.id).closed_at is not None


@pytest.fixture
def failing_job():
    def fails(now):
        raise RuntimeError("a value of a row: Jeanne Martin")

    jobs.register_job("test.fails", timedelta(minutes=1), fails)
    yield jobs.get_job("test.fails")
    jobs._JOBS.pop("test.fails", None)


def test_a_failing_job_is_written_down_without_its_message_and_the_others_go_on(
    failing_job, caplog
):
    now = utcnow()
    outcomes = {o.name: o for o in jobs.run_due(now)}
    assert outcomes["test.fails"].error == "RuntimeError"
    assert (
        outcomes["consultations.open_rounds"].ran
        and not outcomes["consultations.open_rounds"].error
    )
    row = db.session.scalar(select(JobRun).where(JobRun.name == "test.fails"))
    assert row.error == "RuntimeError" and row.succeeded_at is None and row.finished_at == now
    assert "Jeanne" not in caplog.text and "job test.fails failed (RuntimeError)" in caplog.text
    # Due again a minute later: it is tried again.
    assert jobs.run_job(failing_job, now + timedelta(minutes=1)).ran
