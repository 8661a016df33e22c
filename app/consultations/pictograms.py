"""The pictures a possible answer can carry: one catalogue, searched by French or English word.

Each picture is an SVG in static/img/pictograms/<name>.svg (48 x 48, dark outlines, no text),
with the text read aloud in its place (`alt`) and the words people would type to find it, in
French and in English, synonyms included. A choice stores the picture's `name`; the names
used before the catalogue (English keywords such as "house") are still names, so every
question written with them keeps its pictures.

`search("maison")` lists the pictures whose words start with what was typed, accents, case
and plurals ignored; `resolve("maison")` gives the one picture a typed word names (its name,
or one of its words exactly), for the "answer | picture" lines of the question editor.

Two more sets are searched with the same rules:
- OpenMoji (https://openmoji.org, CC BY-SA 4.0): a subset of about 500 pictures copied into
  static/img/openmoji/ by scripts/openmoji_subset.py (`make pictograms`), with their French
  words from emojibase-data (MIT) in app/consultations/data/openmoji_fr.json. Their names are
  "om-<code>" ("om-1f3e0": a house).
- an organisation's own pictures (app/consultations/own_pictograms.py), named "own-<id>",
  found only by the people of that organisation (`search(text, organisation_id=...)`)."""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import has_request_context, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Pictogram:
    name: str
    alt: Any  # lazy: the words read in place of the picture
    words_fr: tuple[str, ...]
    words_en: tuple[str, ...]
    # Under static/: "img/pictograms/house.svg", "img/openmoji/1F3E0.svg"; None: an
    # organisation's own picture, served by its route (own_pictograms.py).
    static: str | None = ""

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.words_fr, *self.words_en)


def _p(name: str, alt: Any, fr: str, en: str) -> Pictogram:
    return Pictogram(name, alt, tuple(fr.split(", ")), tuple(en.split(", ")))


