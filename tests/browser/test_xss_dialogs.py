"""XSS in real Chromium: the most dangerous strings (the BLNS "Script Injection" section and
the curated list of tests/security/payloads.py) saved in a few representative places, then
the pages that show them opened with a dialog hook. A dialog (alert, confirm, prompt) is a
script that ran: the test fails. Console errors about the Content-Security-Policy blocking an
inline script are fine: the policy did its job.

Places: comments of a consultation (the round page), comments held by moderation (the queue
and the item page), expense line descriptions (the request page), mission descriptions (the
mission page and the institute's list)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from tests import figures
from tests.browser.conftest import login
from tests.factories import PASSWORD
from tests.security import payloads

pytestmark = pytest.mark.browser
_prefixes = itertools.count(1)


def _chunks(texts: tuple[str, ...], limit: int) -> list[str]:
    """Several payloads per text, one per line, each text under `limit` characters."""
    chunks, current = [], ""
    for text in texts:
        text = text.replace("\x00", "")[:limit]
        if current and len(current) + len(text) + 1 > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n{text}" if current else text
    if current:
        chunks.append(current)
    return chunks


def _world(live_app) -> dict:  # noqa: ANN001
    from app.accounts.models import OrganisationKind, Role
    from app.consultations import services as consultations
    from app.expenses import services as expenses
    from app.expenses.models import ActivityType, Category, RequestKind
    from app.moderation.models import ModerationItem
    from app.trainings import services as trainings
    from app.trainings.models import MissionType
    from app.trainings.services import MissionData
    from tests.factories import make_org, make_person
    from tests.moderation_factories import make_discussion

    texts = payloads.dangerous()
    prefix = f"bxss{next(_prefixes)}-"
    with live_app.app_context():
        d = make_discussion(prefix)
        for text in _chunks(texts, 1500):
            consultations.add_comment(d.author, d.round, text)
        held = consultations.add_comment(d.author, d.round, f"06 12 34 56 78 {texts[0]}")
        item = db.session.scalars(
            select(ModerationItem.id).where(ModerationItem.content_id == held.id)
        ).first()

        request = expenses.create_request(
            d.author, d.author, d.org, RequestKind.REIMBURSEMENT, ActivityType.COMMITTEE
        )
        for text in _chunks(texts, 300):
            expenses.add_line(
                d.author,
                request,
                expenses.LineInput(Category.PARKING, amount="1,00", description=text),
            )

        institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
        staff = make_person((institute, Role.INSTITUTE_STAFF), email=f"{prefix}staff@m.test")
        start = datetime.now(UTC) + timedelta(days=30)
        missions = []
        for text in _chunks(texts, 5000):
            mission = trainings.create_mission(
                staff,
                institute,
                MissionData(
                    type=MissionType.TEACHING,
                    title=texts[len(missions) % len(texts)][:200] or "Mission",
                    seats=2,
                    sessions=[(start, start + timedelta(hours=3))],
                    place="IRTS, Lille",
                    description=text,
                    hourly_rate=Decimal("20.00"),
                ),
            )
            missions.append(mission.id)
        db.session.commit()
        return {
            "prefix": prefix,
            "round": d.round.id,
            "item": item,
            "request": request.id,
            "institute": institute.id,
            "missions": missions,
        }


def test_no_dialog_fires_on_pages_showing_hostile_text(live_app, page) -> None:  # noqa: ANN001
    world = _world(live_app)
    dialogs: list[str] = []
    page.on(
        "dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss())
    )
    visits = {
        "author": [f"/consultations/{world['round']}", f"/expenses/{world['request']}"],
        "mod": ["/moderation/", f"/moderation/items/{world['item']}"],
        "staff": [
            f"/co-training/organisations/{world['institute']}/missions",
            *(f"/co-training/missions/{m}" for m in world["missions"]),
            *(f"/co-training/missions/{m}/manage" for m in world["missions"][:2]),
        ],
    }
    checked = 0
    for who, urls in visits.items():
        page.context.clear_cookies()
        login(page, f"{world['prefix']}{who}@m.test", PASSWORD)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("load")
            # Hover and focus every element, as a person would, to fire on* attributes.
            page.evaluate(
                "() => { for (const e of document.querySelectorAll('body *')) {"
                " e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                " e.dispatchEvent(new FocusEvent('focus')); } }"
            )
            page.wait_for_timeout(50)
            checked += 1
    figures.add("xss: pages checked in Chromium", checked)
    assert checked >= 6
    assert not dialogs, "a script ran:\n" + "\n".join(dialogs)
