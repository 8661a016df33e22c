"""Backup and restore drill: a database with people, a round, a request with a receipt on
disk; `flask data backup`, then `flask data restore` into an empty database and an empty
upload folder. Equal row counts in every table and equal checksums for every file; a damaged
backup and a non-empty target are refused. On SQLite, and on PostgreSQL when the suite runs
there (pg_dump / pg_restore).

Also: a backup taken while four threads keep writing restores with the counts and checksums
of its manifest; a freshly migrated database (the seeded fiches) is a valid target; a failed
restore can be run again; a backup moves from SQLite to PostgreSQL and back (needs PostgreSQL:
under .ci/with-postgres)."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app import create_app, db
from app.accounts.models import Organisation, Person, Role
from app.core.backup import row_counts
from app.core.schema import upgrade
from app.db import get_db
from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, ExpenseLine, Receipt, RequestKind
from app.kit.models import Fiche
from config import TestConfig
from tests.conftest import fresh_database, is_postgres, worker_name
from tests.consultation_factories import make_round
from tests.factories import make_org, make_person

WAIT = 120  # seconds: generous, for a slow shared machine; the drills take about one


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


def _app(url: str, uploads: Path):
    # The writers of the drill add hundreds of receipts as one person: above the daily limit
    # of a real person (RECEIPT_MAX_PER_DAY), which is not what is tested here.
    return create_app(
        TestConfig, DATABASE_URL=url, UPLOAD_ROOT=str(uploads), RECEIPT_MAX_PER_DAY=1_000_000
    )


def _checksums(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def source(request, tmp_path):
    url = fresh_database(f"parole_backup_src_{worker_name(request)}", tmp_path)
    app = _app(url, tmp_path / "uploads-src")
    upgrade(url)  # as in production: the migrations, with the ten seeded fiches
    with app.test_request_context("/"):
        org = make_org("CCAS Sauvegarde")
        paul = make_person((org, Role.PARTICIPANT), email="save@e.test")
        make_round(org)
        request_ = expenses.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        line = expenses.add_line(paul, request_, expenses.LineInput(Category.TRAIN, "23,40"))
        expenses.attach_receipt(paul, line, _jpeg(), "billet.jpg")
        db.session.commit()
    yield app
    app.extensions["parole.db"].engine.dispose()


@pytest.fixture
def target(request, tmp_path):
    url = fresh_database(f"parole_backup_dst_{worker_name(request)}", tmp_path)
    app = _app(url, tmp_path / "uploads-restored")
    yield app
    app.extensions["parole.db"].engine.dispose()


def test_backup_then_restore_into_an_empty_place_gives_everything_back(source, target, tmp_path):
    folder = tmp_path / "backup"
    made = source.test_cli_runner().invoke(args=["data", "backup", str(folder)])
    assert made.exit_code == 0, made.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["expense_receipts"] == 1
    assert len(manifest["uploads"]) == 1

    restored = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    with source.app_context():
        before = row_counts(get_db().engine)
    with target.app_context():
        after = row_counts(get_db().engine)
    assert after == before and sum(after.values()) > 10
    assert _checksums(Path(target.config["UPLOAD_ROOT"])) == _checksums(
        Path(source.config["UPLOAD_ROOT"])
    )

    # A second restore over it is refused: the target is not empty any more.
    again = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert again.exit_code != 0 and "not empty" in again.output


def test_a_damaged_backup_is_refused_before_anything_is_written(source, target, tmp_path):
    folder = tmp_path / "backup"
    assert source.test_cli_runner().invoke(args=["data", "backup", str(folder)]).exit_code == 0
    receipt = next((folder / "uploads").rglob("*.jpg"))
    receipt.write_bytes(receipt.read_bytes()[:-10])  # truncated
    refused = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert refused.exit_code != 0 and "damaged" in refused.output
    with target.app_context():
        assert not any(row_counts(get_db().engine).values())
    assert not Path(target.config["UPLOAD_ROOT"]).exists()


def _add_request_with_receipt(person_id: int) -> None:
    """What a person does: a cost request, a line, the photo of the ticket."""
    person = db.session.get(Person, person_id)
    org = db.session.scalars(select(Organisation)).first()
    request_ = expenses.create_request(
        person, person, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Trajet"
    )
    line = expenses.add_line(person, request_, expenses.LineInput(Category.TRAIN, "7,10"))
    expenses.attach_receipt(person, line, _jpeg(), "ticket.jpg")
    db.session.commit()


def _receipts_without_file(app) -> list[str]:
    root = Path(app.config["UPLOAD_ROOT"]) / "receipts"
    with app.app_context():
        keys = db.session.scalars(select(Receipt.storage_key)).all()
    return [key for key in keys if not (root / key).is_file()]


def test_a_backup_taken_while_people_write_restores_with_its_counts_and_checksums(
    source, target, tmp_path
):
    with source.app_context():
        person_id = db.session.scalars(select(Person.id)).first()
    stop, errors, written = threading.Event(), [], [0, 0, 0, 0]

    def keep_writing(n: int) -> None:
        while not stop.is_set():
            try:
                with source.test_request_context("/"):
                    _add_request_with_receipt(person_id)
                written[n] += 1
            except Exception as exc:  # noqa: BLE001 - reported by the test below
                errors.append(repr(exc))
                return

    writers = [threading.Thread(target=keep_writing, args=(n,)) for n in range(4)]
    for writer in writers:
        writer.start()
    try:
        while sum(written) < 8 and not errors:  # the traffic is flowing
            stop.wait(0.05)
        before = sum(written)
        folder = tmp_path / "backup"
        made = source.test_cli_runner().invoke(args=["data", "backup", str(folder)])
        during = sum(written) - before
        # One more write committed after the backup ended is surely not in its snapshot.
        deadline = time.monotonic() + WAIT
        while sum(written) == before + during and not errors and time.monotonic() < deadline:
            stop.wait(0.05)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=WAIT)
    assert not errors, errors
    assert made.exit_code == 0, made.output
    assert during > 0, "nobody wrote while the backup ran: the drill proves nothing"
    manifest = json.loads((folder / "manifest.json").read_text())
    with source.app_context():
        assert (
            row_counts(get_db().engine)["expense_receipts"] > manifest["tables"]["expense_receipts"]
        )

    restored = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        after = row_counts(get_db().engine)
    assert after == manifest["tables"]
    # Every receipt of the restored database opens: its file came back, unchanged.
    assert _receipts_without_file(target) == []
    restored_files = _checksums(Path(target.config["UPLOAD_ROOT"]))
    assert restored_files == {name: f["sha256"] for name, f in manifest["uploads"].items()}


def test_restore_into_a_freshly_migrated_database_brings_the_backup_fiches(
    source, target, tmp_path
):
    with source.app_context():
        fiche = db.session.scalars(select(Fiche).where(Fiche.number == 3)).one()
        fiche.title = "Préparer la réunion (version de la structure)"
        db.session.commit()
    folder = tmp_path / "backup"
    assert source.test_cli_runner().invoke(args=["data", "backup", str(folder)]).exit_code == 0
    upgrade(target.config["DATABASE_URL"])  # `flask db upgrade`: the ten fiches are seeded

    restored = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        titles = db.session.scalars(select(Fiche.title).order_by(Fiche.number)).all()
        assert len(titles) == 10
        assert titles[2] == "Préparer la réunion (version de la structure)"
        assert db.session.scalar(select(Person.id).where(Person.email == "save@e.test"))


def test_a_failed_restore_can_be_run_again(source, target, tmp_path):
    folder = tmp_path / "backup"
    assert source.test_cli_runner().invoke(args=["data", "backup", str(folder)]).exit_code == 0
    uploads = Path(target.config["UPLOAD_ROOT"])
    uploads.write_text("a file where the upload folder should be")  # a mistake of the operator

    failed = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert failed.exit_code != 0
    assert "run the same command again" in failed.output
    with target.app_context():
        assert not any(row_counts(get_db().engine).values())

    uploads.unlink()  # the operator corrects it, and runs the same command again
    again = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert again.exit_code == 0, again.output
    with target.app_context():
        assert db.session.scalar(select(Person.id).where(Person.email == "save@e.test"))
    assert _receipts_without_file(target) == []


def _sqlite_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}.db"


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_a_backup_moves_between_sqlite_and_postgresql(request, tmp_path, direction):
    if not is_postgres():
        pytest.skip(
            "needs PostgreSQL: run under .ci/with-postgres (PAROLE_TEST_DATABASE_URL); "
            "the PostgreSQL run in CI runs it"
        )
    pg_src = fresh_database(f"parole_move_src_{worker_name(request)}", tmp_path)
    pg_dst = fresh_database(f"parole_move_dst_{worker_name(request)}", tmp_path)
    if direction == "sqlite-to-postgresql":
        src_url, dst_url = _sqlite_url(tmp_path, "old"), pg_dst
    else:
        src_url, dst_url = pg_src, _sqlite_url(tmp_path, "new")
    old = _app(src_url, tmp_path / "uploads-old")
    new = _app(dst_url, tmp_path / "uploads-new")
    try:
        upgrade(src_url)
        with old.test_request_context("/"):
            org = make_org("CCAS Déménagement")
            paul = make_person((org, Role.PARTICIPANT), email="move@e.test", name="Paul Élan")
            make_round(org)
            db.session.commit()
            for _ in range(3):
                _add_request_with_receipt(paul.id)
        folder = tmp_path / "backup"
        made = old.test_cli_runner().invoke(args=["data", "backup", str(folder)])
        assert made.exit_code == 0, made.output

        moved = new.test_cli_runner().invoke(args=["data", "restore", str(folder)])
        assert moved.exit_code == 0, moved.output
        with old.app_context():
            before = row_counts(get_db().engine)
            lines_before = db.session.execute(
                select(ExpenseLine.id, ExpenseLine.amount).order_by(ExpenseLine.id)
            ).all()
            made_at = db.session.scalar(select(Person.created_at).where(Person.id == paul.id))
        with new.app_context():
            assert row_counts(get_db().engine) == before
            assert (
                db.session.execute(
                    select(ExpenseLine.id, ExpenseLine.amount).order_by(ExpenseLine.id)
                ).all()
                == lines_before
            )
            moved_paul = db.session.get(Person, paul.id)
            assert (moved_paul.display_name, moved_paul.created_at) == ("Paul Élan", made_at)
        assert _receipts_without_file(new) == []
        # The moved database keeps working: new rows get new ids (PostgreSQL's sequences).
        with new.test_request_context("/"):
            _add_request_with_receipt(paul.id)
        with new.app_context():
            assert row_counts(get_db().engine)["expense_receipts"] == 4
    finally:
        for app in (old, new):
            app.extensions["parole.db"].engine.dispose()


def test_a_receipt_deleted_during_the_backup_is_reported_and_the_backup_still_restores(
    source, target, tmp_path
):
    # What the backup sees when an account is closed between its snapshot and its copy of
    # the files: a receipt row whose file is gone.
    with source.app_context():
        key = db.session.scalar(select(Receipt.storage_key))
    (Path(source.config["UPLOAD_ROOT"]) / "receipts" / key).unlink()
    folder = tmp_path / "backup"
    made = source.test_cli_runner().invoke(args=["data", "backup", str(folder)])
    assert made.exit_code == 0, made.output
    assert "1 receipt(s) were deleted while the backup ran" in made.output
    assert "flask data reapply-erasures" in made.output

    restored = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output


def test_a_backup_of_a_database_that_is_not_there_says_so_and_leaves_no_folder_behind(tmp_path):
    if is_postgres():
        pytest.skip(
            "a SQLite file that does not exist; PostgreSQL reports a missing database itself"
        )
    missing = tmp_path / "typo" / "parole.db"
    app = _app(f"sqlite:///{missing}", tmp_path / "uploads")
    folder = tmp_path / "backup"
    made = app.test_cli_runner().invoke(args=["data", "backup", str(folder)])
    assert made.exit_code != 0
    assert f"There is no database at {missing}" in made.output
    assert not missing.exists()  # no empty database made by mistake
    assert not any(folder.iterdir())  # the same command can run again once corrected


def test_a_backup_of_an_older_database_version_is_not_moved_before_an_upgrade(request, tmp_path):
    if not is_postgres():
        pytest.skip(
            "needs PostgreSQL: run under .ci/with-postgres (PAROLE_TEST_DATABASE_URL); "
            "the PostgreSQL run in CI runs it"
        )
    old_url = _sqlite_url(tmp_path, "old")
    upgrade(old_url, "0012")  # a database not migrated to this release yet
    old = _app(old_url, tmp_path / "uploads-old")
    new = _app(fresh_database(f"parole_move_dst_{worker_name(request)}", tmp_path), tmp_path / "up")
    try:
        folder = tmp_path / "backup"
        made = old.test_cli_runner().invoke(args=["data", "backup", str(folder)])
        assert made.exit_code == 0, made.output
        refused = new.test_cli_runner().invoke(args=["data", "restore", str(folder)])
        assert refused.exit_code != 0
        assert "database version 0012" in refused.output
        assert "flask db upgrade" in refused.output
        with new.app_context():
            assert not any(row_counts(get_db().engine).values())
    finally:
        for app in (old, new):
            app.extensions["parole.db"].engine.dispose()


def test_a_restore_that_fails_its_last_check_leaves_nothing_behind_and_runs_again(
    source, target, tmp_path
):
    folder = tmp_path / "backup"
    assert source.test_cli_runner().invoke(args=["data", "backup", str(folder)]).exit_code == 0
    manifest_path = folder / "manifest.json"
    good = manifest_path.read_text()
    wrong = json.loads(good)
    wrong["tables"]["people"] += 1  # the count no longer matches: the last check fails
    manifest_path.write_text(json.dumps(wrong))

    failed = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert failed.exit_code != 0
    assert "does not have the rows of the backup" in failed.output
    assert "run the same command again" in failed.output
    uploads = Path(target.config["UPLOAD_ROOT"])
    assert not uploads.exists() or not any(uploads.rglob("*"))  # no file, no folder left

    manifest_path.write_text(good)
    again = target.test_cli_runner().invoke(args=["data", "restore", str(folder)])
    assert again.exit_code == 0, again.output
    assert _receipts_without_file(target) == []
