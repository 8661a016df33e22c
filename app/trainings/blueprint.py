"""The co-training blueprint; routes live in views.py (finding a mission, signing up, my
sign-ups, my co-trainer profile) and manage_views.py (the institute's side: missions,
sign-ups, attendance, messages)."""

from flask import Blueprint

bp = Blueprint("trainings", __name__, url_prefix="/co-training")
