"""Another process holds SQLite's write lock: for 2 seconds, a submission waits and succeeds;
for 10 seconds (longer than the 5-second busy timeout), the person gets a friendly "try again
in a moment" page (503, Retry-After), no traceback, and nothing half-written."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from flask_login import login_required
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.db import writes_on_get
from tests.conftest import app_on_own_database, csrf_from, is_postgres, login
from tests.factories import PASSWORD, make_org, make_person

pytestmark = pytest.mark.skipif(
    is_postgres(),
    reason="SQLite's whole-file write lock; PostgreSQL locks rows, not the database",
)


@pytest.fixture
def busy_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "busy") as app:

        @app.route("/_test/download")
        @writes_on_get
        @login_required
        def _download() -> str:  # like a CSV export: its GET writes an audit entry
            return "ok"

        with app.test_request_context("/"):
            make_person((make_org(), Role.PARTICIPANT), email="busy@e.test")
            db.session.commit()
        yield app, app.extensions["parole.db"].url.removeprefix("sqlite:///")


def _hold_write_lock(path: str, seconds: float, ready: threading.Event) -> None:
    """Another process's connection: BEGIN IMMEDIATE takes the write lock, then waits."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def _language(app) -> str:
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "busy@e.test"))
        value = str(person.language)
    app.extensions["parole.db"].session.remove()
    return value


def _post_preferences_while_locked(app, path: str, seconds: float, language: str):
    client = app.test_client()
    login(client, "busy@e.test", PASSWORD)
    token = csrf_from(client.get("/preferences").get_data(as_text=True))
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, seconds, ready))
    holder.start()
    ready.wait(5)
    response = client.post("/preferences", data={"csrf_token": token, "language": language})
    holder.join()
    return response


def test_a_two_second_lock_is_waited_for(busy_app):
    app, path = busy_app
    response = _post_preferences_while_locked(app, path, 2, "en")
    assert response.status_code == 303
    assert _language(app) == "en"


def test_a_ten_second_lock_gives_a_friendly_page_and_writes_nothing(busy_app):
    app, path = busy_app
    before = _language(app)
    response = _post_preferences_while_locked(app, path, 10, "en" if before == "fr" else "fr")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Réessayez dans un instant" in page or "try again in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert _language(app) == before


def test_a_page_that_writes_on_get_during_a_long_lock_is_the_friendly_page_too(busy_app):
    """A download that records an audit entry takes the write lock at BEGIN: during a long
    lock it gets the busy page (loading the logged-in person needs the database too: the busy
    page must not)."""
    app, path = busy_app
    client = app.test_client()
    login(client, "busy@e.test", PASSWORD)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 11, ready))
    holder.start()
    ready.wait(5)
    response = client.get("/_test/download")
    holder.join()
    assert response.status_code == 503
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/_test/download").status_code == 200  # still logged in afterwards


def test_pages_are_read_while_another_process_holds_the_write_lock(busy_app):
    """GET requests begin a plain (deferred) transaction: under WAL they read the last
    committed state at once instead of queueing for the write lock."""
    app, path = busy_app
    client = app.test_client()
    login(client, "busy@e.test", PASSWORD)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 3, ready))
    holder.start()
    ready.wait(5)
    try:
        started = time.monotonic()
        pages = [client.get(url) for url in ("/", "/account", "/preferences")]
        waited = time.monotonic() - started
        still_locked = holder.is_alive()
    finally:
        holder.join()
    assert [p.status_code for p in pages] == [200, 200, 200]
    # Served while the lock was held (3 s), not after it: no page waited for the writer.
    assert still_locked, f"the pages waited for the lock ({waited:.1f} s)"


def test_the_password_hash_is_checked_outside_the_write_lock(busy_app, monkeypatch):
    """A login's scrypt hash (slow on purpose) runs in a read-only transaction: while it is
    computed, another process can take the write lock at once; then the login writes."""
    import app.accounts.services as accounts

    app, path = busy_app
    seen: list[str] = []
    real_check = accounts.check_password_hash

    def check_while_another_writer_tries(hashed: str, secret: str) -> bool:
        other = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append("free")
        except sqlite3.OperationalError:
            seen.append("locked")
        finally:
            other.close()
        return real_check(hashed, secret)

    monkeypatch.setattr(accounts, "check_password_hash", check_while_another_writer_tries)
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    wrong = {"csrf_token": token, "identifier": "busy@e.test", "secret": "pas le bon"}
    assert "ne vont pas ensemble" in client.post("/login", data=wrong).get_data(as_text=True)
    right = wrong | {"secret": PASSWORD}
    assert client.post("/login", data=right).status_code == 303
    assert seen == ["free", "free"]
    assert client.get("/account").status_code == 200
    with app.app_context():  # the failure counted, then the good login cleared it
        from app.accounts.models import LoginThrottle

        assert len(db.session.scalars(select(LoginThrottle)).all()) == 2  # own count gone
