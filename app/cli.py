"""Command line: `flask db upgrade`, `flask demo load`, `flask outbox send`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup

from config import BASE_DIR

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
demo_cli = AppGroup("demo", help="Demonstration data.")
outbox_cli = AppGroup("outbox", help="Mail outbox.")
consultations_cli = AppGroup("consultations", help="Consultation rounds.")
trainings_cli = AppGroup("trainings", help="Co-training missions.")
data_cli = AppGroup("data", help="Backups, restores, retention and erasure of personal data.")
PURGE_PAUSE = 0.25  # seconds between two batches of `flask data purge --apply`
T = TypeVar("T")


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


@data_cli.command("purge")
@click.option("--apply", "apply_", is_flag=True, help="Really erase (without it: only count).")
@click.option(
    "--batch",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="People (or rows of a table) erased per transaction.",
)
def data_purge(apply_: bool, batch: int) -> None:
    """Apply the retention rules: people without contact for their organisation's retention
    time (24 months by default), logs older than 12 months, expired download links, cost
    requests never sent after 24 months, receipts 10 years after payment.

    The counting reads without taking SQLite's write lock, so the app keeps working; --apply
    then erases in short transactions of BATCH people or rows each."""
    from app import db
    from app.accounts.personal_data import PurgeReport, purge_candidates, purge_steps
    from app.db import utcnow

    now = utcnow()
    with db.read_phase():  # the long scan: no write lock held
        candidates = purge_candidates(now)
        if not apply_:
            report = PurgeReport(applied=False)
            for report in purge_steps(False, now, batch, candidates):  # noqa: B007
                pass
    if apply_:
        report = PurgeReport(applied=True)
        for report in purge_steps(True, now, batch, candidates):  # noqa: B007
            db.session.commit()  # each batch its own short transaction
            # Let the app in: a request waiting for SQLite's write lock retries every 100 ms
            # at most; without a pause the next batch takes the lock first, every time.
            time.sleep(PURGE_PAUSE)
    verb = "Erased" if apply_ else "Would erase (dry run; add --apply to do it)"
    click.echo(f"{verb}:")
    for label, count in report.lines():
        click.echo(f"  {count:>7}  {label}")


@data_cli.command("reapply-erasures")
def data_reapply_erasures() -> None:
    """After restoring a backup: erase again the people erased since it was made."""
    from app import db
    from app.accounts.personal_data import reapply_erasures

    again = reapply_erasures()
    db.session.commit()
    click.echo(f"Erased again: {len(again)} people (ids recorded in the table erasures).")


@data_cli.command("close-account")
@click.argument("person_id", type=int)
@click.option("--by", "admin_id", type=int, required=True, help="Id of the platform administrator.")
def data_close_account(person_id: int, admin_id: int) -> None:
    """Close an account on the person's written request (a platform administrator acts)."""
    from app import db
    from app.accounts.models import Person
    from app.accounts.personal_data import close_account
    from app.core.errors import DomainError

    person, admin = db.session.get(Person, person_id), db.session.get(Person, admin_id)
    if person is None or admin is None:
        raise click.ClickException("No person with this id.")
    try:
        closed = close_account(admin, person, reason="admin")
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(f"Closed account {person_id}: {sum(closed.rows.values())} rows erased.")


def _retrying(work: Callable[[], T], what: str, give_up_after: float) -> T:
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


@trainings_cli.command("remind")
@GIVE_UP
def trainings_remind(give_up_after: float) -> None:
    """Remind confirmed co-trainers 2 days before each session, and pass on the places
    offered from the waiting list that were not answered in time (run it every hour)."""
    from app.trainings.services import expire_offers, send_reminders

    reminded, expired = _retrying(
        lambda: (send_reminders(), expire_offers()), "trainings remind", give_up_after
    )
    click.echo(f"{reminded} reminder(s) sent, {expired} offer(s) passed on.")


@consultations_cli.command("remind")
@GIVE_UP
def consultations_remind(give_up_after: float) -> None:
    """Warn facilitators and administrators about late feedback (run it once a day)."""
    from app.consultations.services import notify_overdue_feedback

    count = _retrying(notify_overdue_feedback, "consultations remind", give_up_after)
    click.echo(f"{count} late round(s) reported.")


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(BASE_DIR / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(BASE_DIR / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head)."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Database schema is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration compared with the models (review it before committing)."""
    import app.models  # noqa: F401

    command.revision(
        alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True
    )


@demo_cli.command("load")
@click.option(
    "--scale",
    default=0,
    show_default=True,
    help="Also add N x 1000 participants, a big open round and expense lines (benchmark).",
)
def demo_load(scale: int) -> None:
    """Load the demonstration data (safe to run twice) and print the demo logins."""
    from app.demo import DEMO_PASSWORD, load_demo

    logins = load_demo()
    if scale:
        from app.demo_scale import load_scale

        counts = load_scale(scale, DEMO_PASSWORD)
        click.echo("Scaled demo data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("\nDemo logins (fictional people):")
    for role, login, secret in logins:
        click.echo(f"  {role:<28} {login:<32} {secret}")
    click.echo(f"\nE-mail accounts use the password {DEMO_PASSWORD!r}.")


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


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(consultations_cli)
    app.cli.add_command(trainings_cli)
    app.cli.add_command(data_cli)
