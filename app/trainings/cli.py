"""`flask trainings remind`: the session reminders and the waiting-list offers, now the jobs
`trainings.session_reminders` and `trainings.expire_offers` of `flask jobs run`; kept as a
name for them (run now)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import GIVE_UP, run_jobs

trainings_cli = AppGroup("trainings", help="Co-training missions.")


@trainings_cli.command("remind")
@GIVE_UP
def trainings_remind(give_up_after: float) -> None:
    """Remind confirmed co-trainers 2 days before each session, and pass on the places
    offered from the waiting list that were not answered in time (`flask jobs run` does it;
    this runs those jobs now)."""
    from app.db import utcnow

    reminded, expired = run_jobs(
        ["trainings.session_reminders", "trainings.expire_offers"],
        utcnow(),
        give_up_after,
        force=True,
    )
    for outcome in (reminded, expired):
        if outcome.error:
            raise click.ClickException(f"The job failed ({outcome.error}).")
    click.echo(f"{reminded.done} reminder(s) sent, {expired.done} offer(s) passed on.")
