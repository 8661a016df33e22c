"""Fixtures: one database per xdist worker (SQLite file, or a PostgreSQL database when
PAROLE_TEST_DATABASE_URL is set), one outer transaction per test, rolled back after it."""

from __future__ import annotations

import os
import re
import tempfile

# Files the app writes (audio cache...) go to a throwaway folder, never into the checkout.
os.environ.setdefault("PAROLE_INSTANCE_DIR", tempfile.mkdtemp(prefix="parole-test-"))
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.db import Base, get_db
from app.models import metadata  # noqa: F401 - every table registered
from config import TestConfig

pytest_plugins = ["tests.figures", "tests.security.watch"]

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
# How long a test waits for another thread, process or server before calling it stuck: one
# generous setting for a slow shared machine (PAROLE_TEST_WAIT seconds). A test that passes
# only waits as long as the work takes; this is the ceiling, never a pace.
WAIT = float(os.environ.get("PAROLE_TEST_WAIT", 180))

# Property tests on a busy machine: Hypothesis's per-example deadline (200 ms) is a tight
# timeout in disguise; the examples' number bounds the time instead.
settings.register_profile("parole", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("parole")


def worker_name(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def is_postgres() -> bool:
    return bool(os.environ.get("PAROLE_TEST_DATABASE_URL", "").startswith("postgresql"))


def fresh_database(name: str, tmp_dir: Path) -> str:
    """A new empty database for this worker: a SQLite file, or a PostgreSQL database."""
    base = os.environ.get("PAROLE_TEST_DATABASE_URL")
    if not base:
        path = tmp_dir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@contextmanager
def app_on_own_database(
    request: pytest.FixtureRequest, tmp_path: Path, name: str
) -> Iterator[Flask]:
    """An app on a new database of its own, tables made, outside the per-test transaction:
    for tests where several connections, threads or processes meet."""
    app = create_app(
        TestConfig, DATABASE_URL=fresh_database(f"parole_{name}_{worker_name(request)}", tmp_path)
    )
    with app.app_context():
        Base.metadata.create_all(get_db().engine)
    try:
        yield app
    finally:
        get_db_from(app).engine.dispose()


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return fresh_database(f"parole_test_{worker_name(request)}", tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(TestConfig, DATABASE_URL=database_url)
    from tests.security import watch  # imported here: pytest loads it first, as a plugin

    watch.install(app)  # every response of the run is checked (tests/security/watch.py)
    with app.app_context():
        Base.metadata.create_all(get_db().engine)
    yield app
    get_db_from(app).engine.dispose()


def get_db_from(app: Flask):  # noqa: ANN201
    return app.extensions["parole.db"]


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that uses the app runs inside one outer transaction, rolled back after it.
    Commits in views and services become savepoints."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    database = get_db_from(app)
    engine = database.engine
    connection = engine.connect()
    outer = connection.begin()
    database.bind(connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        database.session.remove()
        outer.rollback()
        connection.close()
        database.bind(engine)


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for unit tests that call services directly."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, get_url: str | None = None, **kwargs):  # noqa: ANN201
    """GET the page, take its CSRF token, then POST the form like a browser would."""
    page = client.get(get_url or url)
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, **kwargs)


def login(client: FlaskClient, identifier: str, secret: str):  # noqa: ANN201
    response = post_form(client, "/login", {"identifier": identifier, "secret": secret})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


class Inbox:
    """What a real SMTP server on 127.0.0.1 received: (recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd API
        from email import message_from_bytes, policy

        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp():  # noqa: ANN201
    """A real SMTP server (aiosmtpd) on a free port: yields (controller, inbox)."""
    import socket

    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run the long drills marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(
        reason="long drill: run with `make test-slow`; its smoke variant runs in make test"
    )
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
