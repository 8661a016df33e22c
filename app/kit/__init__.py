"""The participation kit: the ten fiches, checklists of a round or a mission, the yearly report."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.kit import blueprint, checklist_views, fiche_views, permissions, report_views  # noqa: F401

    app.register_blueprint(blueprint.bp)
