"""What Parole holds about a person: reading it, downloading it, agreements, closing the
account, and the retention purge.

Erasure is driven by the columns tagged `personal` (app/core/personal.py): closing an account
blanks or deletes every one of them for this person's rows, keeps contributions (answers,
comments, feedback) under "Personne anonyme" and accounting records (paid and pending costs)
pseudonymised. The ids of erased people are kept in `erasures`.

Accounts sits below the other domains and imports none of them. Each domain tells this
module what it holds about a person with one `PersonalDataProvider`, registered from its
`init_app` (`app/<domain>/personal_data.py`): its sections of the export and their words,
the files of the download, its lines of the journal, what stops an account closing, its
steps of the erasure, its last contact with the person and its steps of the retention purge.
Every section and step carries an `order` number, so the export's keys and the steps run in
the same order whatever order the domains register in. The numbers used today:

    export sections   person 10, memberships 20, agreements 30, consultation_answers 40,
                      comments 50, evaluations 60, costs_and_pay 70, bank_account 80,
                      co_training_signups 90, co_trainer_profile 100, co_training_feedback
                      110, proofreading 120, moderation 130, consultation_invitations 140,
                      role_invitations 150, notifications 160, logins 170,
                      download_links 180, journal 1000 (always last)
    closing blockers  last administrator 10, money on its way 20
    erasure steps     held co-training places 10, requests never sent 20, answers never
                      sent 30; then this module ends sessions and links and erases every
                      tagged column
    purge steps       (after the people) audit_entries 10, login_sessions 20,
                      login_throttles 30, mails 40, notifications 50, export_links 60,
                      form_keys 70, draft_requests 80, receipts 90
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash

from app import db
from app.accounts.models import (
    Consent,
    ConsentKind,
    DataExportLink,
    Erasure,
    LoginSession,
    LoginThrottle,
    Membership,
    MembershipInvitation,
    Organisation,
    Person,
    Role,
)
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.models import (
    AuditEntry,
    IdempotencyKey,
    Notification,
    OutboxMessage,
    OutboxStatus,
)
from app.core.permissions import require
from app.core.personal import ANONYMOUS_NAME, erase_person
from app.db import utcnow

EXPORT_LINK_DAYS = 7
DEFAULT_RETENTION_MONTHS = 24  # CNIL, social sector: 2 years after the last contact
LOG_RETENTION_MONTHS = 12  # audit entries, login sessions, sent mails, read notifications
SELF_GIVEN = (ConsentKind.QUOTED, ConsentKind.PHOTOS)


def in_months(n: int) -> timedelta:
    """About n months, for retention times."""
    return timedelta(days=round(n * 30.44))


# --- what each domain declares -----------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A key of the export (of "My data") and how to make its value for a person."""

    key: str
    order: int
    build: Callable[[Person], Any]


@dataclass(frozen=True)
class Step:
    """A closing blocker (`run(person)` returns the reasons, in words for the person) or an
    erasure step (`run(person, closed)`, before the tagged columns are erased)."""

    order: int
    run: Callable[..., Any]


@dataclass(frozen=True)
class PurgeStep:
    """A kind of row the retention purge deletes. `count(now)` says how many would go (dry
    run); `apply(now, batch)` deletes at most `batch` of them and says how many it deleted
    (0 when none is left). `line` is the report's line for operators and the journal."""

    name: str
    order: int
    line: str
    count: Callable[[datetime], int]
    apply: Callable[[datetime, int], int]


@dataclass(frozen=True)
class PersonalDataProvider:
    """What one domain holds about a person, and what it does when the person leaves.

    `exported` maps each column pointing to a person ("table.column", a foreign key to
    people.id) to the key of the export that shows its rows; `deleted_at_closure` lists the
    columns whose rows go when the account closes. A test walks the models: a column to a
    person that no provider declares, and that is not a listed exception, fails it."""

    domain: str
    sections: Sequence[Section] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    exported: Mapping[str, str] = field(default_factory=dict)
    deleted_at_closure: Sequence[str] = ()
    # (audit object type, ids): entries about these records belong to the person's journal
    journal: Callable[[Person], Iterable[tuple[str, Sequence[int]]]] | None = None
    # (name in the download, how to find the file): the person's files in the download
    archive_files: Callable[[Person], Iterable[tuple[str, Callable[[], Path]]]] | None = None
    blockers: Sequence[Step] = ()
    erasure: Sequence[Step] = ()
    last_contact: Callable[[Person], datetime | None] | None = None
    purge: Sequence[PurgeStep] = ()
    consent_withdrawn: Callable[[Person, ConsentKind], None] | None = None


