"""The consultations blueprint; routes live in views.py (rounds, results, feedback)
and answering_views.py (answering one question per screen)."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")
