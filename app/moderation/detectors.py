"""Moderation detectors: find personal data, distress and insults in a French text.

Pure Python, stdlib only: ``detect(text)`` returns ``Finding``s with offsets in the original text,
matched case- and accent-insensitively; ``redact``, ``segments`` and ``removed_parts`` help
moderators and authors. A human always decides, so doubtful cases are reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

KINDS = ("distress", "phone", "email", "address", "iban", "nir", "staff_name", "insult")
PERSONAL = frozenset({"phone", "email", "address", "iban", "nir", "staff_name"})
URGENT = frozenset({"distress"})
ABUSE = frozenset({"insult"})

_ORDER = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int  # offsets into the original text
    end: int
    text: str  # the original text[start:end]


# Lowercase, accents removed. Matched as whole words; the last word may take s, e, es or x.
DEFAULT_INSULTS: tuple[str, ...] = (
    "con",
    "conne",
    "connard",
    "conard",
    "connasse",
    "salope",
    "salaud",
    "salopard",
    "pute",
    "fils de pute",
    "fdp",
    "encule",
    "va te faire enculer",
    "va te faire foutre",
    "nique ta mere",
    "nique ta race",
    "ntm",
    "ta gueule",
    "ferme ta gueule",
    "batard",
    "enfoire",
    "abruti",
    "debile",
    "cretin",
    "imbecile",
    "bouffon",
    "trou du cul",
    "sous-merde",
    "raclure",
    "enflure",
    "pouffiasse",
    "petasse",
    "grognasse",
    "garce",
    "pd",
    "pede",
    "gouine",
    "tarlouze",
    "tafiole",
    "sale arabe",
    "sale noir",
    "sale juif",
    "sale juive",
    "sale race",
    "sale porc",
    "gros porc",
    "negre",
    "negro",
    "bougnoule",
    "youpin",
    "bicot",
)

# Lowercase, accents removed. Matched as whole words, several spaces and ' or ’ tolerated.
DEFAULT_DISTRESS: tuple[str, ...] = (
    "me suicider",
    "suicidaire",
    "me tuer",
    "me foutre en l'air",
    "en finir",
    "mettre fin a mes jours",
    "mettre fin a ma vie",
    "plus envie de vivre",
    "envie de mourir",
    "je veux mourir",
    "je veux plus vivre",
    "je ne veux plus vivre",
    "je veux disparaitre",
    "me faire du mal",
    "me scarifier",
    "me scarifie",
    "me mutiler",
    "me pendre",
    "me jeter sous un train",
    "il me frappe",
    "elle me frappe",
    "on me frappe",
    "il m'a frappe",
    "il me bat",
    "elle me bat",
    "il me battait",
    "il me tape",
    "je suis en danger",
    "j'ai peur pour ma vie",
    "peur qu'il me tue",
    "il va me tuer",
    "elle va me tuer",
    "menace de me tuer",
    "violences conjugales",
    "violence conjugale",
    "on m'a viole",
    "il m'a viole",
    "agression sexuelle",
    "dormir dehors ce soir",
    "a la rue ce soir",
    "dans la rue ce soir",
    "nulle part ou dormir",
    "pas ou dormir ce soir",
    "rien a manger depuis",
    "plus rien a manger",
    "pas mange depuis",
    "je n'en peux plus",
    "j'en peux plus",
    "au bout du rouleau",
)

_APOSTROPHES = frozenset("'’‘ʼ`´′＇")
_HYPHENS = frozenset("‐‑‒–—―−")
_LIGATURES = {"œ": "oe", "æ": "ae"}


def normalise(text: str) -> tuple[str, list[int]]:
    """Lowercase, accents removed, ' for typographic apostrophes, ' ' for each whitespace char.

    Returns the normalised text and, for each of its characters, the index of the original
    character it comes from. Compatibility forms are decomposed too (NFKD: "ﬁ" -> "fi", full-width
    digits -> digits), œ/æ become oe/ae, dashes become "-", invisible format characters
    (soft hyphen, zero-width space) are dropped.
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            out.append(" ")
            origin.append(index)
            continue
        if char in _APOSTROPHES:
            out.append("'")
            origin.append(index)
            continue
        if char in _HYPHENS:
            out.append("-")
            origin.append(index)
            continue
        if unicodedata.category(char) == "Cf":
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.category(part) == "Mn":
                continue
            for low in part.lower():
                for piece in _LIGATURES.get(low, low):
                    out.append(piece)
                    origin.append(index)
    return "".join(out), origin


