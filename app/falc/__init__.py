"""Easy-read French (FALC): the text analyser and the proofreading workflow."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.falc import (  # noqa: F401
        analysis_views,
        blueprint,
        glossary_views,
        permissions,
        proofreading_views,
    )

    app.register_blueprint(blueprint.bp)

    from app.falc import home  # "For you now" on the home page (core's registry)

    home.register()
    from app.falc import personal_data  # what it holds about a person (My data, closing)

    personal_data.register()
    if app.config.get("FALC_MODEL_WARM_UP"):
        from app.falc import language

        language.warm_up_in_background()
