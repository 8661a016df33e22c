"""Kit pages (in progress)."""

from app.kit.blueprint import bp  # noqa: F401
