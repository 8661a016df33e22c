"""Command line of the bottom layer: `flask db ...`, `flask outbox send`, and the `flask data`
group with its backup and restore commands.

The `data` group is shared: accounts adds the personal-data commands to it (purge, erasures,
account closure) in app/accounts/cli.py. `flask jobs run` runs the jobs every domain registers
(app/core/jobs.py); the old names `flask consultations remind` and `flask trainings remind`
run theirs now through `run_jobs` and `GIVE_UP` from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
outbox_cli = AppGroup("outbox", help="Mail outbox.")
data_cli = AppGroup("data", help="Backups, restores, retention and erasure of personal data.")
jobs_cli = AppGroup("jobs", help="Scheduled jobs: what time starts (run it every minute).")


GIVE_UP = click.option(
    "--give-up-after",
    default=3000.0,
    show_default=True,
    help="Seconds to keep trying while the database cannot be reached (then exit 1).",
)


def _at(value: str | None) -> Any:
    """The time given with --now (ISO 8601, UTC when it names no zone), or the clock's."""
    from datetime import UTC, datetime

    from app.db import utcnow

    if not value:
        return utcnow()
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def run_jobs(names: list[str], now: Any, give_up_after: float, *, force: bool) -> list[Any]:
    """Run the jobs named (every registered one when empty); a database out of reach after
    GIVE_UP seconds stops with a short message and exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.core import jobs
    from app.core.retry import is_transient

    selected = [jobs.get_job(name) for name in names] if names else jobs.registered_jobs()
    try:  # each job waits out a database out of reach itself (app/core/retry.py)
        return [
            jobs.run_job(job, now, force=force, give_up_after=give_up_after) for job in selected
        ]
    except SQLAlchemyError as exc:
        if not is_transient(exc):
            raise
        raise click.ClickException(
            f"The database could not be reached for {give_up_after:.0f} s "
            f"({type(exc).__name__}): nothing was done. The next run will do it."
        ) from None


@jobs_cli.command("run")
@click.option("--loop/--once", default=False, help="Keep running, every INTERVAL seconds.")
@click.option("--interval", default=60.0, show_default=True)
@click.option("--now", "at", default=None, hidden=True, help="Pretend it is this UTC time.")
@GIVE_UP
def jobs_run(loop: bool, interval: float, at: str | None, give_up_after: float) -> None:
    """Run the jobs that are due: open and close rounds at their dates, reminders, offers
    that ran out, the daily purge... Safe to start on several hosts at once: each job and
    each piece of work is done once. Run it every minute (cron) or once with --loop."""
    import time

    while True:
        failed = []
        try:
            outcomes = run_jobs([], _at(at), give_up_after, force=False)
        except click.ClickException as exc:
            if not loop:
                raise
            click.echo(exc.message, err=True)  # the database out of reach: the loop goes on
            outcomes = []
        for outcome in outcomes:
            if outcome.error:
                failed.append(outcome.name)
                click.echo(f"{outcome.name}: failed ({outcome.error})")
            elif outcome.ran:
                click.echo(f"{outcome.name}: {outcome.done} done")
        if not loop:
            if failed:
                raise click.ClickException(f"{len(failed)} job(s) failed: {', '.join(failed)}.")
            return
        time.sleep(interval)


@jobs_cli.command("list")
def jobs_list() -> None:
    """Each job: how often it runs, when it last ran and succeeded, its last error."""
    from app.core import jobs

    runs = {row.name: row for row in jobs.job_runs()}
    for job in jobs.registered_jobs():
        row = runs.get(job.name)
        last = row.started_at.isoformat(timespec="seconds") if row and row.started_at else "never"
        ok = row.succeeded_at.isoformat(timespec="seconds") if row and row.succeeded_at else "never"
        error = f", last error {row.error}" if row and row.error else ""
        click.echo(f"{job.name}: every {job.every}, last run {last}, last success {ok}{error}")


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


def _on_this_database(step: Any, folder: Path) -> Any:
    """Back up or restore this application's database and upload folder to or from `folder`;
    a refusal ends the command with its message."""
    from app.core.backup import BackupError
    from app.db import get_db

    try:
        return step(
            get_db().engine,
            current_app.config["DATABASE_URL"],
            Path(current_app.config["UPLOAD_ROOT"]),
            folder,
        )
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@data_cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def data_backup(dest: Path) -> None:
    """Copy the database and the upload folder into DEST, with a checksum manifest."""
    from app.core.backup import backup

    result = _on_this_database(backup, dest)
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
    from app.core.backup import restore

    result = _on_this_database(restore, src)
    rows = sum(result.tables.values())
    how = " (from the portable copy: another kind of database)" if result.portable else ""
    click.echo(
        f"Restored and checked{how}: {len(result.tables)} tables, {rows} rows, "
        f"{result.files} files."
    )
