"""`flask demo advance-days` across a quarter's start, then `flask jobs run`, the real commands
on a database of their own: the demo's people paid through Parole are told once that their
statement of the quarter before is ready, and a later run tells nobody again."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app import db
from app.core import calendar
from app.core.models import Notification
from app.expenses.earnings_notices import JOB, quarter_of
from tests.conftest import app_on_own_database


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    app.extensions["parole.db"].session.remove()  # the next run starts afresh, like a new process
    return result.output


def _told(app):
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(Notification.subject).where(
                    Notification.subject.like("Votre relevé de gains%")
                )
            )
        )


def test_demo_pay_moved_into_the_quarter_before_is_told_once(request, tmp_path):
    with app_on_own_database(request, tmp_path, "earnings_demo") as app:
        _cli(app, "demo", "load")
        now = db.utcnow()
        assert f"{JOB}: 0 done" in _cli(app, "jobs", "run", "--now", now.isoformat())
        # Enough days for the demo's payments of today to fall before this quarter's start.
        today = calendar.paris(now).date()
        year, number = quarter_of(today)
        days = (today - date(year, 3 * number - 2, 1)).days + 2
        assert "moved" in _cli(app, "demo", "advance-days", str(days))
        tomorrow = (now + timedelta(days=1)).isoformat()
        assert f"{JOB}: 2 done" in _cli(app, "jobs", "run", "--now", tomorrow)
        told = _told(app)
        assert len(told) == 2 and len(set(told)) == 1  # Paul and Jean, the same quarter
        later = (now + timedelta(days=2)).isoformat()
        assert f"{JOB}: 0 done" in _cli(app, "jobs", "run", "--now", later)
        assert _told(app) == told
        with app.app_context():
            people = db.session.scalar(
                select(func.count(func.distinct(Notification.person_id))).where(
                    Notification.subject.like("Votre relevé de gains%")
                )
            )
            assert people == 2
