"""Bringing people in by e-mail: invitations to open an account, the first administrator's
activation link, "Forgot your password?". One kind of row, `AccountLink`: a single-use link
mailed to the person, only a hash of its token stored, ending at a set time.

Services flush and never commit; the actor is explicit. Whether an address has an account is
never told: an invitation to a known address becomes a membership invitation (the person
answers it on their home page), and a reset request gets the same answer and the same hash
work whether the address is known or not."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app import db
from app.accounts import services
from app.accounts.models import (
    AccountLink,
    LinkPurpose,
    Membership,
    MembershipInvitation,
    Organisation,
    Person,
    Role,
)
from app.accounts.permissions import has_role
from app.accounts.weak_codes import is_weak_code
from app.core import audit, outbox
from app.core.errors import DomainError
from app.core.permissions import require
from app.core.urls import external_url
from app.db import utcnow

PASSWORD_MIN_WORDS = 4  # "quatre mots faciles à retenir" is a strong password too
EMAIL_MAX_LENGTH = 254

# Passwords tried first by anyone guessing (the top of public leak lists, French and English),
# lower case, without spaces. A password made only of one of these, maybe with digits or a
# "!" after it, is refused. Length does the rest: no composition rules.
COMMON_PASSWORDS = frozenset(
    (
        "123456789",
        "1234567890",
        "0123456789",
        "azertyuiop",
        "qwertyuiop",
        "motdepasse",
        "password",
        "passw0rd",
        "iloveyou",
        "jetaime",
        "jetaimebeaucoup",
        "soleil",
        "doudou",
        "chouchou",
        "bonjour",
        "marseille",
        "parisparis",
        "football",
        "princesse",
        "loulou",
        "nicolas",
        "celine",
        "coucou",
        "abcdefghij",
        "abcdefghijk",
        "qwerty",
        "azerty",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsxcde",
        "changeme",
        "welcome",
        "admin",
        "administrateur",
        "administrator",
        "letmein",
        "trustno1",
        "dragon",
        "monkey",
        "sunshine",
        "superman",
        "starwars",
        "baseball",
        "whatever",
        "parole",
        "paroleparole",
        "bienvenue",
    )
)


def password_problem(password: str) -> object | None:
    """The one plain message about a new password, or None when it is fine: at least
    PASSWORD_MIN_LENGTH characters (or PASSWORD_MIN_WORDS words), not a common password."""
    value = unicodedata.normalize("NFKC", password or "")
    words = [w for w in value.split() if w]
    if len(value) < services.PASSWORD_MIN_LENGTH and len(words) < PASSWORD_MIN_WORDS:
        return _l(
            "Choose a longer password: at least %(n)s characters, or %(words)s words.",
            n=services.PASSWORD_MIN_LENGTH,
            words=PASSWORD_MIN_WORDS,
        )
    squeezed = "".join(words).casefold()
    core = squeezed.rstrip("0123456789!?.*")
    if (
        squeezed in COMMON_PASSWORDS
        or core in COMMON_PASSWORDS
        or len(set(squeezed)) <= 2
        or is_weak_code(squeezed)
    ):
        return _l("This password is too easy to guess. Choose another one, for example 4 words.")
    return None


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem is not None:
        raise DomainError(problem, field=field)


# --- links -------------------------------------------------------------------------------


class LinkState(StrEnum):
    FORGED = "forged"  # no such link (mistyped, cut, made up)
    EXPIRED = "expired"
    USED = "used"


class LinkProblem(DomainError):
    """The link cannot be used; `state` says why (the page explains each case)."""

    status_code = 400

    def __init__(self, state: LinkState, link: AccountLink | None = None) -> None:
        super().__init__(_l("This link cannot be used."))
        self.state = state
        self.link = link


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(
    purpose: LinkPurpose, email: str, lifetime: timedelta, now: datetime, **values: object
) -> tuple[AccountLink, str]:
    token = secrets.token_urlsafe(32)
    link = AccountLink(
        token_hash=_token_hash(token),
        purpose=purpose,
        email=email,
        created_at=now,
        expires_at=now + lifetime,
        **values,
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def read_link(token: str | None, purpose: LinkPurpose, now: datetime | None = None) -> AccountLink:
    """The link this token opens, or LinkProblem (forged, expired, used)."""
    now = now or utcnow()
    link = None
    if token and len(token) <= 100:
        link = db.session.scalar(
            select(AccountLink).where(
                AccountLink.token_hash == _token_hash(token), AccountLink.purpose == purpose
            )
        )
    if link is None:
        raise LinkProblem(LinkState.FORGED)
    if link.used_at is not None:
        raise LinkProblem(LinkState.USED, link)
    if link.expires_at <= now:
        raise LinkProblem(LinkState.EXPIRED, link)
    return link


def _use_link(token: str | None, purpose: LinkPurpose, now: datetime) -> AccountLink:
    """Read the link and lock its row: two sends at once use it once (the second then sees
    it used)."""
    link = read_link(token, purpose, now)
    link = db.lock(link)
    if link.used_at is not None:
        raise LinkProblem(LinkState.USED, link)
    link.used_at = now
    return link


def _mail(to: Person | str, subject: Callable[[], str], body: Callable[[], str]) -> None:
    """One e-mail in the person's language (French for an address without an account)."""
    if isinstance(to, Person):
        address, language = to.email or "", to.language.value
    else:
        address, language = to, "fr"
    if not address:
        return
    with force_locale(language):
        outbox.queue_mail(address, subject(), body())


