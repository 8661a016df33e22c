"""The audio players' sound files: a question with its choices (on the question page) and the
published feedback ("You said / We did"). The round's presentation has its own in views.py.
Each answers 404 where its page would, and when audio is not installed."""

from __future__ import annotations

from typing import Any

from flask import abort, send_file
from flask_login import login_required

from app.consultations import feedback, spoken
from app.consultations.answering_views import _load_response, _question_at
from app.consultations.blueprint import bp
from app.consultations.views import load_round
from app.core import audio


@bp.app_template_global("audio_available")
def audio_available() -> bool:
    """Whether the pages show their audio players (espeak-ng and oggenc installed)."""
    return audio.available()


def _sound(path: Any) -> Any:
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/ogg", max_age=3600)


@bp.route("/responses/<int:response_id>/questions/<int:position>/audio.ogg")
@login_required
def question_audio(response_id: int, position: int) -> Any:
    response, round_ = _load_response(response_id)
    return _sound(spoken.question_audio(round_, _question_at(round_, position)))


@bp.route("/<int:round_id>/feedback/audio.ogg")
@login_required
def feedback_audio(round_id: int) -> Any:
    round_ = load_round(round_id, "consultations.see_feedback")
    items = feedback.timeline(round_)
    if not items:
        abort(404)
    return _sound(spoken.feedback_audio(round_, items))
