"""Consultation rounds: questions, invitations, answers, results, feedback."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.consultations import (  # noqa: F401  (routes attach to the blueprint)
        answering_views,
        audio_views,  # the players of a question and of the feedback
        blueprint,
        cli,
        curation_views,
        feedback_views,
        home,
        moderated,
        own_pictogram_views,  # an organisation's own pictures
        paper_entry_views,
        paper_views,
        permissions,
        public_views,  # public pages, and the setting that shows a round
        views,
    )
    from app.core.home import register_home_section

    app.register_blueprint(public_views.public_bp)
    app.register_blueprint(blueprint.bp)
    app.cli.add_command(cli.consultations_cli)
    register_home_section("rounds", 20, home.rounds_to_answer, "consultations/_home_rounds.html")
    register_home_section(
        "feedback", 22, home.feedback_to_read, "consultations/_home_feedback.html"
    )
    register_home_section(
        "evaluations", 24, home.evaluations_to_give, "consultations/_home_evaluations.html"
    )
    from app.consultations import (  # My data, closing; flask jobs run
        jobs,
        own_pictograms,
        personal_data,
    )

    personal_data.register()
    own_pictograms.register()  # the catalogue finds the organisations' own pictures
    app.jinja_env.globals.update(
        pictogram_url=own_pictograms.pictograms.url,
        pictogram_alt=own_pictograms.pictograms.pictogram_alt,
    )
    jobs.register()  # opening and closing at the dates, reminders (flask jobs run)
