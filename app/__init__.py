"""Parole: the application factory. Nothing happens at import time."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

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

    from app.extensions import csrf, login_manager

    csrf.init_app(app)
    login_manager.init_app(app)  # who is logged in: accounts sets it up in its init_app

    # Each domain registers itself (blueprints, permission rules, moderated content types,
    # CLI commands, what it adds to the shared registries). Lower layers first: core, then
    # accounts; the demo data, on top of them all, last.
    from app import accounts, consultations, core, demo, expenses, falc, kit, moderation, trainings

    for domain in (core, accounts, moderation, consultations, falc, expenses, trainings, kit, demo):
        domain.init_app(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app
