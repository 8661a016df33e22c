"""Command line of the bottom layer: `flask db ...`, `flask outbox send`, and the `flask data`
group with its backup and restore commands.

The `data` group is shared: accounts adds the personal-data commands to it (purge, erasures,
account closure) in app/accounts/cli.py. Scheduled jobs of other domains (`flask consultations
remind`, `flask trainings remind`) use `scheduled_job` and `GIVE_UP` from here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask import current_app
from flask.cli import AppGroup

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
outbox_cli = AppGroup("outbox", help="Mail outbox.")
data_cli = AppGroup("data", help="Backups, restores, retention and erasure of personal data.")
T = TypeVar("T")


def scheduled_job(work: Callable[[], T], what: str, give_up_after: float) -> T:
    """Run a scheduled job's batch and commit it; a database out of reach (locked, restarted,
    disconnected) is waited for and the whole batch run again (see app/core/retry.py)."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.core.retry import is_transient, with_retry

    try:
        return with_retry(work, what=what, give_up_after=give_up_after)
    except SQLAlchemyError as exc:
        if not is_transient(exc):
            raise
        raise click.ClickException(
            f"The database could not be reached for {give_up_after:.0f} s "
            f"({type(exc).__name__}): nothing was done. The next run will do it."
        ) from None


GIVE_UP = click.option(
    "--give-up-after",
    default=3000.0,
    show_default=True,
    help="Seconds to keep trying while the database cannot be reached (then exit 1).",
)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head)."""
    from app.core.schema import upgrade

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Database schema is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration compared with the models (review it before committing)."""
    from alembic import command

    from app.core.schema import alembic_config

    # migrations/env.py imports app.models: every table of every domain.
    command.revision(
        alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True
    )


@outbox_cli.command("send")
@click.option("--loop/--once", default=False, help="Keep running and send every INTERVAL seconds.")
@click.option("--interval", default=10.0, show_default=True)
def outbox_send(loop: bool, interval: float) -> None:
    """Send the e-mails waiting in the outbox. With --loop it never stops by itself: a
    message that cannot be sent is marked failed (see /admin/outbox) and a database out of
    reach is waited for."""
    from app.core.outbox import run_worker, send_due

    if loop:
        run_worker(current_app._get_current_object(), interval=interval)
    else:
        sent, failed = send_due(current_app._get_current_object())
        click.echo(f"{sent} sent, {failed} failed")


@data_cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def data_backup(dest: Path) -> None:
    """Copy the database and the upload folder into DEST, with a checksum manifest."""
    from app.core.backup import BackupError, backup
    from app.db import get_db

    try:
        result = backup(
            get_db().engine,
            current_app.config["DATABASE_URL"],
            Path(current_app.config["UPLOAD_ROOT"]),
            dest,
        )
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(result.tables.values())
    click.echo(
        f"Backup written to {dest}: {len(result.tables)} tables, {rows} rows, {result.files} files."
    )
    if result.deleted_during_backup:
        click.echo(
            f"{len(result.deleted_during_backup)} receipt(s) were deleted while the backup ran "
            "(an account closed, a purge): their rows are in it, not their files. After a "
            "restore, run `flask data reapply-erasures` and `flask data purge --apply`."
        )


@data_cli.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def data_restore(src: Path) -> None:
    """Restore SRC into the empty (or freshly migrated) database and an empty upload folder,
    then check every count, checksum and file. SQLite and PostgreSQL backups restore into
    either. If it fails, the target is emptied again: run it again once the cause is fixed."""
    from app.core.backup import BackupError, restore
    from app.db import get_db

    try:
        result = restore(
            get_db().engine,
            current_app.config["DATABASE_URL"],
            Path(current_app.config["UPLOAD_ROOT"]),
            src,
        )
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(result.tables.values())
    how = " (from the portable copy: another kind of database)" if result.portable else ""
    click.echo(
        f"Restored and checked{how}: {len(result.tables)} tables, {rows} rows, "
        f"{result.files} files."
    )
