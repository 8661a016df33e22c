"""Account rules: login, sessions, throttling, assisted accounts, codes, preferences,
organisations and memberships. Services flush, never commit; the actor is explicit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.security import check_password_hash, generate_password_hash

from app import db
from app.accounts.models import (
    Language,
    LoginSession,
    LoginThrottle,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from app.accounts.permissions import has_role
from app.core import audit
from app.core.errors import DomainError, NotFound, TooManyAttempts
from app.core.permissions import can, require
from app.db import utcnow

IDENTIFIER_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q: they look like 1 and 0
TEMPORARY_CODE_LENGTH = 6
CODE_MIN_LENGTH = 6
PASSWORD_MIN_LENGTH = 10
WEAK_CODES = frozenset({"123456", "654321", "123123", "112233", "121212", "000000", "azerty"})
# A hash to compare against when the identifier is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash("parole-dummy-secret", method="scrypt")


def hash_secret(secret: str) -> str:
    return generate_password_hash(secret, method="scrypt")


def normalise_identifier(raw: str) -> str:
    value = (raw or "").strip()
    if "@" in value:
        return value.lower()
    return value.upper().replace(" ", "")


def _keyed_hash(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def find_by_identifier(identifier: str) -> Person | None:
    value = normalise_identifier(identifier)
    if not value:
        return None
    column = Person.email if "@" in value else Person.login_identifier
    return db.session.scalar(select(Person).where(func.lower(column) == value.lower()))


# --- throttling --------------------------------------------------------------------------


def _throttle_row(key_hash: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.key_hash == key_hash))


def _wait_message(seconds: int) -> DomainError:
    minutes = max(1, -(-seconds // 60))
    return TooManyAttempts(
        _l(
            "Too many tries. For your safety, wait %(minutes)s minute(s), then try again.",
            minutes=minutes,
        ),
        retry_after=seconds,
    )


def _register_failure(key_hash: str, now: datetime) -> None:
    """Count one failure in one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING):
    two servers failing the same identifier at the same moment count two failures, and the
    first failure never collides with another on the unique key."""
    cfg = current_app.config
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(LoginThrottle)
        .values(key_hash=key_hash, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key_hash],
            set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now},
        )
        .returning(LoginThrottle.failures)
    )
    failures = db.session.execute(statement).scalar_one()
    over = failures - cfg["LOGIN_FREE_FAILURES"]
    if over >= 0:
        delay = min(cfg["LOGIN_BASE_DELAY"] * 2**over, cfg["LOGIN_MAX_DELAY"])
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key_hash == key_hash)
            .values(blocked_until=now + timedelta(seconds=delay))
            .execution_options(synchronize_session=False)
        )
    for loaded in [o for o in db.session.identity_map.values() if isinstance(o, LoginThrottle)]:
        db.session.expire(loaded)  # read before this statement: stale now


class InvalidCredentials(DomainError):
    status_code = 200


@dataclass(frozen=True)
class CredentialCheck:
    """What the slow, read-only part of a login found (see `check_credentials`)."""

    key_hash: str
    person_id: int | None
    valid: bool
    throttled: bool


def check_credentials(identifier: str, secret: str, now: datetime | None = None) -> CredentialCheck:
    """The slow part of a login, reads only: the password hash is slow on purpose (scrypt,
    about 100 ms). The login page runs it outside the write lock (`db.read_phase`), then
    `finish_login` writes in a short transaction; so a workshop logging in at once does not
    queue every other form behind the hashes."""
    now = now or utcnow()
    value = normalise_identifier(identifier)
    key_hash = _keyed_hash(value)
    row = _throttle_row(key_hash)
    if row is not None and row.blocked_until is not None and now < row.blocked_until:
        return CredentialCheck(key_hash, None, False, throttled=True)
    person = find_by_identifier(value)
    valid = check_password_hash(person.secret_hash if person else _DUMMY_HASH, secret or "")
    return CredentialCheck(key_hash, person.id if person else None, valid, throttled=False)


def finish_login(check: CredentialCheck, now: datetime | None = None) -> Person:
    """Return the person, or raise. The same message for unknown identifiers and wrong
    secrets; the caller must commit after InvalidCredentials so that failures count. The
    throttle and the account are read again here, inside the writing transaction."""
    now = now or utcnow()
    row = _throttle_row(check.key_hash)
    if row is not None and row.blocked_until is not None and now < row.blocked_until:
        raise _wait_message(int((row.blocked_until - now).total_seconds()) + 1)
    if check.throttled:
        raise _wait_message(1)  # the wait ended between the two steps: one more second
    person = db.session.get(Person, check.person_id) if check.person_id else None
    if person is None or not check.valid or not person.is_active:
        _register_failure(check.key_hash, now)
        raise InvalidCredentials(
            _l("This identifier and this password or code do not match. Check them and try again.")
        )
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    return person


def authenticate(identifier: str, secret: str, now: datetime | None = None) -> Person:
    """Both steps of a login in the current transaction (the CLI and tests)."""
    return finish_login(check_credentials(identifier, secret, now), now)


# --- server-side login sessions ----------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_login_session(person: Person) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=_token_hash(token), person_id=person.id))
    db.session.flush()
    return token


def person_for_token(person_id: int, token: str | None) -> Person | None:
    if not token:
        return None
    login = db.session.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == _token_hash(token),
            LoginSession.person_id == person_id,
            LoginSession.revoked_at.is_(None),
        )
    )
    if login is None or not login.person.is_active:
        return None
    return login.person


def close_login_session(token: str | None, now: datetime | None = None) -> None:
    if not token:
        return
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def revoke_sessions(person: Person, now: datetime | None = None) -> int:
    """End every login of this person: each copy of their cookies stops working at once."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.person_id == person.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0


