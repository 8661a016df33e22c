"""Engine and session per application, declarative Base, SQLite pragmas.

The engine is created lazily in the process that uses it (so after gunicorn forks),
and a scoped session is removed at the end of every app context.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from flask import Flask, current_app, request
from sqlalchemy import BigInteger, DateTime, MetaData, String, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores aware UTC datetimes; SQLite gives back naive ones, so we put the zone back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Naive datetime given to a UTC column.")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# True while serving a GET or HEAD that does not write: its SQLite transaction starts with a
# plain (deferred) BEGIN, so reads run side by side under WAL instead of queueing for the
# write lock. Everything else (forms, the CLI, workers) keeps BEGIN IMMEDIATE.
_reading: ContextVar[bool] = ContextVar("parole_reading", default=False)


def writes_on_get(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose GET writes (an audit entry for a download of personal data): its
    transaction takes the write lock at BEGIN, like a form, so it never fails to upgrade."""
    view._parole_writes_on_get = True  # type: ignore[attr-defined]
    return view


@contextmanager
def read_phase() -> Iterator[None]:
    """Run the block in its own read-only transaction, ended when the block ends, before the
    request writes. On SQLite it begins with a plain BEGIN: it does not hold the write lock
    while it works (a login checks its slow password hash here). Loaded objects are expired
    at the end: read them again in the writing transaction."""
    token = _reading.set(True)
    try:
        session.rollback()  # anything begun before (BEGIN IMMEDIATE) ends here
        yield
    finally:
        session.rollback()
        _reading.reset(token)


def _sqlite_setup(engine: Engine) -> None:
    """The pysqlite recipe: let SQLAlchemy emit BEGIN itself, and make it IMMEDIATE,
    so that two writers never deadlock on a lock upgrade (reads: see `_reading`)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        # Deleted and overwritten values are overwritten with zeros in the file, not left in
        # free pages where anyone with a copy of the file could read them after an erasure.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if _reading.get() else "BEGIN IMMEDIATE")


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_sqlite_file(url: str) -> None:
    """Make the SQLite database file private to the application (0600) before SQLite opens
    it: created so when missing, tightened when an older version left it readable by others.
    SQLite gives its -wal and -shm files the mode of the database file; those left by an
    older version are tightened too."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE))
    except OSError:
        return  # no folder, no right: SQLite says so in its own words when it opens it
    for suffix in ("", "-wal", "-shm"):
        path = database + suffix
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, PRIVATE_FILE)
        except OSError:
            continue


