"""Easy-read French (FALC) analyser: finds what makes a French text hard to read.

No network, no Flask application needed. ``analyse(text, glossary)`` returns a ``Report``: one
``SentenceReport`` per sentence, every ``Finding`` with character offsets in the original
text, a stable rule id, a severity, a short explanation (a lazy translatable string: never call
``str()`` on it outside an application or request context that has a locale) and, when the fix is
mechanical, a ``suggestion`` in French (the one-click replacement) and maybe ``alternatives``.

The checks are heuristics that help a writer; they never certify a text. Only a proofreading
by people with an intellectual disability makes a text FALC.

Language model
    Each sentence is parsed by spaCy's ``fr_core_news_sm`` (``app.falc.language``: loaded once
    per process, without its named-entity recogniser). The parse gives the passives, the
    clauses, the depth of the tree, the coordinations, the abstract style and the lemmas that
    match the lexicon. When the model cannot load (or ``use_model=False``), the pure Python
    rules run instead (word lists and patterns) and ``Report.model_used`` is False.

Severities
    ``alert``: the sentence must change (more than 20 words).
    ``warning``: a FALC rule is broken and can usually be fixed: long sentence, rare word, a
    hard word, phrase or idiom of the lexicon (``app.falc.lexicon``) or of the organisation's
    glossary (``word.hard``, ``phrase.hard``, ``idiom``, with the plain words as suggestion;
    a word in another form than the lexicon's ("prestations", "régularisée") or a phrase
    found only through its lemmas ("coûte les yeux de la tête" for "coûter ...") gets its
    plain words as ``alternatives`` and no suggestion, as they would not agree),
    initials (explained or not), numbers in words, percentages, Roman numerals, numeric dates,
    dates without a year (``date.no_year``: "12/03"), times not written "14 h 30" (``time``:
    "14h30", "14:30"), the euro sign (``money.sign``), large amounts that are not round
    (``number.large``: "1 250 000 euros" -> "plus d'1 million d'euros"), "et/ou" (``and_or``),
    "etc." (``etc``), words in capitals, dots inside words, two or more extra ideas (clauses of
    the parse, or clause words; a semicolon alone is not an idea), several steps in one
    sentence (``sentence.steps``: "puis ... ensuite ..."), a double negation
    (``negation.double``: "ne pouvez pas ne pas", "n'est pas impossible"), abstract style
    (``sentence.abstract``: two abstract nouns that are not everyday words, below
    ``ABSTRACT_ZIPF`` and not in the everyday list, and no verb that says who does what in
    ``ABSTRACT_MIN_WORDS`` words or more, or three of them), a passive
    with "par" (``obl:agent``).
    ``info``: worth a look, often acceptable: long word, negation, passive without agent, one
    extra idea, parentheses, a deep parse (``sentence.depth``: more than ``DEPTH_INFO``
    levels), ``LIST_ITEMS`` (4) or more coordinated things (``sentence.list``).
    A sentence's ``level`` is its worst severity, "ok" when it has only ``info`` findings.

Initials (rule ``abbreviation``)
    FALC says: no initials. All initials are a ``warning``. Those that the text explains with
    parentheses ("revenu de solidarité active (RSA)" or "RSA (revenu de solidarité active)"),
    the glossary (``DEFAULT_GLOSSARY`` merged with the ``glossary`` argument, which wins) or the
    lexicon's initials explain get the words in full as suggestion (the text's own explanation
    first, then the glossary's, then the lexicon's).

Words in capitals (rule ``capitals``)
    A run of two or more words in capitals ("NE PAS OUBLIER") is one finding. A single word in
    capitals is a ``capitals`` finding when it is a French word ("ATTENTION"), otherwise it is
    treated as initials. Roman numerals need two letters among I, V, X ("IV", "XX"), an ordinal
    ending ("XXe", "Ier") or a context word ("chapitre I", "tome I", "MCM siècle"): "I", "a",
    "C", "CV", "Le" alone never count.

Not flagged on purpose: states after "être" ("la salle est ouverte", "le repas est compris":
no agent, a participle of state), "les deux sont invités" (both), "cent pour cent"
(completely), lists with semicolons, everyday words that look rare (the lexicon's
``everyday_words``: "relecteur", "éducatrice"), short labels ("Le logement"), web and e-mail
addresses (findings inside them are dropped).

Score
    ``Report.score`` goes from 0 to 100, higher is easier: 70 % from the findings (100 minus,
    per sentence on average, 30 points an alert, 15 a warning, 2 an info) and 30 % from the
    Kandel-Moles readability (``Report.readability``, kept within 0-100), minus
    ``DEPTH_PENALTY`` points per level of the deepest parse beyond ``DEPTH_INFO``. A text with a
    warning or an alert stays below ``EASY_SCORE`` (75); one with an alert at most 60.
    ``Report.band``: "easy" from 75, "to_simplify" from ``HARD_SCORE`` (50), "hard" below.
    ``Report.counts`` gives the number of findings per severity. The summary says "no problem"
    only when there is no finding at all.

Known false positives (accepted, kept low)
    ``word.rare``: jargon that is frequent in the field but rare in general French; a proper
    noun at the start of a sentence. ``passive``: without the model, "être" + an adjective that
    looks like a past participle ("il est assis"). ``negation``: "de rien" (you're welcome).
    ``capitals``: acronyms read as words (UNESCO) when not in the glossary; surnames in
    capitals are reported as unknown initials. ``sentence.ideas``: "que" after a verb of
    saying. ``split_sentences`` does not split after a single capital letter ("la note A.
    Puis"), so that initials ("J. Martin") stay in their sentence. The small model sometimes
    misreads a word ("qui organise" as an auxiliary): the clause words are then the floor.

Speed: compiled patterns, one pyphen dictionary and cached word look-ups are module-level; the
French word-frequency list loads on the first analysis (about 0.1 s, or call ``warm_up()``),
the model in about 5 s (+260 MB). A 150-word live check then takes about 25 ms, a 2,000-word
text about 220 ms with the model and 20 ms without (``tests/bench/bench_falc.py``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import pyphen
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wordfreq import zipf_frequency

from app.falc import language
from app.falc.glossary import DEFAULT_GLOSSARY
from app.falc.language import simple_lemma

_log = logging.getLogger(__name__)

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
    alternatives: tuple[str, ...] = ()


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
    score: int  # 0-100, higher is easier (see "Score" in the module's docstring)
    average_sentence_length: float
    share_flagged: float
    summary: Any
    counts: Mapping[str, int]  # severity -> number of findings
    band: str  # "easy", "to_simplify" or "hard"
    model_used: bool  # False: the language model could not load, the pure Python rules ran
    readability: float  # Kandel and Moles (French Flesch), one input of the score
    depth: int  # deepest sentence of the parse (0 without the model)


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
_MSG_HARD_WORD = _l("This word is hard. Use an everyday word.")
_MSG_HARD_PHRASE = _l("This phrase is hard. Say it with everyday words.")
_MSG_IDIOM = _l("This is a figure of speech. Say what it means plainly.")
_MSG_DOUBLE_NEG = _l("Two negations cancel each other out. Say it in the positive.")
_MSG_STEPS = _l("This sentence gives several steps. Write one step per sentence.")
_MSG_TIME = _l("Write the time with spaces, like 14 h 30.")
_MSG_EURO_SIGN = _l("Write the word euros, not the sign.")
_MSG_LARGE_NUMBER = _l("Large numbers are hard to picture. Round the number.")
_MSG_AND_OR = _l("“et/ou” is hard to read. Write “ou”, or say both cases.")
_MSG_ETC = _l("“etc.” hides the rest of the list. Give all the examples.")
_MSG_NO_YEAR = _l("Write the date with the name of the month and the year.")
_MSG_DEPTH = _l("This sentence is built in many layers. Cut it into short sentences.")
_MSG_ABSTRACT = _l("This sentence uses abstract words. Say who does what, with everyday words.")
_MSG_LIST = _l("This sentence lists many things. Make a list, one thing per line.")

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
# After "les deux", these words show that "deux" means "both" ("les deux sont invités").
_NOT_NOUNS = frozenset(
    {
        "sont", "seront", "étaient", "ont", "auront", "avaient", "peuvent", "pourront", "doivent",
        "viennent", "vont", "font", "restent", "et", "ou", "à", "en", "y", "ne", "n", "se",
        "nous", "vous", "ensemble", "aussi", "également", "pour", "avec",
    }
)  # fmt: skip

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
    words: _Words
    lemmas: Mapping[int, str]  # from the model's parse; empty without it


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
    count = 0  # a semicolon list ("le train ; le repas ; la garde") is one idea
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
    if (
        words == ["cent"]
        and following is not None
        and following.lower == "pour"
        and run[-1] + 2 < len(tokens)
        and tokens[run[-1] + 2].lower == "cent"
    ):
        return []  # "cent pour cent": completely, not a number
    if (
        words == ["deux"]
        and previous == "les"
        and (following is None or following.lower in _NOT_NOUNS)
    ):
        return []  # "les deux sont invités": both
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
        meaning = (
            context.explained.get(key)
            or context.lexicon.entries.get(key)
            or context.words.initials.get(key)
        )
        if meaning is not None:
            findings.append(
                _finding(
                    "abbreviation", WARNING, token.start, token.end, index, _MSG_ABBR_KNOWN, meaning
                )
            )
        elif key in context.explained:
            findings.append(
                _finding("abbreviation", WARNING, token.start, token.end, index, _MSG_ABBR_KNOWN)
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
        model_lemma = context.lemmas.get(token.end - len(token.base))
        lemma = model_lemma or simple_lemma(lower)
        if model_lemma is not None:
            # The parse's lemma decides: "arrêté" the verb ("arrêter") is not "un arrêté".
            hard = context.words.hard.get(model_lemma)
        else:
            hard = context.words.hard.get(lower) or context.words.hard.get(lemma)
        if hard is not None:
            # The replacement agrees only with the word as the lexicon writes it: for another
            # form ("régularisée", "prestations") it is a hint, not a one-click replacement.
            as_written = context.words.hard.get(lower) is hard
            findings.append(
                Finding(
                    "word.hard",
                    WARNING,
                    token.start,
                    token.end,
                    index,
                    _MSG_HARD_WORD,
                    (hard[0] if hard else None) if as_written else None,
                    tuple(hard[1:]) if as_written else tuple(hard),
                )
            )
        elif lower in context.words.everyday or lemma in context.words.everyday:
            pass  # looks rare, but people use it every day ("nounou", "éducatrice")
        elif _is_rare(lower) and (lemma == lower or len(lemma) < 3 or _is_rare(lemma)):
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
        if before is not None and before.group(1).lower() == "cent":
            continue  # "cent pour cent": completely
        if before is not None and (
            before.group(1)[0].isdigit() or _number_words(before.group(1).lower()) is not None
        ):
            yield before.start(), match.end(), _percentage_value(before.group(1))
        elif match.group().lower().startswith("pourcent"):
            yield match.start(), match.end(), None  # "pourcent" needs no number to be one
        # else "une salle pour cent personnes": a hundred, not a percentage


# --- The language model's parse -------------------------------------------------------------------

# Participles that usually describe a state after "être", not an action someone does:
# "la salle est ouverte", "le repas est compris". Without "par ...", they are not passives.
_STATE_PARTICIPLES = frozenset(
    {
        "ouvrir", "ouvert", "fermer", "fermé", "comprendre", "compris", "inclure", "inclus",
        "situer", "situé", "assis", "asseoir", "prévoir", "prévu", "interdire", "interdit",
        "autoriser", "autorisé", "obliger", "obligé", "fatiguer", "fatigué", "intéresser",
        "intéressé", "concerner", "concerné", "marier", "marié", "occuper", "occupé",
        "terminer", "terminé", "finir", "fini", "complet", "libre", "disponible", "invalide",
        "handicaper", "handicapé", "perdre", "perdu", "gratuit", "content", "ravi", "désoler",
        "désolé", "étonner", "étonné", "pressé", "presser", "habiller", "habillé", "connaître",
        "connu", "inscrire", "inscrit", "préparer", "prêt", "installer", "installé",
    }
)  # fmt: skip
# Dependencies that open another clause (another idea) in Universal Dependencies.
_CLAUSE_DEPS = frozenset({"advcl", "acl:relcl", "ccomp", "csubj", "parataxis"})
DEPTH_INFO = 7  # a parse deeper than this is a sentence built in many layers


@dataclass
class _Parse:
    """What the model says about one sentence: lemmas by offset, tokens, depth of the tree."""

    lemmas: dict[int, str]  # start offset of a word in the text -> lowercase lemma
    tokens: list[Any]  # spaCy tokens of the sentence (no punctuation, no spaces)
    depth: int  # longest path from a word to the root


def _parse_text(text: str, spans: list[tuple[int, int]], pipeline: Any) -> list[_Parse]:
    """Parse each sentence once (the sentences as ``split_sentences`` cuts them)."""
    parses = []
    with language.lock:
        docs = list(pipeline.pipe(text[start:end] for start, end in spans))
    for (start, _end), doc in zip(spans, docs, strict=True):
        lemmas, tokens, depth = {}, [], 0
        for token in doc:
            if token.is_punct or token.is_space:
                continue
            tokens.append(token)
            lemmas[start + token.idx] = (token.lemma_ or token.text).lower()
            level, node = 0, token
            while node.head.i != node.i and level < 50:
                node, level = node.head, level + 1
            depth = max(depth, level)
        parses.append(_Parse(lemmas, tokens, depth))
    return parses


def _model_passive(index: int, start: int, parse: _Parse) -> list[Finding]:
    """Passives from the parse: "être" as ``aux:pass`` (or a ``nsubj:pass`` subject, or "être"
    before a verb's participle) and a word that is a past participle. With "par ..." (an
    ``obl:agent``) it is a warning; without, an info, and states ("la salle est ouverte", "le
    repas est compris") are left out."""
    findings = []
    for head in parse.tokens:
        etre = next(
            (
                child
                for child in head.children
                if child.lemma_ == "être" and child.dep_ in {"aux:pass", "cop"}
            ),
            None,
        )
        if etre is None:
            continue
        children = list(head.children)
        if not (
            etre.dep_ == "aux:pass"
            or any(child.dep_ == "nsubj:pass" for child in children)
            or head.pos_ == "VERB"
        ):
            continue
        lower = head.text.lower()
        participle = lower not in _NOT_PARTICIPLES and (
            "Part" in head.morph.get("VerbForm") or _is_participle(lower)
        )
        if not participle or any(
            child.lower_ in {"se", "s'", "me", "m'", "te", "t'"} for child in children
        ):
            continue  # "il est midi", "ils se sont inscrits"
        has_agent = any(child.dep_ == "obl:agent" for child in children) or any(
            child.lower_ == "par"
            for child in parse.tokens
            if child.head.i == head.i or child.head.head.i == head.i
        )
        if not has_agent and (
            head.pos_ == "ADJ"
            or head.lemma_.lower() in _STATE_PARTICIPLES
            or lower in _STATE_PARTICIPLES
        ):
            continue  # "la salle est ouverte", "le repas est compris"
        first, last = sorted((etre, head), key=lambda t: t.idx)
        begin = start + first.idx
        text = first.doc.text
        if first.idx >= 2 and text[first.idx - 1] in "'’" and text[first.idx - 2].isalpha():
            begin -= 2  # "n'est": the whole word as written
        findings.append(
            _finding(
                "passive",
                WARNING if has_agent else INFO,
                begin,
                start + last.idx + len(last.text),
                index,
                _MSG_PASSIVE,
            )
        )
    return findings


def _model_ideas(index: int, start: int, end: int, parse: _Parse, markers: int) -> list[Finding]:
    """Extra ideas: subordinate, relative and coordinated clauses with a verb of their own.
    The small model sometimes misses a clause ("qui organise" read as an auxiliary): the
    clause markers (``markers``, semicolons not counted) are the floor."""
    clauses = 0
    for token in parse.tokens:
        if token.pos_ not in {"VERB", "AUX"} and not any(
            child.dep_ in {"cop", "aux", "aux:pass", "nsubj"} for child in token.children
        ):
            continue
        if token.dep_ in _CLAUSE_DEPS or (
            token.dep_ == "conj"
            and token.head.pos_ in {"VERB", "AUX"}
            and any(
                c.dep_ in {"nsubj", "nsubj:pass"}
                or (c.dep_ == "cc" and c.lower_ in {"mais", "car", "or", "donc"})
                for c in token.children
            )
        ):
            clauses += 1
    roots = sum(
        1
        for token in parse.tokens
        if token.dep_ == "ROOT"
        and token.pos_ in {"VERB", "AUX"}
        and any(child.dep_.startswith("nsubj") for child in token.children)
    )
    clauses += max(0, roots - 1)  # "Vous venez ; nous payons": two sentences in one
    clauses = max(clauses, markers)
    if not clauses:
        return []
    severity = WARNING if clauses >= 2 else INFO
    message = _l("This sentence may hold %(n)s ideas. Write one idea per sentence.", n=clauses + 1)
    return [_finding("sentence.ideas", severity, start, end, index, message)]


_ABSTRACT_ENDINGS = (
    "tion", "sion", "ité", "isme", "ance", "ence", "ment", "ique", "ive", "ude",
)  # fmt: skip
ABSTRACT_ZIPF = 4.5  # "interaction", "perspective", "modalité"; not "question", "réunion"


_NOT_VOUS_FORMS = frozenset({"chez", "assez", "nez", "rez", "lez"})


def _is_vous_form(token: Any) -> bool:
    """ "Remplissez", "envoyez": the small model often misreads orders as nouns."""
    lower = token.lower_
    return len(lower) > 3 and lower.endswith("ez") and lower not in _NOT_VOUS_FORMS


def _is_verb(token: Any) -> bool:
    return token.pos_ in {"VERB", "AUX"} or _is_vous_form(token)


ABSTRACT_MIN_WORDS = 5  # shorter pieces without a verb are labels ("Vos invitations")


def _is_abstract(token: Any, everyday: frozenset[str]) -> bool:
    lemma = token.lemma_.lower()
    return (
        token.pos_ == "NOUN"
        and lemma.endswith(_ABSTRACT_ENDINGS)
        and _zipf(lemma) < ABSTRACT_ZIPF
        and lemma not in everyday
        and token.lower_ not in everyday
    )


def _model_abstract(
    index: int, start: int, end: int, parse: _Parse, everyday: frozenset[str]
) -> list[Finding]:
    """Abstract style: two abstract nouns that are not everyday words ("interaction",
    "perspective", "mutualisation") in a sentence with no verb that says who does what
    (no conjugated verb, no order), or three of them in any sentence. Labels such as "Le
    logement" or "Retirer l'invitation" are left alone."""
    abstract = sum(1 for token in parse.tokens if _is_abstract(token, everyday))
    finite = any(
        "Fin" in token.morph.get("VerbForm")
        or "Imp" in token.morph.get("Mood")
        or _is_vous_form(token)
        for token in parse.tokens
    )
    if abstract >= 3 or (abstract >= 2 and not finite and len(parse.tokens) >= ABSTRACT_MIN_WORDS):
        return [_finding("sentence.abstract", WARNING, start, end, index, _MSG_ABSTRACT)]
    return []


def _model_depth(index: int, start: int, end: int, parse: _Parse) -> list[Finding]:
    if parse.depth <= DEPTH_INFO:
        return []
    return [_finding("sentence.depth", INFO, start, end, index, _MSG_DEPTH)]


LIST_ITEMS = 4  # from four coordinated things, a list with one thing per line reads better
_LIST_SPLIT_RE = re.compile(r",\s*|\s+(?:et|ou)\s+")


def _chain(token: Any) -> list[Any]:
    """The token and every word coordinated with it (conj, or appos in a comma list)."""
    items, todo = [token], [token]
    while todo:
        for child in todo.pop().children:
            if child.dep_ in {"conj", "appos"}:
                items.append(child)
                todo.append(child)
    return items


def _coordination(index: int, start: int, end: int, text: str, parse: _Parse) -> list[Finding]:
    """Four or more coordinated things ("le train, le bus, le taxi et le repas"): better as a
    list, one thing per line. The parse's chains, or short pieces between commas ending with
    "et"/"ou" (the small model does not always link them)."""
    for token in parse.tokens:
        if token.dep_ in {"conj", "appos"}:
            continue
        items = _chain(token)
        if len(items) >= LIST_ITEMS:
            first = min(items, key=lambda t: t.idx)
            last = max(items, key=lambda t: t.idx)
            return [
                _finding(
                    "sentence.list",
                    INFO,
                    start + first.idx,
                    start + last.idx + len(last.text),
                    index,
                    _MSG_LIST,
                )
            ]
    body = text[start:end].rstrip(".!?… ")
    pieces = _LIST_SPLIT_RE.split(body)
    if (
        len(pieces) >= LIST_ITEMS
        and re.search(r"\s(?:et|ou)\s", body)
        and all(len(piece.split()) <= 4 for piece in pieces[-(LIST_ITEMS - 1) :])
    ):
        return [_finding("sentence.list", INFO, start, end, index, _MSG_LIST)]
    return []


# --- Double negation, steps, times, money, "et/ou", "etc." ------------------------------------

_NEGATIVE_WORDS = frozenset(
    {
        "impossible", "interdit", "interdite", "interdits", "interdites", "inutile", "inutiles",
        "incapable", "incapables", "sans",
        "illégal", "illégale", "inconnu", "inconnue", "faux", "fausse", "inexact", "inexacte",
        "mauvais", "mauvaise", "impossibles", "défavorable", "refusé", "refusée", "non",
    }
)  # fmt: skip
_CLAUSE_BREAKS = frozenset({"et", "mais", "ou", "car", "donc", "si", "que", "qui", "quand"})


def _check_double_negation(
    index: int, text: str, tokens: list[_Token], negations: list[Finding]
) -> list[Finding]:
    """Two negations that cancel out: "ne pouvez pas ne pas venir", "n'est pas impossible"."""
    findings = []
    starts = {token.start: i for i, token in enumerate(tokens)}
    ends = {token.end: i for i, token in enumerate(tokens)}
    # Only negations with their own "ne" count: "Aucune inscription n'attend plus" and "ne
    # peut plus inviter personne" are one negation each.
    spans = sorted(
        (f.start, f.end)
        for f in negations
        if starts.get(f.start) is not None and _is_ne(tokens[starts[f.start]])
    )
    used: set[int] = set()
    for k, (first_start, first_end) in enumerate(spans):
        if first_start in used:
            continue
        last = ends.get(first_end)
        if last is None:
            continue
        following = tokens[last + 1 : last + 4]
        second_end = None
        for next_start, next_end in spans[k + 1 :]:
            j = starts.get(next_start)
            if j is not None and j - last <= 3 and not _breaks(text, tokens, last, j):
                second_end = next_end
                used.add(next_start)
                break
        if second_end is None:
            for token in following[:2]:
                if token.lower in _NEGATIVE_WORDS and token.start > first_end:
                    if not _breaks(text, tokens, last, tokens.index(token)):
                        second_end = token.end
                    break
        if second_end is not None:
            findings.append(
                _finding(
                    "negation.double", WARNING, first_start, second_end, index, _MSG_DOUBLE_NEG
                )
            )
    return findings


def _breaks(text: str, tokens: list[_Token], i: int, j: int) -> bool:
    """Whether a comma or a word that opens another clause lies between tokens i and j."""
    if any(c in text[tokens[i].end : tokens[j].start] for c in ",;:."):
        return True
    return any(tokens[k].lower in _CLAUSE_BREAKS for k in range(i + 1, j))


_STEP_WORDS = frozenset({"puis", "ensuite", "enfin", "après", "premièrement", "deuxièmement"})


def _check_steps(
    index: int, start: int, end: int, tokens: list[_Token], parse: _Parse | None
) -> list[Finding]:
    """Several steps in one sentence: "Remplissez ..., puis signez ..., ensuite envoyez ...".
    With the model, steps need two verbs ("Les plus urgents d'abord, puis les autres" is an
    order, not steps)."""
    if parse is not None and sum(1 for t in parse.tokens if _is_verb(t)) < 2:
        return []
    markers = sum(
        1
        for i, token in enumerate(tokens)
        if (token.lower in _STEP_WORDS and (token.lower != "après" or _after_is_a_step(tokens, i)))
        or (token.lower == "abord" and token.prefix == "d")
    )
    if markers < 2:
        return []
    return [_finding("sentence.steps", WARNING, start, end, index, _MSG_STEPS)]


def _after_is_a_step(tokens: list[_Token], i: int) -> bool:
    """ "et après", "après," are steps; "après le repas" is a time."""
    return i > 0 and tokens[i - 1].lower == "et"


_TIME_RE = re.compile(
    r"(?<![\d:/.,])(?P<h>[01]?\d|2[0-3])(?:(?P<sep>[hH])(?P<m1>[0-5]\d)?|:(?P<m2>[0-5]\d))(?![\w:/])"
)


def _times(text: str) -> Iterable[tuple[int, int, str]]:
    """ "14h30", "14H", "14:30" -> "14 h 30", "14 h"."""
    for match in _TIME_RE.finditer(text):
        minutes = match.group("m1") or match.group("m2")
        hours = int(match.group("h"))
        plain = f"{hours} h {minutes}" if minutes and minutes != "00" else f"{hours} h"
        yield match.start(), match.end(), plain


_AMOUNT = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_EURO_AFTER_RE = re.compile(rf"(?<![\w.,])({_AMOUNT})[ \u00a0\u202f]?(€|EUR\b)")
_EURO_BEFORE_RE = re.compile(rf"(€|EUR\b)[ \u00a0\u202f]?({_AMOUNT})(?![\d])")
# Digits grouped by thousands ("12 450"), or a long number of digits followed by "euros"
# (a postcode, a phone or a file number is not an amount).
_LARGE_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3}){1,3}|\d{5,12}(?=[ \u00a0\u202f]euros?\b))"
    r"(?![\d,])(?:[ \u00a0\u202f](euros?)\b)?"
)
LARGE_NUMBER = 10_000  # from here, an exact amount that is not round is hard to picture


