"""The database schema is made by Alembic migrations only (never by `create_app`): the
`flask db upgrade` command, the restore of a portable backup and the tests call `upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from config import BASE_DIR


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(BASE_DIR / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(BASE_DIR / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
