"""Domain errors carry a plain-language, translatable message for the person in front of the screen."""

from __future__ import annotations

from typing import Any


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
