"""Domain errors carry a plain-language, translatable message for the person in front of the screen."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l

T = TypeVar("T")


class DomainError(Exception):
    """A rule of the domain was not respected. `message` is a lazy translatable string."""

    status_code = 400

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class InvalidTransition(DomainError):
    status_code = 409


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, message: Any, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def or_not_found(obj: T | None) -> T:
    """`obj`, or "This page does not exist." (404) when there is none: for a row loaded by
    its id, `or_not_found(db.session.get(Model, id))`."""
    if obj is None:
        raise NotFound(_l("This page does not exist."))
    return obj
