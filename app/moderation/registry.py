"""Content types register themselves here, so that one queue shows every kind of text.

A domain that publishes user text declares, once, how to find its texts, where they live and
who may see the space they live in; then it calls `moderation.services.submit(actor, content)`
for each text. Whether a person may read one text is `moderation.services.may_read`: the space's
`can_view`, then the text's moderation state, its author, the `referent` the type names, and
the organisation's moderators.

A moderated model has `organisation_id`, `author_id` and `moderation_status` columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.moderation.models import Policy


@dataclass(frozen=True)
class ContentType:
    key: str  # stored in moderation_items.content_type
    model: type
    label: Any  # what it is, in simple words: "A message in a consultation"
    url: Callable[[Any], str]  # where a reader finds it
    space: Callable[[Any], str]  # the name of the place where it lives
    policy: Callable[[Any], Policy | None]  # the space's policy; None: the organisation's
    can_view: Callable[[Any, Any], bool]  # (actor, content) -> may this person see the space?
    text_attr: str = "body"
    max_length: int = 2000
    # (actor, content) -> does this person answer for the text with its author (a co-trainer's
    # facilitator, the institute's staff for the institute's word)? They read it in every state.
    referent: Callable[[Any, Any], bool] | None = None
    # content -> the space it lives in: `can_view` gives the same answer for two texts of the
    # same space, so lists check it once per space. None: once per text.
    space_key: Callable[[Any], Any] | None = None


_TYPES: dict[str, ContentType] = {}


def register(content_type: ContentType) -> ContentType:
    existing = _TYPES.get(content_type.key)
    if existing is not None and existing.model is not content_type.model:
        raise RuntimeError(f"Content type {content_type.key!r} registered twice.")
    _TYPES[content_type.key] = content_type
    return content_type


def get(key: str) -> ContentType:
    return _TYPES[key]


def for_object(content: Any) -> ContentType:
    for content_type in _TYPES.values():
        if isinstance(content, content_type.model):
            return content_type
    raise LookupError(f"{type(content).__name__} is not a registered moderated content type.")


def for_model(model: type) -> ContentType:
    for content_type in _TYPES.values():
        if content_type.model is model:
            return content_type
    raise LookupError(f"{model.__name__} is not a registered moderated content type.")


def keys() -> list[str]:
    return sorted(_TYPES)