def normalise_email(raw: str | None) -> str:
    value = services.normalise_identifier(raw)
    if (
        "@" not in value
        or value.count("@") != 1
        or len(value) > EMAIL_MAX_LENGTH
        or any(c.isspace() or not c.isprintable() for c in value)
        or not value.split("@")[0]
        or "." not in value.split("@")[1]
    ):
        raise DomainError(
            _l("Write a whole e-mail address, for example marie@example.org."), field="email"
        )
    return value


# --- invitations by e-mail ---------------------------------------------------------------


def roles_to_give(actor: Person, organisation: Organisation) -> list[Role]:
    """An administrator of the organisation (or of the platform) gives any role of it; a
    facilitator invites accompanied persons."""
    if actor.is_platform_admin or has_role(actor, Role.ADMIN, organisation):
        return list(Role)
    if has_role(actor, Role.FACILITATOR, organisation):
        return [Role.PARTICIPANT]
    return []


def organisations_to_invite_to(actor: Person) -> list[Organisation]:
    if actor.is_platform_admin:
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    seen: dict[int, Organisation] = {}
    for membership in actor.memberships:
        if membership.role in (Role.ADMIN, Role.FACILITATOR):
            seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


INVITATION_BY_EMAIL_SENT = _l(
    "Done. The person will receive an e-mail with a link to join. "
    "If they already have an account, they will find the invitation on their home page."
)


def invite_by_email(
    actor: Person,
    organisation: Organisation,
    email: str,
    display_name: str,
    role: str,
    now: datetime | None = None,
) -> None:
    """Invite someone to open an account with a role. An address that already has an
    account gets a membership invitation instead (never a second account); the inviter gets
    the same answer either way (`INVITATION_BY_EMAIL_SENT`)."""
    require(actor, "onboarding.invite", organisation)
    now = now or utcnow()
    role_value = Role(role)
    if role_value not in roles_to_give(actor, organisation):
        raise DomainError(_l("You cannot give this role."), field="role")
    name = (display_name or "").strip()
    if not name:
        raise DomainError(_l("Write the name the person wants to use."), field="display_name")
    if len(name) > Person.display_name.type.length:
        raise DomainError(_l("This name is too long."), field="display_name")
    address = normalise_email(email)
    existing = services.find_by_identifier(address)
    if existing is not None:
        _invite_existing(actor, organisation, existing, address, role_value, now)
        return
    lifetime = timedelta(hours=current_app.config["INVITATION_LINK_HOURS"])
    link, token = _new_link(
        LinkPurpose.INVITATION,
        address,
        lifetime,
        now,
        display_name=name,
        organisation_id=organisation.id,
        role=role_value,
        invited_by_id=actor.id,
    )
    # No address nor name in the log: identifiers and states only.
    audit.record(
        actor,
        "account_link.invitation_sent",
        link,
        organisation_id=organisation.id,
        role=role_value.value,
    )
    _mail_invitation(address, actor, organisation, role_value, token, link.expires_at)


