"""Account rules: login, sessions, throttling, assisted accounts, codes, preferences,
organisations and memberships. Services flush, never commit; the actor is explicit."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, or_, select, update
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
from app.accounts.weak_codes import is_weak_code
from app.core import audit, formatting
from app.core.errors import DomainError, NotFound, TooManyAttempts, or_not_found
from app.core.permissions import can, require
from app.core.provenance import CONSENT_MIN_LENGTH
from app.db import UTCDateTime, utcnow

IDENTIFIER_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q: they look like 1 and 0
TEMPORARY_CODE_LENGTH = 6
CODE_MIN_LENGTH = 6
PASSWORD_MIN_LENGTH = 10
# A hash to compare against when the identifier is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash("parole-dummy-secret", method="scrypt")
# A card identifier as typed: four letters, maybe a dash, two digits ("abcd12", "ABCD-12").
_CARD_IDENTIFIER = re.compile(r"([a-z]{4})-?([0-9]{2})", re.ASCII)
# Dashes a phone or a word processor may put instead of "-" (NFKC keeps them apart).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63", "-"))


def hash_secret(secret: str) -> str:
    return generate_password_hash(secret, method="scrypt")


def normalise_identifier(raw: str | None) -> str:
    """The one written form of an identifier: the account lookup, the login throttle and
    what is stored all use it, so no way of writing an identifier reaches an account while
    escaping its throttle. Unicode compatibility forms are folded (NFKC: the Kelvin sign
    becomes K, full-width letters plain ones), then the case (casefold), then spaces around.
    E-mail addresses come out in lower case; card identifiers as printed on the card,
    "ABCD-12", whether typed "abcd12", "ABCD 12" or "abcd–12"."""
    value = unicodedata.normalize("NFKC", raw or "").casefold()
    value = unicodedata.normalize("NFKC", value).strip()
    if "@" in value:
        return value
    value = "".join(value.translate(_DASHES).split())
    card = _CARD_IDENTIFIER.fullmatch(value)
    if card:
        return f"{card[1].upper()}-{card[2]}"
    return value.upper()


def _keyed_hash(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def find_by_identifier(identifier: str) -> Person | None:
    value = normalise_identifier(identifier)
    if not value:
        return None
    if "@" in value:
        condition = func.lower(Person.email) == value
    else:
        condition = func.upper(Person.login_identifier) == value
    return db.session.scalar(select(Person).where(condition))


# --- throttling --------------------------------------------------------------------------
#
# Three counts, each a row of `login_throttles` under a keyed hash:
# - the identifier from one client (its address, or the browser where this identifier
#   logged in before: the known-device cookie): 5 free failures, then a wait that doubles
#   up to 15 minutes. An attacker elsewhere never makes the owner wait;
# - one client across all identifiers: at most LOGIN_CLIENT_MAX_FAILURES an hour, then it
#   waits for the end of the hour (trying one code on many accounts);
# - one identifier across all clients: never a lock, only a slower answer once it had many
#   failures in the day (the view waits LOGIN_SLOW_ANSWER seconds after committing).
# Unknown identifiers are counted exactly like known ones: the same answers, the same waits.


@dataclass(frozen=True)
class LoginClient:
    """Where a login attempt comes from: the address (after the trusted proxies) and, when
    the browser has a known-device cookie, its random id and the tags of the identifiers
    that logged in from it (`device_tag`)."""

    address: str = "local"
    device_id: str | None = None
    device_tags: tuple[str, ...] = ()  # the most recent first


def device_tag(identifier: str) -> str:
    """What the known-device cookie keeps of an identifier: a keyed hash, never the
    identifier itself (the cookie can be read on a shared computer)."""
    return _keyed_hash("device\0" + normalise_identifier(identifier))[:20]


@dataclass(frozen=True)
class _ThrottleKeys:
    pair: str  # this identifier from this client
    client: str  # this client, all identifiers
    identifier: str  # this identifier, all clients


def _throttle_keys(value: str, client: LoginClient) -> _ThrottleKeys:
    if client.device_id and device_tag(value) in client.device_tags:
        who = f"device\0{client.device_id}"  # where this identifier logged in before
    else:
        who = f"address\0{client.address}"
    return _ThrottleKeys(
        pair=_keyed_hash(f"pair\0{value}\0{who}"),
        client=_keyed_hash(f"client\0{who}"),
        identifier=_keyed_hash(f"identifier\0{value}"),
    )


def _throttle_rows(keys: _ThrottleKeys) -> dict[str, LoginThrottle]:
    rows = db.session.scalars(
        select(LoginThrottle).where(
            LoginThrottle.key_hash.in_([keys.pair, keys.client, keys.identifier])
        )
    )
    return {row.key_hash: row for row in rows}


def _seconds_to_wait(rows: dict[str, LoginThrottle], keys: _ThrottleKeys, now: datetime) -> int:
    wait = 0
    for key in (keys.pair, keys.client):
        row = rows.get(key)
        if row is not None and row.blocked_until is not None and now < row.blocked_until:
            wait = max(wait, int((row.blocked_until - now).total_seconds()) + 1)
    return wait


def _answers_slowly(rows: dict[str, LoginThrottle], keys: _ThrottleKeys, now: datetime) -> bool:
    cfg = current_app.config
    row = rows.get(keys.identifier)
    return (
        row is not None
        and row.failures >= cfg["LOGIN_IDENTIFIER_SLOW_AFTER"]
        and row.window_started_at is not None
        and now - row.window_started_at < timedelta(seconds=cfg["LOGIN_IDENTIFIER_WINDOW"])
    )


def _wait_message(seconds: int) -> DomainError:
    minutes = max(1, -(-seconds // 60))
    return TooManyAttempts(
        _l(
            "Too many tries. For your safety, wait %(minutes)s minute(s), then try again.",
            minutes=minutes,
        ),
        retry_after=seconds,
    )


def _count_failure(key_hash: str, now: datetime, window: int | None) -> tuple[int, datetime]:
    """Count one failure in one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING):
    two servers failing the same key at the same moment count two failures, and the first
    failure never collides with another on the unique key. With a `window` (seconds), the
    count starts again at 1 once the window is over. Returns the count and its window start."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    set_: dict = {"failures": LoginThrottle.failures + 1, "last_failure_at": now}
    if window is not None:
        # Both sides read the row as it was before this statement (SQLite and PostgreSQL).
        over = or_(
            LoginThrottle.window_started_at.is_(None),
            LoginThrottle.window_started_at <= now - timedelta(seconds=window),
        )
        set_["failures"] = case((over, 1), else_=LoginThrottle.failures + 1)
        set_["window_started_at"] = case(
            (over, literal(now, UTCDateTime())), else_=LoginThrottle.window_started_at
        )
    statement = (
        insert(LoginThrottle)
        .values(key_hash=key_hash, failures=1, last_failure_at=now, window_started_at=now)
        .on_conflict_do_update(index_elements=[LoginThrottle.key_hash], set_=set_)
        .returning(LoginThrottle.failures, LoginThrottle.window_started_at)
    )
    failures, started = db.session.execute(statement).one()
    return failures, started


