"""The easy-read lexicon: hard words and phrases, initials, everyday words, idioms.

Pure Python, no Flask application needed. The data is in ``app/falc/data/`` (UTF-8 CSV files
with a header row), read once per process on first use:

- ``hard_words.csv``: ``term,replacements``. A term is written as its lemma (a noun in the
  singular, a verb in the infinitive) so that every inflected form matches through the
  analyser's lemmas ("modalités" -> "modalité"). A term with a space or an apostrophe is a
  phrase ("à l'instar de"), matched on the lowercase text.
- ``initials.csv``: ``term,replacements``: the initials in capitals and their words in full.
- ``idioms.csv``: ``term,replacements``: a French idiom (verbs in the infinitive) and its plain
  meaning.
- ``everyday_words.csv``: ``word``: lemmas that look rare in general French but that people
  supported by social services use every day ("nounou", "éducatrice"); never reported as rare.

``replacements`` holds one or two plain replacements separated by ``|``; the first is the
one-click suggestion, the others are alternatives. An organisation's glossary adds to this
lexicon at analysis time (``app.falc.analyser``).
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

DATA_DIR = Path(__file__).with_name("data")

KINDS = ("word", "phrase", "initials", "idiom")


@dataclass(frozen=True)
class Entry:
    term: str  # as written in the data: "modalité", "à l'instar de", "MDPH"
    replacements: tuple[str, ...]  # one or two plain replacements, in French
    kind: str  # "word" | "phrase" | "initials" | "idiom"
    lemma: str  # lowercase key: the lemma of a single word, the lowercase text of a phrase


@dataclass(frozen=True)
class _Data:
    hard_words: Mapping[str, Entry]
    hard_phrases: tuple[Entry, ...]
    initials: Mapping[str, Entry]
    everyday_words: frozenset[str]
    idioms: tuple[Entry, ...]


_lock = threading.Lock()
_data: _Data | None = None


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
            if any((value or "").strip() for value in row.values())
        ]


def _entry(row: dict[str, str], kind: str) -> Entry:
    term = " ".join(row["term"].split())
    replacements = tuple(r.strip() for r in row["replacements"].split("|") if r.strip())
    lemma = term if kind == "initials" else term.lower().replace("’", "'")
    return Entry(term=term, replacements=replacements, kind=kind, lemma=lemma)


def _load() -> _Data:
    words: dict[str, Entry] = {}
    phrases: list[Entry] = []
    for row in _rows("hard_words.csv"):
        term = row["term"]
        if " " in term.strip() or "'" in term or "’" in term:
            phrases.append(_entry(row, "phrase"))
        else:
            entry = _entry(row, "word")
            words[entry.lemma] = entry
    initials = {
        entry.term: entry for entry in (_entry(r, "initials") for r in _rows("initials.csv"))
    }
    idioms = tuple(_entry(row, "idiom") for row in _rows("idioms.csv"))
    everyday = frozenset(row["word"].lower() for row in _rows("everyday_words.csv"))
    return _Data(
        hard_words=MappingProxyType(words),
        hard_phrases=tuple(phrases),
        initials=MappingProxyType(initials),
        everyday_words=everyday,
        idioms=idioms,
    )


def _get() -> _Data:
    global _data
    if _data is None:
        with _lock:
            if _data is None:
                _data = _load()
    return _data


def hard_words() -> Mapping[str, Entry]:
    """Single hard words by lowercase lemma ("modalité")."""
    return _get().hard_words


def hard_phrases() -> tuple[Entry, ...]:
    """Hard multi-word expressions ("à l'instar de"), matched on the lowercase text."""
    return _get().hard_phrases


def initials() -> Mapping[str, Entry]:
    """Initials in capitals -> their words in full ("MDPH")."""
    return _get().initials


def everyday_words() -> frozenset[str]:
    """Lemmas that look rare but are everyday words ("nounou", "éducatrice")."""
    return _get().everyday_words


def idioms() -> tuple[Entry, ...]:
    """French idioms and their plain meaning ("coûter les yeux de la tête")."""
    return _get().idioms
