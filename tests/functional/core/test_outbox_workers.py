"""Four outbox workers at once, in real processes, against one real SMTP server (aiosmtpd in
this process): every message is delivered exactly once. Runs on a file database (SQLite) and
on PostgreSQL when the suite runs there; no shared test transaction.

Each process runs the real worker loop (`run_worker`, as `flask outbox send --loop` does),
which waits and tries again when SQLite's write lock is held past its busy timeout."""

import logging
import multiprocessing
import queue
import sqlite3
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from app import create_app, db
from app.core.models import OutboxMessage, OutboxStatus
from app.core.outbox import queue_mail, run_worker
from app.db import Base, get_db
from config import TestConfig
from tests.conftest import WAIT, app_on_own_database, is_postgres
from tests.pg_cluster import cluster

MESSAGES = 200
WORKERS = 4
BATCH = 5  # small batches, so that the workers' claims interleave


@pytest.fixture
def workers_url(request, tmp_path):
    with app_on_own_database(request, tmp_path, "outbox_workers") as app:
        with app.app_context():
            for number in range(MESSAGES):
                queue_mail(f"person{number}@example.test", f"Message {number:03d}", "Bonjour.")
            db.session.commit()
        yield app.extensions["parole.db"].url


def _work(url, port, ready, start, results):
    """One worker process: its own app and engine, `send_due` until nothing is left for it."""
    app = create_app(TestConfig, DATABASE_URL=url, MAIL_PORT=port)
    with app.app_context():
        db.session.execute(select(1))  # connect before the start, not during the race
        db.session.rollback()
        ready.put(True)  # started, imported and connected
        start.wait(timeout=WAIT)
        total = run_worker(app, interval=0, until_idle=True, limit=BATCH)
    results.put(total)


def test_several_workers_send_each_message_exactly_once(workers_url, smtp):
    controller, inbox = smtp
    context = multiprocessing.get_context("spawn")
    ready, start = context.Queue(), context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=_work, args=(workers_url, controller.port, ready, start, results))
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    # All start together: on a loaded machine a spawned process takes seconds to import the
    # app, and the first one up would otherwise send everything before the others arrive.
    for _ in processes:
        ready.get(timeout=WAIT)
    start.set()
    shares = []
    deadline = time.monotonic() + WAIT
    while len(shares) < WORKERS and time.monotonic() < deadline:
        try:
            shares.append(results.get(timeout=0.5))
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                break  # a worker died: do not wait for it
    for process in processes:
        process.join(timeout=WAIT)
        if process.is_alive():
            process.kill()
    assert [process.exitcode for process in processes] == [0] * WORKERS

    subjects = Counter(message["Subject"] for _, message in inbox.messages)
    twice = {subject: n for subject, n in subjects.items() if n > 1}
    assert twice == {}, f"sent more than once: {twice}"
    assert set(subjects) == {f"Message {number:03d}" for number in range(MESSAGES)}
    assert len({message["Message-ID"] for _, message in inbox.messages}) == MESSAGES
    assert sorted(shares, reverse=True)[1] > 0, f"the workers did not share the work: {shares}"
    assert sum(shares) == MESSAGES

    app = create_app(TestConfig, DATABASE_URL=workers_url)
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.status, OutboxMessage.attempts, func.count())
            .where(OutboxMessage.claimed_by.is_(None))
            .group_by(OutboxMessage.status, OutboxMessage.attempts)
        ).all()
        get_db().session.remove()
    app.extensions["parole.db"].engine.dispose()
    assert [tuple(row) for row in rows] == [(OutboxStatus.SENT, 1, MESSAGES)]


LOCKED_MESSAGES = 20