CATALOGUE: tuple[Pictogram, ...] = (
    _p("yes", _l("Thumb up"), "oui, d'accord, pouce, bien, accord", "yes, agree, thumb up, ok"),
    _p("no", _l("Thumb down"), "non, pas d'accord, refus, mal", "no, disagree, thumb down"),
    _p(
        "maybe",
        _l("Half yes, half no"),
        "peut-être, je ne sais pas, ne sait pas, sans avis, moyen",
        "maybe, don't know, not sure, perhaps",
    ),
    _p(
        "question",
        _l("Question mark"),
        "question, je ne comprends pas, pas compris, aide, point d'interrogation",
        "question, not understood, help, question mark",
    ),
    _p("face-1", _l("Very unhappy face"), "très mécontent, triste, pleure, 1", "very unhappy, sad"),
    _p("face-2", _l("Unhappy face"), "mécontent, pas content, 2", "unhappy, not happy"),
    _p("face-3", _l("Neutral face"), "moyen, bof, neutre, comme ci comme ça, 3", "so-so, neutral"),
    _p("face-4", _l("Happy face"), "content, satisfait, sourire, 4", "happy, satisfied, smile"),
    _p(
        "face-5", _l("Very happy face"), "très content, ravi, joie, 5", "very happy, delighted, joy"
    ),
    _p(
        "house",
        _l("House"),
        "maison, logement, appartement, chez moi, domicile, hébergement",
        "house, home, housing, flat",
    ),
    _p(
        "transport",
        _l("Bus"),
        "transport, bus, autobus, car, tram, transports en commun",
        "transport, bus, public transport",
    ),
    _p("train", _l("Train"), "train, métro, RER, gare", "train, metro, underground, station"),
    _p("car", _l("Car"), "voiture, auto, automobile, taxi, covoiturage", "car, taxi, driving"),
    _p("bike", _l("Bicycle"), "vélo, bicyclette, trottinette", "bike, bicycle, cycling"),
    _p("walk", _l("Person walking"), "marche, à pied, marcher, piéton", "walk, on foot, walking"),
    _p(
        "money",
        _l("Coins"),
        "argent, euros, pièces, payer, prix, budget, coût, aide financière",
        "money, coins, pay, price, cost",
    ),
    _p(
        "food",
        _l("Plate"),
        "nourriture, repas, manger, assiette, alimentation, courses",
        "food, meal, eat, plate",
    ),
    _p("health", _l("Heart"), "santé, cœur, soin, bien-être", "health, heart, care, well-being"),
    _p(
        "doctor",
        _l("Doctor"),
        "médecin, docteur, infirmier, hôpital, soignant",
        "doctor, nurse, hospital",
    ),
    _p(
        "medicine",
        _l("Pill"),
        "médicament, pilule, traitement, pharmacie",
        "medicine, pill, treatment, pharmacy",
    ),
    _p(
        "child",
        _l("Child"),
        "enfant, enfants, bébé, garde d'enfant, fils, fille",
        "child, children, baby, childcare",
    ),
    _p(
        "family",
        _l("Family: two adults and a child"),
        "famille, parents, foyer",
        "family, parents, household",
    ),
    _p(
        "people",
        _l("Group of people"),
        "personnes, groupe, ensemble, collectif, réunion, amis",
        "people, group, together, meeting, friends",
    ),
    _p("alone", _l("One person"), "seul, seule, tout seul, personne seule", "alone, on my own"),
    _p(
        "with-help",
        _l("One person helping another"),
        "avec de l'aide, aide, accompagnement, accompagné, soutien, travailleur social",
        "with help, helped, support, social worker",
    ),
    _p(
        "phone",
        _l("Mobile phone"),
        "téléphone, portable, mobile, appel, SMS",
        "phone, mobile, call, text message",
    ),
    _p(
        "computer",
        _l("Computer"),
        "ordinateur, écran, numérique, informatique",
        "computer, screen, digital",
    ),
    _p("internet", _l("Globe"), "internet, site, en ligne, web, monde", "internet, online, web"),
    _p(
        "paper",
        _l("Sheet of paper"),
        "papier, formulaire, document, dossier, feuille",
        "paper, form, document, sheet",
    ),
    _p(
        "letter",
        _l("Envelope"),
        "lettre, courrier, enveloppe, poste, e-mail, mail",
        "letter, mail, envelope, post, e-mail",
    ),
    _p(
        "counter",
        _l("Person at a counter"),
        "guichet, accueil, bureau, administration, service, mairie, CAF",
        "counter, desk, office, reception, administration",
    ),
    _p(
        "calendar",
        _l("Calendar"),
        "calendrier, date, jour, rendez-vous, semaine, mois",
        "calendar, date, day, appointment",
    ),
    _p(
        "clock",
        _l("Clock"),
        "horloge, heure, temps, attente, horaire, montre",
        "clock, time, hour, waiting",
    ),
    _p(
        "school",
        _l("School"),
        "école, formation, apprendre, cours, études",
        "school, training, learn, class",
    ),
    _p(
        "work",
        _l("Briefcase"),
        "travail, emploi, métier, boulot, job",
        "work, job, employment, briefcase",
    ),
    _p(
        "pause", _l("Pause sign"), "pause, arrêt, attendre, stop, repos", "pause, stop, break, rest"
    ),
)

STATIC = Path(__file__).resolve().parents[2] / "static"
FOLDER = STATIC / "img" / "pictograms"
OPENMOJI_FOLDER = STATIC / "img" / "openmoji"
OPENMOJI_DATA = Path(__file__).resolve().parent / "data" / "openmoji_fr.json"
OPENMOJI_PREFIX = "om-"
OWN_PREFIX = "own-"


class LocalText:
    """A text given in French and in English, read in the language of the page (French
    outside a request: the printed documents are French)."""

    def __init__(self, fr: str, en: str) -> None:
        self.fr, self.en = fr, en or fr

    def __str__(self) -> str:
        locale = get_locale() if has_request_context() else None
        return self.en if locale is not None and locale.language == "en" else self.fr

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"LocalText({self.fr!r})"


def _openmoji() -> tuple[Pictogram, ...]:
    entries = json.loads(OPENMOJI_DATA.read_text("utf-8"))
    return tuple(
        Pictogram(
            e["name"],
            LocalText(e["alt_fr"], e["alt_en"]),
            tuple(e["words_fr"]),
            tuple(e["words_en"]),
            f"img/openmoji/{e['file']}",
        )
        for e in entries
    )


OPENMOJI: tuple[Pictogram, ...] = _openmoji()
# Hand-made first: they answer first for the words they share with OpenMoji.
EVERY: tuple[Pictogram, ...] = CATALOGUE + OPENMOJI
BY_NAME: dict[str, Pictogram] = {p.name: p for p in EVERY}
# The text read in place of each picture, by name (the services fill a choice's alt with it).
ALT_TEXTS: dict[str, Any] = {p.name: p.alt for p in EVERY}
SEARCH_MAX = 12  # results listed at once

