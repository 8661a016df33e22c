"""Backup and restore: the database plus the upload folder (receipts), with a manifest of row
counts and checksums, so that a restore can prove it brought everything back.

    flask data backup DEST     writes DEST/ (must not exist or be empty)
    flask data restore SRC     into an empty (or freshly migrated) database and an empty upload folder

What a backup holds, all taken from ONE snapshot of the database, while the app keeps running:
- the native copy: SQLite's online backup API (parole.db), or `pg_dump` run on a snapshot
  exported by a REPEATABLE READ transaction (parole.dump);
- a portable copy: one JSON-lines file per table (tables/NAME.jsonl, first line the column
  names), values typed by the models, read from that same snapshot;
- the manifest: row counts and a checksum of the rows of every table, computed from that same
  snapshot (never from the live database, which has moved on), the Alembic revision of the
  snapshot, and a SHA-256 of every file.
The upload folder is copied after the snapshot: every receipt the snapshot refers to must be
there. A receipt written after the snapshot may be copied too (a file without a row: harmless);
a receipt deleted after the snapshot (an erasure, a purge) is listed as such in the manifest.

Restore: into the same kind of database, from the native copy; into the other kind (SQLite to
PostgreSQL, or back), from the portable copy, after migrating the target to the code's head.
Then every count and checksum is compared with the manifest. A failed restore leaves the
target empty again, so it can simply be run again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    MetaData,
    Numeric,
    bindparam,
    create_engine,
    func,
    insert,
    inspect,
    select,
    table,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import LargeBinary, TypeDecorator

from app.db import utcnow

FORMAT = 2
MANIFEST = "manifest.json"
TABLES = "tables"
BATCH = 500
SEEDED = frozenset({"kit_fiches"})  # rows a migration inserts (0009: the ten fiches)


class BackupError(Exception):
    """Something a person running the command can fix: said in one plain sentence."""


@dataclass
class Result:
    folder: Path
    tables: dict[str, int]
    files: int
    deleted_during_backup: list[str] = field(default_factory=list)
    portable: bool = False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _run_pg_tool(name: str, arguments: list[str], env: dict[str, str]) -> None:
    """Run pg_dump or pg_restore; its own words (cut short) when it fails."""
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from our own config
        [_pg_tool(name), *arguments], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[:500]}")


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


def _metadata() -> MetaData:
    """Every table: each domain's `init_app` has imported its models by the time a command or
    a request runs (core imports no domain; tests/unit/core/test_layers.py checks it)."""
    from app.db import Base

    return Base.metadata


def code_head() -> str:
    """The Alembic revision this code's models correspond to."""
    from alembic.script import ScriptDirectory

    from app.core.schema import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def row_counts(engine: Engine) -> dict[str, int]:
    names = sorted(n for n in inspect(engine).get_table_names() if n != "alembic_version")
    with engine.connect() as conn:
        return {
            n: conn.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names
        }


# --- the portable form: typed rows, the same text whatever the database -------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _base_type(column: Any) -> Any:
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) and not _is_money(kind) else kind


def _is_money(kind: Any) -> bool:
    from app.db import Cents

    return isinstance(kind, Cents)