_providers: dict[str, PersonalDataProvider] = {}

# Words for the keys of the export, for the page that shows it to people. Each provider adds
# the words of its own keys; a key has words from one provider only.
EXPORT_LABELS: dict[str, Any] = {}


def register(provider: PersonalDataProvider) -> None:
    """Add (or, for the same domain, replace) a domain's provider. An order number or a key
    of the export already used by another domain is a mistake: refused."""
    others = [p for p in _providers.values() if p.domain != provider.domain]
    for kind in ("sections", "blockers", "erasure", "purge"):
        taken = {s.order for p in others for s in getattr(p, kind)}
        mine = [s.order for s in getattr(provider, kind)]
        clash = taken.intersection(mine) or {o for o in mine if mine.count(o) > 1}
        if clash:
            raise ValueError(f"{provider.domain}: {kind} order {sorted(clash)} used twice")
    keys = {s.key for p in others for s in p.sections} | {s.name for p in others for s in p.purge}
    labelled = {key for p in others for key in p.labels}
    mine_keys = [s.key for s in provider.sections] + [s.name for s in provider.purge]
    if keys.intersection(mine_keys) or labelled.intersection(provider.labels):
        clash = keys.intersection(mine_keys) | labelled.intersection(provider.labels)
        raise ValueError(f"{provider.domain}: {sorted(clash)} already declared by another domain")
    old = _providers.get(provider.domain)
    for key in old.labels if old else ():
        EXPORT_LABELS.pop(key, None)
    _providers[provider.domain] = provider
    EXPORT_LABELS.update(provider.labels)


def providers() -> list[PersonalDataProvider]:
    return list(_providers.values())


def _in_order(kind: str) -> list[Any]:
    return sorted((s for p in _providers.values() for s in getattr(p, kind)), key=lambda s: s.order)


def exported_columns() -> dict[str, str]:
    """Every column to a person that the export shows, with its key in the export."""
    return {column: key for p in _providers.values() for column, key in p.exported.items()}


def columns_deleted_at_closure() -> set[str]:
    return {column for p in _providers.values() for column in p.deleted_at_closure}


# --- agreements ------------------------------------------------------------------------------


def consents_of(person: Person) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.person_id == person.id)
            .order_by(Consent.given_at.desc(), Consent.id.desc())
        )
    )


def current_consent(person: Person, kind: ConsentKind) -> Consent | None:
    """The latest record of this kind (given or taken back), or None."""
    return db.session.scalar(
        select(Consent)
        .where(Consent.person_id == person.id, Consent.kind == kind)
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )


def has_consent(person: Person, kind: ConsentKind) -> bool:
    record = current_consent(person, kind)
    return record is not None and record.active


def give_consent(
    actor: Person, person: Person, kind: ConsentKind, note: str | None = None
) -> Consent:
    """The person agrees (from "My data"), or a facilitator notes how they agreed (assisted
    entry). Once the person has taken an agreement back, only they can give it again."""
    person = db.lock(person)  # given twice at once: the second finds the first's agreement
    given = current_consent(person, kind)
    if actor.id == person.id and given is not None and given.active:
        return given  # given already (from another tab): nothing to record
    if actor.id != person.id:
        require(actor, "person.act_for", person)
        record = current_consent(person, kind)
        if record is not None and not record.active and record.withdrawn_by_id == person.id:
            raise DomainError(
                _l(
                    "%(name)s has taken back this agreement: %(what)s. Only they can give it "
                    'again, on their page "My data".',
                    name=person.display_name,
                    what=kind.label,
                ),
                field="consent_note",
            )
    consent = Consent(
        person_id=person.id,
        kind=kind,
        recorded_by_id=None if actor.id == person.id else actor.id,
        note=note,
    )
    db.session.add(consent)
    audit.record(actor, "consent.given", consent, kind=kind, person_id=person.id)
    db.session.flush()
    return consent


