from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import LoginSession, Role
from app.accounts.permissions import has_role
from app.core.errors import DomainError, NotAllowed, NotFound, TooManyAttempts
from app.core.models import AuditEntry, Notification
from app.core.permissions import can
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


def _audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_invitation_gives_no_role_until_the_person_accepts():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    person = make_person(email="new@example.test")
    invitation = services.invite_member(admin, org, " New@Example.test ", "facilitator")
    assert invitation.person_id == person.id and invitation.identifier == "new@example.test"
    assert person.memberships == [] and invitation.pending
    assert services.pending_invitations_for(person) == [invitation]
    membership = services.answer_invitation(person, invitation, accept=True)
    assert membership.role == Role.FACILITATOR and person.memberships == [membership]
    assert services.pending_invitations_for(person) == []
    assert services.invitations_of(admin, org) == []
    services.remove_membership(admin, membership)
    db.session.refresh(person, ["memberships"])
    assert person.memberships == []
    assert _audit_actions()[-3:] == [
        "membership.invited",
        "membership.invitation_accepted",
        "membership.removed",
    ]


def test_invitation_of_an_unknown_identifier_looks_like_any_other():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    make_person(identifier="KNOW-12", secret="564738")
    known = services.invite_member(admin, org, "know-12", "participant")
    unknown = services.invite_member(admin, org, "NOPE-99", "participant")
    assert unknown.person_id is None
    assert [(i.identifier, i.role) for i in services.invitations_of(admin, org)] == [
        ("KNOW-12", Role.PARTICIPANT),
        ("NOPE-99", Role.PARTICIPANT),
    ]
    # The audit entries an organisation reads carry no person either way.
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "membership.invited")
    ).all()
    assert [e.details for e in entries] == [{"role": "participant"}] * 2
    assert {e.object_id for e in entries} == {known.id, unknown.id}


def test_a_refused_invitation_is_not_sent_again():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    person = make_person(email="no@example.test")
    first = services.invite_member(admin, org, "no@example.test", "moderator")
    services.answer_invitation(person, first, accept=False)
    assert services.invite_member(admin, org, "no@example.test", "moderator") is first
    assert services.pending_invitations_for(person) == []
    assert person.memberships == []
    assert "membership.invitation_refused" in _audit_actions()


def test_only_the_invited_person_answers():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    make_person(email="me@example.test")
    invitation = services.invite_member(admin, org, "me@example.test", "participant")
    with pytest.raises(NotFound):
        services.answer_invitation(admin, invitation, accept=True)


def test_org_admin_cannot_invite_into_another_organisation():
    org, other = make_org(), make_org()
    admin = make_person((org, Role.ADMIN))
    make_person(email="x@example.test")
    with pytest.raises(NotAllowed):
        services.invite_member(admin, other, "x@example.test", "participant")


def test_accepted_participant_role_elsewhere_gives_no_power_over_the_account():
    holder, other = make_org(), make_org()
    person = make_person((holder, Role.PARTICIPANT), identifier="HELD-34", secret="564738")
    own_facilitator = make_person((holder, Role.FACILITATOR))
    other_admin = make_person((other, Role.ADMIN))
    other_facilitator = make_person((other, Role.FACILITATOR))
    invitation = services.invite_member(other_admin, other, "HELD-34", "participant")
    services.answer_invitation(person, invitation, accept=True, allow_help=True)
    assert person.holder_organisation_id == holder.id  # a held account keeps its holder
    assert has_role(person, Role.PARTICIPANT, other)
    assert not can(other_facilitator, "person.act_for", person)
    assert not can(other_facilitator, "person.reset_code", person)
    with pytest.raises(NotAllowed):
        services.reset_code(other_facilitator, person)
    assert person not in services.participants_of(other_facilitator)
    assert can(own_facilitator, "person.act_for", person)
    assert person in services.participants_of(own_facilitator)


def test_email_account_is_held_only_when_the_person_agrees():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    facilitator = make_person((org, Role.FACILITATOR))
    alone = make_person(email="alone@example.test")
    helped = make_person(email="helped@example.test")
    for person, allow in ((alone, False), (helped, True)):
        invitation = services.invite_member(admin, org, person.email, "participant")
        services.answer_invitation(person, invitation, accept=True, allow_help=allow)
    assert alone.holder_organisation_id is None and helped.holder_organisation_id == org.id
    assert not can(facilitator, "person.act_for", alone)
    assert can(facilitator, "person.act_for", helped)
    assert services.participants_of(facilitator) == [helped]


def test_holder_facilitator_records_an_answer_with_a_consent_note():
    holder, other = make_org(), make_org(name="Autre asso")
    person = make_person((holder, Role.PARTICIPANT), identifier="NOTE-56", secret="564738")
    facilitator = make_person((holder, Role.FACILITATOR), name="Fanny")
    other_facilitator = make_person((other, Role.FACILITATOR))
    invitation = services.invite_member(
        make_person((other, Role.ADMIN)), other, "NOTE-56", "participant"
    )
    with pytest.raises(NotFound):
        services.record_invitation_answer(other_facilitator, invitation, True, "Il a dit oui.")
    with pytest.raises(DomainError) as short:
        services.record_invitation_answer(facilitator, invitation, True, "oui")
    assert short.value.field == "consent_note"
    services.record_invitation_answer(facilitator, invitation, True, "Il a dit oui le 3 mars.")
    assert has_role(person, Role.PARTICIPANT, other)
    assert invitation.answered_by_id == facilitator.id
    assert invitation.consent_note == "Il a dit oui le 3 mars."
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "membership.invitation_accepted")
    )
    assert entry.actor_id == facilitator.id and entry.details["noted_by_facilitator"] is True


def test_assisted_account_is_held_by_the_organisation_it_was_made_in():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    card = services.create_assisted_account(facilitator, org, "Lucie", "Elle a dit oui.")
    assert card.person.holder_organisation_id == org.id
    assert can(facilitator, "person.act_for", card.person)


def test_code_reset_tells_the_person_and_the_other_facilitators():
    org = make_org(name="CRPA Nord")
    facilitator = make_person((org, Role.FACILITATOR), name="Fanny")
    colleague = make_person((org, Role.FACILITATOR), name="Farid")
    person = make_person((org, Role.PARTICIPANT), identifier="TELL-78", secret="564738")
    services.reset_code(facilitator, person)
    to_person = db.session.scalars(
        select(Notification).where(Notification.person_id == person.id)
    ).all()
    assert len(to_person) == 1 and "Fanny" in to_person[0].body and "CRPA Nord" in to_person[0].body
    to_colleague = db.session.scalars(
        select(Notification).where(Notification.person_id == colleague.id)
    ).all()
    assert len(to_colleague) == 1 and person.display_name in to_colleague[0].body
    assert not db.session.scalars(
        select(Notification).where(Notification.person_id == facilitator.id)
    ).all()


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


def test_inviting_someone_to_a_role_they_hold_looks_like_any_invitation():
    org = make_org()
    admin = make_person((org, Role.ADMIN))
    member = make_person((org, Role.FACILITATOR), email="member@example.test")
    invitation = services.invite_member(admin, org, "member@example.test", "facilitator")
    # Listed as waiting, like an unknown address; the member is not asked nor notified.
    assert services.invitations_of(admin, org) == [invitation]
    assert services.pending_invitations_for(member) == []
    assert not db.session.scalars(
        select(Notification).where(Notification.person_id == member.id)
    ).all()
