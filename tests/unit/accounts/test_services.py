from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import LoginSession, Role
from app.core.errors import DomainError, NotAllowed, TooManyAttempts
from app.core.models import AuditEntry
from app.db import utcnow
from tests.factories import PASSWORD, make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def test_authenticate_accepts_email_case_insensitively():
    person = make_person(email="Marie@Example.test")
    assert services.authenticate("  marie@example.TEST ", PASSWORD) == person


def test_authenticate_accepts_identifier_in_lower_case():
    person = make_person(identifier="ABCD-12", secret="918273")
    assert services.authenticate("abcd-12", "918273") == person


def test_unknown_and_known_identifiers_get_the_same_message():
    make_person(email="known@example.test")
    with pytest.raises(services.InvalidCredentials) as known:
        services.authenticate("known@example.test", "wrong")
    with pytest.raises(services.InvalidCredentials) as unknown:
        services.authenticate("nobody@example.test", "wrong")
    assert str(known.value.message) == str(unknown.value.message)


def test_sixth_failure_is_delayed_even_with_the_right_password():
    make_person(email="slow@example.test")
    now = utcnow()
    for _ in range(5):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate("slow@example.test", "wrong", now=now)
    with pytest.raises(TooManyAttempts) as blocked:
        services.authenticate("slow@example.test", PASSWORD, now=now + timedelta(seconds=5))
    assert 0 < blocked.value.retry_after <= 30


def test_delay_grows_but_never_locks_for_good():
    person = make_person(email="grow@example.test")
    now = utcnow()
    delays = []
    for _ in range(9):
        try:
            services.authenticate("grow@example.test", "wrong", now=now)
        except TooManyAttempts as exc:
            delays.append(exc.retry_after)
            now += timedelta(seconds=exc.retry_after + 1)
            continue
        except services.InvalidCredentials:
            pass
    assert delays == sorted(delays) and len(delays) >= 2 and delays[-1] > delays[0]
    # after waiting, the right password still works: no permanent lockout
    later = now + timedelta(hours=1)
    assert services.authenticate("grow@example.test", PASSWORD, now=later) == person


def test_unknown_identifiers_are_throttled_too():
    now = utcnow()
    for _ in range(5):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate("ghost@example.test", "x", now=now)
    with pytest.raises(TooManyAttempts):
        services.authenticate("ghost@example.test", "x", now=now)


def test_change_secret_revokes_every_session_and_opens_a_new_one():
    person = make_person()
    mine = services.open_login_session(person)
    other = services.open_login_session(person)
    new = services.change_secret(person, PASSWORD, "a new long password")
    assert services.person_for_token(person.id, new) == person
    assert services.person_for_token(person.id, mine) is None
    assert services.person_for_token(person.id, other) is None


def test_change_secret_needs_the_current_one():
    person = make_person()
    with pytest.raises(DomainError) as exc:
        services.change_secret(person, "wrong", "a new long password")
    assert exc.value.field == "current_secret"


@pytest.mark.parametrize("code", ["12345", "111111", "123456"])
def test_weak_codes_are_refused(code):
    person = make_person(identifier="WXYZ-34", secret="902817", must_choose_code=True)
    with pytest.raises(DomainError):
        services.change_secret(person, None, code)


def test_facilitator_creates_code_account_with_consent_and_audit():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    card = services.create_assisted_account(facilitator, org, "Lucie", "Elle a dit oui le 3 mars.")
    person = card.person
    assert person.login_identifier == card.identifier and person.email is None
    assert person.must_choose_code and person.is_assisted
    assert person.provenance_export()["entered_by_id"] == facilitator.id
    assert services.authenticate(card.identifier, card.code) == person
    assert card.code not in person.secret_hash
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "person.created_with_help" in actions


def test_account_creation_needs_a_consent_note():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    with pytest.raises(DomainError) as exc:
        services.create_assisted_account(facilitator, org, "Lucie", "")
    assert exc.value.field == "consent_note"


def test_participant_cannot_create_accounts():
    org = make_org()
    participant = make_person((org, Role.PARTICIPANT))
    with pytest.raises(NotAllowed):
        services.create_assisted_account(participant, org, "Lucie", "accord oral")


def test_facilitator_of_another_organisation_cannot_reset_a_code():
    org, other = make_org(), make_org()
    person = make_person((org, Role.PARTICIPANT), identifier="KLMN-56", secret="564738")
    stranger = make_person((other, Role.FACILITATOR))
    with pytest.raises(NotAllowed):
        services.reset_code(stranger, person)


def test_reset_code_closes_sessions_and_is_audited():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    person = make_person((org, Role.PARTICIPANT), identifier="PQRS-78", secret="564738")
    token = services.open_login_session(person)
    card = services.reset_code(facilitator, person)
    assert services.person_for_token(person.id, token) is None
    assert person.must_choose_code
    assert services.authenticate("PQRS-78", card.code) == person
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.code_reset"))
    assert entry.actor_id == facilitator.id and entry.object_id == person.id


def test_logout_revokes_the_session():
    person = make_person()
    token = services.open_login_session(person)
    services.close_login_session(token)
    assert services.person_for_token(person.id, token) is None
    row = db.session.scalar(select(LoginSession).where(LoginSession.person_id == person.id))
    assert row.revoked_at is not None


def test_org_admin_adds_and_removes_roles():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    person = make_person(email="new@example.test")
    membership = services.add_membership(admin, org, "new@example.test", "facilitator")
    assert membership.role == Role.FACILITATOR
    with pytest.raises(DomainError):
        services.add_membership(admin, org, "new@example.test", "facilitator")
    services.remove_membership(admin, membership)
    db.session.refresh(person, ["memberships"])
    assert person.memberships == []


def test_org_admin_cannot_manage_another_organisation():
    org, other = make_org(), make_org()
    admin = make_person((org, Role.ADMIN))
    make_person(email="x@example.test")
    with pytest.raises(NotAllowed):
        services.add_membership(admin, other, "x@example.test", "participant")


def test_only_platform_admins_create_organisations():
    org = make_org()
    org_admin = make_person((org, Role.ADMIN))
    with pytest.raises(NotAllowed):
        services.create_organisation(org_admin, "Nouvelle", "association")
    root = make_person(admin=True)
    created = services.create_organisation(root, "Nouvelle", "association")
    assert created.kind.value == "association"
    with pytest.raises(DomainError):
        services.create_organisation(root, "nouvelle", "ccas")
