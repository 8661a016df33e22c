"""A mission's numbers read as people say them (issue 23): "mardi 5 mars 2030, de 9 h à 12 h",
"2 co-formateurs recherchés, 2 places libres"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask

from app.accounts.models import OrganisationKind, Role
from tests.conftest import login
from tests.factories import PASSWORD
from tests.worlds import a_mission, an_organisation, member, saved


def _page(app: Flask) -> tuple[str, int]:
    with saved(app):
        institute = an_organisation(
            "IRTS Heures",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            domain="h.test",
            staff=Role.INSTITUTE_STAFF,
        )
        an_organisation("CCAS Heures", domain="h.test", paul=member(name="Paul"))
        # 8:00 to 11:00 UTC on Tuesday 5 March 2030: 9:00 to 12:00 in France (winter time).
        mission = a_mission(
            institute["staff"],
            institute.org,
            "Cours du matin",
            seats=2,
            sessions=[
                (datetime(2030, 3, 5, 8, 0, tzinfo=UTC), datetime(2030, 3, 5, 11, 0, tzinfo=UTC))
            ],
            place="IRTS, Villefictive",
            preparation_at=datetime(2030, 2, 26, 13, 0, tzinfo=UTC),
        )
        mission_id = mission.id
    client = app.test_client()
    login(client, "paul@h.test", PASSWORD)
    return client.get(f"/co-training/missions/{mission_id}").get_data(as_text=True), mission_id


def test_a_session_reads_its_day_by_name_and_its_hours_as_people_say_them(app: Flask) -> None:
    page, _ = _page(app)
    assert "<li>mardi 5 mars 2030, de 9 h à 12 h</li>" in page
    assert "09:00" not in page
    assert "Une réunion pour préparer ensemble : mardi 26 février 2030 à 14 h." in page


def test_seats_read_as_co_trainers_wanted_and_places_left(app: Flask) -> None:
    page, _ = _page(app)
    # French plurals are applied at the end of the round: either language until then.
    assert re.search(
        r"<dd>2 (co-formateurs recherchés|co-trainers wanted), 2 (places libres|places left)</dd>",
        page,
    )
