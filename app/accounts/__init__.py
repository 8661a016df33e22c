"""People, organisations, roles, login, assisted accounts, preferences."""

from __future__ import annotations

from typing import Any

from flask import Flask, session


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.accounts import (  # noqa: F401  (routes attach to the blueprints)
        admin_views,
        blueprint,
        cli,
        contact_views,
        data_views,
        home,
        onboarding_views,
        participants_views,
        permissions,
        views,
    )
    from app.accounts.personal_data import ensure_assisted_entry_consent
    from app.core.home import OWN_SECTION, register_home_section
    from app.core.provenance import on_assisted_entry
    from app.extensions import login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = None  # sessions are checked server-side
    login_manager.user_loader(_load_user)
    app.register_blueprint(blueprint.accounts_bp)
    app.register_blueprint(blueprint.participants_bp)
    app.register_blueprint(blueprint.admin_bp)
    # cli.py adds its commands to core's `flask data` group, and has its own group.
    app.cli.add_command(cli.accounts_cli)
    on_assisted_entry(ensure_assisted_entry_consent)  # the agreement, recorded for "My data"
    from app.accounts import jobs

    jobs.register()  # the daily retention purge (flask jobs run)
    from app.accounts import digest

    digest.register()  # "For you now" by e-mail, once a day at most (flask jobs run)
    from app.accounts import to_tell

    to_tell.register()  # phone and contact choice, the facilitators' "À prévenir" list
    register_home_section(
        "invitations",
        10,
        home.pending_invitations,
        "accounts/_home_invitations.html",
        place=OWN_SECTION,
    )


def _load_user(user_id: str) -> Any:
    """The person of the session cookie, if that login session is still valid."""
    from app.accounts.services import person_for_token

    try:
        return person_for_token(int(user_id), session.get("sid"))
    except ValueError:
        return None
