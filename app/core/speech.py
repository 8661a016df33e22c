"""Text as it should be spoken: the one normalisation step before espeak-ng.

The synthesiser reads what is written: "14h30" becomes "quatorze hache trente", "CCAS" becomes
"cas" and "participant·e·s" a string of letters. `to_speech` rewrites a text into words a voice
reads right: times, dates, amounts in euros, ordinals, titles, "et/ou", inclusive writing,
initials (expanded from the caller's glossary or spelled letter by letter), phone numbers two
digits at a time, and a full stop after each line (a title, a list item) so that the voice
pauses there. Pure functions, no Flask: the caller passes the initials it knows in `expansions`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["to_speech", "ordinal_fr"]

_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_END_MARKS = ".!?…:;"

# ---------------------------------------------------------------- numbers in French words

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int) -> str:
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        if unit == 1:
            return f"{_TENS[tens]} et un"
        return f"{_TENS[tens]}-{_UNITS[unit]}"
    if n < 80:
        return "soixante et onze" if n == 71 else "soixante-" + _below_hundred(n - 60)
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + _below_hundred(n - 80)


def _cardinal_fr(n: int) -> str:
    if n < 100:
        return _below_hundred(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
        if rest == 0:
            return head + ("s" if hundreds > 1 else "")
        return f"{head} {_below_hundred(rest)}"
    thousands, rest = divmod(n, 1000)
    head = "mille" if thousands == 1 else f"{_cardinal_fr(thousands)} mille"
    return head if rest == 0 else f"{head} {_cardinal_fr(rest)}"


def ordinal_fr(n: int, feminine: bool = False) -> str:
    """1 → premier (première), 2 → deuxième, 21 → vingt et unième, 80 → quatre-vingtième."""
    if n == 1:
        return "première" if feminine else "premier"
    words = _cardinal_fr(n)
    if words.endswith("cinq"):
        return words + "uième"
    if words.endswith("neuf"):
        return words[:-1] + "vième"
    if words.endswith(("quatre-vingts", "cents")):
        words = words[:-1]
    if words.endswith("e"):
        words = words[:-1]
    return words + "ième"


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"^C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def _roman_value(text: str) -> int | None:
    if not text or not _ROMAN_RE.match(text):
        return None
    total = 0
    for here, after in zip(text, text[1:] + " ", strict=True):
        value = _ROMAN[here]
        total += -value if after != " " and _ROMAN[after] > value else value
    return total or None


# ---------------------------------------------------------------- French rules

_MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_TITLES_FR = (
    (r"\bMM\.(?=\s)", "Messieurs"),
    (r"\bM\.(?=\s+[" + _UPPER + r"])", "Monsieur"),
    (r"\bMmes\.?(?=\s)", "Mesdames"),
    (r"\bMme\.?(?=\s)", "Madame"),
    (r"\bMlles\.?(?=\s)", "Mesdemoiselles"),
    (r"\bMlle\.?(?=\s)", "Mademoiselle"),
    (r"\bDrs?\.?(?=\s+[" + _UPPER + r"])", "Docteur"),
    (r"\bPr\.?(?=\s+[" + _UPPER + r"])", "Professeur"),
    (r"\bMe(?=\s+[" + _UPPER + r"][a-zà-ÿ])", "Maître"),
)
_SHORT_FORMS_FR = (
    (r"\b[Tt]él\.(?=\s)", "téléphone"),
    (r"\b[Ee]nv\.(?=\s)", "environ"),
    (r"\b[Cc]f\.(?=\s)", "voir"),
    (r"\b[Ee]x\.(?=\s)", "par exemple"),
    (r"\bRDV\b", "rendez-vous"),
)
_SHORT_FORMS_EN = (
    (r"\be\.g\.(?=\s)", "for example"),
    (r"\bi\.e\.(?=\s)", "that is"),
    (r"\b[Tt]el\.(?=\s)", "telephone"),
)
_TITLES_EN = (
    (r"\bMr\.?(?=\s)", "Mister"),
    (r"\bMrs\.?(?=\s)", "Missus"),
    (r"\bMs\.?(?=\s)", "Miz"),
    (r"\bDr\.?(?=\s+[A-Z])", "Doctor"),
    (r"\bM\.(?=\s+[A-Z])", "Monsieur"),
    (r"\bMme\.?(?=\s)", "Madame"),
)

# masculine ending, feminine part as written after the dot → how the feminine word ends
_FEMININE_ENDINGS = (
    ("teur", "rice", "trice"),
    ("teur", "trice", "trice"),
    ("eur", "euse", "euse"),
    ("eur", "se", "euse"),
    ("eux", "euse", "euse"),
    ("eux", "se", "euse"),
    ("ier", "ère", "ière"),
    ("ier", "e", "ière"),
    ("er", "ère", "ère"),
    ("if", "ive", "ive"),
    ("if", "ve", "ive"),
    ("eau", "elle", "elle"),
)
_DOTS = "·•⋅∙"


def _feminine(stem: str, part: str) -> str:
    for ending, written, feminine in _FEMININE_ENDINGS:
        if stem.endswith(ending) and part == written:
            return stem[: -len(ending)] + feminine
    return stem + part


def _masculine_plural(stem: str) -> str:
    if stem.endswith("eau"):
        return stem + "x"
    return stem if stem.endswith(("s", "x", "z")) else stem + "s"


_PRONOUNS = {"il": "elle", "ils": "elles", "eux": "elles", "ceux": "celles", "celui": "celle"}


def _both_forms(stem: str, feminine_part: str, plural: str) -> str:
    if stem.lower() in _PRONOUNS:  # ils·elles, celui·celle
        joiner = "et" if stem.endswith(("s", "x")) else "ou"
        return f"{stem} {joiner} {_PRONOUNS[stem.lower()]}"
    if stem == "tous":  # tous·tes
        stem = "tou"
    feminine = _feminine(stem, feminine_part)
    if stem == "tou":
        return f"{feminine}s et tous"
    masculine = stem[:1].lower() + stem[1:] if stem[1:].islower() else stem
    if plural:
        return f"{feminine}s et {_masculine_plural(masculine)}"
    return f"{feminine} ou {masculine}"


_INCLUSIVE_DOT = re.compile(
    rf"\b([{_LETTER}]+)[{_DOTS}]([a-zà-ÿ]+)(?:[{_DOTS}]([sx]))?(?![{_LETTER}{_DOTS}])"
)
_INCLUSIVE_FULL_STOP = re.compile(rf"\b([{_LETTER}]{{2,}})\.([a-zà-ÿ]{{1,5}})\.(s)\b")
_INCLUSIVE_BRACKETS = re.compile(rf"\b([{_LETTER}]{{2,}})\(([a-zà-ÿ]{{1,5}})\)(s?)(?![{_LETTER}])")


def _inclusive(match: re.Match[str]) -> str:
    stem, part, plural = match.group(1), match.group(2), match.group(3) or ""
    if stem.lower() in _PRONOUNS:
        return _both_forms(stem, part, plural)
    if not plural and len(part) > 1 and part.endswith("s"):
        part, plural = part[:-1], "s"
    return _both_forms(stem, part, plural)


def _spell(word: str) -> str:
    return " ".join(f"{letter}." for letter in word)


def _amount(whole: str, cents: str | None, language: str) -> str:
    units = int(re.sub(r"\D", "", whole) or "0")
    cents_value = int((cents or "0").ljust(2, "0")[:2])
    if language == "en":
        unit_word = "euro" if units == 1 else "euros"
        if units == 0 and cents_value:
            return f"{cents_value} cents"
        return f"{units} {unit_word}" + (f" {cents_value}" if cents_value else "")
    unit_word = "euro" if units == 1 else "euros"
    if units == 0 and cents_value:
        return f"{cents_value} centime" + ("s" if cents_value > 1 else "")
    return f"{units} {unit_word}" + (f" {cents_value}" if cents_value else "")


_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+"
_AMOUNT_AFTER = re.compile(
    rf"(?<![\d,])({_NUMBER})(?:[,.](\d{{1,2}}))?\s?(?:€|EUR\b|euros?\b)(?:(\d{{2}})\b)?"
)
_AMOUNT_BEFORE = re.compile(rf"€\s?({_NUMBER})(?:[,.](\d{{1,2}}))?")


def _time(hours: str, minutes: str | None, language: str) -> str:
    h = int(hours)
    m = int(minutes) if minutes else 0
    if language == "en":
        return f"{h} {m:02d}" if m else f"{h} o'clock"
    word = "heure" if h <= 1 else "heures"
    return f"{h} {word} {m}" if m else f"{h} {word}"


_TIME_H = re.compile(r"(?<![\d,.])([01]?\d|2[0-3])\s?[hH]\s?([0-5]\d)?(?![\w])")
_TIME_COLON = re.compile(r"(?<![\d,.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_PHONE = re.compile(r"(?<![\d+])0[1-9](?:[ .\-\u00a0]?\d{2}){4}(?!\d)")
_PHONE_INTERNATIONAL = re.compile(r"\+33\s?\(?0?\)?\s?([1-9])((?:[ .\-\u00a0]?\d{2}){4})(?!\d)")
_ORDINAL = re.compile(r"\b(\d{1,6})(er|re|ère|ere|e|ème|eme|è|ᵉ|ᵉʳ|nde?)(s?)(?![\w])")
_ROMAN_ORDINAL = re.compile(r"\b([IVXLC]+)(er|re|e|ème|ᵉ)(s?)(?![\w])")
_INITIALS = re.compile(rf"(?<![{_LETTER}\-'’])([{_UPPER}]{{2,5}})(?![{_LETTER}\-'’])")
_SHOUTED_WORD = re.compile(rf"\b[{_UPPER}]{{3,}}\b")


def _date(day: int, month: int, year: str | None, language: str) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    full_year = ""
    if year:
        full_year = f" {2000 + int(year) if len(year) == 2 else int(year)}"
    if language == "en":
        return f"{day} {_MONTHS_EN[month - 1]}{full_year}"
    first = "premier" if day == 1 else str(day)
    return f"{first} {_MONTHS_FR[month - 1]}{full_year}"


def _date_match(match: re.Match[str], language: str) -> str:
    day, month, year = match.group(1), match.group(2), match.group(3)
    if not year and len(day) < 2 and len(month) < 2:
        return match.group(0)  # "1/2" is a half, not the first of February
    return _date(int(day), int(month), year, language) or match.group(0)


def _ordinal_match(match: re.Match[str]) -> str:
    number, suffix, plural = int(match.group(1)), match.group(2), match.group(3)
    if suffix in ("nd", "nde"):
        if number != 2:
            return match.group(0)
        return ("seconde" if suffix == "nde" else "second") + plural
    feminine = suffix in ("re", "ère", "ere")
    if number == 1 and suffix not in ("er", "re", "ère", "ere", "ᵉʳ"):
        return match.group(0)
    if number != 1 and suffix in ("er", "re", "ère", "ere", "ᵉʳ"):
        return match.group(0)
    return ordinal_fr(number, feminine) + plural


def _roman_ordinal_match(match: re.Match[str]) -> str:
    letters, suffix, plural = match.group(1), match.group(2), match.group(3)
    value = _roman_value(letters)
    if value is None or (len(letters) == 1 and letters not in "IVX"):
        return match.group(0)
    if (value == 1) != (suffix in ("er", "re")):
        return match.group(0)
    return ordinal_fr(value, suffix == "re") + plural


def _expand(text: str, expansions: Mapping[str, str]) -> str:
    for term in sorted(expansions, key=len, reverse=True):
        meaning = (expansions[term] or "").strip()
        if not term.strip() or not meaning:
            continue
        pattern = rf"(?<![{_LETTER}\-])" + re.escape(term.strip()) + rf"(?![{_LETTER}\-])"
        text = re.sub(pattern, lambda _m, meaning=meaning: meaning, text)
    return text


def _initials(match: re.Match[str]) -> str:
    word = match.group(1)
    if _roman_value(word) is not None or word in ("OK",):
        return word
    return _spell(word)


def _line(line: str, language: str, expansions: Mapping[str, str]) -> str:
    text = line.strip()
    text = re.sub(r"^[-*•–—]\s+", "", text)
    if not text:
        return ""
    # A line written all in capitals is shouted words, not initials.
    shouted = _SHOUTED_WORD.findall(text)
    if len(shouted) >= 3 and not re.search(r"[a-zà-ÿ]", text):
        text = text.lower()
    if expansions:
        text = _expand(text, expansions)
    fr = language != "en"
    # words
    text = re.sub(r"\bet\s?/\s?ou\b", "et ou", text) if fr else text
    text = re.sub(r"\band\s?/\s?or\b", "and or", text, flags=re.I)
    text = re.sub(r"\betc\.(?=\s*$|\s+[" + _UPPER + "])", "et cetera.", text)
    text = re.sub(r"\betc\.", "et cetera", text)
    text = re.sub(r"(?i)\bn°\s?", "numéro " if fr else "number ", text)
    for pattern, words in _SHORT_FORMS_FR if fr else _SHORT_FORMS_EN:
        text = re.sub(pattern, words, text)
    text = text.replace("&", " et " if fr else " and ")
    for pattern, word in _TITLES_FR if fr else _TITLES_EN:
        text = re.sub(pattern, word, text)
    if fr:
        text = _INCLUSIVE_DOT.sub(_inclusive, text)
        text = _INCLUSIVE_FULL_STOP.sub(_inclusive, text)
        text = _INCLUSIVE_BRACKETS.sub(_inclusive, text)
    # phone numbers, two digits at a time
    text = _PHONE_INTERNATIONAL.sub(
        lambda m: "0" + m.group(1) + " " + " ".join(re.findall(r"\d{2}", m.group(2))), text
    )
    text = _PHONE.sub(lambda m: " ".join(re.findall(r"\d{2}", re.sub(r"\D", "", m.group(0)))), text)
    # "24h/24", "7j/7", "24/7": every hour, every day (not a date)
    if fr:
        text = re.sub(r"\b24\s?h\s?/\s?24\b", "24 heures sur 24", text)
        text = re.sub(r"\b7\s?j\s?/\s?7\b", "7 jours sur 7", text)
        text = re.sub(r"\b24\s?/\s?7\b", "24 heures sur 24, 7 jours sur 7", text)
    # dates, then times (before amounts and ordinals read the digits)
    text = _ISO_DATE.sub(
        lambda m: _date(int(m.group(3)), int(m.group(2)), m.group(1), language) or m.group(0), text
    )
    text = _DATE.sub(lambda m: _date_match(m, language), text)
    text = re.sub(
        r"(?<![\d,.])([01]?\d|2[0-3])\s?[hH]\s?([0-5]\d)?\s?[-–à]\s?(?=([01]?\d|2[0-3])\s?[hH](?!\w|\d))",
        lambda m: _time(m.group(1), m.group(2), language) + (" à " if fr else " to "),
        text,
    )
    text = _TIME_H.sub(lambda m: _time(m.group(1), m.group(2), language), text)
    text = _TIME_COLON.sub(lambda m: _time(m.group(1), m.group(2), language), text)
    text = re.sub(r"(?<=\d)\s?min\b\.?", " minutes", text)
    # money
    text = _AMOUNT_AFTER.sub(
        lambda m: _amount(m.group(1), m.group(2) or m.group(3), language), text
    )
    text = _AMOUNT_BEFORE.sub(lambda m: _amount(m.group(1), m.group(2), language), text)
    text = re.sub(r"(euros?(?: \d\d)?|centimes?)\s?/\s?", r"\1 par " if fr else r"\1 per ", text)
    # large numbers written with spaces or dots between thousands
    text = re.sub(
        r"(?<![\d,])\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d,])",
        lambda m: re.sub(r"\D", "", m.group(0)),
        text,
    )
    if fr:
        text = _ORDINAL.sub(_ordinal_match, text)
        text = _ROMAN_ORDINAL.sub(_roman_ordinal_match, text)
    text = re.sub(r"%", " pour cent" if fr else " percent", text)
    text = _INITIALS.sub(_initials, text)
    text = re.sub(r"[ \u00a0\u202f]{2,}", " ", text).strip()
    if text and text[-1] not in _END_MARKS:
        text += "."
    return text


def to_speech(text: str, language: str = "fr", expansions: Mapping[str, str] | None = None) -> str:
    """`text` rewritten as it should be read aloud in `language` ("fr" or "en")."""
    language = "en" if (language or "").lower().startswith("en") else "fr"
    lines = (_line(line, language, expansions or {}) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)
