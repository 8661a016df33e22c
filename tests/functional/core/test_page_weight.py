"""Page weight budget: every participant page, with everything it loads (HTML, CSS, scripts,
images, pictograms), weighs at most 30 KB compressed. Participants use old phones on prepaid
data. Deterministic, so it is a test (timings are in `make bench`)."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from app import db
from app.accounts.models import OrganisationKind, Role
from app.db import utcnow
from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, RequestKind
from app.trainings import services as trainings
from app.trainings.models import MissionStatus, MissionType
from tests.conftest import login
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person

BUDGET = 30 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


@pytest.fixture
def participant_pages(app):
    """A participant with something on every page: an open round started, a request with a
    cost, a co-training sign-up."""
    with app.test_request_context("/"):
        org = make_org("CCAS Poids")
        paul = make_person((org, Role.PARTICIPANT), email="poids@e.test", name="Paul")
        round_, facilitator = make_round(org)
        open_round(round_, facilitator, [paul])
        request = expenses.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        expenses.add_line(paul, request, expenses.LineInput(Category.TRAIN, "23,40"))
        institute = make_org("IRTS Poids", kind=OrganisationKind.TRAINING_INSTITUTE)
        staff = make_person((institute, Role.INSTITUTE_STAFF))
        start = utcnow() + timedelta(days=20)
        mission = trainings.create_mission(
            staff,
            institute,
            trainings.MissionData(
                type=MissionType.TEACHING,
                title="Cours",
                seats=2,
                sessions=[(start, start + timedelta(hours=3))],
                place="IRTS",
                hourly_rate=Decimal("25.00"),
            ),
        )
        trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
        trainings.sign_up(paul, paul, mission, trainings.SignupData(contact_channel="sms"))
        db.session.commit()
        ids = {"round": round_.id, "request": request.id, "mission": mission.id}
    client = app.test_client()
    login(client, "poids@e.test", PASSWORD)
    started = client.post(
        f"/consultations/{ids['round']}/start",
        data={"csrf_token": _token(client, f"/consultations/{ids['round']}")},
    )
    question = started.headers["Location"]
    return client, [
        "/",
        "/notifications",
        "/account",
        "/preferences",
        "/accessibility",
        "/consultations/",
        f"/consultations/{ids['round']}",
        question,
        "/expenses/",
        "/expenses/new",
        f"/expenses/{ids['request']}",
        "/expenses/bank",
        "/co-training/",
        f"/co-training/missions/{ids['mission']}",
        f"/co-training/missions/{ids['mission']}/sign-up",
        "/co-training/mine",
        "/co-training/profile",
        "/moderation/mine",
        "/moderation/charter",
    ]


def _token(client, url: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get(url).get_data(as_text=True))


def test_every_participant_page_fits_in_30_kb_compressed(participant_pages):
    client, urls = participant_pages
    weights = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data()
        total = _gz(html)
        for asset in sorted(set(ASSET.findall(html.decode()))):
            loaded = client.get(asset)
            assert loaded.status_code == 200, asset
            total += _gz(loaded.get_data())
            loaded.close()
        weights[url] = total
    too_heavy = {url: w for url, w in weights.items() if w > BUDGET}
    assert not too_heavy, too_heavy
    print("\npage weights (compressed bytes):", max(weights.values()), "at most")
