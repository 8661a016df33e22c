"""`flask consultations remind`: the daily warning about late feedback."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import GIVE_UP, scheduled_job

consultations_cli = AppGroup("consultations", help="Consultation rounds.")


@consultations_cli.command("remind")
@GIVE_UP
def consultations_remind(give_up_after: float) -> None:
    """Warn facilitators and administrators about late feedback (run it once a day)."""
    from app.consultations.services import notify_overdue_feedback

    count = scheduled_job(notify_overdue_feedback, "consultations remind", give_up_after)
    click.echo(f"{count} late round(s) reported.")
