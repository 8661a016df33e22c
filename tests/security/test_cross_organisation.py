"""The cross-organisation takeover an audit found, done the way an attacker does it: over HTTP.

The administrator of Z, an organisation unrelated to A, types the identifier of A's participant
(participant_a: an account with an identifier and a code, made by A's facilitator) with the role
"participant" on Z's organisation page. That used to make the person a member of Z at once;
Z's facilitator could then open the person's page, give them a new code (and so log in as
them), print their login QR code, read their yearly statement, their co-trainer profile, sign
them up, read their attestations and calendar, and make expense requests in their name.

What must hold: the administrator's POST says the same thing whether or not someone has the
identifier, and makes nobody a member; even when the person accepts Z's invitation, Z does
not hold the account, so nobody of Z may act for them. A's facilitator still may.

Not marked `attack`: these run on SQLite and on PostgreSQL, in every run."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Role
from tests.conftest import post_form
from tests.factories import PASSWORD
from tests.security.world import World, build_world, clients, csrf_token

Z_STAFF = ("admin_z", "facilitator_z", "finance_z", "moderator_z")
DENIED = (403, 404)


@pytest.fixture
def world_and_clients(app: Flask) -> tuple[World, dict[str, FlaskClient], str]:
    with app.app_context():
        world = build_world(seed_fiches=False)
        db.session.commit()
        by_actor = clients(app, world)
    return world, by_actor, csrf_token(app)


def person_pages(app: Flask, world: World) -> list[tuple[str, str]]:
    """What a facilitator acting for participant_a could open or send (method, URL)."""
    ids = world.ids
    a = ids["person_id"]
    with app.test_request_context():
        return [
            ("GET", url_for("participants.show", person_id=a)),
            ("POST", url_for("participants.reset_code", person_id=a)),
            ("GET", url_for("participants.login_qr", person_id=a)),
            ("GET", url_for("expenses.statement", year=ids["year"], person_id=a)),
            ("GET", url_for("expenses.new", person_id=a)),
            ("POST", url_for("expenses.new", person_id=a)),
            ("GET", url_for("expenses.show", request_id=ids["request_id"])),
            ("GET", url_for("trainings.profile", person_id=a)),
            ("POST", url_for("trainings.profile", person_id=a)),
            ("POST", url_for("trainings.profile_visible", person_id=a)),
            ("GET", url_for("trainings.cotrainer", person_id=a)),
            ("GET", url_for("trainings.sign_up", mission_id=ids["mission_id"], person_id=a)),
            ("POST", url_for("trainings.sign_up", mission_id=ids["mission_id"], person_id=a)),
            ("GET", url_for("trainings.attestation", signup_id=ids["signup_id"])),
            ("GET", url_for("trainings.calendar", signup_id=ids["signup_id"])),
            ("GET", url_for("trainings.feedback", signup_id=ids["signup_id"])),
            ("POST", url_for("trainings.cancel", signup_id=ids["signup_id"])),
        ]


def attack(client: FlaskClient, org_id: int, identifier: str):  # noqa: ANN201
    """Z's administrator adds (invites) someone as a participant of Z: the form of Z's
    organisation page that asks for an identifier, sent as a browser sends it."""
    page = f"/admin/organisations/{org_id}"
    parser = _Forms()
    parser.feed(client.get(page).get_data(as_text=True))
    form = next(f for f in parser.forms if "identifier" in f["names"])
    data = {**form["fields"], "identifier": identifier, "role": Role.PARTICIPANT.value}
    return client.post(form["action"] or page, data=data)


def is_member(app: Flask, person_id: int, org_id: int) -> bool:
    with app.app_context():
        found = db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == person_id, Membership.organisation_id == org_id
            )
        )
    return found is not None


def invitations_on_page(client: FlaskClient, org_id: int) -> set[int]:
    """The numbers of the invitations Z's administrator sees waiting on their organisation
    page (in the links and forms about each one)."""
    html = client.get(f"/admin/organisations/{org_id}").get_data(as_text=True)
    return {int(number) for number in re.findall(r"/invitations/(\d+)/", html)}


def z_staff_reach(
    app: Flask, world: World, by_actor: dict[str, FlaskClient], token: str
) -> list[str]:
    """Every page or action on A's person that Z's staff got past the permission check."""
    problems = []
    for actor in Z_STAFF:
        for method, url in person_pages(app, world):
            client = by_actor[actor]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            if response.status_code not in DENIED:
                problems.append(f"{method} {url} as {actor}: {response.status_code}")
    listing = by_actor["facilitator_z"].get("/participants/").get_data(as_text=True)
    if world.people["participant_a"].display_name in listing:
        problems.append("Z's facilitator finds A's person in their list of participants")
    return problems


def still_theirs(app: Flask, world: World, by_actor: dict[str, FlaskClient]) -> list[str]:
    """The person keeps their code and their session; A's facilitator still helps them."""
    problems = []
    a = world.ids["person_id"]
    if by_actor["participant_a"].get("/account").status_code != 200:
        problems.append("A's person was logged out (their sessions were closed)")
    fresh = app.test_client()
    response = post_form(fresh, "/login", {"identifier": "MONDEA1", "secret": PASSWORD})
    if response.status_code != 303 or urlsplit(response.location).path.startswith("/login"):
        problems.append("A's person can no longer log in with their own code")
    if by_actor["facilitator_a"].get(f"/participants/{a}").status_code != 200:
        problems.append("A's facilitator can no longer open the person's page")
    return problems


