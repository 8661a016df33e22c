"""Four outbox workers at once, in real processes, against one real SMTP server (aiosmtpd in
this process): every message is delivered exactly once. Runs on a file database (SQLite) and
on PostgreSQL when the suite runs there; no shared test transaction."""

import multiprocessing
import queue
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from app import create_app, db
from app.core.models import OutboxMessage, OutboxStatus
from app.core.outbox import queue_mail, send_due
from app.db import get_db
from config import TestConfig
from tests.conftest import app_on_own_database

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


def _work(url, port, start, results):
    """One worker process: its own app and engine, `send_due` until nothing is left for it."""
    app = create_app(TestConfig, DATABASE_URL=url, MAIL_PORT=port)
    with app.app_context():
        db.session.execute(select(1))  # connect before the start, not during the race
        db.session.rollback()
        start.wait(timeout=60)
        total = 0
        while True:
            sent, failed = send_due(app, limit=BATCH)
            get_db().session.remove()
            if failed:
                raise AssertionError(f"{failed} failed")
            if not sent:
                break
            total += sent
    results.put(total)


def test_several_workers_send_each_message_exactly_once(workers_url, smtp):
    controller, inbox = smtp
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=_work, args=(workers_url, controller.port, start, results))
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    start.set()
    shares = []
    deadline = time.monotonic() + 60
    while len(shares) < WORKERS and time.monotonic() < deadline:
        try:
            shares.append(results.get(timeout=0.5))
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                break  # a worker died: do not wait for it
    for process in processes:
        process.join(timeout=10)
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