# --- secrets -----------------------------------------------------------------------------


def check_new_secret(person: Person, new_secret: str) -> None:
    if person.uses_code:
        if len(new_secret) < CODE_MIN_LENGTH:
            raise DomainError(
                _l("Your code needs at least %(n)s characters.", n=CODE_MIN_LENGTH),
                field="new_secret",
            )
        if len(set(new_secret)) == 1 or new_secret.lower() in WEAK_CODES:
            raise DomainError(
                _l("This code is too easy to guess. Choose another one."), field="new_secret"
            )
    elif len(new_secret) < PASSWORD_MIN_LENGTH:
        raise DomainError(
            _l("Your password needs at least %(n)s characters.", n=PASSWORD_MIN_LENGTH),
            field="new_secret",
        )


def change_secret(actor: Person, current_secret: str | None, new_secret: str) -> str:
    """The person changes their own password or code. Every session is closed, this one
    included (a copy of its cookie dies too); returns the token of a new session for the
    browser that made the change."""
    if not actor.must_choose_code and not check_password_hash(
        actor.secret_hash, current_secret or ""
    ):
        raise DomainError(_l("Your current password or code is not right."), field="current_secret")
    check_new_secret(actor, new_secret)
    if check_password_hash(actor.secret_hash, new_secret):
        raise DomainError(
            _l("Choose a code that is different from the old one."), field="new_secret"
        )
    actor.secret_hash = hash_secret(new_secret)
    actor.must_choose_code = False
    actor.secret_changed_at = utcnow()
    revoke_sessions(actor)
    audit.record(actor, "person.secret_changed", actor)
    return open_login_session(actor)


# --- accounts made by a facilitator --------------------------------------------------------


def _new_identifier() -> str:
    for _ in range(50):
        letters = "".join(secrets.choice(IDENTIFIER_LETTERS) for _ in range(4))
        candidate = f"{letters}-{secrets.randbelow(90) + 10}"
        exists = db.session.scalar(select(Person.id).where(Person.login_identifier == candidate))
        if exists is None:
            return candidate
    raise RuntimeError("Could not find a free login identifier.")


