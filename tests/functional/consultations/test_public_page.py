"""An organisation's public page, read by someone without an account: only the rounds a
facilitator chose to show, once their results exist; how many took part under the
small-group rule, the chosen quotes only, what was done; easy-to-read and full versions,
French and English; cacheable, without a form or a cookie."""

from __future__ import annotations

import re

import pytest

from app import db
from app.accounts.models import Organisation, Role
from app.consultations import curation, public, services
from app.consultations.curation import QuoteData
from app.consultations.kinds import AnswerInput
from app.consultations.models import ConsultationRound, RoundStatus
from app.core.models import AuditEntry
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, everyone_reads_english, saved

CHOSEN = "Le bus passe trop peu le dimanche."
NOT_CHOSEN = "Madame Lefort, 12 rue des Lilas, ne sort plus."
HELPED_CHOICE = "Dans la rue"


def _answer(actor, round_, person, choice: str, text: str, helper=None) -> None:
    """`person` answers the single choice and the free text (with `helper`: assisted)."""
    if helper is None:
        response = services.start_response(person, round_)
        by = person
    else:
        response = services.start_response(
            helper, round_, person=person, consent_note="Elle a dit oui au téléphone."
        )
        by = helper
    single, scale, yes_no, free = round_.questions
    chosen = next(c for c in single.choices if c.label == choice)
    services.save_answer(by, response, single, AnswerInput(choice_ids=[chosen.id]))
    for question in (scale, yes_no):
        services.save_answer(by, response, question, AnswerInput(declined=True))
    services.save_answer(by, response, free, AnswerInput(value_text=text))
    services.submit_response(by, response)


def _build(app, alone: int = 6, show: bool = True, step: str = "feedback") -> dict:
    """A round of the CCAS d'Évry: `alone` people answered alone, one with help (the only one
    who chose "Dans la rue"); one free text chosen as a quote, the other not; feedback
    published (step "feedback") or only the results ("results"). Shown publicly if `show`."""
    with saved(app):
        team = an_organisation("CCAS d'Évry", domain="pub.test", fac=Role.FACILITATOR)
        people = team.join_many("p", alone + 1)
        fac = team["fac"]
        round_ = a_round(team.org, fac, step="open", invited=people, title="Le transport")
        for person in people[:alone]:
            _answer(fac, round_, person, "Un appartement", CHOSEN)
        _answer(fac, round_, people[alone], HELPED_CHOICE, NOT_CHOSEN, helper=fac)
        services.transition(fac, round_, RoundStatus.CLOSED)
        free = round_.questions[3]
        for answer_id, text in _free_answers(round_, free):
            if text == CHOSEN:
                curation.save_quote(fac, round_, answer_id, QuoteData(chosen=True, text=text))
                break
        curation.mark_quotes_ready(fac, round_, free.id)
        services.add_feedback_item(
            fac,
            round_,
            services.FeedbackData(
                "Le bus est rare.", "Un bus de plus le dimanche.", "Peu de bus.", "Plus de bus."
            ),
        )
        services.transition(fac, round_, RoundStatus.RESULTS)
        if step == "feedback":
            services.transition(fac, round_, RoundStatus.FEEDBACK_PUBLISHED)
        if show:
            public.set_shown_publicly(fac, round_, True)
        private = a_round(team.org, fac, step="results", invited=people[:1], title="Le logement")
        everyone_reads_english()
        return {
            "round": round_.id,
            "private": private.id,
            "slug": team.org.public_slug,
            "org": team.org.id,
        }


def _free_answers(round_, question):
    from sqlalchemy import select

    from app.consultations.models import Answer, Response

    return db.session.execute(
        select(Answer.id, Answer.value_text)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_.id, Answer.question_id == question.id)
        .order_by(Answer.id)
    ).all()


