"""Scheduled jobs (`flask consultations remind`, `flask trainings remind`) run while another
program holds SQLite's write lock past the busy timeout: they wait, try the whole batch again,
and finish, instead of dying with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from tests.conftest import WAIT, app_on_own_database, is_postgres

pytestmark = pytest.mark.skipif(is_postgres(), reason="SQLite's whole-file write lock")

BUSY_TIMEOUT = 5  # PRAGMA busy_timeout=5000 (app/db.py)


def _hold_write_lock(path: str, seconds: float, ready: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=WAIT)
    conn.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


@pytest.mark.parametrize(
    ("command", "done"),
    [
        (["consultations", "remind"], "0 late round(s) reported."),
        (["trainings", "remind"], "0 reminder(s) sent, 0 offer(s) passed on."),
    ],
)
def test_scheduled_job_waits_out_a_locked_database(request, tmp_path, caplog, command, done):
    with app_on_own_database(request, tmp_path, "jobs") as app:
        path = app.extensions["parole.db"].url.removeprefix("sqlite:///")
        ready = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, BUSY_TIMEOUT + 3, ready))
        holder.start()
        assert ready.wait(WAIT)
        started = time.monotonic()
        result = app.test_cli_runner().invoke(args=command)
        holder.join(WAIT)
        assert result.exit_code == 0, result.output
        assert done in result.output
        assert time.monotonic() - started > BUSY_TIMEOUT  # it did meet the lock
        assert "database unavailable (OperationalError)" in caplog.text


def test_scheduled_job_gives_up_cleanly_after_its_limit(request, tmp_path):
    with app_on_own_database(request, tmp_path, "jobs_give_up") as app:
        path = app.extensions["parole.db"].url.removeprefix("sqlite:///")
        ready = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, BUSY_TIMEOUT + 3, ready))
        holder.start()
        assert ready.wait(WAIT)
        result = app.test_cli_runner().invoke(
            args=["consultations", "remind", "--give-up-after", "1"]
        )
        holder.join(WAIT)
        assert result.exit_code == 1
        assert "nothing was done" in result.output and "Traceback" not in result.output