def _new_code() -> str:
    while True:
        code = "".join(str(secrets.randbelow(10)) for _ in range(TEMPORARY_CODE_LENGTH))
        if len(set(code)) > 1 and code not in WEAK_CODES:
            return code


@dataclass(frozen=True)
class LoginCard:
    person: Person
    identifier: str
    code: str


def create_assisted_account(
    actor: Person, organisation: Organisation, display_name: str, consent_note: str
) -> LoginCard:
    """A facilitator creates an account with an identifier and a temporary code for a
    person without e-mail. The person chooses their own code at the first login."""
    require(actor, "participants.create_in", organisation)
    name = (display_name or "").strip()
    if not name:
        raise DomainError(_l("Write the name the person wants to use."), field="display_name")
    note = (consent_note or "").strip()
    if len(note) < 5:
        raise DomainError(
            _l("Write how the person agreed to have an account."), field="consent_note"
        )
    code = _new_code()
    person = Person(
        display_name=name,
        login_identifier=_new_identifier(),
        secret_hash=hash_secret(code),
        must_choose_code=True,
        entered_by_id=actor.id,
        consent_note=note,
        holder_organisation_id=organisation.id,
    )
    db.session.add(person)
    db.session.flush()
    db.session.add(
        Membership(person_id=person.id, organisation_id=organisation.id, role=Role.PARTICIPANT)
    )
    db.session.flush()
    db.session.refresh(person, ["memberships"])
    audit.record(actor, "person.created_with_help", person, organisation_id=organisation.id)
    return LoginCard(person=person, identifier=person.login_identifier or "", code=code)


def reset_code(actor: Person, person: Person) -> LoginCard:
    """The facilitator gives a new temporary code; every session of the person is closed."""
    require(actor, "person.reset_code", person)
    code = _new_code()
    person.secret_hash = hash_secret(code)
    person.must_choose_code = True
    person.secret_changed_at = utcnow()
    revoke_sessions(person)
    audit.record(actor, "person.code_reset", person)
    _tell_code_reset(actor, person)
    db.session.flush()
    return LoginCard(person=person, identifier=person.login_identifier or "", code=code)


def participants_of(actor: Person) -> list[Person]:
    """The people this facilitator may act for: participants whose account is held by one
    of the facilitator's organisations (see `person.act_for`)."""
    require(actor, "participants.access")
    org_ids = [m.organisation_id for m in actor.memberships if m.role == Role.FACILITATOR]
    return list(
        db.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.organisation_id.in_(org_ids),
                Membership.role == Role.PARTICIPANT,
                Person.holder_organisation_id == Membership.organisation_id,
                Person.id != actor.id,
            )
            .distinct()
            .order_by(Person.display_name)
        )
    )


def get_person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_l("This page does not exist."))
    return person


# --- preferences -------------------------------------------------------------------------


def update_preferences(actor: Person, language: str, easy_read: bool, high_contrast: bool) -> None:
    actor.language = Language(language)
    actor.easy_read = bool(easy_read)
    actor.high_contrast = bool(high_contrast)
    db.session.flush()


# --- organisations and memberships -------------------------------------------------------


def create_organisation(actor: Person, name: str, kind: str) -> Organisation:
    require(actor, "organisation.create")
    clean = (name or "").strip()
    if not clean:
        raise DomainError(_l("Write the name of the organisation."), field="name")
    if db.session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == clean.lower())
    ):
        raise DomainError(_l("An organisation already has this name."), field="name")
    org = Organisation(name=clean, kind=OrganisationKind(kind))
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation.created", org, organisation_id=org.id)
    return org


INVITATION_SENT = _l(
    "If someone has this e-mail address or identifier, "
    "they will find your invitation on their Parole home page."
)


