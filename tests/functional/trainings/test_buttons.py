"""The buttons of a sign-up (accept an offered place, cancel): a step the rules refuse
brings the person back to their sign-ups with the reason, not to an error page (the
institute pressing them for the person: tests/security/access_policy.py)."""

import re

import pytest

from app.accounts.models import OrganisationKind, Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_mission, an_organisation, member, saved, sign_ups


@pytest.fixture
def world(app):
    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        home = an_organisation("CCAS Essai", paul=member(name="Paul Martin"))
        mission = a_mission(institute["staff"], institute.org, "Cours", online=True)
        made = sign_ups(institute["staff"], mission, [], [home["paul"]])  # waiting list
        return {"signup": made.waiting[0].id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _flashed(html: str, kind: str) -> list[str]:
    return [
        m.replace("&#39;", "'")
        for m in re.findall(rf'<p class="flash flash--{kind}">([^<]*)</p>', html)
    ]


def test_accepting_a_place_not_offered_is_explained_on_my_sign_ups(app, world):
    paul = _client(app, "paul")
    url = f"/co-training/signups/{world['signup']}/accept"
    refused = post_form(paul, url, {}, get_url="/co-training/mine")
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/co-training/mine")
    page = paul.get("/co-training/mine").get_data(as_text=True)
    assert _flashed(page, "error") == ["Aucune place ne vous est proposée maintenant."]
    assert _flashed(page, "success") == []