def _cased(text: str, norm: str, origin: Sequence[int]) -> str:
    """The normalised text with the letters that are capitals in the original in capitals."""
    chars = []
    for char, index in zip(norm, origin, strict=True):
        upper = char.upper()
        chars.append(upper if text[index].isupper() and len(upper) == 1 else char)
    return "".join(chars)


# --- phone -----------------------------------------------------------------------------------
# 01-07 and 09 (08 numbers are services, free helplines): 10 digits with any single separator,
# or +33 / 0033 with an optional (0). The number must not touch other digits, even across one
# separator, so that longer numbers (IBAN, social security) are not cut into phone numbers.
_PHONE = re.compile(
    r"(?<![0-9+])(?<![0-9][ .\-])"
    r"(?:(?:\+|00)[ ]?33[ .\-]?(?:\(0\)|0)?[ .\-]?[1-79]|0[1-79])"
    r"(?:[ .\-]?[0-9]){8}"
    r"(?![ .\-]?[0-9])"
)

# --- e-mail ----------------------------------------------------------------------------------
_LOCAL = r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+"
_AT = r"(?:\s*@\s*|\s*[\[(]\s*(?:at|arobase|@)\s*[\])]\s*|\s+arobase\s+)"
_DOT = r"(?:\.|\s*[\[(]\s*(?:dot|point)\s*[\])]\s*|\s+point\s+)"
_EMAIL = re.compile(
    _LOCAL + _AT + r"[a-z0-9\-]+(?:" + _DOT + r"[a-z0-9\-]+)*" + _DOT + r"[a-z]{2,24}(?![a-z0-9])"
)

# --- address (run on the cased text: capitals matter) ----------------------------------------
# A street type preceded by a number ("12 rue des lilas"), or followed by a capitalised word
# after optional de/du/des/de la/d'/l' ("place du Marché", not "place du marché"). Types that
# are also common words always need the capitalised word ("la route de Lille", not "je prends
# la route demain"); "cours" and "passage" also need the number ("au cours de Français").
_STRONG = (
    r"rue|ruelle|avenue|av\.?|boulevard|bd\.?|bld\.?|bvd\.?|blvd\.?|chemin|allees?|impasse|imp\.?"
    r"|quai|chaussee|lotissement|residence|square|faubourg|fbg\.?|esplanade|rond-point|sentier"
    r"|lieu-dit"
)
_WEAK = r"place|route|rte\.?|cite|voie|promenade|parvis"
_NUMBERED_ONLY = r"cours|passage"
_CONN = r"(?i:(?:de|du|des|la|le|les|aux|au)\s+|[dl]\s*'\s*)"
_WORD = r"[^\W_]+(?:-[^\W_]+)*"
_CAPITAL = r"[A-Z][^\W_]*(?:-[^\W_]+)*"
_NUMBER = r"(?<![0-9])[0-9]{1,4}(?:\s?(?i:bis|ter|quater)|[a-dA-D])?(?:\s*,)?\s+"
_STREET = re.compile(
    rf"(?:{_NUMBER}(?i:{_STRONG})\s+{_CONN}{{0,3}}{_WORD}"
    rf"|{_NUMBER}(?i:{_WEAK}|{_NUMBERED_ONLY})\s+{_CONN}{{0,3}}{_CAPITAL}"
    rf"|(?<![^\W_])(?i:{_STRONG}|{_WEAK})\s+{_CONN}{{0,3}}{_CAPITAL})"
    r"(?![^\W_])"
)
_POSTCODE = re.compile(
    rf"(?<![0-9])(?:0[1-9]|[1-8][0-9]|9[0-8])[0-9]{{3}}(?![0-9])[ ]+(?P<city>{_CAPITAL})"
)
_NOT_CITIES = frozenset({"euros", "euro", "eur", "personnes", "habitants", "dollars"})
_ADDRESS_MORE = re.compile(
    rf"\s+{_CONN}{{0,3}}{_CAPITAL}(?![^\W_])"
    r"|\s*,?\s*(?i:batiment|bat\.?|escalier|esc\.?|appartement|appart\.?|appt\.?|apt\.?|etage"
    r"|porte)\s+[^\W_]{1,4}(?![^\W_])"
)
_ADDRESS_GAP = re.compile(r"[\s,]*")

# --- IBAN ------------------------------------------------------------------------------------
_IBAN = re.compile(
    r"(?<![a-z0-9])[a-z]{2}[0-9]{2}"
    r"(?:[a-z0-9]{11,30}|(?: [a-z0-9]{4}){2,7}(?: [a-z0-9]{1,4})?)"
    r"(?![a-z0-9])"
)

