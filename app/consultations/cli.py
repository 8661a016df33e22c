"""`flask consultations remind`: the warning about late feedback, now the daily job
`consultations.overdue_feedback` of `flask jobs run`; kept as a name for it (run now)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import GIVE_UP, run_jobs

consultations_cli = AppGroup("consultations", help="Consultation rounds.")


@consultations_cli.command("remind")
@GIVE_UP
def consultations_remind(give_up_after: float) -> None:
    """Warn facilitators and administrators about late feedback (`flask jobs run` does it
    every day; this runs that job now)."""
    from app.db import utcnow

    (outcome,) = run_jobs(["consultations.overdue_feedback"], utcnow(), give_up_after, force=True)
    if outcome.error:
        raise click.ClickException(f"The job failed ({outcome.error}).")
    click.echo(f"{outcome.done} late round(s) reported.")