def _invite_existing(
    actor: Person,
    organisation: Organisation,
    person: Person,
    address: str,
    role: Role,
    now: datetime,
) -> None:
    """The existing flow: a pending membership invitation the person answers at home."""
    if not person.is_active or person.closed_at is not None:
        return
    earlier = db.session.scalar(
        select(MembershipInvitation.id).where(
            MembershipInvitation.organisation_id == organisation.id,
            MembershipInvitation.identifier == address,
            MembershipInvitation.role == role,
            MembershipInvitation.accepted.is_not(True),
        )
    )
    if earlier is not None or has_role(person, role, organisation):
        return
    invitation = MembershipInvitation(
        organisation_id=organisation.id,
        identifier=address,
        person_id=person.id,
        role=role,
        invited_by_id=actor.id,
        created_at=now,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        actor, "membership.invited", invitation, organisation_id=organisation.id, role=role.value
    )
    services._tell_invited(person, organisation, role)  # noqa: SLF001 - the same notice


def _mail_invitation(
    address: str,
    actor: Person,
    organisation: Organisation,
    role: Role,
    token: str,
    expires_at: datetime,
) -> None:
    from app.core import formatting

    url = external_url("accounts.activate", token=token)
    _mail(
        address,
        lambda: _("%(org)s invites you to Parole", org=organisation.name),
        lambda: _(
            "Hello,\n\n%(name)s, of %(org)s, invites you to Parole as: %(role)s.\n\n"
            "Parole is a website. You can give your opinion and follow what concerns you.\n\n"
            "To join, open this link and choose a password:\n%(url)s\n\n"
            "The link works once, until %(when)s.\n\n"
            "If you do not know %(org)s, do nothing: no account is made.",
            name=actor.display_name,
            org=organisation.name,
            role=role.label,
            url=url,
            when=formatting.date_time(expires_at),
        ),
    )


def activate(token: str | None, password: str, now: datetime | None = None) -> Person:
    """The person chooses a password from the invitation link: the account is made with the
    role (or, for a first administrator, the password is set). Returns the person, to log
    in. Used once, even when sent twice at once."""
    now = now or utcnow()
    _check_password(password)
    link = _use_link(token, LinkPurpose.INVITATION, now)
    if link.person_id is not None:
        person = db.session.get(Person, link.person_id)
        if person is None or not person.is_active:
            raise LinkProblem(LinkState.FORGED)
    else:
        taken = db.session.scalar(select(Person.id).where(func.lower(Person.email) == link.email))
        if taken is not None:
            # The address got an account meanwhile: log in with it, no second account.
            raise LinkProblem(LinkState.USED, link)
        person = Person(
            display_name=link.display_name or link.email.split("@")[0],
            email=link.email,
            secret_hash="",
        )
        db.session.add(person)
        db.session.flush()
        if link.organisation_id is not None and link.role is not None:
            db.session.add(
                Membership(
                    person_id=person.id, organisation_id=link.organisation_id, role=link.role
                )
            )
    person.secret_hash = services.hash_secret(password)
    person.must_choose_code = False
    person.secret_changed_at = now
    db.session.flush()
    db.session.refresh(person, ["memberships"])
    audit.record(person, "account_link.activated", link, organisation_id=link.organisation_id)
    return person


def ask_new_invitation(token: str | None, now: datetime | None = None) -> None:
    """From an expired invitation: the inviter is told the person asks for a new link (once
    per link). Nothing is said of who asked beyond the name the inviter typed."""
    now = now or utcnow()
    try:
        read_link(token, LinkPurpose.INVITATION, now)
    except LinkProblem as problem:
        link = problem.link
        if problem.state is not LinkState.EXPIRED or link is None:
            raise
    else:
        return  # still valid: nothing to ask
    link = db.lock(link)
    if link.renewal_asked_at is not None or link.invited_by is None:
        return
    link.renewal_asked_at = now
    inviter, organisation = link.invited_by, link.organisation
    org_name = organisation.name if organisation else ""
    _mail(
        inviter,
        lambda: _("A new invitation link is asked for"),
        lambda: _(
            "%(name)s did not use the link to join %(org)s in time. "
            "They ask you for a new one. Invite them again from Parole: %(url)s",
            name=link.display_name or "",
            org=org_name,
            url=external_url("accounts.invite"),
        ),
    )
    audit.record(inviter, "account_link.renewal_asked", link)


