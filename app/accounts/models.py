"""People, organisations and memberships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.personal import ANONYMOUS_NAME, CLOSED_SECRET, personal
from app.core.provenance import AssistedEntryMixin
from app.db import Base, StrEnumType, UTCDateTime, utcnow


class OrganisationKind(StrEnum):
    CRPA = "crpa"
    ASSOCIATION = "association"
    DEPARTEMENT = "departement"
    CCAS = "ccas"
    LOCAL_COMMITTEE = "local_committee"
    TRAINING_INSTITUTE = "training_institute"

    @property
    def label(self) -> str:
        return str(ORGANISATION_KIND_LABELS[self])


ORGANISATION_KIND_LABELS = {
    OrganisationKind.CRPA: _l("Regional council of accompanied persons (CRPA)"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.DEPARTEMENT: _l("Département"),
    OrganisationKind.CCAS: _l("Municipal social action centre (CCAS)"),
    OrganisationKind.LOCAL_COMMITTEE: _l("Local committee for social work"),
    OrganisationKind.TRAINING_INSTITUTE: _l("Training institute"),
}


class Role(StrEnum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    INSTITUTE_STAFF = "institute_staff"
    MODERATOR = "moderator"
    FINANCE = "finance"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.PARTICIPANT: _l("Accompanied person"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.INSTITUTE_STAFF: _l("Training institute staff"),
    Role.MODERATOR: _l("Moderator"),
    Role.FINANCE: _l("Finance: reviews and pays the costs"),
    Role.ADMIN: _l("Organisation administrator"),
}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(StrEnumType(OrganisationKind, 32))
    # Organisations that speak for accompanied persons are kept apart from the persons
    # themselves (HCTS recommendation 2): a membership says who a person is, an
    # association is an organisation, never a participant.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    invitation_notice_days: Mapped[int] = mapped_column(Integer, default=7)
    # Retention: people without any contact for this many months are erased by `flask data
    # purge` (CNIL's guidance for the social sector: 2 years after the last contact).
    retention_months: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # The address of its public page (/public/<slug>), made the first time it shows a round
    # there (app/consultations/public.py); it never changes, so links stay good.
    public_slug: Mapped[str | None] = mapped_column(String(80), unique=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Membership.id"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind}>"


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class Person(AssistedEntryMixin, Base):
    """Anyone with an account. Either an e-mail (with a password) or an identifier
    (with a code) for people without e-mail; both secrets are hashed with scrypt."""

    __tablename__ = "people"
    personal_rows: ClassVar[str] = "id = :pid"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120), info=personal(ANONYMOUS_NAME))
    email: Mapped[str | None] = mapped_column(String(254), unique=True, info=personal())
    login_identifier: Mapped[str | None] = mapped_column(String(16), unique=True, info=personal())
    secret_hash: Mapped[str] = mapped_column(String(256), info=personal(CLOSED_SECRET))
    must_choose_code: Mapped[bool] = mapped_column(Boolean, default=False)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    secret_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the account is closed (by the person, an administrator or the retention purge).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # The organisation that holds the account: its facilitators (and only they) may act for
    # the person (see `person.act_for`). Set for accounts made with help, and when a person
    # accepts a participant role and agrees that this organisation's facilitators help them.
    holder_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )

    # How the person wants to be told (see app/accounts/contact.py): "email", "sms", "phone",
    # "facilitator" (their facilitator tells them: the "À prévenir" list) or "" (not said).
    contact_channel: Mapped[str] = mapped_column(
        String(16), default="", server_default="", info=personal("")
    )
    # Optional, in the international form (E.164: "+33612345678"), for text messages and calls.
    phone: Mapped[str | None] = mapped_column(String(16), info=personal())

    # Preferences, applied by CSS classes.
    language: Mapped[Language] = mapped_column(StrEnumType(Language, 2), default=Language.FR)
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        foreign_keys="Membership.person_id",
        order_by="Membership.id",
    )
    holder_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[holder_organisation_id]
    )
    # Assisted account creation (AssistedEntryMixin): who created it, with what consent.
    entered_by: Mapped[Person | None] = relationship(
        remote_side=[id], foreign_keys="Person.entered_by_id"
    )

    @property
    def uses_code(self) -> bool:
        return self.login_identifier is not None

    # The three members Flask-Login expects (is_active is the column above).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("person_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class MembershipInvitation(Base):
    """A role offered by an organisation's administrator. No `Membership` exists until the
    person accepts (themselves, or through a facilitator of the organisation that holds their
    account, with a consent note). `person_id` is empty when nobody has the identifier typed:
    the administrator sees the same pending line either way."""

    __tablename__ = "membership_invitations"
    personal_rows: ClassVar[str] = "person_id = :pid OR lower(identifier) = lower(:email)"
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # What the administrator typed, normalised; shown to them while the invitation waits.
    identifier: Mapped[str] = mapped_column(String(254), info=personal(""))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 24))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    # Who answered: the person, or the facilitator who noted their answer (with the note).
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    consent_note: Mapped[str | None] = mapped_column(Text, info=personal())

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])

    @property
    def pending(self) -> bool:
        return self.answered_at is None


class LoginSession(Base):
    """A server-side login. The browser cookie only holds `token`; logging out or changing
    a secret revokes rows here, so a copied cookie stops working at once."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the login was last used, noted at most once every SESSION_TOUCH_MINUTES (not a
    # write per page): a login unused for SESSION_IDLE_DAYS ends.
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()


