"""The easy-read check of what people will read, in Chromium with axe-core: the check page
with nothing found, with warnings (a choice, an empty easy-to-read version), and the
confirmation before announcing with an alert in the costs text, in French, French easy-read
and English easy-read in one browser page; its "Correct this text" links reached and
followed with the keyboard."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Person
from tests.browser.conftest import DEMO_PASSWORD, login, set_preferences, tab_until

FACILITATOR = "animatrice@demo.parole.invalid"
LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
    "d'améliorer l'accompagnement proposé par les services."
)


def _rounds(live_app) -> dict[str, int]:
    """Three draft rounds of the usual questions: clean, with warnings, with an alert."""
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        clean, _ = make_round(org, facilitator, title="Vérifier propre")
        clean.costs_covered = "Nous payons votre ticket de bus."
        warned, _ = make_round(org, facilitator, title="Vérifier attention")
        warned.questions[0].choices[2].label = "Au CSAPA"
        warned.why = "Votre avis aide à changer le plan."
        alerted, _ = make_round(org, facilitator, title="Vérifier alerte")
        alerted.costs_covered = LONG
        db.session.commit()
        return {"clean": clean.id, "warned": warned.id, "alerted": alerted.id}


def test_the_check_of_what_people_read_in_every_state(page, axe, live_app):
    rounds = _rounds(live_app)
    login(page, FACILITATOR, DEMO_PASSWORD)
    for lang, easy in (("fr", False), ("fr", True), ("en", True)):
        state = f"({lang}, easy={easy})"
        set_preferences(page, lang, easy)
        page.goto(f"/consultations/{rounds['clean']}")
        check_link = (
            "Vérifier les textes que les personnes vont lire"
            if lang == "fr"
            else "Check the texts people will read"
        )
        page.get_by_role("link", name=check_link).click()
        page.wait_for_load_state()
        assert page.locator(".check-clean").count() == 1
        assert page.locator("section.text-check").count() == 0
        axe.check(page, f"nothing found {state}")

        page.goto(f"/consultations/{rounds['warned']}/texts-check")
        assert page.locator("section.text-check").count() == 2
        assert page.locator(".falc-finding--alert").count() == 0
        axe.check(page, f"warnings {state}")

        page.goto(f"/consultations/{rounds['alerted']}")
        page.locator(f"form[action$='/{rounds['alerted']}/announce'] button").click()
        page.wait_for_load_state()
        assert page.locator("form input[name=confirm][value='1']").count() == 1
        assert page.locator("#check-costs_covered").count() == 1
        assert page.locator(".falc-finding--alert").count() >= 1
        axe.check(page, f"alerts before announcing {state}")
    axe.assert_clean()

    # The links to correct each text are reached with Tab and followed with Enter.
    page.goto(f"/consultations/{rounds['warned']}/texts-check")
    reached = tab_until(page, lambda s: (s["href"] or "").endswith("/edit#why_easy"), limit=80)
    assert reached["tag"] == "A"
    tab_until(page, lambda s: (s["href"] or "").endswith("#choices"), limit=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/edit#choices")
    assert page.locator("#choices").count() == 1