def create_platform_admin(email: str, display_name: str | None = None) -> str:
    """`flask accounts create-admin EMAIL`: a platform administrator with no password yet,
    and the activation link (returned, printed once) to choose it."""
    address = normalise_email(email)
    if services.find_by_identifier(address) is not None:
        raise DomainError(_l("An account already has this e-mail address."), field="email")
    person = Person(
        display_name=(display_name or address.split("@")[0])[:120],
        email=address,
        # No password works until one is chosen from the link.
        secret_hash=services.hash_secret(secrets.token_urlsafe(32)),
        is_platform_admin=True,
    )
    db.session.add(person)
    db.session.flush()
    now = utcnow()
    lifetime = timedelta(hours=current_app.config["INVITATION_LINK_HOURS"])
    link, token = _new_link(LinkPurpose.INVITATION, address, lifetime, now, person_id=person.id)
    audit.record(None, "account_link.platform_admin_created", link)
    return external_url("accounts.activate", token=token)


# --- "Forgot your password?" -------------------------------------------------------------

RESET_REQUESTED = _l("If this address is known, a message has been sent. Look in your e-mails.")


@dataclass(frozen=True)
class ResetRequest:
    """What `request_reset` did; the page shows the same thing either way."""

    sent: bool


def request_reset(
    email: str, client: services.LoginClient | None = None, now: datetime | None = None
) -> ResetRequest:
    """Mail a reset link when the address has an account with a password. The answer, and
    the work done (one scrypt hash), are the same whether or not it does; requests count in
    the login throttle like failed logins, under their own keys."""
    now = now or utcnow()
    value = services.normalise_identifier(email)
    keys = services._throttle_keys("reset\0" + value, client or services.LoginClient())  # noqa: SLF001
    rows = services._throttle_rows(keys)  # noqa: SLF001
    wait = services._seconds_to_wait(rows, keys, now)  # noqa: SLF001
    if wait:
        raise services._wait_message(wait)  # noqa: SLF001
    services._register_failure(keys, now)  # noqa: SLF001 - each request counts
    person = services.find_by_identifier(value) if "@" in value else None
    if person is not None and (not person.is_active or person.closed_at or not person.email):
        person = None
    # The same hash work on both paths, so the time taken tells nothing.
    check_password_hash(person.secret_hash if person else services._DUMMY_HASH, value)  # noqa: SLF001
    if person is None:
        return ResetRequest(sent=False)
    minutes = current_app.config["RESET_LINK_MINUTES"]
    link, token = _new_link(
        LinkPurpose.RESET, value, timedelta(minutes=minutes), now, person_id=person.id
    )
    audit.record(None, "account_link.reset_sent", link)
    url = external_url("accounts.reset_password", token=token)
    _mail(
        person,
        lambda: _("Choose a new password for Parole"),
        lambda: _(
            "Hello,\n\nSomeone asked to change the password of your Parole account.\n\n"
            "To choose a new password, open this link:\n%(url)s\n\n"
            "The link works once, for %(minutes)s minutes.\n\n"
            "If you did not ask, do nothing: your password stays the same.",
            url=url,
            minutes=minutes,
        ),
    )
    return ResetRequest(sent=True)


def reset_password(token: str | None, password: str, now: datetime | None = None) -> Person:
    """Set the new password from a reset link; every login of the person ends (a copied
    cookie too), and the person is told by e-mail."""
    now = now or utcnow()
    _check_password(password)
    link = _use_link(token, LinkPurpose.RESET, now)
    person = db.session.get(Person, link.person_id) if link.person_id else None
    if person is None or not person.is_active:
        raise LinkProblem(LinkState.FORGED)
    person = db.lock(person)
    person.secret_hash = services.hash_secret(password)
    person.must_choose_code = False
    person.secret_changed_at = now
    services.revoke_sessions(person, now)
    audit.record(person, "person.password_reset", person)
    _mail(
        person,
        lambda: _("Your Parole password was changed"),
        lambda: _(
            "Hello,\n\nThe password of your Parole account was changed with the link sent "
            "by e-mail. You are logged out everywhere.\n\n"
            "If you did not do it, tell your facilitator or write to the team at once."
        ),
    )
    db.session.flush()
    return person


# --- the participants page ---------------------------------------------------------------

PEOPLE_PER_PAGE = 50


@dataclass(frozen=True)
class PeoplePage:
    people: list[Person]
    total: int
    page: int
    pages: int


