"""Memberships need consent; acting for a person is limited to the organisation that holds
their account. The audit's takeover path, closed end to end through the Flask client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Membership, MembershipInvitation, Person, Role
from app.core.models import Notification, OutboxMessage
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org, make_person
from tests.worlds import Team, ids, saved

CODE = "564738"
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def world(app):
    """Organisation A holds the account of a person without e-mail (HOLD-12); the
    administrator and a facilitator of organisation B are the would-be attackers."""
    with saved(app):
        a, b = make_org("CRPA Titulaire"), make_org("Association Voisine")
        team = Team(a, "t.test")
        team.join("fa", Role.FACILITATOR, name="Fanny A")
        team.join("fa2", Role.FACILITATOR, name="Farid A")
        team.join("ba", Role.ADMIN, name="Bruno B", org=b)
        team.join("fb", Role.FACILITATOR, name="Fatou B", org=b)
        team.join("coded", Role.PARTICIPANT, identifier="HOLD-12", secret=CODE, name="Hélène")
        team.join("mailed", Role.PARTICIPANT, email="mail@t.test", name="Marc")
        return {"a": a.id, "b": b.id, **ids(team.people)}


def _client(app, identifier, secret=PASSWORD):
    client = app.test_client()
    login(client, identifier, secret)
    return client


def _invite(client, org_id, identifier, role="participant"):
    return post_form(
        client, f"/admin/organisations/{org_id}", {"identifier": identifier, "role": role}
    )


def _home_invitation_ids(client) -> list[int]:
    html = client.get("/").get_data(as_text=True)
    return [int(i) for i in re.findall(r'action="/invitations/(\d+)/answer"', html)]


def _blocked_everywhere(client, person_id):
    """The participant page, the code reset and the login QR are all refused with 404."""
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.get(f"/participants/{person_id}").status_code == 404
    reset = client.post(f"/participants/{person_id}/reset-code", data={"csrf_token": token})
    assert reset.status_code == 404
    assert client.get(f"/participants/{person_id}/login-qr.svg").status_code == 404


def test_takeover_path_is_closed_before_and_after_acceptance(app, world):
    admin_b = _client(app, "ba@t.test")
    assert _invite(admin_b, world["b"], "HOLD-12").status_code == 303
    facilitator_b = _client(app, "fb@t.test")
    with app.app_context():
        assert not db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == world["coded"], Membership.organisation_id == world["b"]
            )
        )
    # Before the person answers: no membership, nothing of the person visible to B.
    _blocked_everywhere(facilitator_b, world["coded"])
    _blocked_everywhere(admin_b, world["coded"])
    assert "Hélène" not in admin_b.get(f"/admin/organisations/{world['b']}").get_data(as_text=True)

    # The person accepts a participant role in B from their home page.
    person = _client(app, "HOLD-12", CODE)
    (invitation_id,) = _home_invitation_ids(person)
    answer = post_form(
        person, f"/invitations/{invitation_id}/answer", {"answer": "accept"}, get_url="/"
    )
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == world["coded"],
                Membership.organisation_id == world["b"],
                Membership.role == Role.PARTICIPANT,
            )
        )
    # B is not the holder: its facilitator still cannot read the page, reset the code or
    # print the login QR; the person is not in B's list of participants.
    _blocked_everywhere(facilitator_b, world["coded"])
    assert "HOLD-12" not in facilitator_b.get("/participants/").get_data(as_text=True)
    # The holder's facilitator still can.
    facilitator_a = _client(app, "fa@t.test")
    assert facilitator_a.get(f"/participants/{world['coded']}").status_code == 200


def _neutral(html: str) -> str:
    # Tokens that change with every page: the CSRF token and the one-submission key.
    html = re.sub(
        r'name="(csrf_token|idempotency_key)" value="[^"]+"', r'name="\1" value="T"', html
    )
    html = re.sub(r"/admin/invitations/\d+/withdraw", "/admin/invitations/N/withdraw", html)
    return re.sub(r"HOLD-12|NOPE-99|hold-12", "IDENTIFIER", html)


def test_inviting_gives_the_same_answer_for_unknown_and_known_identifiers(app, world):
    known_admin, unknown_admin = _client(app, "ba@t.test"), _client(app, "ba@t.test")
    url = f"/admin/organisations/{world['b']}"
    known = _invite(known_admin, world["b"], "HOLD-12")
    known_page = known_admin.get(url).get_data(as_text=True)
    # Withdraw it, so that both pages list exactly one invitation when compared.
    (withdraw,) = re.findall(r'action="(/admin/invitations/\d+/withdraw)"', known_page)
    post_form(known_admin, withdraw, {}, get_url=url)
    unknown = _invite(unknown_admin, world["b"], "NOPE-99")
    unknown_page = unknown_admin.get(url).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert "elle trouvera votre invitation sur sa page d&#39;accueil Parole" in known_page
    assert _neutral(known_page) == _neutral(unknown_page)
    # A second invitation of the same person to the same role: the same answer again.
    again = _invite(unknown_admin, world["b"], "hold-12")
    again_page = unknown_admin.get(url).get_data(as_text=True)
    twice = _invite(unknown_admin, world["b"], "HOLD-12")
    assert again.status_code == twice.status_code == 303
    assert _neutral(unknown_admin.get(url).get_data(as_text=True)) == _neutral(again_page)


def test_person_refuses_an_invitation_from_the_home_page(app, world):
    _invite(_client(app, "ba@t.test"), world["b"], "mail@t.test", "moderator")
    person = _client(app, "mail@t.test")
    (invitation_id,) = _home_invitation_ids(person)
    answer = post_form(
        person, f"/invitations/{invitation_id}/answer", {"answer": "refuse"}, get_url="/"
    )
    assert answer.status_code == 303
    assert _home_invitation_ids(person) == []
    with app.app_context():
        assert not db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == world["mailed"],
                Membership.organisation_id == world["b"],
            )
        )
        invitation = db.session.get(MembershipInvitation, invitation_id)
        assert invitation.accepted is False and invitation.answered_by_id == world["mailed"]


def test_person_with_email_accepts_and_lets_the_facilitators_help(app, world):
    """An e-mail account with no holder gets one only when the person ticks the box."""
    with app.app_context():
        newcomer = make_person(email="new@t.test", name="Nina")
        db.session.commit()
        newcomer_id = newcomer.id
    _invite(_client(app, "ba@t.test"), world["b"], "new@t.test")
    person = _client(app, "new@t.test")
    home = person.get("/").get_data(as_text=True)
    assert "Association Voisine" in home
    (invitation_id,) = _home_invitation_ids(person)
    prefix = f"invitation-{invitation_id}"
    post_form(
        person,
        f"/invitations/{invitation_id}/answer",
        {"answer": "accept", f"{prefix}-allow_help": "y"},
        get_url="/",
    )
    with app.app_context():
        assert db.session.get(Person, newcomer_id).holder_organisation_id == world["b"]
    facilitator_b = _client(app, "fb@t.test")
    assert facilitator_b.get(f"/participants/{newcomer_id}").status_code == 200


def test_someone_else_cannot_answer_an_invitation(app, world):
    _invite(_client(app, "ba@t.test"), world["b"], "HOLD-12")
    (invitation_id,) = _home_invitation_ids(_client(app, "HOLD-12", CODE))
    intruder = _client(app, "fb@t.test")
    answer = post_form(
        intruder, f"/invitations/{invitation_id}/answer", {"answer": "accept"}, get_url="/"
    )
    assert answer.status_code == 404


def test_holder_facilitator_notes_the_persons_consent(app, world):
    _invite(_client(app, "ba@t.test"), world["b"], "HOLD-12")
    facilitator_a = _client(app, "fa@t.test")
    url = f"/participants/{world['coded']}"
    page = facilitator_a.get(url).get_data(as_text=True)
    assert "Association Voisine" in page
    action = re.search(r'action="(/participants/\d+/invitations/(\d+)/answer)"', page)
    prefix = f"invitation-{action.group(2)}"
    empty = post_form(
        facilitator_a,
        action.group(1),
        {"answer": "accept", f"{prefix}-consent_note": ""},
        get_url=url,
    )
    assert empty.status_code == 400 and f'id="{prefix}-consent_note-error"' in empty.get_data(
        as_text=True
    )
    # B's facilitator cannot note anything for the person.
    facilitator_b = _client(app, "fb@t.test")
    intruded = post_form(
        facilitator_b,
        action.group(1),
        {"answer": "accept", f"{prefix}-consent_note": "Elle a dit oui"},
        get_url="/account",
    )
    assert intruded.status_code == 404
    done = post_form(
        facilitator_a,
        action.group(1),
        {"answer": "accept", f"{prefix}-consent_note": "Elle a dit oui à la réunion du 3 mars."},
        get_url=url,
    )
    assert done.status_code == 303
    with app.app_context():
        invitation = db.session.get(MembershipInvitation, int(action.group(2)))
        assert invitation.accepted and invitation.answered_by_id == world["fa"]
        assert invitation.consent_note == "Elle a dit oui à la réunion du 3 mars."
        assert db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == world["coded"], Membership.organisation_id == world["b"]
            )
        )
        told = db.session.scalars(
            select(Notification.body).where(Notification.person_id == world["coded"])
        ).all()
        assert any("Fanny A" in body for body in told)


def _notes(person_id) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.body)
            .where(Notification.person_id == person_id)
            .order_by(Notification.id)
        )
    )


def test_code_reset_tells_the_person_and_the_holders_facilitators(app, world):
    facilitator_a = _client(app, "fa@t.test")
    url = f"/participants/{world['coded']}"
    token = csrf_from(facilitator_a.get(url).get_data(as_text=True))
    reset = facilitator_a.post(f"{url}/reset-code", data={"csrf_token": token})
    assert reset.status_code == 200
    with app.app_context():
        mine = _notes(world["coded"])
        assert len(mine) == 1 and "Fanny A" in mine[0] and "CRPA Titulaire" in mine[0]
        colleague = _notes(world["fa2"])
        assert len(colleague) == 1 and "Hélène" in colleague[0] and "Fanny A" in colleague[0]
        assert _notes(world["fb"]) == []
    # The person reads it on their notifications page after choosing a new code.
    code = re.findall(r'class="big-code">(\d{6})<', reset.get_data(as_text=True))[0]
    person = _client(app, "HOLD-12", code)
    post_form(
        person,
        "/account/choose-code",
        {"new_secret": "918273", "confirm": "918273"},
    )
    assert "Fanny A" in person.get("/notifications").get_data(as_text=True)


def test_iban_change_tells_the_person_by_email_and_the_holders_facilitators(app, world):
    person = _client(app, "mail@t.test")
    saved = post_form(person, "/expenses/bank", {"iban": IBAN, "holder_name": "Marc"})
    assert saved.status_code == 303
    with app.app_context():
        mine = _notes(world["mailed"])
        assert len(mine) == 1 and "0189" in mine[0] and IBAN not in mine[0]
        mails = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == "mail@t.test")
        ).all()
        assert len(mails) == 1 and "0189" in mails[0].body_text
        assert "30006000011234567890" not in mails[0].body_text
        for facilitator in ("fa", "fa2"):
            (note,) = _notes(world[facilitator])
            assert "Marc" in note and "0189" in note and IBAN not in note
