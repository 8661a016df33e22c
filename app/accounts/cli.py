"""Personal-data commands, added to core's `flask data` group: `flask data purge [--apply]`,
`flask data reapply-erasures`, `flask data close-account PERSON_ID --by ADMIN_ID`; and
`flask accounts create-admin EMAIL` (the first administrator of a fresh instance)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.core.cli import data_cli

PURGE_PAUSE = 0.25  # seconds between two batches of `flask data purge --apply`


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


accounts_cli = AppGroup("accounts", help="Accounts: the first administrator.")


@accounts_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default=None, help="The name shown in Parole (default: before the @).")
def create_admin(email: str, name: str | None) -> None:
    """Create a platform administrator and print a one-time link to choose the password
    (valid INVITATION_LINK_HOURS hours). The first step of a fresh instance."""
    from app import db
    from app.accounts.onboarding import create_platform_admin
    from app.core.errors import DomainError

    try:
        link = create_platform_admin(email, name)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo("Platform administrator created. Open this link once to choose the password:")
    click.echo(link)