def people_page(actor: Person, search: str = "", page: int = 1) -> PeoplePage:
    """The participants page: the participants a facilitator acts for (their accounts held
    by the facilitator's organisations) and, for an administrator, everyone with a role in
    their organisations; by name, PEOPLE_PER_PAGE a page, searched by name."""
    require(actor, "participants.access")
    facilitated = [m.organisation_id for m in actor.memberships if m.role == Role.FACILITATOR]
    administered = [m.organisation_id for m in actor.memberships if m.role == Role.ADMIN]
    held = select(Membership.person_id).where(
        Membership.organisation_id.in_(facilitated),
        Membership.role == Role.PARTICIPANT,
        Membership.organisation_id
        == select(Person.holder_organisation_id)
        .where(Person.id == Membership.person_id)
        .scalar_subquery(),
    )
    members = select(Membership.person_id).where(Membership.organisation_id.in_(administered))
    query = select(Person).where(
        Person.id != actor.id,
        Person.closed_at.is_(None),
        Person.id.in_(held) | Person.id.in_(members),
    )
    words = (search or "").strip()[:120]
    if words:
        escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Person.display_name).like(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PEOPLE_PER_PAGE))
    page = min(max(1, page), pages)
    people = list(
        db.session.scalars(
            query.order_by(func.lower(Person.display_name), Person.id)
            .limit(PEOPLE_PER_PAGE)
            .offset((page - 1) * PEOPLE_PER_PAGE)
        )
    )
    return PeoplePage(people, total, page, pages)


