"""`flask data purge` on a busy database: the dry run only reads (on SQLite it does not take
the write lock, so the app can write while it counts), and `--apply` erases in short
transactions of a few people each, instead of holding the lock for the whole run.

On a database of its own, outside the per-test transaction; on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from app import db
from app.accounts.models import Erasure, Organisation, OrganisationKind, Person
from app.db import make_engine, utcnow
from tests.conftest import app_on_own_database, is_postgres
from tests.factories import hashed_once

PEOPLE = 250
WAIT = 120  # seconds: generous, for a slow shared machine


@pytest.fixture
def forgotten(request, tmp_path) -> Iterator[Flask]:
    """250 people last seen three years ago (retention: 24 months by default)."""
    with app_on_own_database(request, tmp_path, "purge") as app:
        with app.app_context():
            long_ago = utcnow() - timedelta(days=3 * 365)
            secret = hashed_once("un code oublié")  # scrypt is slow on purpose
            db.session.add(Organisation(name="CCAS Ancien", kind=OrganisationKind.CCAS))
            db.session.add_all(
                Person(
                    display_name=f"Personne {n}",
                    email=f"oubli{n}@example.test",
                    secret_hash=secret,
                    created_at=long_ago,
                )
                for n in range(PEOPLE)
            )
            db.session.commit()
        yield app


def _write_from_elsewhere(url: str) -> str:
    """Another connection writes, without waiting at all: 'ok', or the database's answer."""
    if is_postgres():
        other = make_engine(url)
        try:
            with other.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '1ms'"))
                conn.execute(text("UPDATE organisations SET name = 'CCAS Ancien (écrit)'"))
        except Exception as exc:  # noqa: BLE001 - the answer is what the test looks at
            return str(exc).splitlines()[0]
        finally:
            other.dispose()
        return "ok"
    conn = sqlite3.connect(make_url(url).database, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE organisations SET name = 'CCAS Ancien (écrit)'")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        conn.close()
    return "ok"


def test_the_dry_run_of_the_purge_lets_the_app_write_while_it_counts(forgotten):
    url = forgotten.config["DATABASE_URL"]
    engine = forgotten.extensions["parole.db"].engine
    answers: list[str] = []
    statements = [0]

    def midway(*args) -> None:  # noqa: ANN002
        statements[0] += 1
        if statements[0] == 20:  # the dry run is well under way
            answers.append(_write_from_elsewhere(url))

    event.listen(engine, "after_cursor_execute", midway)
    try:
        counted = forgotten.test_cli_runner().invoke(args=["data", "purge"])
    finally:
        event.remove(engine, "after_cursor_execute", midway)
    assert counted.exit_code == 0, counted.output
    assert f"{PEOPLE:>7}  people without contact, erased" in counted.output
    assert answers == ["ok"]
    with forgotten.app_context():
        assert db.session.scalar(select(func.count()).select_from(Erasure)) == 0


def test_the_purge_erases_250_people_in_5_transactions_of_50(forgotten):
    erased_at_each_commit: list[int] = []

    def count_erased(session) -> None:  # noqa: ANN001
        erased_at_each_commit.append(session.scalar(select(func.count()).select_from(Erasure)))

    factory = forgotten.extensions["parole.db"].session_factory
    event.listen(factory, "before_commit", count_erased)
    try:
        applied = forgotten.test_cli_runner().invoke(args=["data", "purge", "--apply"])  # 50 a time
    finally:
        event.remove(factory, "before_commit", count_erased)
    assert applied.exit_code == 0, applied.output
    assert f"{PEOPLE:>7}  people without contact, erased" in applied.output
    erased = [
        b - a for a, b in zip([0, *erased_at_each_commit[:-1]], erased_at_each_commit, strict=True)
    ]
    assert [n for n in erased if n] == [50, 50, 50, 50, 50]
    with forgotten.app_context():
        assert db.session.scalar(select(func.count()).select_from(Erasure)) == PEOPLE
        assert (
            db.session.scalar(
                select(func.count()).select_from(Person).where(Person.closed_at.is_(None))
            )
            == 0
        )


def _write_and_count_erasures(url: str) -> int:
    """A form of the app, from another connection: it waits for the write lock as long as it
    must (WAIT), writes, and tells how many people were erased when it got its turn."""
    if is_postgres():
        other = make_engine(url)
        try:
            with other.begin() as conn:
                conn.execute(text("UPDATE organisations SET name = 'CCAS Ancien (écrit)'"))
                return conn.execute(text("SELECT count(*) FROM erasures")).scalar_one()
        finally:
            other.dispose()
    conn = sqlite3.connect(make_url(url).database, timeout=WAIT, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE organisations SET name = 'CCAS Ancien (écrit)'")
        erased = conn.execute("SELECT count(*) FROM erasures").fetchone()[0]
        conn.execute("COMMIT")
        return erased
    finally:
        conn.close()


def test_the_app_writes_between_two_batches_of_the_purge_not_after_it(forgotten):
    url = forgotten.config["DATABASE_URL"]
    answers: list[int] = []
    writer = threading.Thread(target=lambda: answers.append(_write_and_count_erasures(url)))

    def after_the_first_batch(session) -> None:  # noqa: ANN001
        if not writer.is_alive() and not answers:
            writer.start()

    factory = forgotten.extensions["parole.db"].session_factory
    event.listen(factory, "after_commit", after_the_first_batch, once=True)
    try:
        applied = forgotten.test_cli_runner().invoke(args=["data", "purge", "--apply"])
    finally:
        writer.join(timeout=WAIT)
    assert applied.exit_code == 0, applied.output
    # It waited for one batch at most (50 people erased, or 100), not for the 250.
    assert answers and answers[0] <= 100, answers
