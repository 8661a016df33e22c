"""Backup and restore drill: a database with people, a round, a request with a receipt on
disk; `flask data backup`, then `flask data restore` into an empty database and an empty
upload folder. Equal row counts in every table and equal checksums for every file; a damaged
backup and a non-empty target are refused. On SQLite, and on PostgreSQL when the suite runs
there (pg_dump / pg_restore)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from app import create_app, db
from app.accounts.models import Role
from app.core.backup import row_counts
from app.db import Base, get_db
from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, RequestKind
from config import TestConfig
from tests.conftest import fresh_database, worker_name
from tests.consultation_factories import make_round
from tests.factories import make_org, make_person


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


def _app(url: str, uploads: Path):
    app = create_app(TestConfig, DATABASE_URL=url, UPLOAD_ROOT=str(uploads))
    return app


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
    with app.app_context():
        Base.metadata.create_all(get_db().engine)
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
