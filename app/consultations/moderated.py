"""The discussion's messages are moderated content: this tells the moderation queue how to
show them, where they live, and who may see the round they live in (who may read one message
is `moderation.services.may_read`)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.consultations.models import Comment
from app.consultations.services import COMMENT_MAX
from app.core.permissions import can
from app.moderation.models import Policy
from app.moderation.registry import ContentType, register


def _policy(comment: Comment) -> Policy | None:
    value = comment.round.discussion_moderation
    return Policy(value) if value else None


def _url(comment: Comment) -> str:
    return url_for("consultations.show", round_id=comment.round_id) + f"#comment-{comment.id}"


def _can_view(actor: Any, comment: Comment) -> bool:
    return can(actor, "consultations.view", comment.round)


COMMENTS = register(
    ContentType(
        key="consultation_comment",
        model=Comment,
        label=_l("A message in a consultation"),
        url=_url,
        space=lambda c: c.round.easy("title"),
        policy=_policy,
        can_view=_can_view,
        max_length=COMMENT_MAX,
        space_key=lambda c: c.round_id,
    )
)
