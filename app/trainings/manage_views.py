"""Co-training pages for the institute's staff."""

from __future__ import annotations

from app.trainings.blueprint import bp  # noqa: F401