# --- NIR (numéro de sécurité sociale) --------------------------------------------------------
_NIR = re.compile(
    r"(?<![0-9a-z])(?<![0-9][ .\-])"
    r"(?P<sex>[1-478])[ ]?(?P<year>[0-9]{2})[ ]?(?P<month>[0-9]{2})[ ]?(?P<dept>2a|2b|[0-9]{2})"
    r"[ ]?(?P<town>[0-9]{3})[ ]?(?P<order>[0-9]{3})(?:[ ]?(?P<key>[0-9]{2}))?"
    r"(?![0-9a-z])(?![ .\-]?[0-9])"
)

# --- staff names -----------------------------------------------------------------------------
# Family names that are also common French words are never matched alone (title + name is).
_NAME_STOP = frozenset(
    {
        "petit",
        "petite",
        "grand",
        "grande",
        "blanc",
        "blanche",
        "noir",
        "noire",
        "brun",
        "brune",
        "roux",
        "fort",
        "forte",
        "juste",
        "bien",
        "beau",
        "belle",
        "bonne",
        "leger",
        "vrai",
        "jeune",
        "vieux",
        "doux",
        "douce",
        "gros",
        "grosse",
        "france",
        "paris",
        "janvier",
        "avril",
        "juillet",
        "lundi",
        "mardi",
        "jeudi",
        "samedi",
        "marchand",
        "boucher",
        "berger",
        "meunier",
        "fontaine",
        "riviere",
        "bois",
        "pierre",
        "roche",
        "chevalier",
        "renard",
        "merci",
        "bonjour",
    }
)
_TITLE = r"(?:madame|mme|mademoiselle|mlle|monsieur|m\.|mr\.?|docteur|dr\.?)\s*"
_NAME_SEP = r"(?:\s+|[._\-])"

_INSULT_FORMS_EXCLUDED = frozenset({"cone", "cones"})  # "con" + e/es: a (ice-cream) cone
_INSULT_ENDINGS = r"(?:s|e|es|x)?"
_DISTRESS_ENDINGS = r"(?:e|s|es)?"
_NUMERIC = frozenset({"phone", "iban", "nir"})
_SEPARATORS = {" ": r"\s+", "'": r"(?:\s*'\s*|\s+)", "-": r"(?:\s*-\s*|\s+)"}


def _phrase_pattern(phrase: str) -> str | None:
    """A regex for one normalised phrase: spaces, apostrophes and hyphens are flexible."""
    norm = " ".join(normalise(phrase)[0].split())
    norm = re.sub(r"\s*(['\-])\s*", r"\1", norm)
    if not re.search(r"[^\W_]", norm):
        return None
    parts = []
    for piece in re.findall(r"[^ '\-]+|[ '\-]", norm):
        parts.append(_SEPARATORS.get(piece) or re.escape(piece))
    return "".join(parts)


@lru_cache(maxsize=64)
def _phrases_regex(phrases: tuple[str, ...], endings: str) -> re.Pattern[str] | None:
    patterns = {p for p in map(_phrase_pattern, phrases) if p}
    if not patterns:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternatives(patterns)}){endings}(?!\w)")