def _block(key_hash: str, until: datetime) -> None:
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key_hash == key_hash)
        .values(blocked_until=until)
        .execution_options(synchronize_session=False)
    )


def _register_failure(keys: _ThrottleKeys, now: datetime, person: Person | None = None) -> None:
    cfg = current_app.config
    failures, _ = _count_failure(keys.pair, now, None)
    over = failures - cfg["LOGIN_FREE_FAILURES"]
    if over >= 0:
        delay = min(cfg["LOGIN_BASE_DELAY"] * 2 ** min(over, 32), cfg["LOGIN_MAX_DELAY"])
        _block(keys.pair, now + timedelta(seconds=delay))
    window = cfg["LOGIN_CLIENT_WINDOW"]
    failures, started = _count_failure(keys.client, now, window)
    if failures >= cfg["LOGIN_CLIENT_MAX_FAILURES"]:
        _block(keys.client, started + timedelta(seconds=window))
    failures, _ = _count_failure(keys.identifier, now, cfg["LOGIN_IDENTIFIER_WINDOW"])
    if person is not None and failures == cfg["LOGIN_IDENTIFIER_SLOW_AFTER"]:
        # Many tries from anywhere are never a lock (anyone could lock anyone out), but the
        # person and the facilitators who hold the account are told, once a day at most.
        _tell_many_failures(person, failures)
    for loaded in [o for o in db.session.identity_map.values() if isinstance(o, LoginThrottle)]:
        db.session.expire(loaded)  # read before these statements: stale now


