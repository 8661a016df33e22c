"""Text messages: one small interface, `SmsProvider.send(to, text)`, and two providers.

- `HttpSmsProvider` (SMS_API_URL set): a JSON POST with a bearer token, the shape most French
  providers' HTTP APIs take (`{"sender": ..., "recipients": ["+336..."], "message": ...}`,
  `Authorization: Bearer SMS_API_TOKEN`). A 2xx answer is sent; 408, 429 and 5xx (and no
  answer) may work later; any other 4xx is refused for good.
- `LogSmsProvider` (no SMS_API_URL: development): writes "text message sent" in the log,
  with the message's length only: no number and no text (personal data never in logs).

The outbox worker (app/core/outbox.py) calls `provider_for(app).send(...)` for messages of the
channel SMS, with the same retries, backoff and failures as e-mails.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from flask import Flask

log = logging.getLogger(__name__)

# A text message in the GSM alphabet holds 160 characters (153 per part when cut in parts);
# with one character outside it (œ, emojis...) the whole message counts in UCS-2: 70 (67).
GSM_CHARS = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€")  # two places each
MAX_SEGMENTS = 2


class SmsError(Exception):
    """The message did not leave. `permanent`: the same message would fail the same way."""

    def __init__(self, reason: str, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason  # short, without personal data: a kind and a status code
        self.permanent = permanent


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> None: ...


def segments(text: str) -> int:
    """How many parts a text message takes (what the person pays attention to, and the cost)."""
    if all(c in GSM_CHARS or c in GSM_EXTENDED for c in text):
        length = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        return 1 if length <= 160 else -(-length // 153)
    return 1 if len(text) <= 70 else -(-len(text) // 67)


def fit(text: str, suffix: str = "", max_segments: int = MAX_SEGMENTS) -> str:
    """The text, then `suffix` (a link), cut at a word with "…" so that the whole takes at
    most `max_segments` parts; the suffix is kept whole."""
    text = " ".join(text.split())
    tail = f" {suffix}" if suffix else ""
    if segments(text + tail) <= max_segments:
        return text + tail
    words = text.split(" ")
    while words and segments(" ".join(words) + "…" + tail) > max_segments:
        words.pop()
    return (" ".join(words) + "…" + tail) if words else (text[:60] + tail)


class HttpSmsProvider:
    def __init__(self, url: str, token: str, sender: str, timeout: float) -> None:
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, text: str) -> None:
        body = json.dumps(
            {"sender": self.sender, "recipients": [to], "message": text}, ensure_ascii=False
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                answer.read()
        except urllib.error.HTTPError as exc:
            code = exc.code
            exc.close()
            later = code in (408, 429) or code >= 500
            raise SmsError(f"http {code}", permanent=not later) from None
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(type(exc).__name__, permanent=False) from None


class LogSmsProvider:
    """For development: nothing leaves, nothing personal is written."""

    def send(self, to: str, text: str) -> None:
        log.info("text message sent (log only, %s characters)", len(text))


def provider_for(app: Flask) -> SmsProvider:
    cfg = app.config
    if cfg.get("SMS_API_URL"):
        return HttpSmsProvider(
            cfg["SMS_API_URL"],
            cfg.get("SMS_API_TOKEN", ""),
            cfg.get("SMS_SENDER", "Parole"),
            float(cfg.get("SMS_TIMEOUT", 20)),
        )
    return LogSmsProvider()