# An organisation's own pictures, by organisation id (set by own_pictograms.py, which needs
# the database; this module does not).
own_pictures: Callable[[int], list[Pictogram]] = lambda organisation_id: []  # noqa: E731
own_picture: Callable[[str], Pictogram | None] = lambda name: None  # noqa: E731
own_file: Callable[[str], Path | None] = lambda name: None  # noqa: E731


def _static_of(pictogram: Pictogram) -> str:
    return pictogram.static or f"img/pictograms/{pictogram.name}.svg"


def find(name: str | None) -> Pictogram | None:
    """The picture of this name, in any set (an organisation's own included)."""
    if not name:
        return None
    if name.startswith(OWN_PREFIX):
        return own_picture(name)
    return BY_NAME.get(name)


def path(name: str | None) -> Path | None:
    """The drawing of a picture (for the printed questionnaire); None for no or an unknown name."""
    if not name:
        return None
    if name.startswith(OWN_PREFIX):
        return own_file(name)
    pictogram = BY_NAME.get(name)
    if pictogram is None:
        return None
    return STATIC / _static_of(pictogram)


def pictogram_file(name: str | None) -> Path | None:
    """The file of a picture for the PDFs: an SVG of ours, or the PNG an organisation
    uploaded (re-drawn by us). None for no, an unknown or a missing picture."""
    found = path(name)
    return found if found is not None and found.is_file() else None


def pictogram_alt(name: str | None) -> str:
    """The words read in place of a picture, in the language of the page; "" when unknown."""
    pictogram = find(name)
    return str(pictogram.alt) if pictogram is not None else ""


def url(name: str) -> str:
    """Where the browser gets the picture."""
    if name.startswith(OWN_PREFIX):
        return url_for("consultations.own_pictogram_file", picture_name=name)
    pictogram = BY_NAME.get(name)
    static = _static_of(pictogram) if pictogram else f"img/pictograms/{name}.svg"
    return url_for("static", filename=static)


def fold(text: str) -> str:
    """A word as searched: no accents, no case, apostrophes and dashes as spaces."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    for sign in "'’-_":
        text = text.replace(sign, " ")
    return " ".join(text.split())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _matches(query: str, folded: str) -> bool:
    if folded.startswith(query) or _singular(folded) == _singular(query):
        return True
    return any(part.startswith(query) for part in folded.split() if len(query) >= 3)


@functools.lru_cache(maxsize=4096)
def _folded_words(words: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    folded = tuple(fold(w) for w in words)
    return folded, frozenset(_singular(w) for w in folded)


def search(text: str, organisation_id: int | None = None) -> list[Pictogram]:
    """The pictures whose name or words start with `text` (French or English; accents, case
    and a final s or x ignored), an exact word first; the organisation's own pictures
    first of each. Empty text: none."""
    query = fold(text)
    if not query:
        return []
    own = own_pictures(organisation_id) if organisation_id is not None else []
    exact, starting = [], []
    for pictogram in (*own, *EVERY):
        words, singulars = _folded_words(pictogram.words)
        if query in words or _singular(query) in singulars:
            exact.append(pictogram)
        elif any(_matches(query, w) for w in words):
            starting.append(pictogram)
    return (exact + starting)[:SEARCH_MAX]


def resolve(word: str | None, organisation_id: int | None = None) -> str | None:
    """The name of the picture `word` names: its name, or one of its words (accents and
    case ignored). None when no picture has it."""
    if not word or not word.strip():
        return None
    name = word.strip()
    if name in BY_NAME:
        return name
    if name.startswith(OWN_PREFIX):
        found = own_picture(name)
        mine = {p.name for p in own_pictures(organisation_id)} if organisation_id else {name}
        if found is not None and name in mine:
            return name
        return None
    query = fold(word)
    own = own_pictures(organisation_id) if organisation_id is not None else []
    candidates = (*own, *EVERY)
    # A picture's own first word (its French or English name) first: "stéthoscope" names the
    # stethoscope, not the doctor who carries one.
    for pictogram in candidates:
        if query in {fold(w) for w in (*pictogram.words_fr[:1], *pictogram.words_en[:1])}:
            return pictogram.name
    for pictogram in candidates:
        if query in _folded_words(pictogram.words)[0]:
            return pictogram.name
    return None
