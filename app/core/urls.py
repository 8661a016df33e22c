"""Absolute links (e-mails, notifications, the QR code of a login card), always built from
PUBLIC_URL, with or without a request: never from the Host header a request claims, which
anyone can forge (a distress alert must not send staff to another site)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    # Built with the URL map alone, without pushing a request context (its teardown would
    # roll back the caller's transaction) and without reading the current request.
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