class InvalidCredentials(DomainError):
    status_code = 200


@dataclass(frozen=True)
class CredentialCheck:
    """What the slow, read-only part of a login found (see `check_credentials`)."""

    keys: _ThrottleKeys
    person_id: int | None
    valid: bool
    throttled: bool
    # Many failures on this identifier today, from anywhere: answer slowly (never a lock).
    slow: bool = False


def check_credentials(
    identifier: str,
    secret: str,
    now: datetime | None = None,
    client: LoginClient | None = None,
) -> CredentialCheck:
    """The slow part of a login, reads only: the password hash is slow on purpose (scrypt,
    about 100 ms). The login page runs it outside the write lock (`db.read_phase`), then
    `finish_login` writes in a short transaction; so a workshop logging in at once does not
    queue every other form behind the hashes."""
    now = now or utcnow()
    value = normalise_identifier(identifier)
    keys = _throttle_keys(value, client or LoginClient())
    rows = _throttle_rows(keys)
    slow = _answers_slowly(rows, keys, now)
    if _seconds_to_wait(rows, keys, now):
        return CredentialCheck(keys, None, False, throttled=True, slow=slow)
    person = find_by_identifier(value)
    valid = check_password_hash(person.secret_hash if person else _DUMMY_HASH, secret or "")
    return CredentialCheck(keys, person.id if person else None, valid, throttled=False, slow=slow)


def finish_login(check: CredentialCheck, now: datetime | None = None) -> Person:
    """Return the person, or raise. The same message for unknown identifiers and wrong
    secrets; the caller must commit after InvalidCredentials so that failures count. The
    throttle and the account are read again here, inside the writing transaction."""
    now = now or utcnow()
    rows = _throttle_rows(check.keys)
    wait = _seconds_to_wait(rows, check.keys, now)
    if wait:
        raise _wait_message(wait)
    if check.throttled:
        raise _wait_message(1)  # the wait ended between the two steps: one more second
    person = db.session.get(Person, check.person_id) if check.person_id else None
    if person is None or not check.valid or not person.is_active:
        _register_failure(
            check.keys, now, person if person is not None and person.is_active else None
        )
        raise InvalidCredentials(
            _l("This identifier and this password or code do not match. Check them and try again.")
        )
    # The owner's own count starts again; the client's hourly count does not (an attacker
    # logging into their own account between tries must not get a fresh hour).
    pair = rows.get(check.keys.pair)
    if pair is not None:
        db.session.delete(pair)
        db.session.flush()
    return person


def authenticate(
    identifier: str,
    secret: str,
    now: datetime | None = None,
    client: LoginClient | None = None,
) -> Person:
    """Both steps of a login in the current transaction (the CLI and tests)."""
    return finish_login(check_credentials(identifier, secret, now, client), now)


# --- server-side login sessions ----------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_login_session(person: Person, now: datetime | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    db.session.add(
        LoginSession(
            token_hash=_token_hash(token), person_id=person.id, created_at=now, last_used_at=now
        )
    )
    db.session.flush()
    return token


def _has_staff_role(person: Person) -> bool:
    """Staff log in on shared office computers: their logins last a working day at most."""
    return person.is_platform_admin or any(m.role != Role.PARTICIPANT for m in person.memberships)


def _ended_because(login: LoginSession, now: datetime) -> Any:
    """Why this login ended by itself, in words for the person; None while it lasts."""
    cfg = current_app.config
    hours = cfg["SESSION_STAFF_HOURS"]
    if now - login.created_at >= timedelta(hours=hours) and _has_staff_role(login.person):
        return _l(
            "For your safety, you were logged out after %(hours)s hours. Log in again.",
            hours=hours,
        )
    days = cfg["SESSION_IDLE_DAYS"]
    if now - login.last_used_at >= timedelta(days=days):
        return _l(
            "You were logged out after %(days)s days without a visit. Log in again.", days=days
        )
    return None


