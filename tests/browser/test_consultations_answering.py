"""Answering a round in Chromium: every page in every state it reaches, with axe-core (French,
English, easy-read display), assisted and paper entry, and a whole round answered with the
keyboard only (Tab, Space, arrows, Enter)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import services
from app.consultations.models import QuestionKind, Response
from app.consultations.services import ChoiceData
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    login,
    set_preferences,
    submit,
    tab_until,
)
from tests.consultation_factories import make_round, open_round

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
DEMO_ORG = "CRPA Région Exemple (démo)"
_counter = itertools.count(1)


@pytest.fixture
def answer_round(live_app) -> dict:  # noqa: ANN001
    """A new open round of the demo organisation, one question of each kind, with the demo
    participants Paul and Bernard (DEMO-01) invited and 2 paper codes."""
    with live_app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORG))
        facilitator = db.session.scalar(
            select(Person).where(Person.email == "animatrice@demo.parole.invalid")
        )
        people = [
            db.session.scalar(select(Person).where(Person.email == "paul@demo.parole.invalid")),
            db.session.scalar(select(Person).where(Person.login_identifier == "DEMO-01")),
        ]
        round_, _ = make_round(org, facilitator, title=f"Répondre {next(_counter)}")
        round_.contact_name = "Fanny, animatrice"
        services.add_question(
            facilitator,
            round_,
            QuestionKind.MULTIPLE,
            "Quels transports utilisez-vous ?",
            "Vous prenez quoi pour vous déplacer ?",
            [ChoiceData("Le bus", "transport"), ChoiceData("La voiture"), ChoiceData("À pied")],
        )
        services.add_question(
            facilitator, round_, QuestionKind.SHORT_TEXT, "Votre quartier ?", "Où vivez-vous ?"
        )
        open_round(round_, facilitator, people)
        codes = services.create_paper_codes(facilitator, round_, 2)
        db.session.commit()
        return {"id": round_.id, "codes": codes, "questions": len(round_.questions)}


def _submitted(live_app, round_id: int) -> list[Response]:  # noqa: ANN001
    with live_app.app_context():
        return list(
            db.session.scalars(
                select(Response).where(
                    Response.round_id == round_id, Response.submitted_at.is_not(None)
                )
            )
        )


def press(page, action: str) -> None:  # noqa: ANN001
    page.locator(f"main button[name=action][value={action}]").click()
    page.wait_for_load_state()


def expect_question(page, position: int, total: int) -> None:  # noqa: ANN001
    progress = page.locator("#progress")
    assert progress.get_attribute("data-position") == str(position), page.url
    assert progress.get_attribute("data-total") == str(total)
    assert page.locator("h1").count() == 1
    # The question names its answers: a screen reader in forms mode says it, not "Your answer".
    question = page.locator("h1").inner_text()
    named = page.get_by_role("group", name=question, exact=True).count()
    named += page.get_by_role("textbox", name=question, exact=True).count()
    assert named == 1, question


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_answers_a_round_every_page_accessible(
    page, axe, live_app, answer_round, lang, easy
):
    total = answer_round["questions"]
    login(page, "paul@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{answer_round['id']}")
    page.locator(f"form[action$='/{answer_round['id']}/start'] button").click()
    page.wait_for_load_state()
    if easy:
        assert "easy-read" in (page.locator("body").get_attribute("class") or "")

    # 1. single choice with a pictogram
    expect_question(page, 1, total)
    assert page.locator("img.pictogram[src$='house.svg']").get_attribute("alt")
    assert page.locator("details#full-text").get_attribute("open") is None
    axe.check(page, "single choice")
    press(page, "next")
    expect_error_state(page)
    axe.check(page, "single choice, nothing chosen")
    page.locator("label[for=answer-1]").click()
    press(page, "next")

    # 2. scale with faces
    expect_question(page, 2, total)
    assert page.locator("img.pictogram[src*='face-']").count() == 5
    axe.check(page, "scale")
    press(page, "next")
    expect_error_state(page)
    axe.check(page, "scale, nothing chosen")
    page.locator("label[for=answer-3]").click()
    press(page, "next")

    # 3. yes or no, after "I do not understand the question"
    expect_question(page, 3, total)
    axe.check(page, "yes or no")
    press(page, "confused")
    assert page.locator("details#full-text[open]").count() == 1
    assert "Fanny, animatrice" in page.locator("#answer-help").inner_text()
    assert page.evaluate("document.activeElement.id") == "answer-help"
    axe.check(page, "yes or no, after I do not understand")
    page.locator("label[for=answer-0]").click()
    press(page, "next")

    # 4. long text: too long, then declined
    expect_question(page, 4, total)
    axe.check(page, "long text")
    page.fill("#answer", "mot " * 1300)
    press(page, "next")
    expect_error_state(page)
    assert page.input_value("#answer").startswith("mot mot")
    axe.check(page, "long text, too long")
    press(page, "decline")

    # 5. several answers
    expect_question(page, 5, total)
    axe.check(page, "multiple choice")
    press(page, "next")
    expect_error_state(page)
    axe.check(page, "multiple choice, nothing chosen")
    page.locator("label[for=answer-0]").click()
    page.locator("label[for=answer-2]").click()
    press(page, "next")

    # 6. short text, then back and forth
    expect_question(page, 6, total)
    axe.check(page, "short text")
    press(page, "back")
    expect_question(page, 5, total)
    assert page.locator("#answer-0").is_checked() and page.locator("#answer-2").is_checked()
    page.locator("label[for=answer-0]").click()
    page.locator("label[for=answer-2]").click()
    page.locator("label[for=answer-1]").click()
    press(page, "next")
    page.fill("#answer", "Le centre-ville")
    press(page, "next")

    # review, change one answer, send
    assert page.url.endswith("/review")
    assert page.locator(".answer-review-item").count() == total
    assert page.locator("[data-state=declined]").count() == 1
    axe.check(page, "review")
    page.locator("a[data-change='2']").click()
    page.wait_for_load_state()
    assert page.locator("#answer-3").is_checked()
    axe.check(page, "scale, changed from the review")
    page.locator("label[for=answer-4]").click()
    press(page, "next")
    assert page.url.endswith("/review")
    assert page.locator("#review-2 img[src$='face-5.svg']").count() == 1
    submit(page)
    assert page.url.endswith("/done")
    assert page.locator("h1").count() == 1
    axe.check(page, "thank you")
    assert len(_submitted(live_app, answer_round["id"])) == 1
    set_preferences(page, "fr", False)
    axe.assert_clean()
    # The four answers refused above came back with their error, as 400 (a form error).
    refused = [e for e in page.console_errors if "status of 400" in e]
    assert len(refused) == 4
    assert [e for e in page.console_errors if e not in refused] == []


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_facilitator_assisted_and_paper_pages(page, axe, live_app, answer_round, lang, easy):
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    base = f"/consultations/{answer_round['id']}"

    page.goto(f"{base}/assist")
    axe.check(page, "assist")
    submit(page)
    expect_error_state(page)
    axe.check(page, "assist with errors")
    page.select_option("#person_id", label="Bernard Sanscourriel (démo)")
    page.fill("#consent_note", "Il m'a demandé d'écrire ses réponses pendant la réunion.")
    submit(page)
    expect_question(page, 1, answer_round["questions"])
    assert page.locator(".provenance").count() == 1
    axe.check(page, "assisted question")
    press(page, "decline")
    # the same response is resumed on the first question without an answer
    page.goto(f"{base}/assist")
    page.select_option("#person_id", label="Bernard Sanscourriel (démo)")
    page.fill("#consent_note", "Il m'a demandé d'écrire ses réponses pendant la réunion.")
    submit(page)
    expect_question(page, 2, answer_round["questions"])

    page.goto(f"{base}/paper")
    axe.check(page, "paper")
    page.fill("#code", "P-NOPE00")
    submit(page)
    expect_error_state(page)
    assert page.input_value("#code") == "P-NOPE00"
    axe.check(page, "paper with errors")
    page.fill("#code", answer_round["codes"][0].lower())
    submit(page)
    expect_question(page, 1, answer_round["questions"])
    assert answer_round["codes"][0] in page.locator(".provenance").inner_text()
    axe.check(page, "paper question")
    for _position in range(answer_round["questions"]):
        press(page, "decline")
    assert page.url.endswith("/review")
    axe.check(page, "paper review")
    submit(page)
    assert page.url.endswith("/done")
    assert page.locator(f"a[href='{base}/paper']").count() == 1
    axe.check(page, "paper thank you")
    set_preferences(page, "fr", False)
    axe.assert_clean()


# --- keyboard only -----------------------------------------------------------------------


def tab_to_action(page, action: str) -> None:  # noqa: ANN001
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["value"] == action)


def enter_and_wait(page) -> None:  # noqa: ANN001
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_keyboard_only_answers_a_whole_round(page, live_app, answer_round):
    total = answer_round["questions"]
    login(page, "DEMO-01", "482913")
    page.goto(f"/consultations/{answer_round['id']}")
    tab_until(
        page,
        lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/start"),
    )
    enter_and_wait(page)

    # 1. single choice: Tab into the group, an arrow chooses the next answer
    expect_question(page, 1, total)
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("ArrowDown")
    assert page.locator("#answer-1").is_checked()
    tab_to_action(page, "next")
    enter_and_wait(page)

    # 2. scale: Space chooses the first face, arrows move to the fourth
    expect_question(page, 2, total)
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator("#answer-3").is_checked()
    tab_to_action(page, "next")
    enter_and_wait(page)

    # 3. yes or no: "I do not understand", then answer
    expect_question(page, 3, total)
    tab_to_action(page, "confused")
    enter_and_wait(page)
    expect_question(page, 3, total)
    assert focused(page)["id"] == "answer-help"
    tab_until(page, lambda s: s["name"] == "answer")
    page.keyboard.press("Space")
    assert page.locator("#answer-0").is_checked()
    tab_to_action(page, "next")
    enter_and_wait(page)

    # 4. long text: "I prefer not to answer"
    expect_question(page, 4, total)
    tab_to_action(page, "decline")
    enter_and_wait(page)

    # 5. several answers: Space on two boxes
    expect_question(page, 5, total)
    tab_until(page, lambda s: s["id"] == "answer-0")
    page.keyboard.press("Space")
    tab_until(page, lambda s: s["id"] == "answer-2")
    page.keyboard.press("Space")
    tab_to_action(page, "next")
    enter_and_wait(page)

    # 6. short text: type, Enter sends "next" (the first button of the form)
    expect_question(page, 6, total)
    tab_until(page, lambda s: s["id"] == "answer")
    page.keyboard.type("Près de la gare")
    enter_and_wait(page)

    # review: change question 2 with the keyboard, then send
    assert page.url.endswith("/review"), page.url
    tab_until(page, lambda s: s["change"] == "2")
    enter_and_wait(page)
    tab_until(page, lambda s: s["name"] == "answer")
    assert focused(page)["id"] == "answer-3"  # the saved face has the focus in its group
    page.keyboard.press("ArrowRight")
    tab_to_action(page, "next")
    enter_and_wait(page)
    assert page.url.endswith("/review")
    tab_until(page, lambda s: s["tag"] == "BUTTON" and (s["action"] or "").endswith("/submit"))
    enter_and_wait(page)
    assert page.url.endswith("/done")

    [response] = _submitted(live_app, answer_round["id"])
    with live_app.app_context():
        response = db.session.get(Response, response.id)
        values = {a.question.position: a for a in response.answers}
        assert values[2].value_int == 5
        assert values[4].declined
        assert len(values[5].selections) == 2
        assert values[6].value_text == "Près de la gare"
        assert response.invitation.person.login_identifier == "DEMO-01"