def invite_member(
    actor: Person, organisation: Organisation, identifier: str, role: str
) -> MembershipInvitation:
    """Offer a role; nothing of the person is shared until they accept. Whether or not
    someone has this identifier, whether they already have the role or were invited before,
    the administrator gets the same answer (`INVITATION_SENT`) and the same pending line:
    Parole never tells an organisation that a person exists."""
    require(actor, "organisation.manage", organisation)
    value = normalise_identifier(identifier)
    if not value:
        raise DomainError(_l("Write an e-mail address or an identifier."), field="identifier")
    role_value = Role(role)
    earlier = db.session.scalar(
        select(MembershipInvitation).where(
            MembershipInvitation.organisation_id == organisation.id,
            MembershipInvitation.identifier == value,
            MembershipInvitation.role == role_value,
            MembershipInvitation.accepted.is_not(True),
        )
    )
    if earlier is not None:
        return earlier  # pending or refused: no second row, nobody is asked twice
    person = find_by_identifier(value)
    if person is not None and (not person.is_active or person.closed_at is not None):
        person = None
    invitation = MembershipInvitation(
        organisation_id=organisation.id,
        identifier=value,
        person_id=person.id if person else None,
        role=role_value,
        invited_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.flush()
    # No person id in this entry: the organisation's own log must not tell who exists.
    audit.record(
        actor,
        "membership.invited",
        invitation,
        organisation_id=organisation.id,
        role=role_value.value,
    )
    if person is not None and not has_role(person, role_value, organisation):
        _tell_invited(person, organisation, role_value)
    return invitation


def _tell_invited(person: Person, organisation: Organisation, role: Role) -> None:
    from flask_babel import gettext as _

    from app.core.notifications import notify
    from app.core.urls import external_url

    notify(
        person,
        lambda: _("%(org)s invites you", org=organisation.name),
        lambda: _(
            "%(org)s invites you to take part as: %(role)s. Nothing changes until you answer. "
            "Answer on your Parole home page.",
            org=organisation.name,
            role=role.label,
        ),
        link=external_url("main.home"),
    )


def pending_invitations_for(person: Person) -> list[MembershipInvitation]:
    """The invitations a person has still to answer (roles they hold already left out)."""
    rows = db.session.scalars(
        select(MembershipInvitation)
        .where(
            MembershipInvitation.person_id == person.id,
            MembershipInvitation.answered_at.is_(None),
        )
        .order_by(MembershipInvitation.created_at, MembershipInvitation.id)
    )
    seen: set[tuple[int, Role]] = set()
    result = []
    for invitation in rows:
        key = (invitation.organisation_id, invitation.role)
        if key in seen or has_role(person, invitation.role, invitation.organisation_id):
            continue
        seen.add(key)
        result.append(invitation)
    return result


def invitations_of(actor: Person, organisation: Organisation) -> list[MembershipInvitation]:
    """What the administrator sees: invitations not accepted, with the identifier typed and
    the role only (never whether the person exists, nor whether they refused)."""
    require(actor, "organisation.manage", organisation)
    return list(
        db.session.scalars(
            select(MembershipInvitation)
            .where(
                MembershipInvitation.organisation_id == organisation.id,
                MembershipInvitation.accepted.is_not(True),
            )
            .order_by(MembershipInvitation.created_at, MembershipInvitation.id)
        )
    )


def get_invitation(invitation_id: int) -> MembershipInvitation:
    invitation = db.session.get(MembershipInvitation, invitation_id)
    if invitation is None:
        raise NotFound(_l("This page does not exist."))
    return invitation


def _settle_invitation(
    actor: Person,
    invitation: MembershipInvitation,
    accept: bool,
    allow_help: bool = False,
    consent_note: str | None = None,
) -> Membership | None:
    person = invitation.person
    assert person is not None
    now = utcnow()
    # The same role offered twice (typed once as an e-mail, once as an identifier): one answer.
    twins = db.session.scalars(
        select(MembershipInvitation).where(
            MembershipInvitation.person_id == person.id,
            MembershipInvitation.organisation_id == invitation.organisation_id,
            MembershipInvitation.role == invitation.role,
            MembershipInvitation.answered_at.is_(None),
        )
    )
    for row in {invitation, *twins}:
        row.answered_at = now
        row.accepted = accept
        row.answered_by_id = actor.id
        row.consent_note = consent_note
    membership = None
    holder_set = False
    if accept:
        membership = db.session.scalar(
            select(Membership).where(
                Membership.person_id == person.id,
                Membership.organisation_id == invitation.organisation_id,
                Membership.role == invitation.role,
            )
        )
        if membership is None:
            membership = Membership(
                person_id=person.id,
                organisation_id=invitation.organisation_id,
                role=invitation.role,
            )
            db.session.add(membership)
        if (
            invitation.role == Role.PARTICIPANT
            and allow_help
            and person.holder_organisation_id is None
        ):
            person.holder_organisation_id = invitation.organisation_id
            holder_set = True
    db.session.flush()
    db.session.refresh(person, ["memberships"])
    audit.record(
        actor,
        "membership.invitation_accepted" if accept else "membership.invitation_refused",
        invitation,
        organisation_id=invitation.organisation_id,
        role=invitation.role.value,
        person_id=person.id,
        noted_by_facilitator=actor.id != person.id,
        holder_set=holder_set,
    )
    return membership


def answer_invitation(
    actor: Person, invitation: MembershipInvitation, accept: bool, allow_help: bool = False
) -> Membership | None:
    """The person answers an invitation from their home page. `allow_help`: when they accept a
    participant role and no organisation holds their account yet, this organisation's
    facilitators may help them (act for them) from now on."""
    if invitation.person_id != actor.id:
        raise NotFound(_l("This page does not exist."))
    if not invitation.pending:
        raise DomainError(_l("You have already answered this invitation."))
    return _settle_invitation(actor, invitation, accept, allow_help=allow_help)


def record_invitation_answer(
    actor: Person, invitation: MembershipInvitation, accept: bool, consent_note: str
) -> Membership | None:
    """A facilitator of the organisation that holds the person's account notes the person's
    answer, with how they gave it (like every entry made with help)."""
    from app.core.provenance import CONSENT_MIN_LENGTH

    person = invitation.person
    if person is None or not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))
    if not invitation.pending:
        raise DomainError(_l("This invitation has already been answered."))
    note = (consent_note or "").strip()
    if len(note) < CONSENT_MIN_LENGTH:
        raise DomainError(_l("Write how the person gave their answer."), field="consent_note")
    membership = _settle_invitation(actor, invitation, accept, consent_note=note)
    _tell_answer_noted(actor, person, invitation, accept)
    return membership


