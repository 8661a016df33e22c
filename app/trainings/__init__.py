"""Co-training: missions published by training institutes, sign-ups of co-trainers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.trainings import blueprint, cli, manage_views, moderated, permissions, views  # noqa: F401

    app.register_blueprint(blueprint.bp)
    app.cli.add_command(cli.trainings_cli)

    from app.trainings import home  # "For you now" on the home page (core's registry)

    home.register()
    from app.trainings import jobs, personal_data  # My data, closing; flask jobs run

    personal_data.register()
    jobs.register()  # session reminders, offers that ran out (flask jobs run)
