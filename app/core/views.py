"""The home page and the pages every visitor can read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

bp = Blueprint("main", __name__)


@bp.route("/")
def home() -> Any:
    return render_template("main/home.html")


@bp.route("/accessibility")
def accessibility() -> Any:
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz() -> Any:
    from sqlalchemy import text

    from app import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