def _tell_answer_noted(
    actor: Person, person: Person, invitation: MembershipInvitation, accept: bool
) -> None:
    from flask_babel import gettext as _

    from app.core.notifications import notify
    from app.core.urls import external_url

    org = invitation.organisation.name

    def body() -> str:
        if accept:
            return _(
                "%(name)s noted that you accept the invitation of %(org)s (%(role)s). "
                "If this is not what you said, talk to them.",
                name=actor.display_name,
                org=org,
                role=invitation.role.label,
            )
        return _(
            "%(name)s noted that you refuse the invitation of %(org)s (%(role)s).",
            name=actor.display_name,
            org=org,
            role=invitation.role.label,
        )

    notify(
        person,
        lambda: _("Your answer to %(org)s", org=org),
        body,
        link=external_url("main.home"),
    )


def withdraw_invitation(actor: Person, invitation: MembershipInvitation) -> None:
    """The administrator takes an invitation back (it leaves their list and the home page)."""
    require(actor, "organisation.manage", invitation.organisation)
    if invitation.accepted:
        raise DomainError(_l("This invitation was accepted: remove the role instead."))
    audit.record(
        actor,
        "membership.invitation_withdrawn",
        invitation,
        organisation_id=invitation.organisation_id,
    )
    db.session.delete(invitation)
    db.session.flush()