def make_engine(url: str, **kwargs: Any) -> Engine:
    # A database error must not copy the values of the statement (answers, bank details,
    # names) into the error message, hence into the logs and tracebacks.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        private_sqlite_file(url)
        engine = create_engine(url, **kwargs)
        _sqlite_setup(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Memo:
    """Values computed from the database and kept between requests, in this process.

    Each value is kept under a key that the caller builds from the data it depends on (a
    round's number of sent answers and the time of the last one, say): when the data changes,
    so does the key, and the old value is simply never asked for again. Holds plain values only
    (numbers, strings, tuples), never database objects. Bounded; safe with threads."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.made = 0  # how many values were computed (tests read it)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self.made += 1
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class Database:
    """Holds one engine (created in the current process) and one scoped session per app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.memo = Memo()
        self._engine: Engine | None = None
        self._pid: int | None = None
        self.session_factory = sessionmaker(expire_on_commit=False)
        self.session = scoped_session(self.session_factory)
        self._bound_to_connection = False

        @event.listens_for(self.session_factory, "after_commit")
        def _run_after_commit(sess: Session) -> None:
            for callback in sess.info.pop("parole_after_commit", []):
                callback()

        @event.listens_for(self.session_factory, "after_rollback")
        def _drop_after_commit(sess: Session) -> None:
            sess.info.pop("parole_after_commit", None)

    @property
    def engine(self) -> Engine:
        if self._engine is None or self._pid != os.getpid():
            if self._engine is not None:
                self._engine.dispose(close=False)
            self._engine = make_engine(self.url)
            self._pid = os.getpid()
            self.session_factory.configure(bind=self._engine)
        return self._engine

    def bind(self, bind: Any, **options: Any) -> None:
        """Tests use this to run every request inside an outer transaction. What was
        remembered may not hold for the new binding (a rolled-back test reuses ids)."""
        self.memo.clear()
        self._engine = bind.engine if hasattr(bind, "engine") else bind
        self._bound_to_connection = isinstance(bind, Connection)
        self._pid = os.getpid()
        self.session_factory.configure(bind=bind, **options)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback()` once the current transaction is committed; never if it is rolled
        back. For what must wait for the commit (a service flushes, the caller commits)."""
        self.get_session().info.setdefault("parole_after_commit", []).append(callback)

    def truncate_log(self) -> None:
        """SQLite: copy the write-ahead log into the database file and empty the log, so that
        values just erased do not linger in the -wal file (with secure_delete, the database
        file itself keeps only zeros where they were). Waits for other writers at most the
        busy timeout; if it cannot, SQLite's next checkpoint does it. Other databases: nothing.
        Tests that run inside one outer transaction skip it (it would only wait for that)."""
        engine = self.engine
        if engine.dialect.name != "sqlite" or self._bound_to_connection:
            return
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()
            cursor.close()
        finally:
            raw.close()

    def init_app(self, app: Flask) -> None:
        app.extensions["parole.db"] = self

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            self.session.remove()

        def _reads_only() -> None:
            view = app.view_functions.get(request.endpoint or "")
            _reading.set(
                request.method in ("GET", "HEAD")
                and not getattr(view, "_parole_writes_on_get", False)
            )

        # First of all hooks: the login lookup in later hooks already begins the transaction.
        app.before_request_funcs.setdefault(None, []).insert(0, _reads_only)

        @app.teardown_request
        def _reads_done(exc: BaseException | None) -> None:
            _reading.set(False)

    def get_session(self) -> Session:
        self.engine  # noqa: B018 - make sure the engine exists in this process
        return self.session()


def get_db() -> Database:
    return current_app.extensions["parole.db"]


def _current_session() -> Session:
    return get_db().get_session()


session: Session = LocalProxy(_current_session)  # type: ignore[assignment]


Locked = TypeVar("Locked")


def lock(obj: Locked) -> Locked:
    """Read `obj`'s row again, locked until the transaction ends, and return it up to date.

    Every state change is a locked read-check-write: a service calls `lock` FIRST, then checks
    the state on what it returns, then changes it. Two copies of the same request (a double
    click, two tabs) then run one after the other, and the second sees what the first did.
    PostgreSQL: `SELECT ... FOR NO KEY UPDATE` (read committed re-reads the row once the other
    transaction has committed). SQLite: a writing transaction holds the database's write lock
    from its BEGIN IMMEDIATE, so this only reads the row again. The object's attributes are
    overwritten with the database's values (`populate_existing`); changes not yet flushed are
    flushed first. Lock in one order (the parent before the child: a mission before its
    sign-ups, a request before its lines) so that two transactions never wait for each other.
    A row deleted meanwhile raises LookupError."""
    current = _current_session()
    current.flush()
    state = inspect(obj)
    # FOR NO KEY UPDATE: it excludes the other lockers like FOR UPDATE, but not the inserts of
    # rows that point to this one (their foreign key takes FOR KEY SHARE). With FOR UPDATE, two
    # tabs that each recorded a row pointing to the person (their form's key) and then locked
    # the person waited for each other: PostgreSQL ended one with "deadlock detected".
    fresh = current.get(
        type(obj), state.identity, with_for_update={"key_share": True}, populate_existing=True
    )
    if fresh is None:
        raise LookupError(f"{type(obj).__name__} {state.identity} is gone")
    return fresh


class StrEnumType(TypeDecorator):
    """Stores a StrEnum as its value in a VARCHAR and gives the enum member back."""

    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type, length: int = 32) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return self.enum_cls(value)

    def __repr__(self) -> str:
        return f"String(length={self.impl.length})"


class Cents(TypeDecorator):
    """Money (and other two-decimal quantities: kilometres, hours) as a Decimal in Python and
    a whole number of hundredths in the database: exact on SQLite and PostgreSQL alike."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError("Money columns take Decimal values, never floats.")
        hundredths = value * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError("Money has at most two decimals.")
        return int(hundredths)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(Decimal("0.01"))