class LoginThrottle(Base):
    """Counted failed logins, whether or not an account exists, so that unknown and known
    identifiers get the same answers. One row per key (a keyed hash, never the identifier
    nor the address): an identifier from one client, a client across identifiers, or an
    identifier across clients (see `app.accounts.services`, "throttling")."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Start of the counting window, for the keys counted per hour or per day.
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsentKind(StrEnum):
    """What a person can agree to, and take back, from "My data"."""

    ASSISTED_ENTRY = "assisted_entry"
    QUOTED = "quoted"
    PHOTOS = "photos"
    PROOFREADER_NAME = "proofreader_name"

    @property
    def label(self) -> str:
        return str(CONSENT_LABELS[self])


CONSENT_LABELS = {
    ConsentKind.ASSISTED_ENTRY: _l("A facilitator may fill in answers and requests with me"),
    ConsentKind.QUOTED: _l("My words may be quoted, without my name, when we tell what was done"),
    ConsentKind.PHOTOS: _l("Photos where I can be seen may be used by my organisations"),
    ConsentKind.PROOFREADER_NAME: _l("My name may be shown as a proofreader of easy-to-read texts"),
}


class Consent(Base):
    """One agreement: given (by the person, or noted by the facilitator who helps them) and
    perhaps taken back. The latest record of a kind is the one that counts."""

    __tablename__ = "consents"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(StrEnumType(ConsentKind, 24))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text, info=personal())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Erasure(Base):
    """The id of a person whose data was erased. Kept without a foreign key on purpose:
    after a backup made before the erasure is restored, `flask data reapply-erasures`
    erases these people again."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, unique=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(String(16))  # "closed", "admin" or "retention"


class DataExportLink(Base):
    """A link to download one's data, valid 7 days, only for the person once logged in.
    Only a hash of the token is stored."""

    __tablename__ = "data_export_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LinkPurpose(StrEnum):
    INVITATION = "invitation"  # choose a password: a new account, or one made by `create-admin`
    RESET = "reset"  # choose a new password after "Forgot your password?"
    EMAIL = "email"  # confirm an e-mail address added to a card account


class AccountLink(Base):
    """A single-use link mailed to a person: an invitation to open an account (by e-mail,
    from an organisation's administrator or facilitator) or a password reset. Only a hash of
    the token is stored; the link ends at `expires_at` or once used."""

    __tablename__ = "account_links"
    personal_rows: ClassVar[str] = "person_id = :pid OR lower(email) = lower(:email)"
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(StrEnumType(LinkPurpose, 16))
    email: Mapped[str] = mapped_column(String(254), info=personal(""))
    display_name: Mapped[str | None] = mapped_column(String(120), info=personal())
    # The account the link is for (a reset, a first administrator); empty for an invitation:
    # the account is made when the person chooses a password.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role | None] = mapped_column(StrEnumType(Role, 24))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An expired invitation: when the person asked the inviter for a new one (once).
    renewal_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[Person | None] = relationship(foreign_keys=[invited_by_id])


class ToTellItem(Base):
    """Something to pass on to a person who chose to be told by their facilitator: one row per
    notification they get, on the list of their holder organisation's facilitators ("À
    prévenir"). `done_by_id` and `done_at` say who passed it on and when (as for an assisted
    entry); the person's words stay in their notification, the row only points to it."""

    __tablename__ = "to_tell_items"
    personal_rows: ClassVar[str] = "person_id = :pid"
    personal_erase: ClassVar[str] = "delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What to tell them: the notification's short text, in the person's language.
    text: Mapped[str] = mapped_column(String(400), info=personal(""))
    link: Mapped[str] = mapped_column(String(300), default="")
    # By when, when the notification has a deadline (a closing date, an offer's expiry).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    done_by: Mapped[Person | None] = relationship(foreign_keys=[done_by_id])
