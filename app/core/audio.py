"""Spoken versions of easy-to-read texts: espeak-ng (French voice) encoded to Ogg Vorbis,
cached on disk per text version. When the tools are not installed, there is no audio and
the pages do not show the player."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from flask import current_app

VOICES = {"fr": "fr", "en": "en"}
MAX_CHARS = 20_000


def available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("oggenc"))


def cache_dir() -> Path:
    folder = Path(current_app.instance_path) / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spoken(text: str, language: str = "fr") -> Path | None:
    """The Ogg file of `text`, made once per text version; None when audio is unavailable."""
    text = (text or "").strip()[:MAX_CHARS]
    if not text or not available():
        return None
    voice = VOICES.get(language, "fr")
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()
    target = cache_dir() / f"{key}.ogg"
    if target.exists():
        return target
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