def _amount_value(digits: str) -> Decimal | None:
    cleaned = re.sub(r"[ \u00a0\u202f.]", "", digits).replace(",", ".")
    try:
        return Decimal(cleaned)
    except ArithmeticError:
        return None


def _plain_large(value: Decimal, euros: bool) -> str | None:
    """ "plus d'1 million d'euros" for 1 250 000 euros; None when the number is round."""
    whole = int(value)
    if whole >= 10**6:
        millions = whole // 10**6
        exact = whole % 10**6 == 0
        noun = "million" if millions == 1 else "millions"
        if exact:
            head = f"{millions} {noun}"
        else:
            head = f"plus d'1 {noun}" if millions == 1 else f"plus de {millions} {noun}"
        return head + (" d'euros" if euros else "")
    if whole >= LARGE_NUMBER and whole % 1000:
        rounded = f"{whole // 1000 * 1000:,}".replace(",", "\u00a0")
        return f"plus de {rounded}" + (" euros" if euros else "")
    return None


def _money(text: str) -> Iterable[tuple[str, int, int, str | None]]:
    """The euro sign ("50 €" -> "50 euros") and large amounts ("1 250 000")."""
    signs = []
    for match in _EURO_AFTER_RE.finditer(text):
        signs.append((match.start(), match.end(), match.group(1)))
    for match in _EURO_BEFORE_RE.finditer(text):
        signs.append((match.start(), match.end(), match.group(2)))
    for start, end, digits in signs:
        value = _amount_value(digits)
        large = _plain_large(value, True) if value is not None else None
        yield "money.sign", start, end, large or f"{digits} euros"
    taken = [(start, end) for start, end, _ in signs]
    for match in _LARGE_RE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if match.group(2) is None and re.fullmatch(r"(?:19|20)\d\d", match.group(1)):
            continue
        value = _amount_value(match.group(1))
        plain = _plain_large(value, match.group(2) is not None) if value is not None else None
        if plain is not None:
            yield "number.large", match.start(), match.end(), plain


