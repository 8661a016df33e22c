"""A role offered to a person, answered twice: at the same moment from two tabs of one login
(a double click), again after the first was answered, and from two tabs each with its own
form. One answer, one membership, one audit entry; no 500. Real threads and commits, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from app import db
from app.accounts import services
from app.accounts.models import Consent, ConsentKind, Membership, Role
from app.core.models import AuditEntry
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person
from tests.functional.consultations.test_double_requests import SENDINGS, _count, _send


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_accounts") as app:
        yield app


@pytest.mark.parametrize("how", SENDINGS)
def test_invitation_accepted_twice_gives_one_membership(own_app, how):
    with own_app.test_request_context("/"):
        org = make_org("Association Invitante")
        admin = make_person((org, Role.ADMIN), email="admin@i.test")
        person = make_person((make_org(), Role.PARTICIPANT), email="marc@i.test")
        invitation = services.invite_member(admin, org, "marc@i.test", "facilitator")
        db.session.commit()
        org_id, person_id, url = org.id, person.id, f"/invitations/{invitation.id}/answer"
    responses = _send(own_app, how, "marc@i.test", "/", url, {"answer": "accept"})
    statuses = [r.status_code for r in responses]
    assert all(s < 500 for s in statuses), statuses
    assert 303 in statuses
    if how != "from two tabs":
        assert statuses == [303, 303]
        assert responses[0].location == responses[1].location
    where = (Membership.person_id == person_id, Membership.organisation_id == org_id)
    assert _count(own_app, Membership, *where) == 1
    assert _count(own_app, AuditEntry, AuditEntry.action == "membership.invitation_accepted") == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_agreement_given_twice_is_recorded_once(own_app, how):
    with own_app.test_request_context("/"):
        make_person((make_org(), Role.PARTICIPANT), email="ana@i.test")
        db.session.commit()
    url = "/account/consents/quoted/give"
    responses = _send(own_app, how, "ana@i.test", "/account/data", url)
    assert [r.status_code for r in responses] == [303, 303]
    assert _count(own_app, Consent, Consent.kind == ConsentKind.QUOTED) == 1
    assert _count(own_app, AuditEntry, AuditEntry.action == "consent.given") == 1


@pytest.mark.parametrize("how", ("at the same moment", "again after the answer"))
def test_new_code_asked_twice_is_made_once(own_app, how):
    """The card with the new code is shown once; its copy does not make another code (the
    first card would be wrong), it says the form was already sent."""
    with own_app.test_request_context("/"):
        org = make_org("CRPA Cartes")
        make_person((org, Role.FACILITATOR), email="fac@i.test")
        person = make_person((org, Role.PARTICIPANT), identifier="CART-12")
        db.session.commit()
        page, url = f"/participants/{person.id}", f"/participants/{person.id}/reset-code"
    responses = _send(own_app, how, "fac@i.test", page, url)
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert _count(own_app, AuditEntry, AuditEntry.action == "person.code_reset") == 1