def _decoder(column: Any) -> Any:
    kind = column.type
    if _is_money(kind) or isinstance(_base_type(column), Numeric):
        return lambda v: None if v is None else Decimal(v)
    base = _base_type(column)
    if isinstance(base, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(base, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(base, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return None


def _lines(conn: Connection, tbl: Any) -> Iterator[str]:
    """The rows of a table, in primary-key order, one canonical JSON list each."""
    order = list(tbl.primary_key.columns) or list(tbl.columns)
    result = conn.execute(select(tbl).order_by(*order).execution_options(yield_per=1000))
    for row in result:
        yield json.dumps([_encode(v) for v in row], sort_keys=True, ensure_ascii=False)


class _Checksum:
    """A checksum of a set of rows that does not depend on their order (the databases sort
    text differently): the sum of the SHA-256 of each row, modulo 2**256."""

    def __init__(self) -> None:
        self.total = 0
        self.rows = 0

    def add(self, line: str) -> None:
        self.total += int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")
        self.rows += 1

    @property
    def hexdigest(self) -> str:
        return f"{self.total % (1 << 256):064x}"


def _table_sums(conn: Connection, folder: Path | None = None) -> dict[str, dict]:
    """Counts and checksums of every table of the models, read through `conn` (one
    snapshot); with `folder`, the rows are also written there, one file per table."""
    sums: dict[str, dict] = {}
    for tbl in _metadata().sorted_tables:
        check = _Checksum()
        out = None
        if folder is not None:
            out = (folder / f"{tbl.name}.jsonl").open("w", encoding="utf-8")
            out.write(json.dumps([c.name for c in tbl.columns]) + "\n")
        try:
            for line in _lines(conn, tbl):
                check.add(line)
                if out is not None:
                    out.write(line + "\n")
        finally:
            if out is not None:
                out.close()
        sums[tbl.name] = {"rows": check.rows, "checksum": check.hexdigest}
    return sums


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- backup -------------------------------------------------------------------------------


def _contents(conn: Connection, portable: Path) -> tuple[dict, str | None]:
    """Counts, checksums and the portable copy, read through `conn` (the snapshot). A
    database at another version than this code's (not migrated yet) gets its row counts
    only: no portable copy, so it restores into the same kind of database only."""
    revision = _revision(conn)
    if revision == code_head():
        return _table_sums(conn, portable), revision
    names = sorted(n for n in inspect(conn).get_table_names() if n != "alembic_version")
    return {
        n: {"rows": conn.execute(select(func.count()).select_from(table(n))).scalar_one()}
        for n in names
    }, revision


def _snapshot_sqlite(url: str, database: Path, portable: Path) -> tuple[dict, str | None]:
    path = make_url(url).database or ""
    if not Path(path).is_file():
        raise BackupError(f"There is no database at {path}: check DATABASE_URL.")
    source = sqlite3.connect(path)
    target = sqlite3.connect(database)
    try:
        source.backup(target)  # one consistent copy while the app keeps running
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        source.close()
        target.close()
    copy = create_engine(f"sqlite:///{database}")
    try:
        with copy.connect() as conn:
            return _contents(conn, portable)
    finally:
        copy.dispose()


def _snapshot_postgresql(engine: Engine, url: str, database: Path, portable: Path):  # noqa: ANN202
    """pg_dump and our own reading share one snapshot: exported by a REPEATABLE READ
    transaction that stays open until both are done."""
    args, env = _pg_args(url)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            _run_pg_tool(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(database),
                    *args,
                ],
                env,
            )
            return _contents(conn, portable)


def _files(root: Path) -> dict[str, dict]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _receipt_files(portable: Path) -> set[str]:
    """The upload files the snapshot refers to (paths under UPLOAD_ROOT)."""
    path = portable / "expense_receipts.jsonl"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as rows:
        position = json.loads(next(rows)).index("storage_key")
        return {f"receipts/{json.loads(line)[position]}" for line in rows}


def _copy_uploads(root: Path, dest: Path) -> None:
    """Copy the upload folder file by file. A file may vanish while we copy (deleted by an
    erasure or a purge after the snapshot): skipped here, judged by the caller. Half-written
    files (".name.part") are not receipts yet: skipped."""
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        target = dest / path.relative_to(root)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            shutil.copy2(path, target)
        except FileNotFoundError:
            continue


def backup(engine: Engine, url: str, upload_root: Path, dest: Path) -> Result:
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: choose a new folder.")
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    dest.chmod(0o700)  # all the personal data of the platform: for the app's user only
    try:
        return _backup_into(engine, url, upload_root, dest)
    except BackupError as exc:
        _empty_folder(dest)
        raise BackupError(f"{exc} {dest} was emptied again.") from exc
    except (OSError, SQLAlchemyError, sqlite3.Error) as exc:
        _empty_folder(dest)
        raise BackupError(
            f"The backup failed: {_plain(exc)} {dest} was emptied again: correct the cause, "
            "then run the same command again."
        ) from exc


def _empty_folder(folder: Path) -> None:
    for path in folder.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def _backup_into(engine: Engine, url: str, upload_root: Path, dest: Path) -> Result:
    portable = dest / TABLES
    portable.mkdir(mode=0o700)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database = dest / "parole.db"
        sums, revision = _snapshot_sqlite(url, database, portable)
    elif backend == "postgresql":
        database = dest / "parole.dump"
        sums, revision = _snapshot_postgresql(engine, url, database, portable)
    else:
        raise BackupError(f"Backups are not supported for {backend}.")
    # Files after the database: every receipt of the snapshot was written before it.
    _copy_uploads(upload_root, dest / "uploads")
    files = _files(dest / "uploads")
    deleted = sorted(_receipt_files(portable) - set(files))
    still_there = [name for name in deleted if (upload_root / name).exists()]
    if still_there:
        raise BackupError(f"Could not copy {still_there[0]} from {upload_root}: run it again.")
    manifest = {
        "format": FORMAT,
        "made_at": utcnow().isoformat(),
        "backend": backend,
        "revision": revision,
        "database": {"file": database.name, "sha256": _sha256(database)},
        "portable": {p.name: _sha256(p) for p in sorted(portable.iterdir())},
        "tables": {name: s["rows"] for name, s in sums.items()},
        "checksums": {name: s["checksum"] for name, s in sums.items() if "checksum" in s},
        "uploads": files,
        # Receipts deleted after the snapshot (their rows are in it): an erasure or a purge
        # ran during the backup. `flask data reapply-erasures` after a restore erases again.
        "deleted_during_backup": deleted,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Result(dest, manifest["tables"], len(files), deleted)


def read_manifest(src: Path) -> dict:
    path = src / MANIFEST
    if not path.exists():
        raise BackupError(f"{src} has no {MANIFEST}: it is not a Parole backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") not in (1, FORMAT):
        raise BackupError("This backup was made by another version of Parole.")
    database = src / manifest["database"]["file"]
    if not database.exists() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError("The database file of the backup is missing or damaged.")
    for name, digest in manifest.get("portable", {}).items():
        part = src / TABLES / name
        if not part.exists() or _sha256(part) != digest:
            raise BackupError("The table files of the backup are missing or damaged.")
    if _files(src / "uploads") != manifest["uploads"]:
        raise BackupError("Files of the backup are missing or damaged.")
    return manifest


# --- restore ------------------------------------------------------------------------------


def _is_empty(engine: Engine) -> bool:
    """Nothing but what the migrations put there: the schema, alembic_version, the seeded
    fiches. A database without any table is empty too."""
    return not any(n not in SEEDED and c for n, c in row_counts(engine).items())


def _wipe(engine: Engine) -> None:
    """Back to an empty database after a failed restore: drop every table."""
    engine.dispose()
    found = MetaData()
    found.reflect(engine)
    # Tables that point at each other (a question shown by a choice of another question):
    # their foreign keys are dropped first, as the models say (`use_alter`).
    cycles = {
        (fk.parent.table.name, fk.column.table.name)
        for model_table in _metadata().tables.values()
        for fk in model_table.foreign_keys
        if fk.use_alter
    }
    for found_table in found.tables.values():
        for constraint in found_table.foreign_key_constraints:
            if (found_table.name, constraint.referred_table.name) in cycles:
                constraint.use_alter = True
    with engine.begin() as conn:
        found.drop_all(conn)
    engine.dispose()


def _clean_up(engine: Engine, upload_root: Path) -> bool:
    """After a failed restore: back to the empty place it started from (both were checked
    empty before anything was written). False when the database could not be reached."""
    if upload_root.is_dir():
        _empty_folder(upload_root)
    try:
        _wipe(engine)
    except (SQLAlchemyError, sqlite3.Error, OSError):
        return False
    return True


def _restore_native(engine: Engine, url: str, backend: str, database: Path) -> None:
    engine.dispose()
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(database)
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # replaces the whole target database, seeded rows included
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            source.close()
            target.close()
        return
    args, env = _pg_args(url)
    _run_pg_tool(
        "pg_restore",
        [
            "--no-owner",
            "--clean",
            "--if-exists",
            "--single-transaction",  # all or nothing: a failure leaves the target as it was
            *args,
            str(database),
        ],
        env,
    )


def _restore_portable(engine: Engine, url: str, backend: str, folder: Path) -> None:
    """Migrate the target to head, then load every table in foreign-key order, in one
    transaction (a failure leaves the target as it was); then the PostgreSQL sequences."""
    from app.core.schema import upgrade

    engine.dispose()
    upgrade(url)
    tables = _metadata().sorted_tables
    with engine.begin() as conn:
        for tbl in reversed(tables):  # the seeded fiches make way for the backup's
            conn.execute(tbl.delete())
        for tbl in tables:
            path = folder / f"{tbl.name}.jsonl"
            with path.open(encoding="utf-8") as rows:
                names = json.loads(next(rows))
                if names != [c.name for c in tbl.columns]:
                    raise BackupError(
                        f"The table {tbl.name} of the backup does not have the columns of "
                        "this version of Parole."
                    )
                _load(conn, tbl, names, rows)
        if backend == "postgresql":
            # The next id of each table follows the loaded rows (NULL: no sequence, no-op).
            for tbl in tables:
                if "id" in tbl.c and tbl.c.id.primary_key:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{tbl.name}', 'id'), "  # noqa: S608 - names from our own models
                            f"COALESCE(MAX(id), 0) + 1, false) FROM {tbl.name}"
                        )
                    )
    engine.dispose()


def _load(conn: Connection, tbl: Any, names: list[str], rows: Any) -> None:
    decoders = [(i, _decoder(tbl.c[n])) for i, n in enumerate(names)]
    decoders = [(i, d) for i, d in decoders if d is not None]
    # A row may point at a later row of its own table (people.entered_by_id...): those
    # columns are loaded empty first, then set once every row is there.
    own = [fk.parent.name for fk in tbl.foreign_keys if fk.column.table is tbl]
    later: list[dict] = []
    batch: list[dict] = []
    for line in rows:
        values = json.loads(line)
        for i, decode in decoders:
            values[i] = decode(values[i])
        row = dict(zip(names, values, strict=True))
        if own and any(row[n] is not None for n in own):
            later.append({"_id": row["id"], **{n: row[n] for n in own}})
            row.update(dict.fromkeys(own))
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(insert(tbl), batch)
            batch = []
    if batch:
        conn.execute(insert(tbl), batch)
    if later:
        conn.execute(
            update(tbl).where(tbl.c.id == bindparam("_id")).values({n: bindparam(n) for n in own}),
            later,
        )


def restore(engine: Engine, url: str, upload_root: Path, src: Path) -> Result:
    """Into an empty (or freshly migrated) database and an empty upload folder only; then
    prove it: the same row counts and checksums as in the manifest. If anything fails, the
    target is emptied again, so the same command can be run again."""
    manifest = read_manifest(src)
    backend = make_url(url).get_backend_name()
    same = backend == manifest["backend"]
    head = code_head()
    if not same and manifest["format"] == 1:
        raise BackupError(
            f"This backup is for {manifest['backend']} only (made by an older Parole): "
            f"make a new backup to move to {backend}."
        )
    if not same and manifest.get("revision") != head:
        raise BackupError(
            f"This backup holds database version {manifest.get('revision')}, and this Parole "
            f"needs {head}: restore it with the Parole that made it, run `flask db upgrade`, "
            "then make a new backup."
        )
    if not _is_empty(engine):
        raise BackupError("The database is not empty: restore into a new, empty database.")
    if upload_root.exists() and any(upload_root.rglob("*")):
        raise BackupError(f"{upload_root} is not empty: restore into an empty folder.")
    try:
        if same:
            _restore_native(engine, url, backend, src / manifest["database"]["file"])
        else:
            _restore_portable(engine, url, backend, src / TABLES)
        if (src / "uploads").exists():
            upload_root.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copytree(src / "uploads", upload_root, dirs_exist_ok=True)
        _check(engine, manifest, head, upload_root)
    except (BackupError, OSError, SQLAlchemyError, sqlite3.Error) as exc:
        reason = str(exc) if isinstance(exc, BackupError) else _plain(exc)
        if not _clean_up(engine, upload_root):
            raise BackupError(
                f"The restore failed: {reason} The database could not be emptied again: "
                "delete it and create it again, empty the upload folder, then run the same "
                "command again."
            ) from exc
        raise BackupError(
            f"The restore failed: {reason} The database and the upload folder were emptied "
            "again: correct the cause, then run the same command again."
        ) from exc
    except BaseException:
        _clean_up(engine, upload_root)
        raise
    return Result(
        upload_root,
        manifest["tables"],
        len(manifest["uploads"]),
        manifest.get("deleted_during_backup", []),
        portable=not same,
    )


def _plain(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc.__class__.__name__} ({exc.filename})."
    if isinstance(exc, sqlite3.Error):
        return f"SQLite said: {str(exc).splitlines()[0][:200]}."
    if isinstance(exc, SQLAlchemyError):
        # The class only: the database's own message may quote the values of a row.
        return f"the database answered with an error ({type(getattr(exc, 'orig', None) or exc).__name__})."
    return f"{exc.__class__.__name__}."


def _check(engine: Engine, manifest: dict, head: str, upload_root: Path) -> None:
    engine.dispose()
    if manifest.get("checksums") and manifest.get("revision") == head:
        with engine.connect() as conn:
            sums = _table_sums(conn)
        if {n: s["rows"] for n, s in sums.items()} != manifest["tables"]:
            raise BackupError("The restored database does not have the rows of the backup.")
        if {n: s["checksum"] for n, s in sums.items()} != manifest["checksums"]:
            raise BackupError("The restored database does not have the values of the backup.")
    elif row_counts(engine) != manifest["tables"]:
        raise BackupError("The restored database does not have the rows of the backup.")
    if _files(upload_root) != manifest["uploads"]:
        raise BackupError("The restored files do not match the backup.")
