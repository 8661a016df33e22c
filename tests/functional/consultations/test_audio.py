"""Listening: a question with its choices and the published "You said / We did" each have a
player, read in the round's language (French) whatever the interface's, with times, amounts
and initials as words. What the voice read is kept beside the sound (a .txt file): the tests
read it back, and check the voice of a real espeak-ng run."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from app import db
from app.accounts.models import Language, Person, Role
from app.consultations.models import ConsultationRound, FeedbackItem
from app.falc.models import GlossaryEntry
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, a_stranger, an_organisation, saved


@pytest.fixture(autouse=True)
def _needs_audio():
    if not (shutil.which("espeak-ng") and shutil.which("oggenc")):
        message = "espeak-ng and oggenc are not installed: the spoken version cannot be made here"
        if os.environ.get("REQUIRE_ALL") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _fresh_sound_cache(app):
    """Each test reads back the sounds it made: the cache folder is shared by the tests of a
    process, so another test's feedback (which names the same service) must not answer."""
    folder = Path(app.instance_path) / "audio"
    if folder.is_dir():
        shutil.rmtree(folder)


@pytest.fixture
def world(app):
    """An open round whose first question speaks of a time, an amount and the CCAS (which the
    organisation's glossary explains); Paul reads the interface in English."""
    with saved(app):
        team = an_organisation("CRPA Audio", domain="au.test", fac=Role.FACILITATOR)
        paul = team.join("paul")
        paul.language = Language.EN
        team.join("anna")
        a_stranger("au.test")
        db.session.add(
            GlossaryEntry(
                organisation_id=team.org.id, term="CCAS", explanation="service social de la mairie"
            )
        )
        round_ = a_round(team.org, team["fac"], step="draft")
        first = round_.questions[0]  # a single choice
        first.text_easy = "Le CCAS ouvre à 14h30 : est-ce une bonne heure ?"
        labels = ["Oui, 14h30 me va", "Non, plutôt 9h", "2,10 €"]
        for choice, label in zip(first.choices, labels, strict=False):
            choice.label = label
        from tests.consultation_factories import open_round

        open_round(round_, team["fac"], [paul, team["anna"]])
        return {"round": round_.id, "org": team.org.id, "fac": team["fac"].id}


def _spoken_files(app) -> dict[str, tuple[str, str]]:
    """{cache key: (voice, words)} of every sound made so far."""
    folder = Path(app.instance_path) / "audio"
    found = {}
    for path in folder.glob("*.txt"):
        voice, _, words = path.read_text(encoding="utf-8").partition("\n")
        found[path.stem] = (voice, words)
    return found


def _heard(app, marker: str) -> tuple[str, str, str]:
    matches = [(k, v, w) for k, (v, w) in _spoken_files(app).items() if marker in w]
    assert len(matches) >= 1, _spoken_files(app)
    return matches[-1]


def _question_url(client, world) -> str:
    base = f"/consultations/{world['round']}"
    started = post_form(client, f"{base}/start", {}, get_url=base)
    assert started.status_code == 303
    return started.headers["Location"]


def test_question_page_offers_the_question_and_its_choices_read_in_french_words(client, world, app):
    login(client, "anna@au.test", PASSWORD)
    page_url = _question_url(client, world)
    html = client.get(page_url).get_data(as_text=True)
    assert "<audio" in html and f'src="{page_url}/audio.ogg"' in html
    sound = client.get(f"{page_url}/audio.ogg")
    assert sound.status_code == 200 and sound.mimetype == "audio/ogg"
    assert sound.data[:4] == b"OggS"
    key, voice, words = _heard(app, "service social de la mairie")
    assert voice == "fr"
    assert words.startswith("Le service social de la mairie ouvre à 14 heures 30")
    assert "Oui, 14 heures 30 me va." in words and "Non, plutôt 9 heures." in words
    assert "2 euros 10." in words
    assert "CCAS" not in words and "14h30" not in words
    assert (Path(app.instance_path) / "audio" / f"{key}.ogg").stat().st_size > 2000
    stranger = client.application.test_client()
    login(stranger, "stranger@au.test", PASSWORD)
    assert stranger.get(f"{page_url}/audio.ogg").status_code == 404


def test_french_question_is_spoken_by_the_french_voice_with_the_interface_in_english(
    client, world, app
):
    login(client, "paul@au.test", PASSWORD)
    page_url = _question_url(client, world)
    assert "Listen to the question and its answers" in client.get(page_url).get_data(as_text=True)
    assert client.get(f"{page_url}/audio.ogg").status_code == 200
    key, voice, words = _heard(app, "service social de la mairie")
    assert voice == "fr"
    assert key == hashlib.sha256(f"fr\n{words}".encode()).hexdigest()
    assert "The possible answers" not in words  # the sentences around are French too


def test_round_presentation_is_spoken_in_french_with_the_interface_in_english(client, world, app):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.subject_easy = "Rendez-vous le 12/03 à 10h au CCAS."
        db.session.commit()
    login(client, "paul@au.test", PASSWORD)
    assert client.get(f"/consultations/{world['round']}/audio.ogg").status_code == 200
    key, voice, words = _heard(app, "Rendez-vous le 12 mars à 10 heures")
    assert voice == "fr"
    assert "au service social de la mairie." in words
    assert "You can answer" not in words


def test_published_feedback_offers_what_you_said_and_what_we_did_read_aloud(client, world, app):
    with app.app_context():
        fac = db.session.get(Person, world["fac"])
        round_ = db.session.get(ConsultationRound, world["round"])
        from tests.consultation_factories import publish_feedback

        with app.test_request_context("/"):
            publish_feedback(round_, fac)
            item = db.session.query(FeedbackItem).filter_by(round_id=round_.id).one()
            item.you_said_easy = "Le CCAS ferme trop tôt."
            item.we_did_easy = "Il ouvre jusqu'à 18h30 depuis le 1er mars."
            db.session.commit()
    login(client, "paul@au.test", PASSWORD)
    url = f"/consultations/{world['round']}/feedback"
    html = client.get(url).get_data(as_text=True)
    assert f'src="{url}/audio.ogg"' in html
    sound = client.get(f"{url}/audio.ogg")
    assert sound.status_code == 200 and sound.data[:4] == b"OggS"
    key, voice, words = _heard(app, "ferme trop tôt")
    assert voice == "fr"
    assert "Le service social de la mairie ferme trop tôt." in words
    assert "Il ouvre jusqu'à 18 heures 30 depuis le premier mars." in words
    stranger = client.application.test_client()
    login(stranger, "stranger@au.test", PASSWORD)
    assert stranger.get(f"{url}/audio.ogg").status_code == 404


def test_initials_are_read_with_the_lexicon_words_unless_the_organisation_explains_them(world, app):
    from app.consultations import spoken
    from app.core.speech import to_speech

    with app.app_context():
        words = spoken.expansions(world["org"])
        elsewhere = spoken.expansions(None)
    text = "La CAF et le CCAS."
    assert to_speech(text, expansions=words) == (
        "La caisse d'allocations familiales et le service social de la mairie."
    )
    assert to_speech(text, expansions=elsewhere) == (
        "La caisse d'allocations familiales et le centre communal d'action sociale."
    )
