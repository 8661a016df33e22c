"""Easy-read French (FALC) analyser: finds what makes a French text hard to read.

Pure Python, no network, no Flask application needed. ``analyse(text)`` returns a ``Report``:
one ``SentenceReport`` per sentence, every ``Finding`` with character offsets in the original
text, a stable rule id, a severity, a short explanation (a lazy translatable string: never call
``str()`` on it outside an application or request context that has a locale) and, when the fix is
mechanical, a suggestion in French.

The checks are heuristics that help a writer; they never certify a text. Only a proofreading
by people with an intellectual disability makes a text FALC.

Severities
    ``alert``: the sentence must change (more than 20 words).
    ``warning``: a FALC rule is broken and can usually be fixed (long sentence, rare word,
    unexplained initials, numbers in words, percentages, Roman numerals, numeric dates, words
    in capitals, dots inside words, two or more extra ideas, clear passive with "par").
    ``info``: worth a look, often acceptable (long word, initials that the glossary or the text
    explains, negation, probable passive without agent, one extra idea, parentheses).
    A sentence's ``level`` is its worst severity, "ok" when it has only ``info`` findings.

Initials (rule ``abbreviation``)
    FALC says: no initials. Initials that the glossary explains (``DEFAULT_GLOSSARY`` merged
    with the ``glossary`` argument, which wins) or that the text explains with parentheses,
    as in "revenu de solidarité active (RSA)" or "RSA (revenu de solidarité active)", anywhere
    in the text, are still reported, as ``info``, with the words in full as suggestion (the
    text's own explanation first, then the glossary's). Unknown, unexplained initials are a
    ``warning`` with no suggestion.

Words in capitals (rule ``capitals``)
    A run of two or more words in capitals ("NE PAS OUBLIER") is one finding. A single word in
    capitals is a ``capitals`` finding when it is a French word ("ATTENTION"), otherwise it is
    treated as initials. Roman numerals need two letters among I, V, X ("IV", "XX"), an ordinal
    ending ("XXe", "Ier") or a context word ("chapitre I", "tome I", "MCM siècle"): "I", "a",
    "C", "CV", "Le" alone never count.

Not checked: web and e-mail addresses (findings inside them are dropped).

Known false positives (accepted, kept low)
    ``word.rare``: jargon that is frequent in the field but rare in general French; a proper
    noun at the start of a sentence. ``passive``: "être" + an adjective that looks like a past
    participle ("la salle est fermée", "il est assis"). ``negation``: "de rien" (you're
    welcome). ``capitals``: acronyms read as words (UNESCO) when not in the glossary; surnames
    in capitals are reported as unknown initials. ``sentence.ideas``: "que" after a verb of
    saying, relative pronouns in a short sentence. ``number.words``: "les deux" meaning "both".
    ``split_sentences`` does not split after a single capital letter ("la note A. Puis"), so
    that initials ("J. Martin") stay in their sentence.

Speed: compiled patterns, one pyphen dictionary and cached word look-ups are module-level; the
French word-frequency list loads on the first analysis (about 0.2 s, or call ``warm_up()``).
A 2,000-word text then takes about 15 ms (``tests/bench/bench_falc.py``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import pyphen
from flask_babel import lazy_gettext as _l
from wordfreq import zipf_frequency

from app.falc.glossary import DEFAULT_GLOSSARY

__all__ = [
    "DEFAULT_GLOSSARY",
    "Finding",
    "Report",
    "SentenceReport",
    "analyse",
    "kandel_moles",
    "split_sentences",
    "warm_up",
]

# Thresholds: named so that a reader (and a test) finds them in one place.
SENTENCE_WARNING_WORDS = 12
SENTENCE_ALERT_WORDS = 20
RARE_ZIPF = 3.0
LONG_WORD_SYLLABLES = 5

INFO, WARNING, ALERT = "info", "warning", "alert"
_SEVERITY_RANK = {INFO: 0, WARNING: 1, ALERT: 2}


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (``text[start:end]``), which rule, how serious, what to do."""

    rule: str
    severity: str
    start: int
    end: int
    sentence: int
    message: Any
    suggestion: str | None = None


@dataclass(frozen=True)
class SentenceReport:
    """One sentence, its word count, its findings and its level ("ok", "warning", "alert")."""

    index: int
    start: int
    end: int
    text: str
    words: int
    findings: tuple[Finding, ...]
    level: str


@dataclass(frozen=True)
class Report:
    """The whole text: sentences, all findings in text order, and the readability figures."""

    sentences: tuple[SentenceReport, ...]
    findings: tuple[Finding, ...]
    words: int
    score: float
    average_sentence_length: float
    share_flagged: float
    summary: Any


# --- Messages (English msgids, translated in the catalogues) ------------------------------------

_MSG_RARE = _l("This word is rare. Use a more common word, or explain it just after.")
_MSG_ABBR_UNKNOWN = _l("These initials are not explained. Write the words in full.")
_MSG_ABBR_KNOWN = _l("Initials are hard to read. Write the words in full.")
_MSG_NEGATION = _l("This is a negative sentence. A positive sentence is easier to understand.")
_MSG_PASSIVE = _l("This looks like a passive sentence. Say who does what.")
_MSG_NUMBER = _l("Write this number in digits.")
_MSG_PERCENT = _l("Percentages are hard to understand. Say it another way, like 1 out of 4.")
_MSG_ROMAN = _l("Roman numerals are hard to read. Write the number in digits.")
_MSG_DATE = _l("Write the date in full, with the name of the month.")
_MSG_CAPITALS = _l("Words in capital letters are hard to read. Write them in small letters.")
_MSG_PARENTHESES = _l("Words in brackets are often skipped. Write them as a sentence of their own.")
_MSG_INCLUSIVE = _l("Dots inside a word are hard to read. Write both words in full.")

# --- Shared resources, built once ---------------------------------------------------------------

_PYPHEN = pyphen.Pyphen(lang="fr_FR")