@lru_cache(maxsize=64)
def _staff_regexes(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Two regexes: on the lowercase text, the full names, "Family Given" and a title followed by
    the family name (group ``family``); on the cased text, the family name alone, capitalised,
    when it has at least 4 letters and is not a common word."""
    full: set[str] = set()
    families: set[str] = set()
    alone: set[str] = set()
    for name in names:
        tokens = [t for t in normalise(name)[0].split() if re.search(r"[^\W_]", t)]
        if not tokens:
            continue
        pieces = [_phrase_pattern(token) or re.escape(token) for token in tokens]
        full.add(_NAME_SEP.join(pieces))
        if len(pieces) > 1:
            full.add(_NAME_SEP.join([pieces[-1], *pieces[:-1]]))
        families.add(pieces[-1])
        family = tokens[-1]
        letters = re.sub(r"[\W_]", "", family)
        if len(letters) >= 4 and letters not in _NAME_STOP and family[0].isalpha():
            alone.add(f"{re.escape(family[0].upper())}(?i:{pieces[-1][1:]})")
    if not full:
        return None, None
    full_re = re.compile(
        rf"(?<![\w\-])(?:{_alternatives(full)}|{_TITLE}(?P<family>{_alternatives(families)}))"
        r"(?![\w\-])"
    )
    alone_re = re.compile(rf"(?<![\w\-])(?:{_alternatives(alone)})(?![\w\-])") if alone else None
    return full_re, alone_re


def _alternatives(patterns: Iterable[str]) -> str:
    """Longest first, so that "ferme ta gueule" wins over "ta gueule" at the same place."""
    return "|".join(sorted(set(patterns), key=lambda p: (-len(p), p)))


# --- checks ----------------------------------------------------------------------------------


def _iban_valid(compact: str) -> bool:
    """ISO 13616 mod-97, or any 27-character FR number (one wrong digit is still bank details)."""
    if not 15 <= len(compact) <= 34:
        return False
    if compact.startswith("fr") and len(compact) == 27:
        return True
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _nir_valid(match: re.Match[str]) -> bool:
    """A valid structure is enough: a social security number with a wrong key (a typing
    mistake, or the textbook example "1 85 05 78 006 084 36") is still someone's number,
    as for IBANs above. The key only matters in `nir_key_ok`."""
    month = int(match["month"])
    return 1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99


def nir_key_ok(digits: str) -> bool:
    """The control key of a 15-character number (2A/2B for Corsica accepted)."""
    compact = digits.replace(" ", "").lower()
    if len(compact) != 15:
        return False
    body = compact[:5] + {"2a": "19", "2b": "18"}.get(compact[5:7], compact[5:7]) + compact[7:13]
    if not body.isdigit() or not compact[13:].isdigit():
        return False
    return int(compact[13:]) == 97 - int(body) % 97


# --- detectors (normalised offsets) ----------------------------------------------------------

_Span = tuple[str, int, int]


def _phones(norm: str) -> list[_Span]:
    return [("phone", *m.span()) for m in _PHONE.finditer(norm)]


def _emails(norm: str) -> list[_Span]:
    return [("email", *m.span()) for m in _EMAIL.finditer(norm)]


def _addresses(cased: str) -> list[_Span]:
    spans = [m.span() for m in _STREET.finditer(cased)]
    spans += [m.span() for m in _POSTCODE.finditer(cased) if m["city"].lower() not in _NOT_CITIES]
    found = []
    for start, end in spans:
        for _ in range(6):  # the rest of the name, a building, a flat
            more = _ADDRESS_MORE.match(cased, end)
            if not more:
                break
            end = more.end()
        found.append(("address", start, end))
    return found


def _ibans(norm: str) -> list[_Span]:
    found = []
    for match in _IBAN.finditer(norm):
        # The last groups may be ordinary words ("... 189 la radio"): keep the longest valid
        # prefix made of whole groups.
        pieces = match.group().split(" ")
        for count in range(len(pieces), 0, -1):
            candidate = " ".join(pieces[:count])
            if _iban_valid(candidate.replace(" ", "")):
                found.append(("iban", match.start(), match.start() + len(candidate)))
                break
    return found


def _nirs(norm: str) -> list[_Span]:
    return [("nir", *m.span()) for m in _NIR.finditer(norm) if _nir_valid(m)]


def _phrases(norm: str, kind: str, regex: re.Pattern[str] | None) -> list[_Span]:
    if regex is None:
        return []
    found = []
    for match in regex.finditer(norm):
        if kind == "insult" and " ".join(match.group().split()) in _INSULT_FORMS_EXCLUDED:
            continue
        found.append((kind, *match.span()))
    return found


def _staff(norm: str, cased: str, names: tuple[str, ...]) -> list[_Span]:
    full_re, alone_re = _staff_regexes(names)
    found: list[_Span] = []
    if full_re is not None:
        for match in full_re.finditer(norm):
            span = match.span("family") if match["family"] is not None else match.span()
            found.append(("staff_name", *span))
    if alone_re is not None:
        found += [("staff_name", *m.span()) for m in alone_re.finditer(cased)]
    return found


# --- public API ------------------------------------------------------------------------------


def detect(
    text: str,
    *,
    staff_names: Iterable[str] = (),
    insults: Iterable[str] | None = None,
    distress: Iterable[str] | None = None,
) -> list[Finding]:
    """All findings, sorted by (start, kind order in KINDS, end).

    ``insults`` and ``distress`` default to ``DEFAULT_INSULTS`` and ``DEFAULT_DISTRESS``.
    Overlapping findings of different kinds are all returned (an e-mail address that contains
    a staff name), except that a phone, IBAN or social security number inside another one of
    these is dropped. Overlapping findings of one kind are merged, and so are parts of one
    address separated by spaces or commas ("12 rue des Lilas, 59000 Lille").
    """
    if not text:
        return []
    norm, origin = normalise(text)
    if not norm:
        return []
    cased = _cased(text, norm, origin)
    insult_list = tuple(DEFAULT_INSULTS if insults is None else insults)
    distress_list = tuple(DEFAULT_DISTRESS if distress is None else distress)
    spans = [
        *_phrases(norm, "distress", _phrases_regex(distress_list, _DISTRESS_ENDINGS)),
        *_phones(norm),
        *_emails(norm),
        *_addresses(cased),
        *_ibans(norm),
        *_nirs(norm),
        *_staff(norm, cased, tuple(staff_names)),
        *_phrases(norm, "insult", _phrases_regex(insult_list, _INSULT_ENDINGS)),
    ]
    # Normalised offsets -> original offsets (a match may end inside an expanded character).
    mapped = [
        (kind, origin[start], origin[end - 1] + 1) for kind, start, end in spans if end > start
    ]

    by_kind: dict[str, list[tuple[int, int]]] = {}
    for kind, start, end in mapped:
        by_kind.setdefault(kind, []).append((start, end))
    merged: list[tuple[str, int, int]] = []
    for kind, kind_spans in by_kind.items():
        kind_spans.sort()
        current = list(kind_spans[0])
        for start, end in kind_spans[1:]:
            touching = start < current[1] or (
                kind == "address" and _ADDRESS_GAP.fullmatch(text, current[1], start) is not None
            )
            if touching:
                current[1] = max(current[1], end)
            else:
                merged.append((kind, current[0], current[1]))
                current = [start, end]
        merged.append((kind, current[0], current[1]))

    # A phone, IBAN or NIR inside a longer one of them is dropped (one sweep, longest first).
    kept = [f for f in merged if f[0] not in _NUMERIC]
    reach = -1
    for kind, start, end in sorted(
        (f for f in merged if f[0] in _NUMERIC), key=lambda f: (f[1], -f[2])
    ):
        if end > reach:
            kept.append((kind, start, end))
            reach = end
    kept.sort(key=lambda f: (f[1], _ORDER[f[0]], f[2]))
    return [Finding(kind, start, end, text[start:end]) for kind, start, end in kept]


def kinds(findings: Iterable[Finding]) -> list[str]:
    """The distinct kinds of the findings, in KINDS order."""
    present = {finding.kind for finding in findings}
    return [kind for kind in KINDS if kind in present]


def _merge(spans: Iterable[tuple[int, int, str]], *, touching: bool) -> list[tuple[int, int, str]]:
    """Merge overlapping (and, if ``touching``, adjacent) spans; a merged span keeps the first
    kind in KINDS order."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], _ORDER.get(s[2], len(KINDS)))):
        if merged and (start < merged[-1][1] or (touching and start == merged[-1][1])):
            last_start, last_end, last_kind = merged[-1]
            first = min(last_kind, kind, key=lambda k: _ORDER.get(k, len(KINDS)))
            merged[-1] = (last_start, max(last_end, end), first)
        else:
            merged.append((start, end, kind))
    return merged


def _clipped(text: str, findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    size = len(text)
    spans = []
    for finding in findings:
        start, end = max(0, min(finding.start, size)), max(0, min(finding.end, size))
        if end > start:
            spans.append((start, end, finding.kind))
    return spans


def redact(text: str, findings: Iterable[Finding], placeholder: str = "[…]") -> str:
    """The text with every personal-data span (kinds in PERSONAL) replaced by ``placeholder``.

    Insults and distress stay: a moderator decides about them. Overlapping or adjacent spans
    become one placeholder.
    """
    personal = [f for f in findings if f.kind in PERSONAL]
    pieces = []
    position = 0
    for start, end, _kind in _merge(_clipped(text, personal), touching=True):
        pieces.append(text[position:start])
        pieces.append(placeholder)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def segments(text: str, findings: Iterable[Finding]) -> list[tuple[str, str | None]]:
    """The text cut into consecutive ``(piece, kind or None)`` for highlighting.

    Overlapping findings become one piece whose kind is the first in KINDS order; the pieces
    always join back into the text.
    """
    result: list[tuple[str, str | None]] = []
    position = 0
    for start, end, kind in _merge(_clipped(text, findings), touching=False):
        if start > position:
            result.append((text[position:start], None))
        result.append((text[start:end], kind))
        position = end
    if position < len(text):
        result.append((text[position:], None))
    return result


def removed_parts(original: str, redacted: str) -> list[str]:
    """The fragments of ``original`` that are not in ``redacted`` (what a moderator removed or
    replaced), stripped, in order."""
    matcher = SequenceMatcher(None, original, redacted, autojunk=False)
    parts = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            part = original[i1:i2].strip()
            if part:
                parts.append(part)
    return parts
