"""An organisation's public page in Chromium, without an account: the organisation's page,
a round's page, its easy-to-read version and the page of an address with nothing public,
in French and English, with axe-core; the facilitator's setting in each of its states; and
the journey from the organisation's page to a round and its easy-to-read version with the
keyboard only."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.consultations import curation, public, services
from app.consultations.curation import QuoteData
from app.consultations.kinds import AnswerInput
from app.consultations.models import Answer, RoundStatus
from tests.browser.conftest import focused, login, set_preferences, tab_until
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation

QUOTE = "Le bus passe trop peu le dimanche."
_counter = itertools.count(1)


def _public_round(live_app, show: bool = True, step: str = "feedback") -> dict:  # noqa: ANN001
    """A round of a new organisation, 6 answers, one chosen quote, feedback published
    (or only results), shown on the public page when `show`."""
    n = next(_counter)
    with live_app.test_request_context("/"):
        team = an_organisation(f"CCAS Public {n}", domain=f"pub{n}.test", fac=Role.FACILITATOR)
        fac = team["fac"]
        people = team.join_many("p", 6)
        round_ = a_round(team.org, fac, step="open", invited=people, title="Le transport")
        single, scale, yes_no, free = round_.questions
        for person in people:
            response = services.start_response(person, round_)
            choice = AnswerInput(choice_ids=[single.choices[0].id])
            services.save_answer(person, response, single, choice)
            services.save_answer(person, response, scale, AnswerInput(value_int=4))
            services.save_answer(person, response, yes_no, AnswerInput(declined=True))
            services.save_answer(person, response, free, AnswerInput(value_text=QUOTE))
            services.submit_response(person, response)
        services.transition(fac, round_, RoundStatus.CLOSED)
        answer_id = db.session.scalar(
            select(Answer.id).where(
                Answer.response_id == response.id, Answer.question_id == free.id
            )
        )
        curation.save_quote(fac, round_, answer_id, QuoteData(chosen=True, text=QUOTE))
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
        db.session.commit()
        return {
            "round": round_.id,
            "slug": f"ccas-public-{n}",  # made from the name when a round is first shown
            "fac": f"fac@pub{n}.test",
        }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_public_pages_accessible_without_login(page, axe, live_app, lang):
    world = _public_round(live_app)
    organisation = f"/public/{world['slug']}"
    for version in ("full", "easy"):
        page.goto(f"{organisation}?lang={lang}&version={version}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main form").count() == 0
        axe.check(page, f"organisation page, {version}")
        page.goto(f"{organisation}/{world['round']}?lang={lang}&version={version}")
        assert QUOTE in page.locator("main").inner_text()
        easy_display = "easy-read" in (page.locator("body").get_attribute("class") or "")
        assert easy_display == (version == "easy")
        axe.check(page, f"round page, {version}")
        page.set_viewport_size({"width": 375, "height": 800})
        axe.check(page, f"round page, {version}, 375 px wide")
        page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"/public/nothing-here-{lang}")
    assert page.locator("h1").count() == 1
    axe.check(page, "an address with nothing public")
    axe.assert_clean()
    assert [e for e in page.console_errors if "status of 404" not in e] == []


@pytest.mark.parametrize(("lang", "easy"), [("fr", False), ("fr", True), ("en", True)])
def test_public_page_setting_accessible_in_each_state(page, axe, live_app, lang, easy):
    early = _public_round(live_app, show=False, step="results")
    login(page, early["fac"], PASSWORD)
    set_preferences(page, lang, easy)
    setting = f"/consultations/{early['round']}/public"
    page.goto(setting)
    assert page.locator("main input[type=checkbox]").count() == 1
    axe.check(page, "setting, not shown")
    page.check("main input[type=checkbox]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(f"main a[href$='/public/{early['slug']}/{early['round']}']").count() == 1
    axe.check(page, "setting, shown, with the addresses")
    page.goto(f"/consultations/{early['round']}")
    assert page.locator(f"main a[href='{setting}']").count() == 1
    axe.check(page, "round page with the public page link")
    axe.assert_clean()


def test_keyboard_only_from_the_organisation_page_to_a_round_and_its_easy_version(page, live_app):
    world = _public_round(live_app)
    page.goto(f"/public/{world['slug']}?lang=en")
    round_path = f"/public/{world['slug']}/{world['round']}"
    tab_until(page, lambda s: s["tag"] == "A" and (s["href"] or "").startswith(round_path))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0].endswith(round_path)
    assert "Le département prépare un nouveau plan" in page.locator("main").inner_text()
    state = tab_until(page, lambda s: s["tag"] == "A" and "version=easy" in (s["href"] or ""))
    assert state["text"] == "See the easy-to-read version"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert "Le département veut aider les gens à trouver un logement." in main
    assert "Plus de bus." in main and QUOTE in main
    assert "easy-read" in (page.locator("body").get_attribute("class") or "")
    # Back to the full version, and to French, still with the keyboard.
    tab_until(page, lambda s: s["tag"] == "A" and "version=full" in (s["href"] or ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "easy-read" not in (page.locator("body").get_attribute("class") or "")
    tab_until(page, lambda s: s["tag"] == "A" and "lang=fr" in (s["href"] or ""), limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "version=full" in page.url
    assert focused(page)["tag"] in ("BODY", "A", "MAIN")
