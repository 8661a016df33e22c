"""Parole: the application factory. Nothing happens at import time."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, session

from config import Config, get_config


def create_app(config: type[Config] | str | None = None, **overrides: Any) -> Flask:
    config_cls = get_config(config) if config is None or isinstance(config, str) else config
    config_cls.check()

    from config import BASE_DIR, INSTANCE_DIR

    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(config_cls)
    app.config.update(overrides)

    from app.db import Database

    Database(app.config["DATABASE_URL"]).init_app(app)

    from app.core.i18n import select_locale
    from app.extensions import babel, csrf, login_manager

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = None  # sessions are checked server-side

    @login_manager.user_loader
    def _load_user(user_id: str) -> Any:
        from app.accounts.services import person_for_token

        try:
            return person_for_token(int(user_id), session.get("sid"))
        except ValueError:
            return None

    # Each domain registers itself (blueprints, permission rules, moderated content types,
    # what it adds to the shared registries). Lower layers first: core, then accounts.
    from app import accounts, consultations, core, expenses, falc, kit, moderation, trainings

    for domain in (core, accounts, moderation, consultations, falc, expenses, trainings, kit):
        domain.init_app(app)

    from app import cli

    cli.init_app(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app