_LETTER = r"[^\W\d_]"
# Gender and plural endings that may follow a regular dot in inclusive writing ("usager.ère.s").
_INCLUSIVE_SUFFIXES = (
    "e|es|s|x|ère|ères|ere|eres|rice|rices|trice|trices|euse|euses|ne|nes|le|les|te|tes"
    "|ive|ives|ve|ves|fe|fes|ice|ices|esse|esses|ale|ales|aux|ux|enne|ennes|eure|eures|ète|ètes"
)
_INCLUSIVE_MARKS = "·•⋅‧∙"
_TOKEN_RE = re.compile(
    rf"\d+(?:[.,:/\-]\d+)*"
    rf"|{_LETTER}+(?:['’\-]{_LETTER}+)*"
    rf"(?:(?:[{_INCLUSIVE_MARKS}]{_LETTER}+|\.(?:{_INCLUSIVE_SUFFIXES})(?!{_LETTER}))+)?"
)
_INCLUSIVE_SPLIT_RE = re.compile(rf"[{_INCLUSIVE_MARKS}.]")
_ELISION_RE = re.compile(r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[ldjmnstcç])['’](?=\w)", re.IGNORECASE)
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")

_SENTENCE_BREAK_RE = re.compile(
    r"(?P<punct>[.!?…]+(?:[ \u00a0\u202f]?[»”\"’)\]])*)(?=\s|$)"
    r"|(?P<newline>\n[^\S\n]*(?:\n[^\S\n]*)*)"
)
_NON_SPACE_RE = re.compile(r"\S")
_PREVIOUS_WORD_RE = re.compile(r"[^\W_]+$")
_LEADING_JUNK_RE = re.compile(r"[\s\-–—•*·▪►‣◦>\ue000-\uf8ff]*")
_HAS_ALNUM_RE = re.compile(r"[^\W_]")
_TITLES = frozenset(
    {"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste"}
)
_REFERENCE_ABBREVIATIONS = frozenset(
    {"p", "pp", "art", "al", "chap", "cf", "ex", "fig", "vol", "n", "no", "éd", "tél", "réf"}
)

# Clause markers: each one usually opens a second idea.
_IDEA_MARKERS = frozenset(
    {
        "qui", "dont", "lorsque", "quand", "puisque", "quoique", "car", "mais", "cependant",
        "toutefois", "néanmoins", "pourtant", "où", "afin", "lequel", "laquelle", "lesquels",
        "lesquelles", "auquel", "auxquels", "auxquelles", "duquel", "desquels", "desquelles",
    }
)  # fmt: skip
_ELIDED_MARKERS = {"lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique", "qu": "que"}
_QUESTION_OPENERS = frozenset({"qui", "que", "où", "quand"})
# "que" after these words compares or is part of a marker already counted ("afin que").
_QUE_NOT_A_CLAUSE = frozenset(
    {
        "plus", "moins", "autant", "aussi", "ainsi", "tant", "même", "autre", "autres",
        "davantage", "mieux", "pire", "afin", "est-ce", "qu'est-ce",
    }
)  # fmt: skip

_COMPARATIVES = frozenset({"plus", "moins", "aussi", "autant"})

_NEGATION_WORDS = frozenset(
    {"pas", "plus", "jamais", "rien", "personne", "aucun", "aucune", "aucuns", "aucunes"}
    | {"guère", "nullement", "ni", "nulle"}
)
_STANDALONE_NEGATIONS = frozenset({"jamais", "rien", "aucun", "aucune", "aucuns", "aucunes"})
# Words that open a negation before "ne": "Personne ne vient", "Rien n'est prévu".
_NEGATION_OPENERS = _STANDALONE_NEGATIONS | {"personne", "nul", "nulle"}
_DETERMINERS = frozenset(
    {
        "la", "le", "les", "une", "un", "cette", "chaque", "des", "toute", "ma", "ta",
        "sa", "notre", "votre", "leur", "quelle", "nouvelle", "seule", "autre", "même",
    }
)  # fmt: skip
_NEGATION_WINDOW = 6

_ETRE_FORMS = frozenset(
    {
        "être", "suis", "es", "est", "sommes", "êtes", "sont", "étais", "était", "étions",
        "étiez", "étaient", "serai", "seras", "sera", "serons", "serez", "seront", "serais",
        "serait", "serions", "seriez", "seraient", "sois", "soit", "soyons", "soyez",
        "soient", "fut", "furent", "fût", "été",
    }
)  # fmt: skip
_AVOIR_FORMS = frozenset(
    {
        "ai", "as", "a", "avons", "avez", "ont", "avais", "avait", "avions", "aviez",
        "avaient", "aura", "auras", "aurons", "aurez", "auront", "aurais", "aurait",
        "aurions", "auriez", "auraient", "avoir", "ayant", "aie", "ait", "ayons", "ayez",
        "aient", "eu", "eut",
    }
)  # fmt: skip
_PASSIVE_SKIPPABLE = frozenset(
    {
        "pas", "plus", "jamais", "bien", "déjà", "toujours", "souvent", "aussi", "également",
        "encore", "ensuite", "alors", "parfois", "rarement", "vraiment", "automatiquement",
        "directement", "tous", "toutes", "tout",
    }
)  # fmt: skip
_PARTICIPLE_RE = re.compile(
    r"(?:é|ée|és|ées"
    r"|(?<![aeou])(?:i|ie|is|ies)"
    r"|(?<![aeo])u|(?<![aeoqg])(?:ue|us|ues)"
    r"|(?<!o)(?:it|ite|its|ites)"
    r"|ert|erte|erts|ertes|int|inte|ints|intes)$"
)


def _all_forms(*stems: str) -> frozenset[str]:
    """Masculine, feminine, singular and plural forms of past participles."""
    forms = set()
    for stem in stems:
        forms.update({stem, stem + "e", stem + "s", stem + "es"})
    return frozenset(forms)


# Verbs conjugated with "être" in the past tense: "il est venu" is not a passive.
_UNACCUSATIVE = _all_forms(
    "allé", "venu", "revenu", "devenu", "parvenu", "survenu", "intervenu", "redevenu", "arrivé",
    "parti", "reparti", "sorti", "ressorti", "entré", "rentré", "monté", "remonté", "descendu",
    "redescendu", "tombé", "retombé", "resté", "retourné", "né", "mort", "décédé", "passé",
    "repassé", "apparu", "advenu", "accouru",
)  # fmt: skip
_NOT_PARTICIPLES = _all_forms(
    "petit", "gratuit", "joli", "poli", "ravi", "gris", "précis", "exquis", "vert", "expert",
    "désert", "saint", "âgé", "désolé", "inconnu", "bienvenu", "favori", "ami", "enceint",
    "confus", "droit", "étroit", "adroit", "maudit", "inédit", "subit",
) | frozenset(
    {
        "ici", "aussi", "ainsi", "parmi", "midi", "minuit", "lundi", "mardi", "mercredi",
        "jeudi", "vendredi", "samedi", "merci", "souci", "celui", "lui", "oui", "depuis",
        "puis", "huit", "nuit", "nuits", "bruit", "fruit", "circuit", "biscuit", "tout",
        "tous", "plus", "sous", "dessus", "dessous", "au", "du", "tu", "nu", "nue", "été",
        "point", "esprit", "crédit", "profit", "délit", "lit", "habit", "appétit", "conflit",
        "débit", "dépit", "avis", "tapis", "souris", "jadis", "bis", "devis", "colis",
        "paradis", "hormis", "gratis", "refus", "bus", "virus", "bonus", "campus", "surplus",
        "jus", "abus", "obtus", "aigu", "aiguë", "concert", "dessert", "vie", "envie",
        "aujourd'hui", "moins", "ceci", "voici", "celle-ci", "celui-ci",
    }
)  # fmt: skip

_NUMBER_WORDS: dict[str, int] = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90, "cent": 100, "cents": 100, "mille": 1000,
    "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9,
}  # fmt: skip
_MULTIPLIERS = frozenset({"mille", "million", "millions", "milliard", "milliards"})

_ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_TOKEN_RE = re.compile(r"([IVXLCDM]+)(e|er|re|ère|ème|eme)?")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_KEYWORDS = frozenset(
    {
        "chapitre", "titre", "tome", "livre", "partie", "acte", "volume", "annexe", "section",
        "scène", "leçon", "article", "phase", "niveau", "classe", "type", "degré", "an",
        "louis", "henri", "charles", "françois", "napoléon", "jean-paul", "benoît", "pie",
        "léon", "philippe", "élisabeth", "elizabeth", "jean", "paul", "guillaume", "édouard",
        "richard", "frédéric",
    }
)  # fmt: skip

_FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
_DATE_RE = re.compile(
    r"(?<![\d/.\-])(?:"
    r"(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2}))"
    r"(?!\d)(?![/.\-]\d)"
)
_NUMBER_BEFORE_SIGN_RE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)[ \u00a0\u202f]?$")
_POUR_CENT_RE = re.compile(r"\b(?:pour[ -]?cents?|pourcents?)\b", re.IGNORECASE)
_NUMBER_BEFORE_RE = re.compile(
    rf"(?<![\w.,])(\d+(?:[.,]\d+)?|{_LETTER}+(?:-{_LETTER}+)*)[ \u00a0\u202f]+$"
)
_PERCENT_PLAIN = {10: "1 sur 10", 20: "1 sur 5", 25: "1 sur 4", 50: "la moitié", 75: "3 sur 4"}
_PARENTHESES_RE = re.compile(r"\([^()\n]*\)")
_ABBR_IN_PARENTHESES_RE = re.compile(r"\(\s*([A-ZÉÈ][A-ZÉÈ0-9&]*[A-ZÉÈ0-9])\s*\)")
_ABBR_THEN_PARENTHESES_RE = re.compile(
    r"(?<![^\W_])([A-ZÉÈ][A-ZÉÈ0-9&]*[A-ZÉÈ])\s*\(([^()\n]{3,160})\)"
)
_EXPANSION_STOPWORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "à", "au", "aux", "et", "en", "pour", "par", "sur"}
)
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>«»\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD_ONLY_RE = re.compile(rf"{_LETTER}+(?:['’\-]{_LETTER}+)*")


class _Token(NamedTuple):
    """A word or a number of one sentence."""

    start: int
    end: int
    text: str  # as written
    base: str  # without an elided article or pronoun ("avance" in "l'avance")
    lower: str  # base in lower case
    prefix: str  # the elided part in lower case without apostrophe ("l", "qu", "n") or ""
    is_number: bool


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """Frequency of a lower-case French word on the Zipf scale (0 to about 8)."""
    return zipf_frequency(word, "fr")


# Inflections that make a common word rare in the frequency list ("signons", "rémunérées"):
# (ending, replacements). The word counts as common when one of its variants is.
_INFLECTIONS = (
    ("issons", ("ir",)),
    ("issez", ("ir",)),
    ("issent", ("ir",)),
    ("ions", ("er", "ons", "ez")),
    ("iez", ("er", "ons", "ez")),
    ("ons", ("ez", "er", "ent", "e")),
    ("ez", ("er", "ir", "re", "ent")),
    ("ent", ("er", "e")),
    ("aient", ("er",)),
    ("ait", ("er",)),
    ("ais", ("er",)),
    ("ées", ("é", "er")),
    ("ée", ("é", "er")),
    ("és", ("é", "er")),
    ("es", ("e", "")),
    ("s", ("",)),
    ("x", ("",)),
)


def _variants(word: str) -> Iterable[str]:
    """Other forms of a word: "signez" for "signons", "rémunéré" for "rémunérées"."""
    for ending, replacements in _INFLECTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            for replacement in replacements:
                yield stem + replacement


def _is_rare_part(part: str) -> bool:
    if _zipf(part) >= RARE_ZIPF:
        return False
    return all(_zipf(variant) < RARE_ZIPF for variant in _variants(part))


@lru_cache(maxsize=65536)
def _is_rare(word: str) -> bool:
    """Whether a lower-case word (or a part of a hyphenated one) is rare in French, in all
    of its usual forms."""
    return any(_is_rare_part(part) for part in word.split("-") if len(part) >= 3)


@lru_cache(maxsize=65536)
def _syllables(word: str) -> int:
    """Written syllables of a word, counted with pyphen's French hyphenation (as textstat)."""
    total = 0
    for part in word.split("-"):
        if part:
            total += len(_PYPHEN.positions(part)) + 1
    return max(total, 1)