_AND_OR_RE = re.compile(r"\bet\s?/\s?ou\b", re.IGNORECASE)
_ETC_RE = re.compile(r"\betc\b\.?(?:\s?\.\.\.|…)?", re.IGNORECASE)
_SHORT_DATE_RE = re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})/(?P<m>\d{2})(?![\d/])")


def _dates_without_year(text: str) -> Iterable[tuple[int, int, str]]:
    """ "12/03" -> "12 mars" (and say the year)."""
    for match in _SHORT_DATE_RE.finditer(text):
        day, month = int(match.group("d")), int(match.group("m"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            day_text = "1er" if day == 1 else str(day)
            yield match.start(), match.end(), f"{day_text} {_FRENCH_MONTHS[month - 1]}"


# --- The lexicon: hard words, phrases, idioms, everyday words -------------------------------------


def _lexicon_module() -> Any:
    """app.falc.lexicon, or None while it does not exist (its data is optional)."""
    try:
        from app.falc import lexicon
    except ImportError:
        return None
    return lexicon


@dataclass(frozen=True)
class _Words:
    """The lexicon as the analyser uses it, with the organisation's glossary added."""

    hard: Mapping[str, tuple[str, ...]]  # lemma or lowercase word -> replacements
    phrases: tuple[tuple[str, tuple[str, ...], str], ...]  # (lowercase text, replacements, rule)
    everyday: frozenset[str]
    initials: Mapping[str, str]


@lru_cache(maxsize=1)
def _base_words() -> _Words:
    module = _lexicon_module()
    if module is None:
        return _Words({}, (), frozenset(), {})
    try:
        return _load_words(module)
    except (OSError, KeyError, ValueError) as error:  # a broken data file: check without it
        _log.warning("Easy-read lexicon not loaded (%s); checking without it", type(error).__name__)
        return _Words({}, (), frozenset(), {})


def _load_words(module: Any) -> _Words:
    hard = {key.lower(): entry.replacements for key, entry in module.hard_words().items()}
    for entry in module.hard_words().values():
        hard.setdefault(entry.term.lower(), entry.replacements)
    phrases = tuple(
        (entry.term.lower(), entry.replacements, "phrase.hard") for entry in module.hard_phrases()
    ) + tuple((entry.term.lower(), entry.replacements, "idiom") for entry in module.idioms())
    initials = {
        key: entry.replacements[0] for key, entry in module.initials().items() if entry.replacements
    }
    everyday = frozenset(word.lower() for word in module.everyday_words())
    return _Words(hard, phrases, everyday, initials)


def _words_with(glossary: Mapping[str, str] | None) -> _Words:
    """The lexicon plus the organisation's glossary: initials stay initials, other terms are
    hard words (or phrases) whose replacement is the explanation."""
    base = _base_words()
    if not glossary:
        return base
    hard = dict(base.hard)
    phrases = list(base.phrases)
    for term, explanation in glossary.items():
        term = term.strip()
        if not term or not explanation or _is_initials(term):
            continue
        if " " in term or "'" in term or "’" in term:
            phrases.append((term.lower(), (explanation,), "phrase.hard"))
        else:
            replacements = (explanation,)
            hard[term.lower()] = replacements
            # The term as written and without a plural ("modalités" -> "modalité"); not its
            # model lemma out of context ("arrêté" would become the verb "arrêter").
            hard.setdefault(simple_lemma(term), replacements)
    return _Words(hard, tuple(phrases), base.everyday, base.initials)


def _is_initials(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=4096)
def _phrase_re(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in re.split(r"[\s]+", phrase) if word]
    body = re.sub("['’]", "['’]", r"[\s\u00a0]+".join(words))
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _phrase_lemmas(phrase: str) -> tuple[str, ...]:
    pipeline = language.nlp()
    if pipeline is None:
        return ()
    with language.lock:
        doc = pipeline(phrase)
    return tuple((t.lemma_ or t.text).lower() for t in doc if not t.is_punct)


@lru_cache(maxsize=8)
def _phrase_index(
    phrases: tuple[tuple[str, tuple[str, ...], str], ...],
) -> Mapping[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """First lemma -> (lemmas of the phrase, its position in ``phrases``), with the model."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for position, (phrase, _, _) in enumerate(phrases):
        wanted = _phrase_lemmas(phrase)
        if len(wanted) >= 2:
            index.setdefault(wanted[0], []).append((wanted, position))
    return {key: tuple(value) for key, value in index.items()}


def _check_phrases(
    index: int, start: int, end: int, text: str, words: _Words, parse: _Parse | None
) -> list[Finding]:
    """Hard phrases and idioms, matched on the text and (with the model) on the lemmas, so
    that "coûte les yeux de la tête" matches "coûter les yeux de la tête"."""
    if not words.phrases:
        return []
    found: list[tuple[int, int, int, bool]] = []  # (start, end, position, as written)
    lowered = text[start:end].lower().replace("’", "'")
    for position, (phrase, _, _) in enumerate(words.phrases):
        if phrase.split(" ", 1)[0].replace("’", "'") not in lowered:
            continue  # cheap test before the pattern
        for match in _phrase_re(phrase).finditer(text, start, end):
            found.append((match.start(), match.end(), position, True))
    if parse is not None:
        by_first = _phrase_index(words.phrases)
        sequence = sorted(parse.lemmas.items())
        for k, (offset, lemma) in enumerate(sequence):
            for wanted, position in by_first.get(lemma, ()):
                n = len(wanted)
                if tuple(item for _, item in sequence[k : k + n]) == wanted:
                    last = sequence[k + n - 1][0]
                    match = _WORD_ONLY_RE.match(text, last)
                    found.append((offset, match.end() if match else last + 1, position, False))
    findings, taken = [], []
    for span_start, span_end, position, as_written in sorted(
        found, key=lambda f: (f[0], -f[1], not f[3])
    ):
        if any(s < span_end and span_start < e for s, e in taken):
            continue
        taken.append((span_start, span_end))
        _, replacements, rule = words.phrases[position]
        if as_written:
            suggestion, alternatives = (replacements[0] if replacements else None), replacements[1:]
        else:
            # Found through the lemmas ("coûte" for "coûter"): the replacement would not agree
            # with the sentence, so it is offered as a hint, not as a one-click replacement.
            suggestion, alternatives = None, replacements
        findings.append(
            Finding(
                rule,
                WARNING,
                span_start,
                span_end,
                index,
                _MSG_IDIOM if rule == "idiom" else _MSG_HARD_PHRASE,
                suggestion,
                tuple(alternatives),
            )
        )
    return findings


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


# Score: 0-100, higher is easier (see the module's docstring).
EASY_SCORE = 75  # from here a text is "easy" (and it has no warning and no alert)
HARD_SCORE = 50  # below this a text is "hard"; in between "to_simplify"
_PENALTY = {ALERT: 30.0, WARNING: 15.0, INFO: 2.0}  # per finding, averaged over the sentences
_READABILITY_SHARE = 0.3  # the Kandel-Moles part of the score
DEPTH_PENALTY = 3  # points per level of the deepest parse beyond DEPTH_INFO


def _score(counts: Mapping[str, int], sentences: int, readability: float, depth: int) -> int:
    if not sentences:
        return 0
    penalty = sum(_PENALTY[severity] * n for severity, n in counts.items()) / sentences
    findings_part = max(0.0, 100.0 - penalty)
    readability_part = min(100.0, max(0.0, readability))
    score = (1 - _READABILITY_SHARE) * findings_part + _READABILITY_SHARE * readability_part
    score -= DEPTH_PENALTY * max(0, depth - DEPTH_INFO)
    if counts.get(WARNING) or counts.get(ALERT):
        score = min(score, EASY_SCORE - 1)  # never "easy" while a rule is broken
    if counts.get(ALERT):
        score = min(score, HARD_SCORE + 10)
    return int(round(min(100.0, max(0.0, score))))


def _band(score: int) -> str:
    if score >= EASY_SCORE:
        return "easy"
    return "to_simplify" if score >= HARD_SCORE else "hard"


def _summary(total: int, flagged: int, average: float, notes: int) -> Any:
    if not total:
        return _l("There is no text to check.")
    if not flagged and not notes:
        return _l(
            "No problem found (sentences checked: %(total)s). The text still needs a proofreading by people with an intellectual disability.",
            total=total,
        )
    if not flagged:
        return lazy_ngettext(
            "Nothing serious found, but %(num)s point is worth a look.",
            "Nothing serious found, but %(num)s points are worth a look.",
            notes,
        )
    return _l(
        "Sentences that may be hard to read: %(flagged)s out of %(total)s. Average length: %(average)s words.",
        flagged=flagged,
        total=total,
        average=round(average),
    )


def analyse(
    text: str, glossary: Mapping[str, str] | None = None, *, use_model: bool = True
) -> Report:
    """Check ``text`` against the FALC rules; ``glossary`` adds to (and overrides) the default
    one, and its terms that are not initials become hard words. ``use_model=False`` runs the
    pure Python rules only (as when the language model cannot load)."""
    lexicon = _make_lexicon({**DEFAULT_GLOSSARY, **glossary}) if glossary else _DEFAULT_LEXICON
    words_lexicon = _words_with(glossary)
    spans = split_sentences(text)
    pipeline = language.nlp() if use_model and spans else None
    parses = _parse_text(text, spans, pipeline) if pipeline is not None else None
    lemmas: dict[int, str] = {}
    if parses is not None:
        for parse in parses:
            lemmas.update(parse.lemmas)
    context = _Context(text, lexicon, _explained_abbreviations(text), words_lexicon, lemmas)
    per_sentence: list[list[Finding]] = []
    counts: list[int] = []
    total_syllables = 0
    depth = 0
    for index, (start, end) in enumerate(spans):
        tokens = _tokens(text, start, end)
        parse = parses[index] if parses is not None else None
        findings = _check_length(index, start, end, len(tokens))
        if parse is not None:
            markers = _idea_markers(text, start, end, tokens)
            findings += _model_ideas(index, start, end, parse, markers)
            findings += _model_depth(index, start, end, parse)
            findings += _model_abstract(index, start, end, parse, words_lexicon.everyday)
            findings += _coordination(index, start, end, text, parse)
            findings += _model_passive(index, start, parse)
            depth = max(depth, parse.depth)
        else:
            findings += _check_ideas(index, start, end, text, tokens)
            findings += _check_passive(index, tokens)
        capitals, covered = _check_capitals(index, tokens, context)
        findings += capitals
        findings += _check_number_words(index, text, tokens)
        phrases = _check_phrases(index, start, end, text, words_lexicon, parse)
        findings += phrases
        in_phrase = {
            i
            for i, token in enumerate(tokens)
            if any(f.start <= token.start < f.end for f in phrases)
        }
        findings += _check_words(index, tokens, covered | in_phrase, context)
        negations = _check_negation(index, tokens)
        findings += negations
        findings += _check_double_negation(index, text, tokens, negations)
        findings += _check_steps(index, start, end, tokens, parse)
        per_sentence.append(findings)
        counts.append(len(tokens))
        total_syllables += sum(_token_syllables(token) for token in tokens)

    if spans:
        starts = [start for start, _ in spans]

        def sentence_of(offset: int) -> int:
            return max(bisect_right(starts, offset) - 1, 0)

        def add(rule: str, severity: str, start: int, end: int, message: Any, suggestion=None):
            i = sentence_of(start)
            per_sentence[i].append(_finding(rule, severity, start, end, i, message, suggestion))

        dated = []
        for start, end, suggestion in _numeric_dates(text):
            add("date.numeric", WARNING, start, end, _MSG_DATE, suggestion)
            dated.append((start, end))
        for start, end, suggestion in _dates_without_year(text):
            if not any(s <= start < e for s, e in dated):
                add("date.no_year", WARNING, start, end, _MSG_NO_YEAR, suggestion)
        for start, end, suggestion in _percentages(text):
            add("percentage", WARNING, start, end, _MSG_PERCENT, suggestion)
        for match in _PARENTHESES_RE.finditer(text):
            add("parentheses", INFO, match.start(), match.end(), _MSG_PARENTHESES)
        for start, end, suggestion in _times(text):
            add("time", WARNING, start, end, _MSG_TIME, suggestion)
        for rule, start, end, suggestion in _money(text):
            message = _MSG_EURO_SIGN if rule == "money.sign" else _MSG_LARGE_NUMBER
            add(rule, WARNING, start, end, message, suggestion)
        for match in _AND_OR_RE.finditer(text):
            add("and_or", WARNING, match.start(), match.end(), _MSG_AND_OR, "ou")
        for match in _ETC_RE.finditer(text):
            add("etc", WARNING, match.start(), match.end(), _MSG_ETC)

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
    all_findings = tuple(f for sentence in sentences for f in sentence.findings)
    by_severity = {INFO: 0, WARNING: 0, ALERT: 0}
    for finding in all_findings:
        by_severity[finding.severity] += 1
    readability = _kandel_moles(words, len(counted), total_syllables)
    score = _score(by_severity, len(counted), readability, depth)
    return Report(
        sentences=tuple(sentences),
        findings=all_findings,
        words=words,
        score=score,
        average_sentence_length=round(average, 1),
        share_flagged=flagged / len(sentences) if sentences else 0.0,
        summary=_summary(len(sentences), flagged, average, by_severity[INFO]),
        counts=by_severity,
        band=_band(score),
        model_used=parses is not None or (use_model and language.nlp() is not None),
        readability=readability,
        depth=depth,
    )
