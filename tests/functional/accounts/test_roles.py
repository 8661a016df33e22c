"""Each role sees its pages; the wrong role gets 403; other organisations see nothing."""

import re

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Role
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org
from tests.worlds import Team, ids, saved


@pytest.fixture
def world(app):
    with saved(app):
        org, other = make_org("CRPA Test"), make_org("Autre structure")
        team = Team(org, "t.test")
        team.join("admin", None, admin=True)
        team.join("org_admin", Role.ADMIN, email="orgadmin@t.test")
        team.join("facilitator", Role.FACILITATOR, email="fac@t.test")
        team.join("other_facilitator", Role.FACILITATOR, email="fac2@t.test", org=other)
        team.join("participant", Role.PARTICIPANT, email="part@t.test")
        team.join("coded", Role.PARTICIPANT, identifier="ROLE-22", secret="564738")
        team.join("staff", Role.INSTITUTE_STAFF)
        team.join("moderator", Role.MODERATOR, email="mod@t.test")
        return {"org": org.id, "other": other.id, **ids(team.people)}


PAGES = {
    "/admin/": {"admin", "org_admin"},
    "/admin/organisations/new": {"admin"},
    # An organisation's administrator lists its people and makes card accounts too.
    "/participants/": {"facilitator", "other_facilitator", "org_admin"},
    "/participants/new": {"facilitator", "other_facilitator", "org_admin"},
    "/account": {
        "admin",
        "org_admin",
        "facilitator",
        "other_facilitator",
        "participant",
        "staff",
        "moderator",
    },
}
EMAILS = {
    "admin": "admin@t.test",
    "org_admin": "orgadmin@t.test",
    "facilitator": "fac@t.test",
    "other_facilitator": "fac2@t.test",
    "participant": "part@t.test",
    "staff": "staff@t.test",
    "moderator": "mod@t.test",
}


@pytest.mark.parametrize("role", sorted(EMAILS))
def test_each_role_gets_its_pages_and_403_elsewhere(client, world, role):
    login(client, EMAILS[role], PASSWORD)
    for url, allowed in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)


def test_anonymous_is_redirected_from_every_private_page(client, world):
    for url in [*PAGES, f"/participants/{world['coded']}", f"/admin/organisations/{world['org']}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_facilitator_sees_own_participants_only(client, world):
    login(client, "fac2@t.test", PASSWORD)
    assert client.get(f"/participants/{world['coded']}").status_code == 404
    html = client.get("/participants/").get_data(as_text=True)
    assert "ROLE-22" not in html


def test_facilitator_creates_account_and_prints_card(client, world):
    login(client, "fac@t.test", PASSWORD)
    response = post_form(
        client,
        "/participants/new",
        {
            "organisation_id": world["org"],
            "display_name": "Lucie",
            "consent_note": "Accord oral ce matin.",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Carte de connexion" in html
    assert response.headers["Cache-Control"] == "no-store"
    identifier = re.search(r'class="big-code">([A-Z]{4}-\d{2})<', html).group(1)
    code = re.findall(r'class="big-code">(\d{6})<', html)[0]
    qr = re.search(r'src="(/participants/\d+/login-qr.svg)"', html).group(1)
    svg = client.get(qr)
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    # the new person logs in with the card and must choose a code
    other = client.application.test_client()
    login(other, identifier, code)
    assert other.get("/").headers["Location"].endswith("/account/choose-code")


def test_account_creation_form_keeps_input_on_error(client, world):
    login(client, "fac@t.test", PASSWORD)
    html = post_form(
        client,
        "/participants/new",
        {"organisation_id": world["org"], "display_name": "Lucie", "consent_note": ""},
    ).get_data(as_text=True)
    assert 'value="Lucie"' in html and 'id="consent_note-error"' in html


def test_facilitator_cannot_create_in_another_organisation(client, world):
    login(client, "fac@t.test", PASSWORD)
    html = post_form(
        client,
        "/participants/new",
        {"organisation_id": world["other"], "display_name": "X", "consent_note": "accord oral"},
    ).get_data(as_text=True)
    assert 'id="organisation_id-error"' in html


def test_reset_code_shows_a_new_card_and_old_code_stops_working(client, world):
    login(client, "fac@t.test", PASSWORD)
    page = client.get(f"/participants/{world['coded']}")
    response = client.post(
        f"/participants/{world['coded']}/reset-code",
        data={"csrf_token": csrf_from(page.get_data(as_text=True))},
    )
    assert response.status_code == 200 and "ROLE-22" in response.get_data(as_text=True)
    other = client.application.test_client()
    bad = post_form(other, "/login", {"identifier": "ROLE-22", "secret": "564738"})
    assert bad.status_code == 400 and "error-summary" in bad.get_data(as_text=True)


def test_org_admin_invites_and_other_org_is_forbidden(client, world):
    login(client, "orgadmin@t.test", PASSWORD)
    url = f"/admin/organisations/{world['org']}"
    response = post_form(client, url, {"identifier": "fac2@t.test", "role": "moderator"})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    # Listed as an invitation waiting (identifier typed and role), not as a member.
    assert re.search(r"fac2@t\.test</td>\s*<td>[^\n]*Modérat", page)
    with client.application.app_context():
        assert not db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == world["other_facilitator"],
                Membership.organisation_id == world["org"],
            )
        )
    assert client.get(f"/admin/organisations/{world['other']}").status_code == 403


def test_admin_creates_an_organisation(client, world):
    login(client, "admin@t.test", PASSWORD)
    response = post_form(
        client, "/admin/organisations/new", {"name": "CCAS de Testville", "kind": "ccas"}
    )
    assert response.status_code == 303
    assert "CCAS de Testville" in client.get(response.headers["Location"]).get_data(as_text=True)
    again = post_form(
        client, "/admin/organisations/new", {"name": "ccas de testville", "kind": "ccas"}
    )
    assert 'id="name-error"' in again.get_data(as_text=True)


def test_my_data_download_includes_provenance(client, world):
    login(client, "part@t.test", PASSWORD)
    link = post_form(client, "/account/data/link", {}, get_url="/account/data")
    data = client.get(link.headers["Location"] + "/parole-mes-donnees.json").get_json()
    assert data["person"]["email"] == "part@t.test"
    assert "entered_with_help" in data["person"]["account_created"]
    assert data["memberships"][0]["organisation"] == "CRPA Test"