def _hold_write_lock(path: str, seconds: float, ready: threading.Event) -> None:
    """Another program's connection: BEGIN IMMEDIATE takes SQLite's write lock, then waits."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=WAIT)
    conn.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


@pytest.mark.skipif(is_postgres(), reason="SQLite's whole-file write lock")
def test_worker_waits_out_a_locked_database_then_delivers_everything(
    request, tmp_path, smtp, caplog
):
    controller, inbox = smtp
    with app_on_own_database(request, tmp_path, "outbox_locked") as app:
        app.config["MAIL_PORT"] = controller.port
        with app.app_context():
            for number in range(LOCKED_MESSAGES):
                queue_mail(f"p{number}@example.test", f"Alerte {number:02d}", "Bonjour.")
            db.session.commit()
        path = app.extensions["parole.db"].url.removeprefix("sqlite:///")
        busy_timeout = 5  # PRAGMA busy_timeout=5000 (app/db.py)
        ready, stop = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, busy_timeout + 3, ready))
        crashed: list[BaseException] = []

        def worker() -> None:
            with app.app_context():
                try:
                    run_worker(app, interval=0.2, should_stop=stop.is_set)
                except BaseException as exc:  # noqa: BLE001 - the finding: the worker died
                    crashed.append(exc)

        holder.start()
        assert ready.wait(WAIT)
        caplog.set_level(logging.WARNING, logger="app.core.outbox")
        thread = threading.Thread(target=worker)
        thread.start()
        holder.join(WAIT)
        deadline = time.monotonic() + WAIT
        while len(inbox.messages) < LOCKED_MESSAGES and time.monotonic() < deadline:
            if not thread.is_alive():
                break
            time.sleep(0.1)
        still_running = thread.is_alive()
        stop.set()
        thread.join(WAIT)
        assert crashed == [] and still_running
        subjects = sorted(message["Subject"] for _, message in inbox.messages)
        assert subjects == [f"Alerte {number:02d}" for number in range(LOCKED_MESSAGES)]
        assert any("OperationalError" in r.getMessage() for r in caplog.records)
        with app.app_context():
            statuses = set(db.session.scalars(select(OutboxMessage.status)))
            get_db().session.remove()
        assert statuses == {OutboxStatus.SENT}


@pytest.mark.skipif(not is_postgres(), reason="PostgreSQL only: a restart of its server")
def test_worker_lives_through_a_postgresql_restart(smtp, caplog):
    """The worker polls a PostgreSQL server of the test's own that is stopped for 3 seconds,
    then started again (the suite's shared cluster is never stopped: the other test worker
    would fail meanwhile)."""
    controller, inbox = smtp
    with cluster() as pg:
        app = create_app(TestConfig, DATABASE_URL=pg.url, MAIL_PORT=controller.port)
        with app.app_context():
            Base.metadata.create_all(get_db().engine)
            get_db().session.remove()
        stop = threading.Event()
        crashed: list[BaseException] = []

        def worker() -> None:
            with app.app_context():
                try:
                    run_worker(app, interval=0.2, should_stop=stop.is_set)
                except BaseException as exc:  # noqa: BLE001 - the finding: the worker died
                    crashed.append(exc)

        caplog.set_level(logging.WARNING, logger="app.core.outbox")
        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        try:
            time.sleep(1)  # the worker is connected and polling
            pg.stop()
            try:
                time.sleep(3)  # the worker polls a database that is not there
            finally:
                pg.start()
            with app.app_context():
                for number in range(LOCKED_MESSAGES):
                    queue_mail(f"p{number}@example.test", f"Alerte {number:02d}", "Bonjour.")
                db.session.commit()
                get_db().session.remove()
            deadline = time.monotonic() + WAIT
            while len(inbox.messages) < LOCKED_MESSAGES and time.monotonic() < deadline:
                if not thread.is_alive():
                    break
                time.sleep(0.1)
            still_running = thread.is_alive()
        finally:
            stop.set()
            thread.join(WAIT)
            with app.app_context():
                get_db().engine.dispose()
        assert crashed == [] and still_running
        subjects = sorted(message["Subject"] for _, message in inbox.messages)
        assert subjects == [f"Alerte {number:02d}" for number in range(LOCKED_MESSAGES)]
        assert any("round failed (OperationalError)" in r.getMessage() for r in caplog.records)