@lru_cache(maxsize=65536)
def _split_elision(word: str) -> tuple[str, str]:
    """("l", "avance") for "l'avance"; ("", word) when nothing is elided."""
    match = _ELISION_RE.match(word)
    if match is None:
        return "", word
    return match.group()[:-1].lower(), word[match.end() :]


@lru_cache(maxsize=65536)
def _word_parts(word: str) -> tuple[str, str, str, bool]:
    """(base, lower, prefix, is_number) of a token as written: the fields of ``_Token``."""
    if word[0].isdigit():
        return word, word, "", True
    prefix, base = _split_elision(word)
    return base, base.lower(), prefix, False


def warm_up() -> None:
    """Load the French word-frequency list now (about 0.2 s) instead of at the first analysis."""
    _zipf("bonjour")


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """The words and numbers between two offsets."""
    make = tuple.__new__  # the hot path: skips the Python-level NamedTuple constructor
    return [
        make(_Token, (match.start(), match.end(), match.group(), *_word_parts(match.group())))
        for match in _TOKEN_RE.finditer(text, start, end)
    ]


# --- Sentences -----------------------------------------------------------------------------------


def _is_sentence_end(text: str, punct_start: int, punct_end: int, punct: str) -> bool:
    """Whether the terminal punctuation at ``punct_start`` really ends a sentence."""
    following = _NON_SPACE_RE.search(text, punct_end)
    if following is not None and following.group().islower():
        return False  # "etc. et", "… et puis": the sentence goes on
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    previous = _PREVIOUS_WORD_RE.search(text, max(0, punct_start - 30), punct_start)
    if previous is None:
        return True
    word = previous.group()
    if word in _TITLES or (len(word) == 1 and word.isupper()):
        return False  # "M. Dupont", "J. Martin"
    if word.lower() in _REFERENCE_ABBREVIATIONS and following is not None:
        return not following.group().isdigit()  # "p. 4", "art. 12"
    if word.isdigit():
        line_start = text.rfind("\n", 0, previous.start()) + 1
        if not text[line_start : previous.start()].strip(" \t-–•*"):
            return False  # a numbered list: "1. Lisez le texte."
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, ``end`` excluded.

    A sentence ends with ". ! ? …" followed by a space (not before a lower-case word, a title
    such as "M.", an initial, "p. 4" or a list number), at a blank line, or at a line break
    followed by anything but a lower-case letter (a hard-wrapped line goes on). Leading spaces
    and list bullets are left out; pieces without a letter or a digit are dropped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_BREAK_RE.finditer(text):
        newline = match.group("newline")
        if newline is not None:
            if newline.count("\n") == 1:
                following = _NON_SPACE_RE.search(text, match.end())
                if following is not None and following.group().islower():
                    continue
            end = match.start()
        else:
            if not _is_sentence_end(text, match.start(), match.end(), match.group("punct")):
                continue
            end = match.end()
        _add_span(spans, text, start, end)
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Trim the piece and keep it if it has a letter or a digit."""
    leading = _LEADING_JUNK_RE.match(text, start, end)
    if leading is not None:
        start = leading.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _HAS_ALNUM_RE.search(text, start, end):
        spans.append((start, end))


# --- Readability ---------------------------------------------------------------------------------


def _kandel_moles(words: int, sentences: int, syllables: int) -> float:
    """207 - 1.015 x words per sentence - 73.6 x syllables per word; 0.0 without words."""
    if not words or not sentences:
        return 0.0
    return 207 - 1.015 * (words / sentences) - 73.6 * (syllables / words)


def _token_syllables(token: _Token) -> int:
    """Numbers count as one syllable, as in textstat."""
    return 1 if token.is_number else _syllables(token.lower)


def kandel_moles(text: str) -> float:
    """Kandel and Moles readability score (the French Flesch): higher is easier.

    Usual texts score between 0 and 100; very easy ones above 100. There is no official
    threshold: show it as a hint, never as a verdict.
    """
    words = syllables = sentences = 0
    for start, end in split_sentences(text):
        tokens = _tokens(text, start, end)
        if tokens:
            sentences += 1
            words += len(tokens)
            syllables += sum(_token_syllables(token) for token in tokens)
    return _kandel_moles(words, sentences, syllables)


# --- Glossary and explained initials -------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    """The merged glossary with a lower-case view for words."""

    entries: Mapping[str, str]
    lower: Mapping[str, str]

    def explain(self, word: str) -> str | None:
        """Glossary explanation of a word or initials, exact spelling first."""
        found = self.entries.get(word)
        return found if found is not None else self.lower.get(word.lower())


def _make_lexicon(entries: Mapping[str, str]) -> _Lexicon:
    return _Lexicon(entries, {key.lower(): value for key, value in entries.items()})


_DEFAULT_LEXICON = _make_lexicon(DEFAULT_GLOSSARY)


def _first_letter(word: str) -> str:
    """First letter without accent, lower case ("e" for "Établissement")."""
    return unicodedata.normalize("NFD", word[:1])[:1].lower()


def _match_initials(words: list[str], letters: str) -> int | None:
    """Index of the first word when ``words`` (last one just before the brackets) spell
    ``letters``; small words such as "de", "la", "à" may be skipped."""

    def walk(i: int, j: int) -> int | None:
        # i: next word (going backwards), j: next letter (going backwards)
        if j < 0:
            return i + 1
        if i < 0:
            return None
        word = words[i]
        if word in _EXPANSION_STOPWORDS and j < len(letters) - 1:
            skipped = walk(i - 1, j)
            if skipped is not None:
                return skipped
        if _first_letter(word) == letters[j]:
            return walk(i - 1, j - 1)
        return None

    return walk(len(words) - 1, len(letters) - 1)


def _explained_abbreviations(text: str) -> dict[str, str]:
    """Initials the text explains in brackets, with their meaning ("" if it cannot be cut)."""
    explained: dict[str, str] = {}
    for match in _ABBR_IN_PARENTHESES_RE.finditer(text):
        abbreviation = match.group(1)
        letters = "".join(c for c in abbreviation.lower() if c.isalpha())
        words = list(_WORD_ONLY_RE.finditer(text, max(0, match.start() - 200), match.start()))
        if not words or text[words[-1].end() : match.start()].strip():
            continue  # "(RSA)" must follow the words directly
        parts: list[tuple[str, int]] = []  # ("éducatif", start of its word) for "médico-éducatif"
        for word in words[-12:]:
            for part in _split_elision(word.group())[1].lower().split("-"):
                if part:
                    parts.append((part, word.start()))
        first = _match_initials([part for part, _ in parts], letters)
        if first is not None:
            explained[abbreviation] = text[parts[first][1] : words[-1].end()]
    for match in _ABBR_THEN_PARENTHESES_RE.finditer(text):
        abbreviation, meaning = match.group(1), match.group(2).strip()
        if any(c.islower() for c in meaning):
            explained.setdefault(abbreviation, meaning)
    return explained


# --- Per-sentence rules --------------------------------------------------------------------------


class _Context(NamedTuple):
    """What the word rules of one analysis share."""

    text: str
    lexicon: _Lexicon
    explained: Mapping[str, str]


def _finding(
    rule: str,
    severity: str,
    start: int,
    end: int,
    sentence: int,
    message: Any,
    suggestion: str | None = None,
) -> Finding:
    return Finding(rule, severity, start, end, sentence, message, suggestion)


def _check_length(index: int, start: int, end: int, words: int) -> list[Finding]:
    if words > SENTENCE_ALERT_WORDS:
        message = _l(
            "This sentence is very long: %(n)s words. Cut it into short sentences.", n=words
        )
        return [_finding("sentence.too_long", ALERT, start, end, index, message)]
    if words > SENTENCE_WARNING_WORDS:
        message = _l("This sentence is long: %(n)s words. Try to cut it in two.", n=words)
        return [_finding("sentence.long", WARNING, start, end, index, message)]
    return []


def _idea_markers(text: str, start: int, end: int, tokens: list[_Token]) -> int:
    """How many clause markers (each one opens another idea) the sentence holds."""
    count = text.count(";", start, end)
    is_question = text[start:end].rstrip().endswith("?")
    for i, token in enumerate(tokens):
        word = _ELIDED_MARKERS.get(token.prefix) or token.lower  # "qu'il" -> "que"
        if word not in _IDEA_MARKERS and word != "que":
            continue
        if i == 0 and (word in {"qui", "que", "où"} or (is_question and word in _QUESTION_OPENERS)):
            continue  # a question word, not a second clause
        if word == "que":
            previous = tokens[i - 1].lower if i else ""
            if previous in _QUE_NOT_A_CLAUSE or token.lower.startswith("est-ce"):
                continue
            if any(tokens[k].lower in _COMPARATIVES for k in range(max(0, i - 3), i)):
                continue  # "plus grand que moi"
            if _restrictive_ne(tokens, i):
                continue  # "ne ... que": one idea
        count += 1
    return count


def _restrictive_ne(tokens: list[_Token], i: int) -> bool:
    """Whether the "que" at ``i`` closes a "ne ... que" (only) with no negation word between."""
    for j in range(i - 1, max(-1, i - _NEGATION_WINDOW - 1), -1):
        if tokens[j].lower in _NEGATION_WORDS:
            return False
        if tokens[j].lower == "ne" or tokens[j].prefix == "n":
            return True
    return False


def _check_ideas(
    index: int, start: int, end: int, text: str, tokens: list[_Token]
) -> list[Finding]:
    markers = _idea_markers(text, start, end, tokens)
    if not markers:
        return []
    severity = WARNING if markers >= 2 else INFO
    message = _l("This sentence may hold %(n)s ideas. Write one idea per sentence.", n=markers + 1)
    return [_finding("sentence.ideas", severity, start, end, index, message)]


def _number_value(words: list[str]) -> int:
    """Value of French number words: ["quatre", "vingt", "dix"] -> 90."""
    total = current = 0
    previous = ""
    for word in words:
        value = _NUMBER_WORDS[word]
        if value == 100:
            current = max(current, 1) * 100
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif value == 20 and previous == "quatre":
            current += 76  # quatre-vingt: 4 becomes 80
        else:
            current += value
        previous = word
    return total + current


def _format_number(value: int) -> str:
    """Digits with French thousands groups; whole millions and billions keep their word."""
    for size, singular in ((10**9, "milliard"), (10**6, "million")):
        if value >= size and value % size == 0:
            count = value // size
            return f"{count} {singular}{'s' if count > 1 else ''}"
    if value >= 10000:
        return f"{value:,}".replace(",", " ")
    return str(value)


@lru_cache(maxsize=65536)
def _number_words(lower: str) -> tuple[str, ...] | None:
    """("dix", "huit") for "dix-huit", None when the word is not a number in words."""
    parts = tuple(lower.split("-"))
    if parts[0] != "et" and all(part in _NUMBER_WORDS or part == "et" for part in parts):
        return parts
    return None


def _number_parts(token: _Token) -> tuple[str, ...] | None:
    """The number words of a token ("dix-huit"), None for any other token."""
    if token.is_number or token.prefix:
        return None
    return _number_words(token.lower)


def _check_number_words(index: int, text: str, tokens: list[_Token]) -> list[Finding]:
    findings = []
    i = 0
    while i < len(tokens):
        parts = _number_parts(tokens[i])
        if parts is None:
            i += 1
            continue
        run = [i]
        words = list(parts)
        j = i + 1
        while j < len(tokens) and not text[tokens[j - 1].end : tokens[j].start].strip():
            following = _number_parts(tokens[j])
            if following is not None:
                run.append(j)
                words.extend(following)
            elif (
                tokens[j].lower == "et"
                and j + 1 < len(tokens)
                and tokens[j + 1].lower in {"un", "une", "onze"}
            ):
                run.append(j)
            else:
                break
            j += 1
        findings.extend(_number_finding(index, tokens, run, words))
        i = j
    return findings


def _number_finding(
    index: int, tokens: list[_Token], run: list[int], words: list[str]
) -> list[Finding]:
    words = [word for word in words if word != "et"]
    while (
        run
        and tokens[run[0]].lower in {"un", "une"}
        and (len(words) < 2 or words[1] not in _MULTIPLIERS)
    ):
        run, words = run[1:], words[1:]  # "un", "une": an article, not a number
    if not run or not words:
        return []
    first, last = tokens[run[0]], tokens[run[-1]]
    previous = tokens[run[0] - 1].lower if run[0] else ""
    following = tokens[run[-1] + 1] if run[-1] + 1 < len(tokens) else None
    if words == ["neuf"] and (following is None or not following.lower.endswith(("s", "x"))):
        return []  # "un vélo neuf": new, not nine
    if words in (["cent"], ["cents"]) and previous == "pour":
        return []  # "pour cent": the percentage rule speaks
    if words[0] in _MULTIPLIERS and words[0] != "mille":
        return []  # "des millions de personnes": no number to write
    value = _number_value(words)
    return [
        _finding(
            "number.words",
            WARNING,
            first.start,
            last.end,
            index,
            _MSG_NUMBER,
            _format_number(value),
        )
    ]


def _roman_value(numeral: str) -> int:
    total = 0
    for current, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _roman_suggestion(tokens: list[_Token], i: int) -> str | None:
    """Digits for a Roman numeral ("20e" for "XXe"), None when the token is not one."""
    token = tokens[i]
    match = _ROMAN_TOKEN_RE.fullmatch(token.base)
    if match is None or not _ROMAN_RE.fullmatch(match.group(1)):
        return None
    numeral, suffix = match.group(1), match.group(2)
    only_ixv = set(numeral) <= {"I", "V", "X"}
    if suffix:
        if len(numeral) == 1 and not only_ixv:
            return None  # "Le", "De", "Ce", "Me"
    elif not (only_ixv and len(numeral) >= 2):
        previous = tokens[i - 1].lower if i else ""
        following = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        in_context = previous in _ROMAN_KEYWORDS or following.startswith("siècle")
        if not in_context or (len(numeral) == 1 and not only_ixv):
            return None  # "I", "C", "CV", "article L"
    value = _roman_value(numeral)
    ending = {"er": "er", "re": "re", "ère": "re"}.get(suffix or "", "e" if suffix else "")
    return f"{value}{ending}"


def _vowel_share(word: str) -> float:
    lower = word.lower()
    return sum(1 for c in lower if c in _VOWELS) / max(len(lower), 1)


def _is_capital_word(token: _Token, in_run: bool) -> bool:
    """An ordinary word written in capitals ("ATTENTION"), not initials ("SNCF")."""
    letters = sum(1 for c in token.base if c.isalpha())
    if letters >= 4:
        return _zipf(token.lower) >= RARE_ZIPF and _vowel_share(token.base) >= 0.3
    return in_run and _zipf(token.lower) >= 4.5 and _vowel_share(token.base) > 0


def _looks_like_a_word(token: _Token) -> bool:
    """A word in a run of capitals: common ("LE", "AU") or pronounceable ("REALISEES")."""
    if len(token.base) >= 4:
        return _vowel_share(token.base) >= 0.3
    return _zipf(token.lower) >= 4.5


def _is_capitalised_abbreviation(token: _Token, context: _Context) -> bool:
    """Glossary initials written with one capital ("la Caf", "l'Urssaf")."""
    base = token.base
    if len(base) < 3 or not (base[0].isupper() and base[1:].islower()):
        return False
    upper = base.upper()
    return upper in context.lexicon.entries and upper.isalpha() and _zipf(token.lower) < 4.0


def _check_capitals(
    index: int, tokens: list[_Token], context: _Context
) -> tuple[list[Finding], set[int]]:
    """Roman numerals, initials and words in capitals. Returns the findings and the indexes of
    the tokens they cover (the word rules skip them)."""
    text, findings, covered = context.text, [], set()
    upper = [
        not t.is_number and t.base.isupper() and not _INCLUSIVE_SPLIT_RE.search(t.base)
        for t in tokens
    ]
    # Runs of words in capitals: "NE PAS OUBLIER".
    i = 0
    while i < len(tokens):
        if not upper[i]:
            i += 1
            continue
        j = i + 1
        while (
            j < len(tokens) and upper[j] and not text[tokens[j - 1].end : tokens[j].start].strip()
        ):
            j += 1
        if j - i >= 2 and any(
            _is_capital_word(tokens[k], True) and not context.lexicon.explain(tokens[k].base)
            for k in range(i, j)
        ):
            findings.append(
                _finding(
                    "capitals", WARNING, tokens[i].start, tokens[j - 1].end, index, _MSG_CAPITALS
                )
            )
            covered.update(range(i, j))
        i = j
    for i, token in enumerate(tokens):
        if token.is_number:
            continue
        if upper[i] or token.base[:1] in "IVX":
            roman = _roman_suggestion(tokens, i)
            if roman is not None:
                findings.append(
                    _finding("roman", WARNING, token.start, token.end, index, _MSG_ROMAN, roman)
                )
                covered.add(i)
                continue
        if not upper[i] and not _is_capitalised_abbreviation(token, context):
            continue
        letters = sum(1 for c in token.base if c.isalpha())
        if letters < 2:
            continue
        key = token.base.upper() if not upper[i] else token.base
        meaning = context.explained.get(key) or context.lexicon.entries.get(key)
        if meaning is not None:
            findings.append(
                _finding(
                    "abbreviation", INFO, token.start, token.end, index, _MSG_ABBR_KNOWN, meaning
                )
            )
        elif key in context.explained:
            findings.append(
                _finding("abbreviation", INFO, token.start, token.end, index, _MSG_ABBR_KNOWN)
            )
        elif _is_capital_word(token, False):
            if i not in covered:
                findings.append(
                    _finding("capitals", WARNING, token.start, token.end, index, _MSG_CAPITALS)
                )
        elif i not in covered or not _looks_like_a_word(token):
            # In a run of capitals, words ("LE", "REALISEES") are not initials.
            findings.append(
                _finding("abbreviation", WARNING, token.start, token.end, index, _MSG_ABBR_UNKNOWN)
            )
        covered.add(i)
    return findings, covered


_FEMININE_ENDINGS = (
    ("teur", "trice"),
    ("eur", "rice"),
    ("eur", "euse"),
    ("eux", "euse"),
    ("er", "ère"),
    ("if", "ive"),
    ("f", "ve"),
)


def _feminine(base: str, suffix: str) -> str:
    """Feminine form: "directeur" + "trice" gives "directrice", "usager" + "ère" "usagère"."""
    for ending, start in _FEMININE_ENDINGS:
        if base.endswith(ending) and suffix.startswith(start):
            return base[: -len(ending)] + suffix
    return base + suffix


def _inclusive_suggestion(word: str) -> str | None:
    """Both words in full ("salariées et salariés" for "salarié·es"), or None."""
    parts = _INCLUSIVE_SPLIT_RE.split(word)
    base, suffix = parts[0], "".join(parts[1:])
    if not base or not suffix:
        return None
    plural = suffix.endswith(("s", "x")) and (len(parts) > 2 or len(suffix) > 1)
    if plural and base.endswith("s") and len(suffix) > 1:
        base = base[:-1]  # "conseillers.ères"
    feminine_suffix = suffix[:-1] if plural and len(suffix) > 1 else suffix
    if feminine_suffix in {"s", "x"}:
        return None
    feminine = _feminine(base, feminine_suffix) + ("s" if plural else "")
    masculine = base + ("s" if plural and not base.endswith(("s", "x")) else "")
    return f"{feminine} et {masculine}"


def _check_words(
    index: int, tokens: list[_Token], covered: set[int], context: _Context
) -> list[Finding]:
    """Inclusive dots, rare words and long words."""
    findings = []
    for i, token in enumerate(tokens):
        if token.is_number or i in covered:
            continue
        word = token.base
        if _INCLUSIVE_SPLIT_RE.search(word):
            word = _INCLUSIVE_SPLIT_RE.split(word)[0]
        if word != token.base and len(word) >= 2:
            findings.append(
                _finding(
                    "inclusive_dot",
                    WARNING,
                    token.start,
                    token.end,
                    index,
                    _MSG_INCLUSIVE,
                    _inclusive_suggestion(token.base),
                )
            )
        if i > 0 and word[:1].isupper():
            continue  # a proper noun
        if _number_parts(token) is not None:
            continue
        lower = word.lower() if word is not token.base else token.lower
        if len(lower) < 3:
            continue
        if _is_rare(lower):
            explanation = context.lexicon.explain(word)
            findings.append(
                _finding(
                    "word.rare", WARNING, token.start, token.end, index, _MSG_RARE, explanation
                )
            )
        syllables = _syllables(lower)
        if syllables >= LONG_WORD_SYLLABLES:
            explanation = context.lexicon.explain(word)
            message = _l(
                "This word is long (%(n)s syllables). Use a shorter word if you can.", n=syllables
            )
            findings.append(
                _finding("word.long", INFO, token.start, token.end, index, message, explanation)
            )
    return findings


def _is_negation_word(tokens: list[_Token], j: int) -> bool:
    word = tokens[j].lower
    if word not in _NEGATION_WORDS:
        return False
    return word != "personne" or j == 0 or tokens[j - 1].lower not in _DETERMINERS


def _is_ne(token: _Token) -> bool:
    """Whether the token is "ne" or has an elided "n'" ("n'est"), except "n'importe"."""
    return (token.lower == "ne" or token.prefix == "n") and token.lower != "importe"


def _check_negation(index: int, tokens: list[_Token]) -> list[Finding]:
    findings, used = [], set()
    for i, token in enumerate(tokens):
        if not _is_ne(token) or i in used:
            continue
        end = None
        for j in range(i + 1, min(len(tokens), i + 1 + _NEGATION_WINDOW)):
            if _is_ne(tokens[j]):
                break  # "ne peut et ne doit plus": the second "ne" owns the "plus"
            if _is_negation_word(tokens, j):
                end = j
                while end + 1 < len(tokens) and _is_negation_word(tokens, end + 1):
                    end += 1  # "plus jamais", "jamais rien"
                break
        if end is not None:
            used.update(range(i, end + 1))
            findings.append(
                _finding("negation", INFO, token.start, tokens[end].end, index, _MSG_NEGATION)
            )
            continue
        for j in range(i - 1, max(-1, i - 4), -1):  # "Personne ne vient", "Rien n'est prévu"
            if (
                j not in used
                and tokens[j].lower in _NEGATION_OPENERS
                and _is_negation_word(tokens, j)
            ):
                used.update(range(j, i + 1))
                findings.append(
                    _finding("negation", INFO, tokens[j].start, token.end, index, _MSG_NEGATION)
                )
                break
    for i, token in enumerate(tokens):
        if i not in used and token.lower in _STANDALONE_NEGATIONS:
            findings.append(
                _finding("negation", INFO, token.start, token.end, index, _MSG_NEGATION)
            )
    return findings


def _is_participle(word: str) -> bool:
    return (
        word not in _NOT_PARTICIPLES
        and word not in _UNACCUSATIVE
        and len(word) >= 2
        and _PARTICIPLE_RE.search(word) is not None
    )


def _check_passive(index: int, tokens: list[_Token]) -> list[Finding]:
    findings = []
    for i, token in enumerate(tokens):
        if token.lower not in _ETRE_FORMS or token.prefix in {"c", "ç", "s", "m", "t"}:
            continue
        previous = tokens[i - 1].lower if i else ""
        if previous in {"se", "me", "te"} or (
            previous in {"nous", "vous"} and i > 1 and tokens[i - 2].lower == previous
        ):
            continue  # "il se sont inscrits", "vous vous êtes inscrits": reflexive
        if token.lower == "été" and not any(
            tokens[k].lower in _AVOIR_FORMS for k in range(max(0, i - 3), i)
        ):
            continue  # "cet été": the season
        j = i + 1
        while j < len(tokens) and j <= i + 3 and tokens[j].lower in _PASSIVE_SKIPPABLE:
            j += 1  # "n'est pas pris", "sont tous invités"
        if j >= len(tokens) or tokens[j].prefix or not _is_participle(tokens[j].lower):
            continue  # also "a été" + "être": the next form of the chain is checked on its own
        has_agent = any(tokens[k].lower == "par" for k in range(j + 1, min(len(tokens), j + 6)))
        severity = WARNING if has_agent else INFO
        findings.append(
            _finding("passive", severity, token.start, tokens[j].end, index, _MSG_PASSIVE)
        )
    return findings


# --- Whole-text rules (regular expressions over the text) ----------------------------------------


def _numeric_dates(text: str) -> Iterable[tuple[int, int, str]]:
    for match in _DATE_RE.finditer(text):
        if match.group("d") is not None:
            day, month, year_text = int(match.group("d")), int(match.group("m")), match.group("y")
            year = int(year_text)
            if len(year_text) == 2:
                year += 2000 if year < 70 else 1900
        else:
            day, month, year = int(match.group("D")), int(match.group("M")), int(match.group("Y"))
        try:
            date(year, month, day)
        except ValueError:
            continue
        day_text = "1er" if day == 1 else str(day)
        yield match.start(), match.end(), f"{day_text} {_FRENCH_MONTHS[month - 1]} {year}"


def _percentage_value(number: str) -> str | None:
    if number[0].isdigit():
        value = float(number.replace(",", "."))
        return _PERCENT_PLAIN.get(int(value)) if value.is_integer() else None
    parts = [p for p in number.lower().split("-") if p != "et"]
    if all(part in _NUMBER_WORDS for part in parts):
        return _PERCENT_PLAIN.get(_number_value(parts))
    return None


def _percentages(text: str) -> Iterable[tuple[int, int, str | None]]:
    sign = text.find("%")
    while sign != -1:
        before = _NUMBER_BEFORE_SIGN_RE.search(text, max(0, sign - 20), sign)
        if before is None:
            yield sign, sign + 1, None
        else:
            yield before.start(), sign + 1, _percentage_value(before.group(1))
        sign = text.find("%", sign + 1)
    for match in _POUR_CENT_RE.finditer(text):
        before = _NUMBER_BEFORE_RE.search(text, max(0, match.start() - 40), match.start())
        if before is not None and (
            before.group(1)[0].isdigit() or _number_words(before.group(1).lower()) is not None
        ):
            yield before.start(), match.end(), _percentage_value(before.group(1))
        elif match.group().lower().startswith("pourcent"):
            yield match.start(), match.end(), None  # "pourcent" needs no number to be one
        # else "une salle pour cent personnes": a hundred, not a percentage


# --- Analysis ------------------------------------------------------------------------------------


def _in_url(finding: Finding, urls: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether a word finding lies in a web or e-mail address (they are left as written)."""
    if finding.rule.startswith("sentence."):
        return False
    i = bisect_right(starts, finding.start) - 1
    return i >= 0 and finding.end <= urls[i][1]


