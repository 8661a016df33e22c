"""Costs and pay: expense requests, advances, pay and compensation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and routes, its permission
    rules, and what it adds to the shared registries. Called once by `create_app`."""
    from app.expenses import (  # noqa: F401
        blueprint,
        earnings_views,
        finance_models,  # its tables, known to the backup once the app is made
        finance_views,
        payment_views,
        permissions,
        views,
    )

    app.register_blueprint(blueprint.bp)  # routes in views.py

    from app.expenses import home  # "For you now" on the home page (core's registry)

    home.register()
    from app.expenses import personal_data  # what it holds about a person (My data, closing)

    personal_data.register()
    from app.expenses import payment_data  # how a person is paid (My data, closing)

    payment_data.register()
    from app.expenses import earnings_notices  # "your statement is ready" each quarter

    earnings_notices.register()
    from app.expenses import direct, payment, routing, services
    from app.expenses.models import RequestKind

    # When a request is sent: the person's choice of payment is kept with it, and the
    # platform is warned when nobody usual reviews it. A direct purchase is told when paid.
    services.WHEN_SENT["payment"] = lambda actor, request: payment.record_at_sending(request)
    services.WHEN_SENT["routing"] = routing.warn_when_stranded
    services.WHEN_SECOND_CHECK["routing"] = routing.warn_second_check
    services.SECOND_CHECK_BY["routing"] = routing.second_check_possible
    services.TOLD_BY_KIND[RequestKind.DIRECT_PURCHASE] = direct.tell_person