def ensure_assisted_entry_consent(actor: Person, person: Person, note: str) -> None:
    """Called by every assisted entry (app.core.provenance.assisted_entry)."""
    if not has_consent(person, ConsentKind.ASSISTED_ENTRY):
        give_consent(actor, person, ConsentKind.ASSISTED_ENTRY, note)


def withdraw_consent(actor: Person, person: Person, kind: ConsentKind) -> None:
    """Taking an agreement back: at any time, without a reason, from "My data"."""
    person = db.lock(person)  # taken back twice at once: the second finds it taken back
    if actor.id != person.id:
        require(actor, "person.act_for", person)
    record = current_consent(person, kind)
    if record is None or not record.active:
        raise DomainError(_l("You had not given this agreement."))
    record.withdrawn_at = utcnow()
    record.withdrawn_by_id = actor.id
    for provider in _providers.values():
        if provider.consent_withdrawn is not None:
            provider.consent_withdrawn(person, kind)
    audit.record(actor, "consent.withdrawn", record, kind=kind, person_id=person.id)
    db.session.flush()


# --- reading and downloading -------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def money_text(value: Any) -> str | None:
    return str(value) if value is not None else None


def rows(stmt: Any) -> list[Any]:
    return list(db.session.scalars(stmt))


def export_person_data(person: Person) -> dict[str, Any]:
    """Everything Parole holds about a person, for "My data" and its download: each
    domain's sections, in their order."""
    return {section.key: section.build(person) for section in _in_order("sections")}


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "display_name": person.display_name,
        "email": person.email,
        "login_identifier": person.login_identifier,
        "phone": person.phone,
        "contact_channel": person.contact_channel,
        "created_at": iso(person.created_at),
        "language": str(person.language),
        "easy_read": person.easy_read,
        "high_contrast": person.high_contrast,
        "account_created": person.provenance_export(),
    }


def _memberships(person: Person) -> list[dict[str, Any]]:
    return [
        {"organisation": m.organisation.name, "role": str(m.role), "since": iso(m.created_at)}
        for m in person.memberships
    ]


def _agreements(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "kind": str(c.kind),
            "what": c.kind.label,
            "given_at": iso(c.given_at),
            "noted_by_id": c.recorded_by_id,
            "note": c.note,
            "taken_back_at": iso(c.withdrawn_at),
        }
        for c in consents_of(person)
    ]


def _role_invitations(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "organisation": i.organisation.name if i.organisation else None,
            "role": str(i.role),
            "invited_at": iso(i.created_at),
            "answered_at": iso(i.answered_at),
            "accepted": i.accepted,
            "consent_note": i.consent_note,
        }
        for i in rows(
            select(MembershipInvitation)
            .where(_invitations_of(MembershipInvitation, person))
            .order_by(MembershipInvitation.created_at)
        )
    ]


def _notifications(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "subject": n.subject,
            "text": n.body,
            "at": iso(n.created_at),
            "read_at": iso(n.read_at),
        }
        for n in rows(
            select(Notification)
            .where(Notification.person_id == person.id)
            .order_by(Notification.created_at.desc())
        )
    ]


def _logins(person: Person) -> list[dict[str, Any]]:
    return [
        {"at": iso(s.created_at), "ended_at": iso(s.revoked_at)}
        for s in rows(
            select(LoginSession)
            .where(LoginSession.person_id == person.id)
            .order_by(LoginSession.created_at.desc())
        )
    ]


def _download_links(person: Person) -> list[dict[str, Any]]:
    return [
        {"created_at": iso(link.created_at), "until": iso(link.expires_at)}
        for link in rows(
            select(DataExportLink)
            .where(DataExportLink.person_id == person.id)
            .order_by(DataExportLink.created_at)
        )
    ]


def _invitations_of(model: Any, person: Person) -> Any:
    """Role invitations to this person: by account, or by the identifier typed."""
    typed = [value for value in (person.email, person.login_identifier) if value]
    if not typed:
        return model.person_id == person.id
    return or_(model.person_id == person.id, model.identifier.in_(typed))