def _level(findings: Iterable[Finding]) -> str:
    worst = max((_SEVERITY_RANK[f.severity] for f in findings), default=0)
    return {0: "ok", 1: WARNING, 2: ALERT}[worst]


def _summary(total: int, flagged: int, average: float) -> Any:
    if not total:
        return _l("There is no text to check.")
    if not flagged:
        return _l(
            "No problem found (sentences checked: %(total)s). The text still needs a proofreading by people with an intellectual disability.",
            total=total,
        )
    return _l(
        "Sentences that may be hard to read: %(flagged)s out of %(total)s. Average length: %(average)s words.",
        flagged=flagged,
        total=total,
        average=round(average),
    )


def analyse(text: str, glossary: Mapping[str, str] | None = None) -> Report:
    """Check ``text`` against the FALC rules; ``glossary`` adds to (and overrides) the default one."""
    lexicon = _make_lexicon({**DEFAULT_GLOSSARY, **glossary}) if glossary else _DEFAULT_LEXICON
    context = _Context(text, lexicon, _explained_abbreviations(text))
    spans = split_sentences(text)
    per_sentence: list[list[Finding]] = []
    counts: list[int] = []
    total_syllables = 0
    for index, (start, end) in enumerate(spans):
        tokens = _tokens(text, start, end)
        findings = _check_length(index, start, end, len(tokens))
        findings += _check_ideas(index, start, end, text, tokens)
        capitals, covered = _check_capitals(index, tokens, context)
        findings += capitals
        findings += _check_number_words(index, text, tokens)
        findings += _check_words(index, tokens, covered, context)
        findings += _check_negation(index, tokens)
        findings += _check_passive(index, tokens)
        per_sentence.append(findings)
        counts.append(len(tokens))
        total_syllables += sum(_token_syllables(token) for token in tokens)

    if spans:
        starts = [start for start, _ in spans]

        def sentence_of(offset: int) -> int:
            return max(bisect_right(starts, offset) - 1, 0)

        for start, end, suggestion in _numeric_dates(text):
            i = sentence_of(start)
            per_sentence[i].append(
                _finding("date.numeric", WARNING, start, end, i, _MSG_DATE, suggestion)
            )
        for start, end, suggestion in _percentages(text):
            i = sentence_of(start)
            per_sentence[i].append(
                _finding("percentage", WARNING, start, end, i, _MSG_PERCENT, suggestion)
            )
        for match in _PARENTHESES_RE.finditer(text):
            i = sentence_of(match.start())
            per_sentence[i].append(
                _finding("parentheses", INFO, match.start(), match.end(), i, _MSG_PARENTHESES)
            )

    urls = [match.span() for match in _URL_RE.finditer(text)]
    url_starts = [start for start, _ in urls]
    sentences = []
    for index, ((start, end), findings) in enumerate(zip(spans, per_sentence, strict=True)):
        if urls:
            findings = [f for f in findings if not _in_url(f, urls, url_starts)]
        ordered = tuple(sorted(findings, key=lambda f: (f.start, f.end, f.rule)))
        sentences.append(
            SentenceReport(
                index, start, end, text[start:end], counts[index], ordered, _level(ordered)
            )
        )
    counted = [count for count in counts if count]
    words = sum(counted)
    flagged = sum(1 for sentence in sentences if sentence.level != "ok")
    average = words / len(counted) if counted else 0.0
    return Report(
        sentences=tuple(sentences),
        findings=tuple(f for sentence in sentences for f in sentence.findings),
        words=words,
        score=_kandel_moles(words, len(counted), total_syllables),
        average_sentence_length=round(average, 1),
        share_flagged=flagged / len(sentences) if sentences else 0.0,
        summary=_summary(len(sentences), flagged, average),
    )