def organisations_for_cards(actor: Person) -> list[Organisation]:
    """Where the actor may make a card account: as a facilitator or an administrator."""
    seen: dict[int, Organisation] = {}
    for membership in actor.memberships:
        if membership.role in (Role.FACILITATOR, Role.ADMIN):
            seen.setdefault(membership.organisation_id, membership.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


# --- an e-mail address added to a card account -------------------------------------------

EMAIL_LINK_SENT = _l(
    "A message has been sent to this address. Open the link in it to confirm. "
    "Until then, nothing changes."
)


def request_email(actor: Person, person: Person, email: str, now: datetime | None = None) -> None:
    """The person with a card account, or a facilitator of the organisation that holds it,
    types an e-mail address: a confirmation link is mailed to it, and the address is set only
    once the link is opened. The identifier and the code keep working; the address then logs
    in with the same code. An address that already has an account gets a message saying so,
    and the answer here is the same (`EMAIL_LINK_SENT`)."""
    if person.id != actor.id:
        require(actor, "person.act_for", person)
    if not person.uses_code:
        raise DomainError(_l("This account already logs in with an e-mail address."))
    now = now or utcnow()
    address = normalise_email(email)
    lifetime = timedelta(hours=current_app.config["INVITATION_LINK_HOURS"])
    if services.find_by_identifier(address) is not None:
        _mail(
            address,
            lambda: _("Your address on Parole"),
            lambda: _(
                "Hello,\n\nSomeone asked to add this e-mail address to a Parole account. "
                "It already belongs to an account on Parole, so nothing changed.\n\n"
                "If you forgot your password: %(url)s",
                url=external_url("accounts.forgotten_password"),
            ),
        )
        return
    link, token = _new_link(LinkPurpose.EMAIL, address, lifetime, now, person_id=person.id)
    audit.record(actor, "account_link.email_sent", link)
    with force_locale(person.language.value):
        outbox.queue_mail(
            address,
            _("Confirm your e-mail address for Parole"),
            _(
                "Hello %(name)s,\n\nTo use this address with your Parole account, "
                "open this link and press the button:\n%(url)s\n\n"
                "Then you can log in with this address or with your identifier, "
                "and the same code.\n\nIf you did not ask, do nothing.",
                name=person.display_name,
                url=external_url("accounts.confirm_email", token=token),
            ),
        )


def confirm_email(token: str | None, now: datetime | None = None) -> Person:
    """The link from the mail: the address becomes the person's (once; not if another
    account took it meanwhile)."""
    now = now or utcnow()
    link = _use_link(token, LinkPurpose.EMAIL, now)
    person = db.session.get(Person, link.person_id) if link.person_id else None
    if person is None or not person.is_active or person.closed_at is not None:
        raise LinkProblem(LinkState.FORGED)
    person = db.lock(person)
    taken = db.session.scalar(
        select(Person.id).where(func.lower(Person.email) == link.email, Person.id != person.id)
    )
    if taken is not None:
        raise LinkProblem(LinkState.USED, link)
    person.email = link.email
    db.session.flush()
    audit.record(person, "person.email_confirmed", person)
    return person


# --- many invitations at once: a CSV file -------------------------------------------------

IMPORT_MAX_LINES = 500
IMPORT_MAX_BYTES = 512 * 1024
# What a spreadsheet may hold in the "role" column, in lower case: the stored values, and the
# words people write in French and English.
_ROLE_WORDS = {
    **{role.value: role for role in Role},
    "": Role.PARTICIPANT,
    "personne accompagnée": Role.PARTICIPANT,
    "personne accompagnee": Role.PARTICIPANT,
    "accompanied person": Role.PARTICIPANT,
    "animateur": Role.FACILITATOR,
    "animatrice": Role.FACILITATOR,
    "animateur ou animatrice": Role.FACILITATOR,
    "modérateur": Role.MODERATOR,
    "moderateur": Role.MODERATOR,
    "modératrice": Role.MODERATOR,
    "administrateur": Role.ADMIN,
    "administratrice": Role.ADMIN,
    "administrator": Role.ADMIN,
    "finances": Role.FINANCE,
    "formation": Role.INSTITUTE_STAFF,
}
_HEADER_WORDS = {"nom", "name", "e-mail", "email", "mail", "adresse", "rôle", "role"}


@dataclass(frozen=True)
class ImportLine:
    number: int  # the line in the file, as a spreadsheet numbers it
    name: str
    email: str
    role: Role | None
    error: object | None = None


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else Windows-1252 / Latin-1 (Excel in France)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_import(actor: Person, organisation: Organisation, raw: bytes) -> list[ImportLine]:
    """Read a file of people to invite (name, e-mail, role; comma or semicolon; a header line
    or not) and check each line. Nothing is written: the preview shows every line with its
    error, and only `confirm_import` invites."""
    import csv
    import io

    require(actor, "onboarding.invite", organisation)
    if len(raw) > IMPORT_MAX_BYTES:
        raise DomainError(_l("This file is too big. Send at most 500 lines."), field="file")
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    allowed = roles_to_give(actor, organisation)
    lines: list[ImportLine] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        cells = [unicodedata.normalize("NFKC", c).strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and {c.casefold() for c in cells} & _HEADER_WORDS:
            continue
        name, email, role_word = (cells + ["", "", ""])[:3]
        role = _ROLE_WORDS.get(role_word.casefold())
        error: object | None = None
        address = email
        if not name:
            error = _l("The name is missing.")
        elif len(name) > Person.display_name.type.length:
            error = _l("This name is too long.")
        else:
            try:
                address = normalise_email(email)
            except DomainError as exc:
                error = exc.message
        if error is None and role is None:
            error = _l("This role is unknown. Write for example: participant, animateur.")
        elif error is None and role not in allowed:
            error = _l("You cannot give this role.")
        elif error is None and address in seen:
            error = _l("This address is already on an earlier line.")
        if error is None:
            seen.add(address)
        lines.append(ImportLine(number, name[:120], address[:254], role, error))
        if len(lines) > IMPORT_MAX_LINES:
            raise DomainError(_l("This file is too big. Send at most 500 lines."), field="file")
    if not lines:
        raise DomainError(_l("This file has no line to read."), field="file")
    return lines


def confirm_import(
    actor: Person, organisation: Organisation, lines: list[ImportLine], now: datetime | None = None
) -> int:
    """Invite every line without an error. Confirming twice (two tabs, a double click) acts
    once: the organisation is locked first, and a line already invited from this file (the
    same address, role and organisation, a link still valid and unused) is left alone.
    Returns the number of invitations made now."""
    now = now or utcnow()
    organisation = db.lock(organisation)
    made = 0
    for line in lines:
        if line.error is not None or line.role is None:
            continue
        waiting = db.session.scalar(
            select(AccountLink.id).where(
                AccountLink.purpose == LinkPurpose.INVITATION,
                AccountLink.organisation_id == organisation.id,
                AccountLink.email == line.email,
                AccountLink.role == line.role,
                AccountLink.used_at.is_(None),
                AccountLink.expires_at > now,
            )
        )
        if waiting is not None:
            continue
        invite_by_email(actor, organisation, line.email, line.name, line.role.value, now)
        made += 1
    audit.record(actor, "account_link.import_confirmed", organisation, count=made)
    return made