def test_other_organisation_admin_adding_a_card_account_gets_no_hold_on_it(app, world_and_clients):
    world, by_actor, token = world_and_clients
    a, z = world.ids["person_id"], world.orgs["z"].id
    assert not z_staff_reach(app, world, by_actor, token), "Z reaches A's person before anything"

    admin_z = by_actor["admin_z"]
    known = attack(admin_z, z, "MONDEA1")
    with admin_z.session_transaction() as sess:
        said_for_known = sess.pop("_flashes", [])
    unknown = attack(admin_z, z, "NOBODY-99")
    with admin_z.session_transaction() as sess:
        said_for_unknown = sess.pop("_flashes", [])

    problems = []
    # Z's staff then "note the person's yes" to Z's invitation, as a helper would.
    for actor in ("facilitator_z", "admin_z"):
        for invitation_id in sorted(invitations_on_page(admin_z, z)):
            response = by_actor[actor].post(
                f"/participants/{a}/invitations/{invitation_id}/answer",
                data={
                    "csrf_token": token,
                    f"invitation-{invitation_id}-consent_note": "Il a dit oui au téléphone.",
                    "answer": "accept",
                },
            )
            if response.status_code not in DENIED:
                problems.append(f"{actor} noted A's person's answer: {response.status_code}")

    if is_member(app, a, z):
        problems.append("Z's administrator made A's person a member of Z without asking them")
    if (known.status_code, said_for_known) != (unknown.status_code, said_for_unknown):
        problems.append(
            "Z's administrator can tell that the identifier exists: "
            f"{known.status_code} {said_for_known} against {unknown.status_code} "
            f"{said_for_unknown} for an identifier nobody has"
        )
    problems += z_staff_reach(app, world, by_actor, token)
    problems += still_theirs(app, world, by_actor)
    assert not problems, "\n".join(problems)


class _Forms(HTMLParser):
    """The forms of a page: action, aria-label, text inside, hidden fields, the names of all
    fields, first button."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = {"action": values.get("action", ""), "text": values.get("aria-label", "")}
            self._open |= {"fields": {}, "names": set(), "button": None}
            self.forms.append(self._open)
            return
        if self._open is not None and tag in ("input", "select", "textarea"):
            self._open["names"].add(values.get("name", ""))
        if self._open is not None and tag == "input" and values.get("type") == "hidden":
            self._open["fields"][values.get("name", "")] = values.get("value", "")
        elif self._open is not None and tag == "button" and self._open["button"] is None:
            self._open["button"] = (values.get("name"), values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def accept_from_home_page(client: FlaskClient, org_name: str) -> str | None:
    """The person answers yes (the form's first button) to the invitation that names the
    organisation, from their home page, ticking nothing. None when there is no such form."""
    parser = _Forms()
    parser.feed(client.get("/").get_data(as_text=True))
    for form in parser.forms:
        if org_name in form["text"] and form["button"]:
            data = dict(form["fields"])
            name, value = form["button"]
            if name:
                data[name] = value
            response = client.post(form["action"], data=data)
            return f"{response.status_code} {form['action']}"
    return None


def test_accepting_the_other_organisations_invitation_gives_it_no_hold_on_the_account(
    app, world_and_clients
):
    world, by_actor, token = world_and_clients
    a, z = world.ids["person_id"], world.orgs["z"]
    attack(by_actor["admin_z"], z.id, "MONDEA1")
    if not is_member(app, a, z.id):  # an invitation: the person accepts it
        answered = accept_from_home_page(by_actor["participant_a"], z.name)
        assert answered, "A's person finds no invitation from Z on their home page"
        assert is_member(app, a, z.id), f"accepting Z's invitation did nothing ({answered})"

    problems = z_staff_reach(app, world, by_actor, token) + still_theirs(app, world, by_actor)
    assert not problems, "\n".join(problems)