# --- telling people about sensitive changes ----------------------------------------------


def tell_sensitive_change(
    actor: Person,
    person: Person,
    subject: Callable[[], str],
    to_person: Callable[[str], str],
    to_staff: Callable[[str], str],
) -> None:
    """Tell the person, and the facilitators of the organisation that holds their account,
    that something sensitive changed (code, bank details). `to_person` and `to_staff` get the
    date and time already written in the reader's language; they never carry the secret."""
    from flask_babel import format_datetime

    from app.core.notifications import notify
    from app.core.urls import external_url

    now = utcnow()

    def when() -> str:
        return format_datetime(now, "d MMMM yyyy, HH:mm")

    notify(person, subject, lambda: to_person(when()), link=external_url("main.notifications"))
    if person.holder_organisation_id is None:
        return
    staff = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.organisation_id == person.holder_organisation_id,
            Membership.role == Role.FACILITATOR,
            Person.id.not_in([actor.id, person.id]),
            Person.is_active.is_(True),
        )
        .distinct()
        .order_by(Person.id)
    )
    link = external_url("participants.show", person_id=person.id)
    for facilitator in staff:
        notify(facilitator, subject_for_staff(person), lambda: to_staff(when()), link=link)


def subject_for_staff(person: Person) -> Callable[[], str]:
    from flask_babel import gettext as _

    return lambda: _("Important change for %(person)s", person=person.display_name)


def _who_to_talk_to(person: Person) -> str:
    from flask_babel import gettext as _

    if person.holder_organisation is not None:
        return _(
            "If you did not ask for it, talk at once to %(org)s.",
            org=person.holder_organisation.name,
        )
    return _("If you did not ask for it, talk at once to a person you trust.")


def _tell_code_reset(actor: Person, person: Person) -> None:
    from flask_babel import gettext as _

    tell_sensitive_change(
        actor,
        person,
        lambda: _("Your code was changed"),
        lambda when: (
            _(
                "Your code was changed by %(name)s on %(when)s.",
                name=actor.display_name,
                when=when,
            )
            + " "
            + _who_to_talk_to(person)
        ),
        lambda when: _(
            "The code of %(person)s was changed by %(name)s on %(when)s. "
            "If this is not expected, check with the person.",
            person=person.display_name,
            name=actor.display_name,
            when=when,
        ),
    )


def tell_bank_details_changed(actor: Person, person: Person, last4: str) -> None:
    """Called by the costs domain whenever a person's IBAN is saved (last 4 digits only)."""
    from flask_babel import gettext as _

    def to_person(when: str) -> str:
        if actor.id == person.id:
            text = _(
                "Your bank details were changed from your account on %(when)s. "
                "The new account number ends with %(last4)s.",
                when=when,
                last4=last4,
            )
        else:
            text = _(
                "Your bank details were changed by %(name)s on %(when)s. "
                "The new account number ends with %(last4)s.",
                name=actor.display_name,
                when=when,
                last4=last4,
            )
        return text + " " + _who_to_talk_to(person)

    tell_sensitive_change(
        actor,
        person,
        lambda: _("Your bank details were changed"),
        to_person,
        lambda when: _(
            "The bank details of %(person)s were changed by %(name)s on %(when)s. "
            "The new account number ends with %(last4)s. "
            "If this is not expected, check with the person.",
            person=person.display_name,
            name=actor.display_name,
            when=when,
            last4=last4,
        ),
    )


def remove_membership(actor: Person, membership: Membership) -> None:
    organisation = membership.organisation
    require(actor, "organisation.manage", organisation)
    if (
        membership.person_id == actor.id
        and membership.role == Role.ADMIN
        and not actor.is_platform_admin
    ):
        raise DomainError(_l("You cannot remove your own administrator role."))
    audit.record(
        actor,
        "membership.removed",
        membership,
        organisation_id=organisation.id,
        role=membership.role,
        person_id=membership.person_id,
    )
    db.session.delete(membership)
    db.session.flush()
