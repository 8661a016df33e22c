"""Failed logins for the same identifier at the same moment, from several servers: each one
counts, and the first ones never collide on the unique key. Real threads, each with its own
connection, on a file database (SQLite) and on PostgreSQL when the suite runs there.

On a loaded machine SQLite may answer "database is locked" past its busy timeout: the person
is then shown "try again in a moment" (503) with nothing written, and tries again. The threads
do the same, so such a failure is retried, never counted; anything else is the finding."""

import threading

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import LoginThrottle, Role
from app.core.errors import TooManyAttempts
from app.core.retry import forget_session, is_transient
from tests.conftest import WAIT, app_on_own_database
from tests.factories import make_org, make_person

THREADS = 4  # under LOGIN_FREE_FAILURES (5): none of them is told to wait
TRIES = 5  # a person told "the database is busy, try again" tries again, at most this often


@pytest.fixture
def race_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "throttle") as app:
        with app.test_request_context("/"):
            make_person((make_org(), Role.PARTICIPANT), email="cible@t.test")
            db.session.commit()
        yield app


@pytest.mark.parametrize("identifier", ["cible@t.test", "inconnu@t.test"])
def test_simultaneous_failures_all_count(race_app, identifier):
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    busy: list[str] = []

    def attempt(first: bool) -> str | None:
        """One login attempt; None when the database was busy (nothing written)."""
        try:
            check = services.check_credentials(identifier, "pas le bon mot de passe")
            db.session.commit()  # end the reading step; all write together below
            if first:
                barrier.wait(timeout=WAIT)
            services.finish_login(check)
        except services.InvalidCredentials:
            db.session.commit()
            return "refused"
        except threading.BrokenBarrierError:
            return "barrier broken"
        except Exception as exc:  # noqa: BLE001 - any other outcome is the finding
            if is_transient(exc):
                busy.append(type(exc).__name__)
                forget_session()
                return None
            db.session.rollback()
            return repr(exc)
        return "accepted"

    def fail_once() -> None:
        with race_app.test_request_context("/"):
            for number in range(TRIES):
                outcome = attempt(first=number == 0)
                if outcome is not None:
                    outcomes.append(outcome)
                    return
            outcomes.append(f"database busy {TRIES} times")

    threads = [threading.Thread(target=fail_once) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert outcomes == ["refused"] * THREADS, f"busy answers retried: {busy}"
    with race_app.app_context():
        # Three counts (this identifier from this client, this client, this identifier):
        # each one saw every failure.
        rows = db.session.scalars(select(LoginThrottle)).all()
        assert len(rows) == 3 and [row.failures for row in rows] == [THREADS] * 3
        assert all(row.blocked_until is None for row in rows)
    with race_app.test_request_context("/"):  # the fifth failure makes the next one wait
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(identifier, "encore faux")
        db.session.commit()
        with pytest.raises(TooManyAttempts):
            services.authenticate(identifier, "encore faux")
