"""Two runs of the quarterly "your statement is ready" job at the same moment (two hosts with
the same cron line, or a run forced by hand while the scheduled one works), for real: two
threads, each with its own connection and transactions, on a database of their own (SQLite,
or PostgreSQL when the suite runs there). Each person paid in the quarter is told once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core import jobs
from app.core.models import Notification
from app.expenses.earnings_models import EarningsNotice
from app.expenses.earnings_notices import JOB
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from tests.concurrency import at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person

PAID = 5


@pytest.mark.parametrize("how", ["due", "forced", "work itself"])
def test_two_runs_at_once_tell_each_paid_person_once(request, tmp_path, how):
    """`due` and `forced`: through the scheduler (the job's row is claimed); `work itself`:
    the job's work from both threads at the same moment, past the scheduler's claim, so that
    only the notices' unique constraint keeps each person told once."""
    name = f"earnings_notices_{how.replace(' ', '_')}"
    with app_on_own_database(request, tmp_path, name) as app:
        with app.test_request_context("/"):
            org = make_org()
            for i in range(PAID + 1):
                person = make_person((org, Role.PARTICIPANT))
                db.session.add(
                    ExpenseRequest(
                        organisation_id=org.id,
                        person_id=person.id,
                        kind=RequestKind.PAY if i < PAID else RequestKind.REIMBURSEMENT,
                        status=RequestStatus.PAID,
                        activity_type=ActivityType.CO_TRAINING,
                        paid_at=datetime(2026, 8, 10 + i, 9, tzinfo=UTC),
                        paid_amount=Decimal("25.00"),
                    )
                )
            db.session.commit()
        now = datetime(2026, 10, 1, 6, tzinfo=UTC)
        job = jobs.get_job(JOB)

        def one(_i):
            with app.test_request_context("/"):
                try:
                    if how == "work itself":
                        done = job.run(now)
                        db.session.commit()
                        return done
                    outcome = jobs.run_job(job, now, force=how == "forced", give_up_after=60)
                    assert not outcome.error, outcome
                    return outcome.done
                finally:
                    db.get_db().session.remove()

        outcomes = at_once(2, one)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        assert sum(outcomes) == PAID
        with app.test_request_context("/"):
            told = db.session.scalar(
                select(func.count()).where(Notification.subject.like("Votre relevé de gains%"))
            )
            assert told == PAID
            people = db.session.scalar(
                select(func.count(func.distinct(Notification.person_id))).where(
                    Notification.subject.like("Votre relevé de gains%")
                )
            )
            assert people == PAID
            assert db.session.scalar(select(func.count()).select_from(EarningsNotice)) == PAID
