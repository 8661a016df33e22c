"""Costs and pay: expense requests, advances, pay and compensation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.expenses import blueprint, permissions, views  # noqa: F401

    app.register_blueprint(blueprint.bp)  # routes in views.py

    from app.expenses import home  # "For you now" on the home page (core's registry)

    home.register()
    from app.expenses import personal_data  # what it holds about a person (My data, closing)

    personal_data.register()
