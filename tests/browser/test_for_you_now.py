"""The home page's "For you now" in Chromium with axe-core, with one thing of every kind
waiting (a round to answer, feedback to read, an evaluation, a place offered, three cost
requests, a text to proofread, a message held), in French, French easy-read and English
easy-read; then a keyboard-only journey from the home page to taking the place offered."""

from __future__ import annotations

import itertools

import pytest

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.expenses import services as expenses
from app.falc import proofreading
from app.trainings import services as trainings
from tests.browser.conftest import focused, keyboard_login, login, set_preferences, tab_until
from tests.consultation_factories import publish_feedback
from tests.factories import PASSWORD
from tests.worlds import a_cost_request, a_mission, a_round, an_organisation, sign_ups

_n = itertools.count(1)
# A round to answer, its feedback and evaluation, a place, 3 requests, a text, a message.
KINDS = 9


def _answer(person, round_) -> None:  # noqa: ANN001
    response = consultations.start_response(person, round_)
    for question in round_.questions:
        if question.choices:
            value = consultations.AnswerInput(choice_ids=[question.choices[0].id])
        elif question.kind.value == "scale":
            value = consultations.AnswerInput(value_int=3)
        else:
            value = consultations.AnswerInput(value_text="Plus de logements.")
        consultations.save_answer(person, response, question, value)
    consultations.submit_response(person, response)


def _world(live_app) -> dict:  # noqa: ANN001
    """Alice, with one thing of every kind waiting for her."""
    n = next(_n)
    domain = f"bnow{n}.test"
    with live_app.test_request_context("/"):
        team = an_organisation(
            f"bnow{n}-CRPA Maintenant",
            domain=domain,
            fac=Role.FACILITATOR,
            fin=Role.FINANCE,
            alice=Role.PARTICIPANT,
        )
        alice = team["alice"]
        done = a_round(team.org, team["fac"], step="open", invited=[alice], title="La cantine")
        _answer(alice, done)
        publish_feedback(done, team["fac"])  # feedback to read, evaluation to give
        open_ = a_round(team.org, team["fac"], step="open", invited=[alice], discussion=True)
        open_.discussion_moderation = "pre"
        consultations.add_comment(alice, open_, "Il faut plus de logements.")  # held
        institute = an_organisation(
            f"bnow{n}-IRTS",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            domain=domain,
            staff=Role.INSTITUTE_STAFF,
        )
        mission = a_mission(
            institute["staff"], institute.org, "Cours du mardi", place="IRTS", departement="59"
        )
        made = sign_ups(institute["staff"], mission, [team["fac"]], [alice])
        trainings.cancel(team["fac"], made.holders[0])  # the place is offered to Alice
        a_cost_request(alice, team.org, team["fin"], step="draft")
        asked, _ = a_cost_request(alice, team.org, team["fin"], step="submitted")
        expenses.review(team["fin"], asked, expenses.Review("needs_info", "Quel train ?"))
        a_cost_request(alice, team.org, team["fin"], step="paid", kind=expenses.RequestKind.ADVANCE)
        proofreading.register_proofreader(
            team["fac"], alice, "Elle a dit oui pendant la réunion du 3 mars.", show_name=False
        )
        proofreading.request_proofreading(
            team["fac"],
            team.org,
            "consultation_round",
            open_.id,
            "subject_easy",
            "Vous êtes invité. Venez.",
            [alice.id],
            label="La réunion",
        )
        world = {"alice": alice.email, "offer": made.waiting[0].id}
        db.session.commit()
    return world


@pytest.mark.parametrize(
    ("language", "easy_read"),
    [("fr", False), ("fr", True), ("en", True)],
    ids=["fr", "fr-easy", "en-easy"],
)
def test_for_you_now_with_every_kind_of_item_has_no_axe_violation(
    page, axe, live_app, language, easy_read
):  # noqa: ANN001
    w = _world(live_app)
    login(page, w["alice"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto("/")
    items = page.locator("#news-title + ul > li.waiting-item")
    assert items.count() == KINDS
    # The place offered ends first (48 hours), then the round (it closes later).
    assert "/co-training/mine#signup-" in items.nth(0).locator("a").get_attribute("href")
    assert items.nth(0).locator("time").count() == 1
    assert items.nth(1).locator("time").count() == 1
    axe.check(page, f"home page, every kind of item waiting ({language}, easy={easy_read})")
    axe.assert_clean()


def test_keyboard_only_from_the_home_page_to_taking_the_place_offered(page, live_app):  # noqa: ANN001
    w = _world(live_app)
    keyboard_login(page, w["alice"], PASSWORD)
    page.goto("/")
    tab_until(page, lambda f: (f["href"] or "").endswith(f"#signup-{w['offer']}"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/co-training/mine#signup-{w['offer']}")
    accept = f"/co-training/signups/{w['offer']}/accept"
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["action"] == accept)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page) is not None
    page.goto("/")
    assert page.locator(f"a[href$='#signup-{w['offer']}']").count() == 0
    assert page.locator("#news-title + ul > li.waiting-item").count() == KINDS - 1
