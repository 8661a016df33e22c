"""Cross-cutting code: permissions, audit, outbox, sanitising, errors, provenance.

The bottom layer: it imports no domain. Domains reach it, never the other way; what core
needs from a domain (the home page's items, for instance) comes through a registry here."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.core import blueprint, cli, outbox_views, security, views, web  # noqa: F401
    from app.core.i18n import select_locale
    from app.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    security.init_app(app)
    web.init_app(app)
    app.register_blueprint(blueprint.bp)  # routes in views.py and outbox_views.py
    groups = (cli.db_cli, cli.outbox_cli, cli.data_cli, cli.jobs_cli)  # `flask jobs run`
    for group in groups:  # accounts adds to `data`
        app.cli.add_command(group)
