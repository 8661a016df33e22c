"""In the English display, what people wrote in French (round texts, questions, choices,
feedback) is marked lang="fr", so that a screen reader reads it with a French voice
(WCAG 3.1.2); the French display adds nothing."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.accounts.models import Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
NOT_READ = {"title", "script", "style", "textarea"}  # no element can go inside those

# Texts a facilitator wrote in French (tests/consultation_factories.make_round, worlds.a_round).
FRENCH = [
    "Le logement",
    "Le département",
    "Le ticket de bus est payé.",
    "Quel est votre logement ?",
    "Où habitez-vous ?",
    "Un appartement",
    "Un foyer",
    "Dans la rue",
    "Êtes-vous satisfait ?",
    "Vous êtes content ?",
    "Avez-vous besoin d'aide ?",
    "Vous voulez de l'aide ?",
    "Que faudrait-il changer ?",
    "Qu'est-ce qu'il faut changer ?",
    "a facile",
]


class _Texts(HTMLParser):
    """Each text of the page with the language of the element holding it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = [("", "en")]
        self.texts: list[tuple[str, str | None, str]] = []  # (text, language, tag)

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag not in VOID:
            self.stack.append((tag, lang if lang is not None else self.stack[-1][1]))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.texts.append((data, self.stack[-1][1], self.stack[-1][0]))


def french_outside_lang_fr(html: str, french: list[str] = FRENCH) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return [
        f"{known!r} in <{tag}> (lang={lang})"
        for text, lang, tag in parser.texts
        for known in french
        if known in text and lang != "fr" and tag not in NOT_READ
    ]


def _world(app, step: str, easy: bool = False) -> dict:
    with saved(app):
        team = an_organisation("CRPA Essai", domain="l.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"], step=step, invited=people)
        everyone_reads_english()
        people[0].easy_read = easy
        return {"round": round_.id, "choice": round_.questions[0].choices[0].id}


def _check(client, url: str) -> str:
    return _check_texts(client, url, FRENCH)


def _check_texts(client, url: str, french: list[str]) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert french_outside_lang_fr(html, french) == [], url
    return html


@pytest.mark.parametrize("easy", [False, True], ids=["en", "en-easy"])
def test_french_texts_of_an_open_round_are_marked_french_in_english_pages(client, app, easy):
    """Round page (easy and full), a question with its choices."""
    world = _world(app, "open", easy)
    login(client, "p0@l.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    assert "Le logement" in _check(client, base)
    _check(client, f"{base}?full=1")


def test_french_texts_of_a_question_and_its_choices_are_marked_french_in_english_pages(client, app):
    world = _world(app, "open")
    login(client, "p0@l.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    started = post_form(client, f"{base}/start", {}, get_url=base)
    question = _check(client, started.headers["Location"])
    assert "Un appartement" in question
    chosen = post_form(
        client, started.headers["Location"], {"answer": world["choice"], "action": "next"}
    )
    assert chosen.status_code == 303
    review = started.headers["Location"].rsplit("/questions/", 1)[0] + "/review"
    assert "Un appartement" in _check(client, review)


@pytest.mark.parametrize("easy", [False, True], ids=["en", "en-easy"])
def test_french_texts_of_results_and_feedback_are_marked_french_in_english_pages(client, app, easy):
    world = _world(app, "feedback", easy)
    login(client, "p0@l.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    assert "Un appartement" in _check(client, f"{base}/results")
    _check(client, f"{base}/feedback")
    _check(client, base)


def test_french_display_adds_no_language_mark(client, app):
    with saved(app):
        team = an_organisation("CRPA Essai", domain="l.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        world = {"round": round_.id}
    login(client, "p0@l.test", PASSWORD)
    html = client.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert 'lang="fr"' not in html.replace('<html lang="fr">', "").replace('lang="fr">Français', "")


MISSION = {
    "title": "Parler du logement aux étudiants",
    "title_easy": "Parler aux étudiants",
    "description": "Vous racontez votre parcours pour trouver un logement.",
    "description_easy": "Vous dites comment vous avez trouvé un logement.",
    "topic": "Le logement social",
    "audience": "Des étudiants en travail social",
}


@pytest.mark.parametrize("full", ["", "?full=1"], ids=["easy", "full"])
def test_french_texts_of_a_mission_are_marked_french_in_english_pages(client, app, full):
    from app.accounts.models import OrganisationKind
    from tests.worlds import a_mission

    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        an_organisation("CCAS Essai", domain="l.test", paul=Role.PARTICIPANT)
        mission = a_mission(institute["staff"], institute.org, online=True, **MISSION)
        everyone_reads_english()
        mission_id = mission.id
    login(client, "paul@l.test", PASSWORD)
    html = _check_texts(client, f"/co-training/missions/{mission_id}{full}", list(MISSION.values()))
    assert MISSION["topic"] in html


def test_the_title_of_a_kit_fiche_is_marked_french_in_english_pages(client, app):
    from app.kit import fiches
    from app.kit.seed_content import FICHES

    with saved(app):
        fiches.ensure_seeded()
    client.set_cookie("parole_lang", "en")
    title = FICHES[0]["title"]
    html = _check_texts(client, "/kit/fiches/1", [title])
    assert title.replace("'", "&#39;") in html