def _journal(person: Person) -> list[dict[str, Any]]:
    """The audit entries about the person: what they did, and what was done to their account
    and to the records the domains name (requests, sign-ups). Who did it is said as "you" or
    "someone else", never by name."""
    about = [
        AuditEntry.actor_id == person.id,
        (AuditEntry.object_type == "people") & (AuditEntry.object_id == person.id),
    ]
    for provider in _providers.values():
        for object_type, ids in provider.journal(person) if provider.journal else ():
            about.append(
                (AuditEntry.object_type == object_type) & AuditEntry.object_id.in_(list(ids) or [0])
            )
    return [
        {
            "at": iso(entry.at),
            "event": entry.action,
            "by_you": entry.actor_id == person.id,
            "about": f"{entry.object_type} {entry.object_id}" if entry.object_id else None,
            "details": ", ".join(f"{k}={v}" for k, v in sorted((entry.details or {}).items())),
        }
        for entry in db.session.scalars(
            select(AuditEntry).where(or_(*about)).order_by(AuditEntry.at, AuditEntry.id)
        )
    ]


ARCHIVE_JSON = "parole-mes-donnees.json"
ARCHIVE_PAGE = "mes-donnees.html"


def export_archive(person: Person, data: dict[str, Any], page: str) -> IO[bytes]:
    """The download of "My data": one ZIP file with the data for computers (JSON), the same
    as a page to read or print (`page`, made by the caller from `data`), and the person's
    files (receipts), named as the data says. Returns a file at its start; large archives
    go to a temporary file that disappears when it is closed."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        archive.writestr(ARCHIVE_JSON, text)
        archive.writestr(ARCHIVE_PAGE, page)
        for provider in _providers.values():
            for name, locate in provider.archive_files(person) if provider.archive_files else ():
                try:
                    archive.write(locate(), name)
                except (OSError, ValueError):
                    continue  # a file lost from the disk: the data still lists it
    out.seek(0)
    return out


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_export_link(actor: Person, now: datetime | None = None) -> tuple[str, DataExportLink]:
    """A new download link for the actor's own data, valid 7 days. Returns (token, link)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(24)
    link = DataExportLink(
        token_hash=_token_hash(token),
        person_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=EXPORT_LINK_DAYS),
    )
    db.session.add(link)
    audit.record(actor, "person.data_link_made", link)
    db.session.flush()
    return token, link


class LinkExpired(DomainError):
    status_code = 410


def valid_link(actor: Person, token: str, now: datetime | None = None) -> DataExportLink:
    """The download link behind a token: only for the person who made it, only for 7 days."""
    link = db.session.scalar(
        select(DataExportLink).where(DataExportLink.token_hash == _token_hash(token))
    )
    if link is None or link.person_id != actor.id:
        raise NotFound(_l("This page does not exist."))
    if (now or utcnow()) >= link.expires_at:
        raise LinkExpired(
            _l('This link is more than 7 days old. Make a new one on the page "My data".')
        )
    return link


def active_links(person: Person, now: datetime | None = None) -> list[DataExportLink]:
    return list(
        db.session.scalars(
            select(DataExportLink)
            .where(
                DataExportLink.person_id == person.id, DataExportLink.expires_at > (now or utcnow())
            )
            .order_by(DataExportLink.created_at.desc())
        )
    )


# --- closing an account ------------------------------------------------------------------


def closing_blockers(person: Person) -> list[str]:
    """Why the account cannot be closed yet, in words for the person (empty: it can)."""
    reasons: list[str] = []
    for step in _in_order("blockers"):
        reasons.extend(step.run(person))
    return reasons


def _last_administrator(person: Person) -> list[str]:
    reasons = []
    for membership in person.memberships:
        if membership.role != Role.ADMIN:
            continue
        admins = db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.organisation_id == membership.organisation_id,
                Membership.role == Role.ADMIN,
            )
        )
        if admins <= 1:
            reasons.append(
                str(
                    _l(
                        "You are the only administrator of %(org)s. Name another administrator "
                        "first.",
                        org=membership.organisation.name,
                    )
                )
            )
    return reasons


@dataclass
class Closed:
    person_id: int
    rows: dict[str, int] = field(default_factory=dict)
    files_removed: int = 0


