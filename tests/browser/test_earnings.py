"""Mes revenus Parole in Chromium, axe-core on every state, French, French easy-read and
English easy-read in one browser page: the warning on the sign-up page before a mission's pay
crosses the RSA amount, the earnings page, the institute's review of the sign-up with the same
warning (and the reference amounts' date, out of date since 1 April 2026), the amounts page
with its "to check" notice; then the keyboard-only journey from the costs page to the quarter's statement."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app import db
from app.accounts.models import OrganisationKind, Role
from app.core import calendar
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from tests.browser.conftest import keyboard_login, login, set_preferences, submit, tab_until
from tests.browser.test_expenses import _check, _error_state
from tests.factories import PASSWORD, make_org, make_person
from tests.worlds import a_mission

pytestmark = pytest.mark.browser
_prefixes = itertools.count(1)
VARIANTS = [("fr", False), ("fr", True), ("en", True)]
WARNING = {"fr": "Revenus et prestations", "en": "Pay and benefits"}
OLD = {"fr": "datent du 1er avril 2025", "en": "date from 1 April 2025"}


def _world(live_app) -> dict:  # noqa: ANN001
    prefix = f"bearn{next(_prefixes)}-"
    with live_app.app_context():
        institute = make_org(f"{prefix}IRTS des Tilleuls", kind=OrganisationKind.TRAINING_INSTITUTE)
        home = make_org(f"{prefix}CCAS des Tilleuls")
        staff = make_person(
            (institute, Role.INSTITUTE_STAFF), email=f"{prefix}staff@x.test", name="Inès Institut"
        )
        make_person((institute, Role.FINANCE), email=f"{prefix}fin@x.test", name="Farid Finances")
        paul = make_person(
            (home, Role.PARTICIPANT), email=f"{prefix}paul@x.test", name="Paul Martin"
        )
        mission = a_mission(
            staff,
            institute,
            "Cours sur l'accueil",
            starts_in=timedelta(days=10),
            hours=3,
            online=True,
            hourly_rate=Decimal("25.00"),
        )
        year = calendar.paris(mission.sessions[0].starts_at).year
        # 7 700 € received in January; the mission's 75 € would pass 7 758,24 € (12 x RSA).
        db.session.add(
            ExpenseRequest(
                organisation_id=institute.id,
                person_id=paul.id,
                kind=RequestKind.PAY,
                status=RequestStatus.PAID,
                activity_type=ActivityType.CO_TRAINING,
                activity_label="Séance de formation",
                paid_at=datetime(year, 1, 15, 10, tzinfo=UTC),
                paid_amount=Decimal("7700.00"),
            )
        )
        db.session.commit()
        return {
            "prefix": prefix,
            "mission": mission.id,
            "year": year,
            "paul": paul.id,
            "institute": institute.id,
        }


def test_earnings_warning_page_and_statement_accessible(page, axe, live_app):  # noqa: ANN001
    world = _world(live_app)
    problems: list[str] = []
    paul = f"{world['prefix']}paul@x.test"
    sign_up = f"/co-training/missions/{world['mission']}/sign-up"
    login(page, paul, PASSWORD)
    for lang, easy in VARIANTS:
        label = f"{lang}{'-easy' if easy else ''}"
        set_preferences(page, lang, easy)
        page.goto(sign_up)
        box = page.locator(".notice-box", has_text=WARNING[lang])
        assert box.count() == 1, page.content()[:2000]
        assert "RSA" in box.inner_text() and "7" in box.inner_text()
        _check(page, axe, problems, f"sign-up with the warning {label}")
        page.goto(f"/expenses/earnings?year={world['year']}")
        assert page.locator("h1").count() == 1
        assert page.locator("table").count() == 2
        _check(page, axe, problems, f"earnings page {label}")
    with live_app.app_context():  # Paul signs up: the institute reviews it next
        from app.accounts.models import Person
        from app.trainings import services
        from app.trainings.models import Mission

        person = db.session.get(Person, world["paul"])
        mission = db.session.get(Mission, world["mission"])
        services.sign_up(person, person, mission, services.SignupData())
        db.session.commit()
    page.context.clear_cookies()

    login(page, f"{world['prefix']}staff@x.test", PASSWORD)
    for lang, easy in VARIANTS:
        set_preferences(page, lang, easy)
        page.goto(f"/co-training/missions/{world['mission']}/manage")
        row = page.locator("tr", has_text="Paul Martin")
        assert row.locator(".notice-box", has_text=WARNING[lang]).count() == 1
        # The amounts date from 1 April 2025; a 1 April has passed: the staff read it.
        assert OLD[lang] in row.locator(".notice-box").inner_text()
        _check(
            page, axe, problems, f"sign-up review with the warning {lang}{'-easy' if easy else ''}"
        )
    page.context.clear_cookies()

    # The institute's finance person sets its own amounts: the page, its error state, saved.
    login(page, f"{world['prefix']}fin@x.test", PASSWORD)
    amounts = f"/expenses/organisations/{world['institute']}/earnings-amounts"
    for lang, easy in VARIANTS:
        label = f"{lang}{'-easy' if easy else ''}"
        set_preferences(page, lang, easy)
        page.goto(amounts)
        assert page.locator(".notice-box", has_text=OLD[lang]).count() == 1
        _check(page, axe, problems, f"amounts page {label}")
        page.fill("#rsa", "beaucoup")
        submit(page)
        _error_state(page, problems, f"amounts error {label}")
        _check(page, axe, problems, f"amounts page with an error {label}")
        page.fill("#rsa", "7 000,00")
        submit(page)
        assert page.locator("#rsa").input_value() == "7000,00"
        _check(page, axe, problems, f"amounts saved {label}")
    axe.assert_clean()
    assert not problems, problems


def test_keyboard_only_journey_to_the_quarter_statement(page, live_app):  # noqa: ANN001
    world = _world(live_app)
    keyboard_login(page, f"{world['prefix']}paul@x.test", PASSWORD)
    page.goto("/expenses/")
    tab_until(page, lambda s: (s["href"] or "").startswith("/expenses/earnings"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/expenses/earnings" in page.url
    if f"year={world['year']}" not in page.url and str(world["year"]) not in page.title():
        page.goto(f"/expenses/earnings?year={world['year']}")
    tab_until(page, lambda s: (s["href"] or "").endswith("quarter-1.pdf"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename == f"revenus-{world['year']}-T1.pdf"
