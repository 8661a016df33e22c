"""Alembic is the only way the schema is made: `upgrade head` must equal the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.core.schema import upgrade
from app.db import make_engine
from app.models import metadata
from tests.conftest import fresh_database, worker_name


def test_upgrade_head_matches_the_models(request, tmp_path):
    url = fresh_database(f"parole_migrations_{worker_name(request)}", tmp_path)
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
            tables = set(inspect(connection).get_table_names())
        assert diff == [], diff
        assert set(metadata.tables) <= tables
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(request, tmp_path):
    url = fresh_database(f"parole_migrations2_{worker_name(request)}", tmp_path)
    upgrade(url)
    upgrade(url)
