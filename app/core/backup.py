"""Backup and restore: the database (SQLite's online backup API, or pg_dump for PostgreSQL)
plus the upload folder (receipts), with a manifest of checksums and row counts, so that a
restore can prove it brought everything back.

    flask data backup DEST     writes DEST/ (must not exist or be empty)
    flask data restore SRC     into an empty database and an empty upload folder
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import make_url

from app.db import utcnow

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Something a person running the command can fix: said in one plain sentence."""


@dataclass
class Result:
    folder: Path
    tables: dict[str, int]
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise BackupError(f"{name} is needed for PostgreSQL (Debian package postgresql-client).")
    return str(candidates[-1])


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore, the password in the environment only."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    args = ["--dbname", parsed.database or "postgres"]
    host = parsed.host or parsed.query.get("host")
    if host:
        args += ["--host", str(host)]
    port = parsed.port or parsed.query.get("port")
    if port:
        args += ["--port", str(port)]
    if parsed.username:
        args += ["--username", parsed.username]
    return args, env


def row_counts(engine) -> dict[str, int]:  # noqa: ANN001
    names = sorted(n for n in inspect(engine).get_table_names() if n != "alembic_version")
    with engine.connect() as conn:
        return {
            n: conn.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names
        }


def _files(root: Path) -> dict[str, dict]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def backup(engine, url: str, upload_root: Path, dest: Path) -> Result:  # noqa: ANN001
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: choose a new folder.")
    dest.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database = dest / "parole.db"
        source = sqlite3.connect(make_url(url).database)
        target = sqlite3.connect(database)
        with target:
            source.backup(target)  # consistent copy while the app keeps running
        source.close()
        target.close()
    elif backend == "postgresql":
        database = dest / "parole.dump"
        args, env = _pg_args(url)
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from our own config
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(database), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    else:
        raise BackupError(f"Backups are not supported for {backend}.")
    files = _files(upload_root)
    if upload_root.exists():
        shutil.copytree(upload_root, dest / "uploads")
    copied = _files(dest / "uploads")
    if copied != files:
        raise BackupError("The upload folder changed during the backup: run it again.")
    manifest = {
        "format": FORMAT,
        "made_at": utcnow().isoformat(),
        "backend": backend,
        "database": {"file": database.name, "sha256": _sha256(database)},
        "tables": row_counts(engine),
        "uploads": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Result(dest, manifest["tables"], len(files))


def read_manifest(src: Path) -> dict:
    path = src / MANIFEST
    if not path.exists():
        raise BackupError(f"{src} has no {MANIFEST}: it is not a Parole backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was made by another version of Parole.")
    database = src / manifest["database"]["file"]
    if not database.exists() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError("The database file of the backup is missing or damaged.")
    if _files(src / "uploads") != manifest["uploads"]:
        raise BackupError("Files of the backup are missing or damaged.")
    return manifest


def restore(engine, url: str, upload_root: Path, src: Path) -> Result:  # noqa: ANN001
    """Into an empty database and an empty upload folder only; then prove it: the same row
    counts and the same checksums as in the manifest."""
    manifest = read_manifest(src)
    backend = make_url(url).get_backend_name()
    if backend != manifest["backend"]:
        raise BackupError(f"This backup is for {manifest['backend']}, not {backend}.")
    if any(row_counts(engine).values()):
        raise BackupError("The database is not empty: restore into a new, empty database.")
    if upload_root.exists() and any(upload_root.rglob("*")):
        raise BackupError(f"{upload_root} is not empty: restore into an empty folder.")
    database = src / manifest["database"]["file"]
    engine.dispose()
    if backend == "sqlite":
        source = sqlite3.connect(database)
        target = sqlite3.connect(make_url(url).database)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        args, env = _pg_args(url)
        done = subprocess.run(  # noqa: S603
            [_pg_tool("pg_restore"), "--no-owner", "--clean", "--if-exists", *args, str(database)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    if (src / "uploads").exists():
        upload_root.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src / "uploads", upload_root, dirs_exist_ok=True)
    tables = row_counts(engine)
    if tables != manifest["tables"]:
        raise BackupError("The restored database does not have the rows of the backup.")
    if _files(upload_root) != manifest["uploads"]:
        raise BackupError("The restored files do not match the backup.")
    return Result(upload_root, tables, len(manifest["uploads"]))
