"""Easy-read proofreading in Chromium: every page in every state it reaches, with axe-core
(French, French easy-read, English easy-read), and a whole text proofread with the keyboard
only (Tab, Space, arrows, Enter).

Needs the proofreading tables in the migrations (the live server's database is built by
Alembic)."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.falc import proofreading as services
from app.falc.proofreading_models import Proofreading, SentenceMark
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    login,
    set_preferences,
    submit,
    tab_until,
)

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
DEMO_ORG = "CRPA Région Exemple (démo)"
FACILITATOR = "animatrice@demo.parole.invalid"
TEXT = "Vous êtes invité à une réunion. Elle a lieu le 3 mars.\nVenez avec un ami si vous voulez."
CONSENT = "Compte de démonstration : la personne a dit oui."
_subjects = itertools.count(9000)


def _demo() -> dict:
    org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORG))
    people = {
        email.split("@")[0]: db.session.scalar(select(Person).where(Person.email == email))
        for email in (FACILITATOR, "paul@demo.parole.invalid", "nadia@demo.parole.invalid")
    }
    return {"org": org, **people}


@pytest.fixture
def proofreading(live_app) -> dict:  # noqa: ANN001
    """A text of the demo organisation sent to Paul (agreed to be named) and Nadia."""
    with live_app.app_context():
        demo = _demo()
        facilitator = demo["animatrice"]
        services.register_proofreader(facilitator, demo["paul"], CONSENT, show_name=True)
        services.register_proofreader(facilitator, demo["nadia"], CONSENT, show_name=False)
        subject_id = next(_subjects)
        created = services.request_proofreading(
            facilitator,
            demo["org"],
            "consultation_round",
            subject_id,
            "subject_easy",
            TEXT,
            [demo["paul"].id, demo["nadia"].id],
            label=f"Réunion du 3 mars ({subject_id})",
        )
        db.session.commit()
        return {
            "id": created.id,
            "org": demo["org"].id,
            "paul": demo["paul"].id,
            "nadia": demo["nadia"].id,
            "subject_id": subject_id,
        }


def _marks(live_app, proofreading_id: int, person_id: int) -> list[tuple[int, bool, str]]:  # noqa: ANN001
    with live_app.app_context():
        return [
            (m.sentence_index, m.understood, m.comment)
            for m in db.session.scalars(
                select(SentenceMark)
                .where(
                    SentenceMark.proofreading_id == proofreading_id,
                    SentenceMark.person_id == person_id,
                )
                .order_by(SentenceMark.sentence_index)
            )
        ]


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_proofreader_pages_every_state_accessible(page, axe, live_app, proofreading, lang, easy):
    login(page, "paul@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    page.goto("/relecture/")
    assert page.locator("h1").count() == 1
    link = page.locator(f"#todo a[href='/relecture/{proofreading['id']}']")
    assert link.count() == 1
    axe.check(page, "my texts to proofread")
    link.click()
    page.wait_for_load_state()
    if easy:
        assert "easy-read" in (page.locator("body").get_attribute("class") or "")
    # one sentence per line, each in its own group whose legend is the sentence
    legends = page.locator("main fieldset legend")
    assert legends.count() == 3
    assert legends.nth(1).inner_text().startswith("Elle a lieu le 3 mars.")
    axe.check(page, "proofreading page")

    page.locator("label[for=understood_0-0]").click()
    page.fill("#comment_0", "Je comprends bien.")
    submit(page)
    expect_error_state(page)
    assert page.locator("#understood_0-0").is_checked()
    assert page.input_value("#comment_0") == "Je comprends bien."
    assert page.locator("#understood_1-error").count() == 1
    axe.check(page, "proofreading page with errors")

    page.locator("label[for=understood_1-1]").click()
    page.fill("#comment_1", "Je ne sais pas ce que veut dire lieu.")
    page.locator("label[for=understood_2-0]").click()
    submit(page)
    assert page.locator(".flash--success").count() == 1
    assert page.locator("main input[type=radio]").count() == 0
    assert page.locator(f"a[href='/relecture/{proofreading['id']}?change=1']").count() == 1
    axe.check(page, "finished")
    assert _marks(live_app, proofreading["id"], proofreading["paul"]) == [
        (0, True, "Je comprends bien."),
        (1, False, "Je ne sais pas ce que veut dire lieu."),
        (2, True, ""),
    ]
    page.goto("/relecture/")
    axe.check(page, "my texts, after finishing")
    set_preferences(page, "fr", False)
    axe.assert_clean()
    # A form sent with errors answers 400: the browser logs it, nothing else may be there.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_facilitator_pages_every_state_accessible(page, axe, live_app, proofreading, lang, easy):
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    org = proofreading["org"]

    # the proofreaders of the organisation: list, error, then add one
    page.goto(f"/relecture/proofreaders?organisation_id={org}")
    assert page.locator("main table").count() == 1
    axe.check(page, "proofreaders")
    if page.locator("#person_id").count():
        submit(page)
        expect_error_state(page)
        axe.check(page, "proofreaders with errors")
        page.select_option("#person_id", index=1)
        page.fill("#consent_note", CONSENT)
        page.check("#show_name")
        submit(page)
        assert page.locator(".flash--success").count() == 1
        axe.check(page, "proofreaders, one added")

    # send a text: the page is filled in from the link of the text's page
    subject_id = next(_subjects)
    args = {
        "organisation_id": org,
        "subject_type": "consultation_round",
        "subject_id": subject_id,
        "field": "subject_easy",
        "label": "Le logement",
        "text": TEXT,
    }
    page.goto("/relecture/request?" + urlencode(args))
    assert page.input_value("#text").startswith("Vous êtes invité")
    axe.check(page, "send for proofreading")
    submit(page)
    expect_error_state(page)
    assert page.input_value("#label") == "Le logement"
    axe.check(page, "send for proofreading with errors")
    page.locator(f"input[name=proofreader_ids][value='{proofreading['paul']}']").check()
    page.locator(f"input[name=proofreader_ids][value='{proofreading['nadia']}']").check()
    submit(page)
    assert page.url.endswith("/results")
    axe.check(page, "results, waiting")

    # enter the answers Paul dictates
    page.goto(f"/relecture/{proofreading['id']}/for/{proofreading['paul']}")
    axe.check(page, "enter the answers of a proofreader")
    page.locator("label[for=understood_0-0]").click()
    submit(page)
    expect_error_state(page)
    axe.check(page, "enter the answers, with errors")
    page.fill("#consent_note", "Paul m'a dit ses réponses pendant la réunion.")
    for index in range(3):
        page.locator(f"label[for=understood_{index}-0]").click()
    submit(page)
    assert page.url.endswith(f"/relecture/{proofreading['id']}/results")
    assert page.locator(".easy-read-badge").count() == 1
    assert "Paul" in page.locator(".easy-read-badge-names").inner_text()
    axe.check(page, "results, approved, with the badge")
    with live_app.app_context():
        assert db.session.get(Proofreading, proofreading["id"]).status.value == "validated"

    page.goto("/relecture/")
    axe.check(page, "proofreadings of my organisations")
    set_preferences(page, "fr", False)
    axe.assert_clean()
    # A form sent with errors answers 400: the browser logs it, nothing else may be there.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


# --- keyboard only -----------------------------------------------------------------------


def test_keyboard_only_proofreads_a_whole_text(page, live_app, proofreading):
    login(page, "nadia@demo.parole.invalid", DEMO_PASSWORD)
    page.goto("/relecture/")
    tab_until(page, lambda s: s["href"] == f"/relecture/{proofreading['id']}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()

    # sentence 1: Tab into the group, Space chooses "I understand"
    tab_until(page, lambda s: s["name"] == "understood_0")
    page.keyboard.press("Space")
    assert page.locator("#understood_0-0").is_checked()
    # sentence 2: an arrow moves to "I do not understand", then a comment
    tab_until(page, lambda s: s["name"] == "understood_1")
    page.keyboard.press("ArrowDown")
    assert page.locator("#understood_1-1").is_checked()
    tab_until(page, lambda s: s["id"] == "comment_1")
    page.keyboard.type("Le mot lieu.")
    # sentence 3: Space, then an arrow changes the mind, and back
    tab_until(page, lambda s: s["name"] == "understood_2")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.locator("#understood_2-1").is_checked()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#understood_2-0").is_checked()
    # "I have finished"
    state = tab_until(page, lambda s: s["tag"] == "BUTTON" and s["value"] == "finish")
    assert state["action"] == f"/relecture/{proofreading['id']}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("main input[type=radio]").count() == 0
    assert _marks(live_app, proofreading["id"], proofreading["nadia"]) == [
        (0, True, ""),
        (1, False, "Le mot lieu."),
        (2, True, ""),
    ]
