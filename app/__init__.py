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

    # Permission rules register themselves on import.
    from app.accounts import permissions as _account_rules  # noqa: F401
    from app.consultations import moderated as _moderated_comments  # noqa: F401
    from app.consultations import permissions as _consultation_rules  # noqa: F401
    from app.core import security, web
    from app.expenses import permissions as _expense_rules  # noqa: F401
    from app.falc import glossary_permissions as _glossary_rules  # noqa: F401
    from app.kit import permissions as _kit_rules  # noqa: F401
    from app.moderation import permissions as _moderation_rules  # noqa: F401
    from app.trainings import moderated as _moderated_feedback  # noqa: F401
    from app.trainings import permissions as _training_rules  # noqa: F401

    security.init_app(app)
    web.init_app(app)

    from app.accounts import data_views as _data_views  # noqa: F401
    from app.accounts.admin_views import bp as admin_bp
    from app.accounts.participants_views import bp as participants_bp
    from app.accounts.views import bp as accounts_bp
    from app.consultations import answering_views as _answering_views  # noqa: F401
    from app.consultations import views as _consultation_views  # noqa: F401
    from app.consultations.blueprint import bp as consultations_bp
    from app.core import outbox_views as _outbox_views  # noqa: F401
    from app.core.views import bp as main_bp
    from app.expenses.views import bp as expenses_bp
    from app.falc import analysis_views as _falc_analysis_views  # noqa: F401
    from app.falc import glossary_views as _falc_glossary_views  # noqa: F401

    # falc proofreading
    from app.falc import permissions as _falc_proofreading_rules  # noqa: F401
    from app.falc import proofreading_views as _falc_proofreading_views  # noqa: F401
    from app.falc.blueprint import bp as falc_bp
    from app.kit import checklist_views as _kit_checklist_views  # noqa: F401
    from app.kit import fiche_views as _kit_fiche_views  # noqa: F401
    from app.kit import report_views as _kit_report_views  # noqa: F401
    from app.kit.blueprint import bp as kit_bp
    from app.moderation.views import bp as moderation_bp
    from app.trainings import manage_views as _training_manage_views  # noqa: F401
    from app.trainings import views as _training_views  # noqa: F401
    from app.trainings.blueprint import bp as trainings_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(participants_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(falc_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(expenses_bp)
    app.register_blueprint(trainings_bp)
    app.register_blueprint(kit_bp)

    from app import cli

    cli.init_app(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app