def close_account(
    actor: Person,
    person: Person,
    secret: str | None = None,
    reason: str = "closed",
    now: datetime | None = None,
) -> Closed:
    """Close the account: end every session, erase every personal field, keep what the
    person said as "Personne anonyme" and the accounting records pseudonymised. People
    closing their own account confirm with their password or code."""
    person = db.lock(person)  # closed twice at once: the second finds it closed
    require(actor, "person.close", person)
    if person.closed_at is not None:
        raise DomainError(_l("This account is already closed."))
    if actor.id == person.id and not check_password_hash(person.secret_hash, secret or ""):
        raise DomainError(_l("Your password or code is not right."), field="secret")
    blockers = closing_blockers(person)
    if blockers:
        raise DomainError(blockers[0])
    audit.record(actor, "person.closed", person, reason=reason)
    return _erase(person, reason, now or utcnow())


def _erase(person: Person, reason: str, now: datetime) -> Closed:
    closed = Closed(person.id)
    # Each domain first (places given up, drafts and their files deleted...), in order.
    for step in _in_order("erasure"):
        step.run(person, closed)
    db.session.flush()
    for model in (LoginSession, DataExportLink, Membership, IdempotencyKey):
        db.session.execute(delete(model).where(model.person_id == person.id))
    closed.rows = erase_person(db.session, person.id, person.email)
    db.session.expire(person)
    person.is_active = False
    person.must_choose_code = False
    person.closed_at = now
    if db.session.scalar(select(Erasure).where(Erasure.person_id == person.id)) is None:
        db.session.add(Erasure(person_id=person.id, erased_at=now, reason=reason))
    db.session.flush()
    # Once committed, empty SQLite's write-ahead log: the erased values must not stay there.
    database = db.get_db()
    database.after_commit(database.truncate_log)
    return closed


def reapply_erasures() -> list[int]:
    """After restoring a backup: erase again everyone recorded in `erasures` whose data came
    back. Returns their ids."""
    again = []
    for erasure in db.session.scalars(select(Erasure).order_by(Erasure.id)):
        person = db.session.get(Person, erasure.person_id)
        if person is None or (person.closed_at is not None and _looks_erased(person)):
            continue
        _erase(person, erasure.reason, utcnow())
        again.append(person.id)
    return again


def _looks_erased(person: Person) -> bool:
    return (
        person.display_name == ANONYMOUS_NAME
        and person.email is None
        and person.login_identifier is None
    )


# --- retention ---------------------------------------------------------------------------

RETENTION_RANGE = (6, 120)


def set_retention(actor: Person, organisation: Organisation, months: int) -> None:
    require(actor, "organisation.manage", organisation)
    low, high = RETENTION_RANGE
    if not low <= months <= high:
        raise DomainError(
            _l("Choose between %(low)s and %(high)s months.", low=low, high=high),
            field="retention_months",
        )
    organisation.retention_months = months
    audit.record(actor, "organisation.retention_set", organisation, months=months)
    db.session.flush()


@dataclass
class PurgeReport:
    """What the purge erased (or would erase): the people, then one count per purge step
    (`report.audit_entries`, `report.receipts`...), in the steps' order."""

    applied: bool
    people: list[int] = field(default_factory=list)
    people_kept_for_money: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for step in _in_order("purge"):
            self.counts.setdefault(step.name, 0)

    def __getattr__(self, name: str) -> int:
        counts = self.__dict__.get("counts")
        if counts is not None and name in counts:
            return counts[name]
        raise AttributeError(name)

    def lines(self) -> list[tuple[str, int]]:
        return [
            ("people without contact, erased", len(self.people)),
            (
                "people without contact, kept: costs or pay still handled",
                len(self.people_kept_for_money),
            ),
            *((step.line, self.counts.get(step.name, 0)) for step in _in_order("purge")),
        ]


def last_contact(person: Person) -> datetime:
    """The latest of: account made, and each domain's last contact (a login, an answer
    sent, a cost request, a sign-up)."""
    candidates = [person.created_at] + [
        provider.last_contact(person)
        for provider in _providers.values()
        if provider.last_contact is not None
    ]
    return max(c for c in candidates if c is not None)


def _last_login(person: Person) -> datetime | None:
    return db.session.scalar(
        select(func.max(LoginSession.created_at)).where(LoginSession.person_id == person.id)
    )


def _retention_months(person: Person) -> int:
    chosen = db.session.scalar(
        select(func.max(Organisation.retention_months))
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.person_id == person.id)
    )
    return chosen or DEFAULT_RETENTION_MONTHS


