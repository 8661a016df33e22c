"""What an erasure leaves on disk, and who may read the files at all.

These tests read the real SQLite files (the database, its -wal and -shm) byte by byte, on a
database of their own, outside the per-test transaction: an erased name must be gone from
every one of them once the account is closed, and the files must be private to the
application (0600, folders 0700) whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from app import db
from app.accounts.models import Person, Role
from app.db import make_engine
from app.expenses import services
from app.expenses.models import ActivityType, Category, RequestKind
from tests.conftest import app_on_own_database, is_postgres, login, post_form
from tests.factories import PASSWORD, make_org, make_person
from tests.unit.expenses.test_receipts import jpeg

pytestmark = pytest.mark.skipif(is_postgres(), reason="SQLite files only")

NAME = "Zéphyrine Quetzalcoatl-Brindille"
EMAIL = "zephyrine.quetzal.7731@example.test"


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most common umask (files 0644, folders 0755): the code must not rely on a strict one."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def own_app(request: pytest.FixtureRequest, tmp_path: Path, loose_umask: None) -> Iterator[Flask]:
    with app_on_own_database(request, tmp_path, "erasure_on_disk") as app:
        app.config["UPLOAD_ROOT"] = str(tmp_path / "instance" / "uploads")
        yield app


def database_files(app: Flask) -> list[Path]:
    with app.app_context():
        database = db.get_db().engine.url.database
    return [Path(database + suffix) for suffix in ("", "-wal", "-shm")]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_closed_account_leaves_no_trace_in_the_database_files(own_app: Flask) -> None:
    with own_app.app_context():
        org = make_org("CRPA Disque")
        make_person((org, Role.PARTICIPANT), email=EMAIL, name=NAME)
        db.session.commit()
        # Part of the data in the database file itself, part in the write-ahead log.
        checkpoint = sqlite3.connect(database_files(own_app)[0])
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        checkpoint.close()
        person = db.session.scalar(select(Person).where(Person.email == EMAIL))
        person.display_name = NAME + " (Zéphy)"
        db.session.commit()
    files = database_files(own_app)
    needles = (NAME.encode(), EMAIL.encode(), NAME.encode("utf-16-le"))
    assert any(n in p.read_bytes() for p in files if p.exists() for n in needles)

    client = own_app.test_client()
    login(client, EMAIL, PASSWORD)
    closed = post_form(client, "/account/close", {"secret": PASSWORD, "understood": "y"})
    assert closed.headers["Location"].endswith("/account/closed")

    for path in files:
        if path.exists():
            content = path.read_bytes()
            for needle in needles:
                assert needle not in content, f"{needle!r} still in {path.name}"
    assert files[1].stat().st_size == 0 if files[1].exists() else True


def test_database_files_are_private_to_the_application(own_app: Flask) -> None:
    with own_app.app_context():
        make_person(email="someone@example.test")
        db.session.commit()
    files = database_files(own_app)
    assert all(path.exists() for path in files)
    assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_a_database_file_left_readable_by_others_is_made_private(
    tmp_path: Path, loose_umask: None
) -> None:
    path = tmp_path / "old.db"
    path.write_bytes(b"")
    Path(f"{path}-wal").write_bytes(b"")
    os.chmod(path, 0o644)
    os.chmod(f"{path}-wal", 0o644)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            assert mode(path) == 0o600
            assert mode(Path(f"{path}-wal")) == 0o600
    finally:
        engine.dispose()


def test_receipt_folders_and_files_are_private(own_app: Flask, tmp_path: Path) -> None:
    with own_app.app_context():
        org = make_org()
        owner = make_person((org, Role.PARTICIPANT))
        request = services.create_request(
            owner, owner, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        line = services.add_line(owner, request, services.LineInput(Category.TRAIN, amount="3"))
        receipt = services.attach_receipt(owner, line, jpeg())
        db.session.commit()
        key = receipt.storage_key
    uploads = tmp_path / "instance" / "uploads"
    stored = uploads / "receipts" / key
    assert stored.is_file()
    folders = [tmp_path / "instance", uploads, uploads / "receipts", stored.parent]
    assert {str(f): mode(f) for f in folders} == {str(f): 0o700 for f in folders}
    assert mode(stored) == 0o600
