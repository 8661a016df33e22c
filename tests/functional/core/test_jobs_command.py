"""`flask demo advance-days N` then `flask jobs run`, the real commands (Flask's CLI runner)
on a database of their own, committed between runs like cron: the demo's announced round
opens once its date has come, and a second run at once finds nothing due."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.consultations.models import ConsultationRound, RoundStatus
from app.core.models import JobRun
from tests.conftest import app_on_own_database


@pytest.fixture
def demo_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "jobs_command") as app:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        yield app


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    app.extensions["parole.db"].session.remove()  # the next run starts afresh, like a new process
    return result.output


def test_advance_days_then_jobs_run_opens_the_demo_round_once(demo_app):
    app = demo_app
    with app.app_context():
        announced = db.session.scalar(
            select(ConsultationRound).where(ConsultationRound.status == RoundStatus.ANNOUNCED)
        )
        round_id = announced.id
        days = math.ceil((announced.opens_at - db.utcnow()).total_seconds() / 86400)
    assert days >= 1
    first = _cli(app, "jobs", "run")
    assert "consultations.open_rounds: 0 done" in first
    with app.app_context():
        assert db.session.get(ConsultationRound, round_id).status == RoundStatus.ANNOUNCED

    moved = _cli(app, "demo", "advance-days", str(days))
    assert f"moved {days} day(s) earlier" in moved
    # Started again a minute later by cron: the round's date has come.
    minute_later = (db.utcnow() + timedelta(minutes=1)).isoformat()
    second = _cli(app, "jobs", "run", "--now", minute_later)
    assert "consultations.open_rounds: 1 done" in second
    assert "accounts.retention_purge" not in second  # once a day: it ran at the first run
    again = _cli(app, "jobs", "run", "--now", minute_later)
    assert again.strip() == ""  # nothing due
    with app.app_context():
        assert db.session.get(ConsultationRound, round_id).status == RoundStatus.OPEN
        runs = {row.name: row for row in db.session.scalars(select(JobRun))}
        assert runs["consultations.open_rounds"].done == 1
        assert all(not row.error for row in runs.values())
    listed = _cli(app, "jobs", "list")
    assert "consultations.open_rounds: every 0:01:00, last run" in listed