def _text(response) -> str:
    """The page's visible words, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_organisation_page_lists_only_the_rounds_it_shows_without_login(client, app):
    world = _build(app)
    assert world["slug"] == "ccas-d-evry"
    page = client.get("/public/ccas-d-evry")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "CCAS d&#39;Évry" in html
    assert f"/public/ccas-d-evry/{world['round']}" in html
    assert "Le transport" in html
    # The other round has results too, but nobody chose to show it.
    assert f"/public/ccas-d-evry/{world['private']}" not in html
    assert "Le logement" not in html


def test_a_round_not_shown_answers_404_to_everybody_anonymous(client, app):
    world = _build(app)
    assert client.get(f"/public/ccas-d-evry/{world['private']}").status_code == 404
    # A round of another organisation under this organisation's address: 404 as well.
    with saved(app):
        other = an_organisation("CRPA Ailleurs", domain="ail.test", fac=Role.FACILITATOR)
        elsewhere = a_round(
            other.org,
            other["fac"],
            step="results",
            invited=other.join_many("q", 1),
            title="Ailleurs",
        )
        public.set_shown_publicly(other["fac"], elsewhere, True)
        elsewhere_id = elsewhere.id
    assert client.get(f"/public/ccas-d-evry/{elsewhere_id}").status_code == 404
    assert client.get(f"/public/crpa-ailleurs/{elsewhere_id}").status_code == 200


def test_an_organisation_that_never_shows_a_round_has_no_public_page(client, app):
    _build(app, show=False)
    client.set_cookie("parole_lang", "en")
    missing = client.get("/public/ccas-d-evry")
    never = client.get("/public/nobody-here")
    assert missing.status_code == never.status_code == 404
    # The same page for both: the address tells nobody whether the organisation exists.
    assert _text(missing) == _text(never)
    assert "There is nothing public at this address." in _text(missing)


def test_the_public_round_shows_what_was_asked_the_count_the_chosen_quote_and_what_was_done(
    client, app
):
    world = _build(app)
    page = client.get(f"/public/ccas-d-evry/{world['round']}?version=full&lang=en")
    assert page.status_code == 200
    text = _text(page)
    assert "Le transport" in text
    assert "Le département prépare un nouveau plan pour le logement." in text  # full subject
    assert "Quel est votre logement ?" in text  # the questions, full version
    assert "7 people sent their answers." in text
    assert CHOSEN in text
    assert "Un bus de plus le dimanche." in text and "Le bus est rare." in text


def test_the_public_round_never_shows_a_free_text_that_was_not_chosen(client, app):
    world = _build(app)
    for version in ("easy", "full"):
        for lang in ("fr", "en"):
            page = client.get(f"/public/ccas-d-evry/{world['round']}?version={version}&lang={lang}")
            html = page.get_data(as_text=True)
            assert "Lefort" not in html and "Lilas" not in html


def test_the_public_round_tells_nothing_of_the_one_person_helped(client, app):
    """One person answered with help, the only one to choose "Dans la rue": the public page
    gives no number by way of answering, and the numbers of the question are those of the
    disclosure control: her answer is hidden, and so is the other small one that the total
    would give back."""
    world = _build(app)
    for version in ("easy", "full"):
        text = _text(client.get(f"/public/ccas-d-evry/{world['round']}?version={version}&lang=en"))
        assert "help" not in text.lower()
        assert "On paper" not in text and "Alone" not in text
        assert "7 people sent their answers." in text
        assert "Un appartement : 6" in text
        assert f"{HELPED_CHOICE} : hidden" in text and "Un foyer : hidden" in text
        assert "1 person" not in text and f"{HELPED_CHOICE} : 1" not in text


def test_a_small_round_hides_every_number(client, app):
    world = _build(app, alone=2)  # 3 people in all, threshold 5
    text = _text(client.get(f"/public/ccas-d-evry/{world['round']}?lang=en"))
    assert "Fewer than 5 people sent their answers. To protect them, no number is shown." in text
    assert "3 people" not in text
    assert "Un appartement : hidden" in text and "Un appartement : 2" not in text
    assert "Preferred not to answer: hidden" in text


def test_the_easy_version_and_the_full_version_show_their_own_texts(client, app):
    world = _build(app)
    url = f"/public/ccas-d-evry/{world['round']}"
    easy = client.get(f"{url}?version=easy&lang=en")
    full = client.get(f"{url}?version=full&lang=en")
    easy_text, full_text = _text(easy), _text(full)
    assert "Le département veut aider les gens à trouver un logement." in easy_text
    assert "Le département prépare" not in easy_text
    assert "Où habitez-vous ?" in easy_text and "Quel est votre logement ?" not in easy_text
    assert "Plus de bus." in easy_text and "Un bus de plus le dimanche." not in easy_text
    assert "Le département prépare un nouveau plan pour le logement." in full_text
    # The easy-to-read version has the easy-to-read display; each links to the other.
    assert 'class="easy-read' in easy.get_data(as_text=True)
    assert 'class="easy-read' not in full.get_data(as_text=True)
    assert "version=full" in easy.get_data(as_text=True)
    assert "version=easy" in full.get_data(as_text=True)


def test_the_public_page_speaks_french_by_default_and_english_on_request(client, app):
    world = _build(app)
    url = f"/public/ccas-d-evry/{world['round']}"
    french = client.get(url).get_data(as_text=True)
    english = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    assert "7 personnes ont envoyé leurs réponses." in _text(client.get(url))
    assert "7 people sent their answers." in _text(client.get(f"{url}?lang=en"))
    # The language link keeps the version chosen.
    easy_en = client.get(f"{url}?version=easy&lang=en").get_data(as_text=True)
    assert "lang=fr" in easy_en and "version=easy&amp;lang=fr" in easy_en


def test_the_public_page_may_be_cached_and_holds_no_form_nor_cookie(client, app):
    world = _build(app)
    for url in ("/public/ccas-d-evry", f"/public/ccas-d-evry/{world['round']}"):
        page = client.get(url)
        assert page.headers["Cache-Control"] == "public, max-age=300"
        assert "Cookie" in page.headers.get("Vary", "")
        assert "Set-Cookie" not in page.headers
        html = page.get_data(as_text=True)
        assert "<form" not in html and "csrf_token" not in html


def test_the_public_page_is_not_cached_for_a_logged_in_person(client, app):
    world = _build(app)
    login(client, "fac@pub.test", PASSWORD)
    page = client.get(f"/public/ccas-d-evry/{world['round']}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"


def test_a_facilitator_shows_a_round_then_hides_it_again(client, app):
    world = _build(app, show=False, step="results")
    login(client, "fac@pub.test", PASSWORD)
    setting = f"/consultations/{world['round']}/public"
    page = client.get(setting)
    assert page.status_code == 200
    text = _text(page)
    assert "The quotes you chose. Never the other written answers." in text
    shown = post_form(client, setting, {"shown": "y"})
    assert shown.status_code == 303
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        assert round_.shown_publicly_at is not None
        slug = db.session.get(Organisation, world["org"]).public_slug
        assert slug == "ccas-d-evry"
        assert (
            db.session.query(AuditEntry).filter_by(action="consultations.shown_publicly").count()
            == 1
        )
    after = client.get(setting)
    assert f"/public/ccas-d-evry/{world['round']}" in after.get_data(as_text=True)
    assert (
        client.get(f"/consultations/{world['round']}")
        .get_data(as_text=True)
        .count("Public page: this round is shown")
        == 1
    )
    anonymous = app.test_client()
    assert anonymous.get(f"/public/ccas-d-evry/{world['round']}").status_code == 200
    # Results only, feedback not yet published: the page says when it will be.
    assert "It will be written here by" in _text(
        anonymous.get(f"/public/ccas-d-evry/{world['round']}?lang=en")
    )
    hidden = post_form(client, setting, {})
    assert hidden.status_code == 303
    assert anonymous.get(f"/public/ccas-d-evry/{world['round']}").status_code == 404
    assert anonymous.get("/public/ccas-d-evry").status_code == 404
    with app.app_context():
        assert db.session.get(ConsultationRound, world["round"]).shown_publicly_at is None
        assert db.session.get(Organisation, world["org"]).public_slug == "ccas-d-evry"  # kept


@pytest.mark.parametrize("step", ["open", "closed"])
def test_a_round_cannot_be_shown_before_its_results(client, app, step):
    with saved(app):
        team = an_organisation("CRPA Tôt", domain="tot.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 1)
        round_ = a_round(team.org, team["fac"], step=step, invited=people)
        everyone_reads_english()
        round_id = round_.id
    login(client, "fac@tot.test", PASSWORD)
    setting = f"/consultations/{round_id}/public"
    page = client.get(setting)
    assert "You can show this round once its results are published." in _text(page)
    refused = post_form(client, setting, {"shown": "y"}, get_url=f"/consultations/{round_id}")
    assert refused.status_code in (400, 403)
    with app.app_context():
        assert db.session.get(ConsultationRound, round_id).shown_publicly_at is None


def test_a_participant_cannot_show_a_round(client, app):
    world = _build(app, show=False)
    login(client, "p0@pub.test", PASSWORD)
    assert client.get(f"/consultations/{world['round']}/public").status_code == 403
    with app.app_context():
        assert db.session.get(ConsultationRound, world["round"]).shown_publicly_at is None


def test_two_organisations_with_the_same_address_get_two_addresses(app):
    with saved(app):
        first = an_organisation("CCAS Évry", domain="e1.test", fac=Role.FACILITATOR)
        second = an_organisation("CCAS  EVRY!", domain="e2.test", fac=Role.FACILITATOR)
        for team in (first, second):
            round_ = a_round(team.org, team["fac"], step="results", invited=team.join_many("q", 1))
            public.set_shown_publicly(team["fac"], round_, True)
        assert first.org.public_slug == "ccas-evry"
        assert second.org.public_slug == "ccas-evry-2"
