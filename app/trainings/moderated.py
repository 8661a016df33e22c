"""Feedback after a co-training mission is moderated content: the co-trainer's words are
read by the institute, the institute's words by the co-trainer. Each side answers for its own
words: the co-trainer with the facilitator who may act for them, the institute's staff
together (`referent`), so they read them in every state, like their author."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.permissions import can
from app.moderation.models import Policy
from app.moderation.registry import ContentType, register
from app.trainings.models import FeedbackSide, MissionFeedback
from app.trainings.services import FEEDBACK_MAX


def _url(feedback: MissionFeedback) -> str:
    return url_for("trainings.feedback", signup_id=feedback.signup_id)


def _co_trainer_side(actor: Any, feedback: MissionFeedback) -> bool:
    return can(actor, "trainings.own_signup", feedback.signup)


def _institute_side(actor: Any, feedback: MissionFeedback) -> bool:
    return can(actor, "trainings.manage", feedback.organisation_id)


def _can_view(actor: Any, feedback: MissionFeedback) -> bool:
    return _institute_side(actor, feedback) or _co_trainer_side(actor, feedback)


def _referent(actor: Any, feedback: MissionFeedback) -> bool:
    if feedback.side == FeedbackSide.CO_TRAINER:
        return _co_trainer_side(actor, feedback)
    return _institute_side(actor, feedback)


def _policy(feedback: MissionFeedback) -> Policy | None:
    return None  # the organisation's own choice


FEEDBACK = register(
    ContentType(
        key="training_feedback",
        model=MissionFeedback,
        label=_l("A word after a co-training mission"),
        url=_url,
        space=lambda f: f.signup.mission.easy("title"),
        policy=_policy,
        can_view=_can_view,
        max_length=FEEDBACK_MAX,
        referent=_referent,
        space_key=lambda f: f.signup_id,
    )
)
