"""Counts shown to people go through ngettext, so that nobody reads "1 personnes invitées".

The scan reads the messages as pybabel extracts them (babel.cfg: Python and templates) and
the templates' own text: a number placeholder followed by a plural noun (one word may stand
between them: "%(n)s invited people", "%(n)s paper questionnaires") in a message that is
not an ngettext one, or "{{ n }} people" written in a template, is a failure with file:line.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parents[3]

# English and French plural nouns that follow a count in Parole's pages.
NOUNS = [
    "people",
    "persons",
    "participants",
    "members",
    "invitations",
    "answers",
    "responses",
    "questions",
    "comments",
    "texts",
    "messages",
    "reports",
    "proofreaders",
    "requests",
    "receipts",
    "codes",
    "questionnaires",
    "sessions",
    "missions",
    "trainers",
    "co-trainers",
    "places",
    "seats",
    "days",
    "hours",
    "minutes",
    "weeks",
    "months",
    "years",
    "times",
    "ideas",
    "items",
    "votes",
    "lines",
    "pages",
    "notifications",
    "words",
    "syllables",
    "personnes",
    "participantes",
    "membres",
    "réponses",
    "commentaires",
    "textes",
    "demandes",
    "reçus",
    "codes",
    "séances",
    "places",
    "jours",
    "heures",
    "semaines",
    "mois",
    "fois",
    "idées",
    "lignes",
    "mots",
]
_NOUN = "(?:" + "|".join(re.escape(n) for n in NOUNS) + r")(?![\w'’])"
IN_MESSAGE = re.compile(r"%\((\w+)\)[sd]\s+(?:[\w-]+\s+)?" + _NOUN, re.IGNORECASE)
IN_TEMPLATE = re.compile(r"\{\{\s*[\w.]+(?:\|\w+)?\s*\}\}\s+(?:[\w-]+\s+)?" + _NOUN, re.IGNORECASE)
# Messages where the number is never 1 (a limit or a threshold of the product, or a count
# the code has already checked), or is a quantity rather than a count (hours written with
# decimals, an average). Each is kept by its English text.
NEVER_ONE = {
    "Choose a longer password: at least %(n)s characters, or %(words)s words.",
    "Choose between %(low)s and %(high)s months.",
    "For your safety, you were logged out after %(hours)s hours. Log in again.",
    "You were logged out after %(days)s days without a visit. Log in again.",
    "They typed a wrong code or password %(count)s times in one day.",
    "%(num)s people wait for news from you. Tell them what is new.",  # if people > 1
    "Write at most %(n)s possible answers.",
    "People must receive the invitation at least %(days)s days before the opening. "
    "Move the opening to %(date)s or later.",
    "Too early: the invitation left less than %(days)s days ago. "
    "You can open the round from %(date)s.",
    "You have %(num)s hours left to answer.",  # 2 to 48: under 2 another message
    "You have %(num)s days left to answer.",  # more than 48 hours
    "This PDF has too many pages. The limit is %(n)s pages.",
    "This cost already has %(n)s receipts. That is the limit. Remove one to add another.",
    "This sentence is very long: %(n)s words. Cut it into short sentences.",
    "This sentence is long: %(n)s words. Try to cut it in two.",
    "This sentence may hold %(n)s ideas. Write one idea per sentence.",
    "This word is long (%(n)s syllables). Use a shorter word if you can.",
    "The invitation is sent at least %(days)s days before the opening",
    "The invitation is not sent yet. It is too late for %(days)s days: "
    "the round opens on %(date)s.",  # the organisation's notice, in days
    "Every sign-up gets an answer within %(days)s days",
    "No sign-up waits more than %(days)s days. %(waiting)s waiting for less.",
    "The link works once, for %(hours)s hours.",
    "Read the next texts (%(n)s texts in all)",  # only when there is a next page
    "What people added to their evaluation shows once %(n)s people have given it: "
    "before that, someone could be recognised.",
    # The small-group threshold: only said when something is under it, so at least 2.
    "Fewer than %(n)s people sent their answers. To protect them, no number is shown.",
    "not shown: one way has fewer than %(n)s answers",
}
QUANTITIES = {
    "%(hours)s hours at %(rate)s per hour.",
    "%(day)s: %(hours)s hours",
    "In all: %(hours)s hours",
    "About %(hours)s hours in all.",
    "Sentences that may be hard to read: %(flagged)s out of %(total)s. "
    "Average length: %(average)s words.",
}
ALLOWED = NEVER_ONE | QUANTITIES
# Sentences of a longer message (the password mail: a link's lifetime, a setting).
ALLOWED_SENTENCES = ("The link works once, for %(minutes)s minutes.",)
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
KEYWORDS |= {"lazy_ngettext": (1, 2)}


def _sources() -> list[tuple[Path, str]]:
    files = [(p, "python") for p in sorted((ROOT / "app").rglob("*.py"))]
    for pattern in ("*.html", "*.txt"):
        files += [(p, "jinja2") for p in sorted((ROOT / "templates").rglob(pattern))]
    return files


def _allowed(message: str) -> bool:
    if message in ALLOWED:
        return True
    rest = message
    for sentence in ALLOWED_SENTENCES:
        rest = rest.replace(sentence, "")
    return not IN_MESSAGE.search(rest)


def plural_problems() -> list[str]:
    problems = []
    for path, method in _sources():
        where = path.relative_to(ROOT)
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            if isinstance(message, str) and IN_MESSAGE.search(message) and not _allowed(message):
                problems.append(f"{where}:{line}: {message!r} counts outside ngettext")
        if method == "jinja2":
            for number, text in enumerate(path.read_text().splitlines(), start=1):
                if IN_TEMPLATE.search(text):
                    problems.append(f"{where}:{number}: a count outside ngettext: {text.strip()}")
    return problems


def test_counts_are_shown_through_ngettext_in_every_message_and_template():
    problems = plural_problems()
    assert not problems, "\n".join(problems)


def test_the_plural_scan_finds_a_count_with_a_plural_noun():
    assert IN_MESSAGE.search("%(n)s people invited.")
    assert IN_MESSAGE.search("%(invited)s invited people")
    assert IN_TEMPLATE.search("<p>{{ count }} personnes</p>")
    assert not IN_MESSAGE.search("%(name)s took part")
    assert not IN_MESSAGE.search("At most %(max)s characters, please.")
    assert not IN_MESSAGE.search("You paid %(amount)s for people's work.")
