"""Absolute links for e-mails, with or without a request (CLI, worker, demo loader)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    # No request here: build the link from PUBLIC_URL without pushing a request context
    # (its teardown would roll back the caller's transaction).
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
