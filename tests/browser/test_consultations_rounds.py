"""Authoring, lifecycle, results and feedback pages of consultation rounds, with axe-core,
on the demo rounds (one in each step)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.consultations.models import ConsultationRound, RoundStatus
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    login,
    set_preferences,
    submit,
    tab_until,
)

VARIANTS = [("fr", False), ("en", True)]
IDS = ["fr-normal", "en-easy"]


@pytest.fixture
def rounds(live_app) -> dict[str, int]:  # noqa: ANN001
    with live_app.app_context():
        rows = db.session.execute(
            select(ConsultationRound.status, ConsultationRound.id).order_by(
                ConsultationRound.id.desc()
            )
        ).all()
        # the demo rounds come first; other tests may add rounds of their own later
        return {status.value: rid for status, rid in rows}


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_facilitator_pages_in_every_step(page, axe, rounds, lang, easy):
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto("/consultations/")
    axe.check(page, "consultations list")
    for status in RoundStatus:
        page.goto(f"/consultations/{rounds[status.value]}")
        assert page.locator("h1").count() == 1
        axe.check(page, f"round page, step {status.value}")
    for status in ("closed", "results", "feedback_published"):
        page.goto(f"/consultations/{rounds[status]}/results")
        assert page.locator("table").count() >= 1
        axe.check(page, f"results, step {status}")
    page.goto(f"/consultations/{rounds['draft']}/edit")
    axe.check(page, "edit round")
    page.goto(f"/consultations/{rounds['draft']}/questions/new")
    axe.check(page, "new question")
    submit(page)
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "new question with errors")
    page.goto("/consultations/new")
    axe.check(page, "new round")
    page.fill("#title", "Un titre")
    page.fill("#opens_on", "pas une date")
    submit(page)
    assert page.title().startswith(("Erreur :", "Error:"))
    assert page.input_value("#title") == "Un titre"
    axe.check(page, "new round with errors")
    page.goto(f"/consultations/{rounds['closed']}/feedback/new")
    axe.check(page, "feedback form")
    submit(page)
    axe.check(page, "feedback form with errors")
    page.goto(f"/consultations/{rounds['feedback_published']}/feedback")
    axe.check(page, "feedback page")
    set_preferences(page, "fr", False)
    axe.assert_clean()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_round_page_with_a_form_error(page, axe, rounds, lang, easy):
    """A wrong number of paper questionnaires: the round's page comes back with the error
    next to the field, the summary first (status 400), and nothing else changed."""
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto(f"/consultations/{rounds['open']}")
    page.fill("#count", "900")
    with page.expect_response(lambda r: r.url.endswith("/paper-codes")) as sent:
        page.locator("form[action$='/paper-codes'] button[type=submit]").click()
    page.wait_for_load_state()
    assert sent.value.status == 400
    expect_error_state(page)
    assert page.locator("#count-error").count() == 1
    assert page.input_value("#count") == "900"
    axe.check(page, "round page, paper questionnaires with an error")
    set_preferences(page, "fr", False)
    axe.assert_clean()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_pages(page, axe, rounds, lang, easy):
    # one demo participant per variant: the evaluation can be given only once
    login(
        page,
        "paul@demo.parole.invalid" if lang == "fr" else "nadia@demo.parole.invalid",
        DEMO_PASSWORD,
    )
    set_preferences(page, lang, easy)
    page.goto("/")
    assert page.locator(".news a").count() >= 1
    axe.check(page, "home with news")
    page.goto("/consultations/")
    axe.check(page, "consultations list")
    for status in ("announced", "open", "results", "feedback_published", "evaluated"):
        page.goto(f"/consultations/{rounds[status]}")
        axe.check(page, f"round page, step {status}")
    page.goto(f"/consultations/{rounds['open']}")
    assert page.locator(".discussion .comment").count() >= 2
    page.locator("form[action$='/comments'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "discussion with an error")
    page.goto(f"/consultations/{rounds['open']}?full=1")
    axe.check(page, "round page, full version")
    page.goto(f"/consultations/{rounds['results']}/results")
    axe.check(page, "results as participant")
    # On a phone the thead is off-screen: each data cell starts with its column header.
    label = page.locator(".table td .cell-label").first
    assert not label.is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    assert label.is_visible()
    after = label.evaluate("e => getComputedStyle(e, '::after').content")
    assert after == ('"\u00a0: "' if lang == "fr" else '": "')
    axe.check(page, "results as participant, 375 px wide")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"/consultations/{rounds['feedback_published']}/feedback")
    assert page.locator(".feedback-item").count() >= 1
    axe.check(page, "feedback")
    page.goto(f"/consultations/{rounds['feedback_published']}/feedback?full=1")
    axe.check(page, "feedback, full version")
    page.goto(f"/consultations/{rounds['feedback_published']}/evaluation")
    axe.check(page, "evaluation form")
    submit(page)
    assert page.locator(".error-summary").count() == 1
    axe.check(page, "evaluation form with errors")
    for name in ("understood", "could_speak", "costs_covered", "sees_change"):
        page.check(f"#{name}-0")
    submit(page)
    assert page.url.endswith(f"/consultations/{rounds['feedback_published']}")
    assert page.locator("a[href$='/evaluation']").count() == 0
    axe.check(page, "round page after the evaluation")
    page.goto(f"/consultations/{rounds['draft']}")
    assert page.locator("h1").count() == 1  # the 404 page
    set_preferences(page, "fr", False)
    axe.assert_clean()


@pytest.fixture
def many_texts(live_app) -> tuple[int, int]:  # noqa: ANN001
    """A closed round of the demo organisation with 120 free texts sent on paper, all chosen."""
    from app.accounts.models import Person
    from app.consultations import services
    from tests.consultation_factories import (
        add_free_texts,
        choose_all_texts,
        make_round,
        open_round,
    )

    with live_app.app_context():
        facilitator = db.session.scalar(
            select(Person).where(Person.email == "animatrice@demo.parole.invalid")
        )
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title="Cent vingt textes")
        services.create_paper_codes(facilitator, round_, 1)
        open_round(round_, facilitator, [])
        question = add_free_texts(round_, 120)
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        choose_all_texts(round_, question)  # every text chosen as written (curation.py)
        db.session.commit()
        return round_.id, question.id


def test_free_texts_page_by_page_with_the_keyboard(page, axe, many_texts):
    round_id, question_id = many_texts
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    page.goto(f"/consultations/{round_id}/results")
    assert page.locator(".quotes li").count() == 50
    axe.check(page, "results with 120 texts")
    texts = f"/consultations/{round_id}/results/questions/{question_id}/texts"
    tab_until(page, lambda s: s["href"] == f"{texts}?page=2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator(".quotes li").count() == 50
    assert page.locator(".quotes").get_attribute("start") == "51"
    axe.check(page, "texts, page 2 of 3")
    tab_until(page, lambda s: s["href"] == f"{texts}?page=3")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator(".quotes li").count() == 20
    assert page.locator("a[rel=next]").count() == 0
    axe.check(page, "texts, last page")
    axe.assert_clean()
