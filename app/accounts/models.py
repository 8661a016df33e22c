"""People, organisations and memberships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
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

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    login_identifier: Mapped[str | None] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(256))
    must_choose_code: Mapped[bool] = mapped_column(Boolean, default=False)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    secret_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Preferences, applied by CSS classes.
    language: Mapped[Language] = mapped_column(StrEnumType(Language, 2), default=Language.FR)
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", cascade="all, delete-orphan", foreign_keys="Membership.person_id"
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


class LoginSession(Base):
    """A server-side login. The browser cookie only holds `token`; logging out or changing
    a secret revokes rows here, so a copied cookie stops working at once."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()


class LoginThrottle(Base):
    """Failed logins per identifier (hashed), whether or not an account exists,
    so that unknown and known identifiers get the same answers."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
