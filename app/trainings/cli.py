"""`flask trainings remind`: the hourly reminders and waiting-list offers."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import GIVE_UP, scheduled_job

trainings_cli = AppGroup("trainings", help="Co-training missions.")


@trainings_cli.command("remind")
@GIVE_UP
def trainings_remind(give_up_after: float) -> None:
    """Remind confirmed co-trainers 2 days before each session, and pass on the places
    offered from the waiting list that were not answered in time (run it every hour)."""
    from app.trainings.services import expire_offers, send_reminders

    reminded, expired = scheduled_job(
        lambda: (send_reminders(), expire_offers()), "trainings remind", give_up_after
    )
    click.echo(f"{reminded} reminder(s) sent, {expired} offer(s) passed on.")