def _live_login(token: str, person_id: int | None = None) -> LoginSession | None:
    query = select(LoginSession).where(
        LoginSession.token_hash == _token_hash(token), LoginSession.revoked_at.is_(None)
    )
    if person_id is not None:
        query = query.where(LoginSession.person_id == person_id)
    return db.session.scalar(query)


def person_for_token(
    person_id: int, token: str | None, now: datetime | None = None
) -> Person | None:
    """The person of a live login: not revoked, the account active, not unused for
    SESSION_IDLE_DAYS, and for staff roles not older than SESSION_STAFF_HOURS. Reads only."""
    if not token:
        return None
    login = _live_login(token, person_id)
    if login is None or not login.person.is_active:
        return None
    if _ended_because(login, now or utcnow()) is not None:
        return None
    return login.person


def why_login_ended(token: str | None, now: datetime | None = None) -> Any:
    """The message for a login that ended by itself (see `person_for_token`); None when it
    was closed on purpose (logout, new code) or never existed. Reads only."""
    if not token:
        return None
    login = _live_login(token)
    if login is None or not login.person.is_active:
        return None
    return _ended_because(login, now or utcnow())


def note_login_use(token: str | None, now: datetime | None = None) -> bool:
    """Note that a login is in use, at most once every SESSION_TOUCH_MINUTES: one UPDATE of
    one row, whose condition makes a second server's note at the same moment a no-op. The
    caller decides when a note is due (it keeps the time of its last note in the signed
    session cookie), so most pages write nothing."""
    if not token:
        return False
    now = now or utcnow()
    every = timedelta(minutes=current_app.config["SESSION_TOUCH_MINUTES"])
    result = db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.token_hash == _token_hash(token),
            LoginSession.revoked_at.is_(None),
            LoginSession.last_used_at <= now - every,
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


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
        if is_weak_code(new_secret):
            raise DomainError(
                _l("This code is too easy to guess. Choose 6 digits that are less simple."),
                field="new_secret",
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
        if not is_weak_code(code):
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
    if len(note) < CONSENT_MIN_LENGTH:
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
    person = db.lock(person)  # two resets at once: one after the other, the last card counts
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
    return or_not_found(db.session.get(Person, person_id))


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
    if not value or len(value) > MembershipInvitation.identifier.type.length:
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
    return or_not_found(db.session.get(MembershipInvitation, invitation_id))


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
    # Locked read-check-write: answered twice at once (two tabs), the second finds it answered.
    invitation = db.lock(invitation)
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
    invitation = db.lock(invitation)  # noted twice at once: the second finds it answered
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
    try:
        invitation = db.lock(invitation)
    except LookupError:  # taken back meanwhile (two tabs)
        raise NotFound(_l("This page does not exist.")) from None
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
    from app.core.notifications import notify
    from app.core.urls import external_url

    now = utcnow()

    def when() -> str:
        return formatting.date_time(now)

    notify(person, subject, lambda: to_person(when()), link=external_url("accounts.account"))
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


def _tell_many_failures(person: Person, failures: int) -> None:
    from flask_babel import gettext as _

    tell_sensitive_change(
        person,
        person,
        lambda: _("Someone is trying to get into your account"),
        lambda when: " ".join(
            (
                _("Someone tried to get into your account."),
                _(
                    "They typed a wrong code or password %(count)s times in one day.",
                    count=failures,
                ),
                _("Your account is not blocked."),
                _("If it was not you, change your code or password, or ask for a new code."),
            )
        ),
        lambda when: " ".join(
            (
                _(
                    "Someone tried to get into the account of %(person)s.",
                    person=person.display_name,
                ),
                _(
                    "They typed a wrong code or password %(count)s times in one day.",
                    count=failures,
                ),
                _("A new code stops these tries."),
            )
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
