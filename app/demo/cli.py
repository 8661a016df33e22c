"""`flask demo load [--scale N]`: load the demonstration data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option(
    "--scale",
    default=0,
    show_default=True,
    help="Also add N x 1000 participants, a big open round and expense lines (benchmark).",
)
def demo_load(scale: int) -> None:
    """Load the demonstration data (safe to run twice) and print the demo logins."""
    from app.demo.base import DEMO_PASSWORD, load_demo

    logins = load_demo()
    if scale:
        from app.demo.scale import load_scale

        counts = load_scale(scale, DEMO_PASSWORD)
        click.echo("Scaled demo data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("\nDemo logins (fictional people):")
    for role, login, secret in logins:
        click.echo(f"  {role:<28} {login:<32} {secret}")
    click.echo(f"\nE-mail accounts use the password {DEMO_PASSWORD!r}.")


@demo_cli.command("advance-days")
@click.argument("days", type=click.IntRange(min=1))
def demo_advance_days(days: int) -> None:
    """Move the demo's dates DAYS days earlier, as if DAYS days had passed; then run
    `flask jobs run` to see what the dates do (a round opens, reminders, a round closes)."""
    from app import db
    from app.demo.clock import advance_days

    moved = advance_days(days)
    db.session.commit()
    click.echo(
        f"Demo dates moved {days} day(s) earlier: "
        + ", ".join(f"{count} {what}" for what, count in moved.items())
        + ". Now run `flask jobs run`."
    )
