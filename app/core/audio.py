"""Spoken versions of easy-to-read texts: espeak-ng encoded to Ogg Vorbis, cached on disk per
text version. When the tools are not installed, there is no audio and the pages do not show the
player.

The voice is the one of the text's language (the caller says it: the content's language, never
the interface's), and the text goes through app/core/speech.py first so that times, amounts,
initials... are read as words. Beside each sound file, a .txt file keeps the voice and the words
it was made from (the spoken text, to check what people hear)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from flask import current_app

from app.core.speech import to_speech

VOICES = {"fr": "fr", "en": "en"}
MAX_CHARS = 20_000


def available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("oggenc"))


def cache_dir() -> Path:
    folder = Path(current_app.instance_path) / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def prepared(
    text: str, language: str = "fr", expansions: Mapping[str, str] | None = None
) -> tuple[str, str, str]:
    """(voice, spoken text, cache key) for `text` written in `language`."""
    voice = VOICES.get((language or "fr")[:2].lower(), "fr")
    words = to_speech((text or "").strip()[:MAX_CHARS], voice, expansions)
    key = hashlib.sha256(f"{voice}\n{words}".encode()).hexdigest()
    return voice, words, key


def spoken(
    text: str, language: str = "fr", expansions: Mapping[str, str] | None = None
) -> Path | None:
    """The Ogg file of `text` read in its language `language` ("fr", "en"), made once per text
    version; None when audio is unavailable. `expansions`: initials and what they stand for."""
    voice, text, key = prepared(text, language, expansions)
    if not text or not available():
        return None
    target = cache_dir() / f"{key}.ogg"
    if target.exists():
        return target
    target.with_suffix(".txt").write_text(f"{voice}\n{text}", encoding="utf-8")
    partial = target.with_name(f"{key}.{os.getpid()}.part")
    speech = subprocess.run(  # noqa: S603 - fixed programs, text passed on stdin
        ["espeak-ng", "-v", voice, "-s", "140", "--stdin", "--stdout"],  # noqa: S607
        input=text.encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["oggenc", "-Q", "-o", str(partial), "-"],  # noqa: S607
        input=speech.stdout,
        capture_output=True,
        timeout=60,
        check=True,
    )
    partial.replace(target)
    return target