def purge(apply: bool = False, now: datetime | None = None) -> PurgeReport:
    """Apply the retention rules. Without `apply`, only counts what would go. Everything in
    the caller's transaction; `flask data purge` uses `purge_candidates` and `purge_steps`
    instead, for short transactions."""
    report = PurgeReport(applied=apply)
    for report in purge_steps(apply, now):  # noqa: B007 - the last one is the whole report
        pass
    return report


PURGE_BATCH = 50  # people, or rows of a table, per transaction of `flask data purge --apply`


def purge_candidates(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Who the retention rules reach: (people to erase, people kept because costs or pay are
    still handled). Reads only: the caller can run it without the write lock (`read_phase`)."""
    now = now or utcnow()
    erase: list[int] = []
    kept: list[int] = []
    for person in db.session.scalars(
        select(Person).where(Person.closed_at.is_(None), Person.is_platform_admin.is_(False))
    ).all():
        if not _past_retention(person, now):
            continue
        (kept if closing_blockers(person) else erase).append(person.id)
    return erase, kept


def _past_retention(person: Person, now: datetime) -> bool:
    return last_contact(person) < now - in_months(_retention_months(person))


def purge_steps(
    apply: bool = False,
    now: datetime | None = None,
    batch: int = PURGE_BATCH,
    candidates: tuple[list[int], list[int]] | None = None,
) -> Iterator[PurgeReport]:
    """The retention purge one batch at a time: after each batch of changes is flushed, yields
    the report so far, and the caller commits there, so that each batch is its own short
    transaction. Candidates found earlier (outside the write lock) are checked again in
    their batch: someone who came back in between is kept. Then each domain's purge steps,
    in their order, a batch at a time. Without `apply`: counts only, and yields once, at
    the end."""
    now = now or utcnow()
    report = PurgeReport(applied=apply)
    erase, kept = candidates if candidates is not None else purge_candidates(now)
    report.people_kept_for_money = list(kept)

    if not apply:
        report.people = list(erase)
    for start in range(0, len(erase), batch) if apply else ():
        for person_id in erase[start : start + batch]:
            person = db.session.get(Person, person_id)
            if (
                person is None
                or person.closed_at is not None
                or person.is_platform_admin
                or not _past_retention(person, now)
            ):
                continue
            if closing_blockers(person):
                report.people_kept_for_money.append(person.id)
                continue
            report.people.append(person.id)
            audit.record(None, "person.closed", person, reason="retention")
            _erase(person, "retention", now)
        db.session.flush()
        yield report

    for step in _in_order("purge"):
        if not apply:
            report.counts[step.name] += step.count(now) or 0
            continue
        while done := step.apply(now, batch):
            report.counts[step.name] += done
            db.session.flush()
            yield report
    if not apply:
        yield report
        return
    audit.record(None, "data.purged", None, **{k: v for k, v in report.lines()})
    db.session.flush()
    yield report


def sweep(
    name: str, order: int, line: str, model: Any, where: Callable[[datetime], Sequence[Any]]
) -> PurgeStep:
    """A purge step that deletes the rows of `model` matching `where(now)`, by id."""

    def count(now: datetime) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where(now)))

    def apply(now: datetime, batch: int) -> int:
        ids = db.session.scalars(
            select(model.id).where(*where(now)).order_by(model.id).limit(batch)
        ).all()
        if ids:
            db.session.execute(delete(model).where(model.id.in_(ids)))
        return len(ids)

    return PurgeStep(name, order, line, count, apply)


def _logs_before(now: datetime) -> datetime:
    return now - in_months(LOG_RETENTION_MONTHS)


# --- what accounts itself holds ------------------------------------------------------------

register(
    PersonalDataProvider(
        domain="accounts",
        sections=(
            Section("person", 10, _person),
            Section("memberships", 20, _memberships),
            Section("agreements", 30, _agreements),
            Section("role_invitations", 150, _role_invitations),
            Section("notifications", 160, _notifications),
            Section("logins", 170, _logins),
            Section("download_links", 180, _download_links),
            Section("journal", 1000, _journal),
        ),
        exported={
            "audit_entries.actor_id": "journal",
            "consents.person_id": "agreements",
            "data_export_links.person_id": "download_links",
            "login_sessions.person_id": "logins",
            "membership_invitations.person_id": "role_invitations",
            "memberships.person_id": "memberships",
            "notifications.person_id": "notifications",
        },
        deleted_at_closure=(
            "account_links.person_id",  # reset links mailed to them: of no use once closed
            "consents.person_id",
            "data_export_links.person_id",
            "idempotency_keys.person_id",
            "login_sessions.person_id",
            "membership_invitations.person_id",
            "memberships.person_id",
            "notifications.person_id",
            "to_tell_items.person_id",  # what a facilitator was to tell them: in notifications
        ),
        blockers=(Step(10, _last_administrator),),
        last_contact=_last_login,
        purge=(
            sweep(
                "audit_entries",
                10,
                "journal entries older than 12 months",
                AuditEntry,
                lambda now: (AuditEntry.at < _logs_before(now),),
            ),
            sweep(
                "login_sessions",
                20,
                "logins older than 12 months",
                LoginSession,
                lambda now: (LoginSession.created_at < _logs_before(now),),
            ),
            sweep(
                "login_throttles",
                30,
                "failed-login counters older than 12 months",
                LoginThrottle,
                lambda now: (
                    or_(
                        LoginThrottle.last_failure_at.is_(None),
                        LoginThrottle.last_failure_at < _logs_before(now),
                    ),
                ),
            ),
            sweep(
                "mails",
                40,
                "e-mails sent more than 12 months ago",
                OutboxMessage,
                lambda now: (
                    OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
                    OutboxMessage.created_at < _logs_before(now),
                ),
            ),
            sweep(
                "notifications",
                50,
                "read notifications older than 12 months",
                Notification,
                lambda now: (
                    Notification.read_at.is_not(None),
                    Notification.read_at < _logs_before(now),
                ),
            ),
            sweep(
                "export_links",
                60,
                "expired download links",
                DataExportLink,
                lambda now: (DataExportLink.expires_at < now,),
            ),
            sweep(
                "form_keys",
                70,
                "keys of forms sent more than 2 days ago",
                IdempotencyKey,
                lambda now: (IdempotencyKey.created_at < now - timedelta(days=2),),
            ),
        ),
        labels={
            # the person, their account and what several domains share
            "person": _l("You"),
            "id": _l("Record number"),
            "display_name": _l("Name"),
            "email": _l("E-mail address"),
            "login_identifier": _l("Identifier"),
            "phone": _l("Phone number"),
            "contact_channel": _l("How you want to be told"),
            "created_at": _l("Made on"),
            "language": _l("Language"),
            "easy_read": _l("Easy-to-read display"),
            "high_contrast": _l("High contrast"),
            "account_created": _l("How the account was made"),
            "entered_with_help": _l("Entered with help"),
            "entered_by_id": _l("Number of the person who helped"),
            "consent_note": _l("How you agreed"),
            "memberships": _l("Your organisations"),
            "organisation": _l("Organisation"),
            "role": _l("Role"),
            "since": _l("Since"),
            "agreements": _l("Your agreements"),
            "kind": _l("Kind"),
            "what": _l("What"),
            "given_at": _l("Given on"),
            "noted_by_id": _l("Noted by (number)"),
            "note": _l("Note"),
            "taken_back_at": _l("Taken back on"),
            "sent_at": _l("Sent on"),
            "text": _l("Text"),
            "at": _l("On"),
            "comment": _l("Comment"),
            "status": _l("Where it is"),
            "why": _l("Why"),
            "until": _l("Until"),
            "reason": _l("Reason"),
            "notifications": _l("Messages received"),
            "subject": _l("Subject"),
            "read_at": _l("Read on"),
            "logins": _l("Logins"),
            "ended_at": _l("Ended on"),
            "invited_at": _l("Invited on"),
            "role_invitations": _l("Roles offered to you"),
            "accepted": _l("Accepted"),
            "answered_at": _l("Answered on"),
            "download_links": _l("Your download links"),
            "journal": _l("Journal: what was done with your account"),
            "event": _l("What happened (code)"),
            "by_you": _l("Done by you"),
            "about": _l("About (record)"),
            "details": _l("Details"),
        },
    )
)
