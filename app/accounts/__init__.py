"""People, organisations, roles, login, assisted accounts, preferences."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.accounts import admin_views, data_views, participants_views, permissions, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.register_blueprint(participants_views.bp)
    app.register_blueprint(admin_views.bp)
