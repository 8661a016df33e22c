"""The French language model behind the easy-read analyser (spaCy ``fr_core_news_sm``).

``nlp()`` returns the pipeline, loaded once per process on first use (thread-safe), with only
the components the analyser needs (the named-entity recogniser is left out), or ``None`` when
the model cannot be loaded: the analyser then runs its pure Python rules and says so
(``Report.model_used`` is False). ``lemma_of(word)`` gives a lowercase lemma through the
model, or a simple fallback (lowercase, final plural "s"/"x" dropped) without it.

Pure Python: no Flask application is needed. Nobody else loads spaCy directly.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

MODEL_NAME = "fr_core_news_sm"
# The analyser uses tokens, sentences (from the parser), part of speech, morphology,
# dependencies and lemmas; the named entities are not used.
EXCLUDED = ("ner",)

_lock = threading.Lock()
# spaCy does not promise that one pipeline may run in several threads at once: callers hold
# this lock while the pipeline runs (a live check holds it for a few milliseconds).
lock = threading.RLock()
_state: dict[str, Any] = {"loaded": False, "nlp": None, "seconds": None}


def nlp():
    """The spaCy pipeline, loaded once per process, or None when it cannot load."""
    if _state["loaded"]:
        return _state["nlp"]
    with _lock:
        if not _state["loaded"]:
            _state["nlp"] = _load()
            _state["loaded"] = True
    return _state["nlp"]


def _load():
    import time

    started = time.perf_counter()
    try:
        import spacy

        pipeline = spacy.load(MODEL_NAME, exclude=list(EXCLUDED))
    except Exception as error:  # noqa: BLE001 - any failure means "no model": fall back
        log.warning(
            "French language model not available (%s); pure Python analysis", type(error).__name__
        )
        return None
    _state["seconds"] = time.perf_counter() - started
    return pipeline


def warm_up_in_background() -> threading.Thread:
    """Load the model in a daemon thread (a worker starting up), so that the first check
    does not wait for it; a check arriving meanwhile waits only for what is left."""
    thread = threading.Thread(target=nlp, name="falc-model-warm-up", daemon=True)
    thread.start()
    return thread


def load_seconds() -> float | None:
    """How long the model took to load in this process (None if not loaded)."""
    return _state["seconds"]


def available() -> bool:
    return nlp() is not None


@lru_cache(maxsize=4096)
def lemma_of(word: str) -> str:
    """Lowercase lemma of one word (through the model when it loads)."""
    text = (word or "").strip()
    if not text:
        return ""
    pipeline = nlp()
    if pipeline is not None:
        with lock:
            doc = pipeline(text)
        if len(doc) == 1:
            return (doc[0].lemma_ or doc[0].text).lower()
        return " ".join((token.lemma_ or token.text).lower() for token in doc)
    return simple_lemma(text)


def simple_lemma(word: str) -> str:
    """Fallback without the model: lowercase, a final plural s/x dropped on longer words."""
    lower = word.lower()
    if len(lower) > 3 and lower[-1] in "sx" and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    return lower
