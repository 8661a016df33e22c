"""The easy-read blueprint: proofreading pages (proofreading_views.py) and the live check
used by the authoring pages (analysis_views.py)."""

from flask import Blueprint

bp = Blueprint("falc", __name__, url_prefix="/relecture")
