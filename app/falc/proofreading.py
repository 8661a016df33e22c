"""Rules of the easy-read proofreading (relecture FALC). The actor is explicit; services flush,
never commit, and write an audit entry for every change.

Software never grants "easy to read": only a recorded proofreading does. A text is
"proofread and approved" when every sentence is understood by at least `required_understood`
proofreaders. The badge (`badge_for`) compares the hash of the text on the page with the hash
of the approved text, so any later edit removes the badge by construction.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import ConsentKind, Membership, Organisation, Person, Role
from app.accounts.permissions import has_role
from app.accounts.personal_data import give_consent, has_consent
from app.core import audit
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.core.permissions import require
from app.core.provenance import CONSENT_MIN_LENGTH, Provenance, assisted_entry
from app.db import utcnow
from app.falc.analyser import split_sentences
from app.falc.permissions import active_proofreader, assignment_of
from app.falc.proofreading_models import (
    TRANSITIONS,
    Proofreader,
    Proofreading,
    ProofreadingAssignment,
    ProofreadingStatus,
    SentenceMark,
)

TEXT_MAX_LENGTH = 10_000
LABEL_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 1000
MAX_REQUIRED_UNDERSTOOD = 10

CHOOSE_ONE = _l('Choose "I understand" or "I do not understand".')


# --- texts ---------------------------------------------------------------------------------


def normalise_text(text: str | None) -> str:
    """The text as people read it: Unicode NFC, one space between words, no spaces at the
    ends of lines, at most one blank line. Changing only these does not change the reading."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_hash(text: str | None) -> str:
    """sha256 of the normalised text: two texts people read the same way share it."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, as the proofreaders see them (one per line)."""
    return [text[start:end] for start, end in split_sentences(text)]


# --- proofreaders --------------------------------------------------------------------------


def _shared_organisation(
    actor: Person, person: Person, organisation: Organisation | None
) -> Organisation:
    """The organisation where `actor` is a facilitator and `person` a participant."""
    if organisation is not None:
        return organisation
    shared = [
        m.organisation
        for m in actor.memberships
        if m.role == Role.FACILITATOR and has_role(person, Role.PARTICIPANT, m.organisation_id)
    ]
    if not shared:
        raise NotAllowed(_l("You are not allowed to do this."))
    if len(shared) > 1:
        raise DomainError(_l("Choose the organisation."), field="organisation_id")
    return shared[0]


def register_proofreader(
    actor: Person,
    person: Person,
    consent_note: str | None,
    show_name: bool,
    organisation: Organisation | None = None,
) -> Proofreader:
    """A facilitator registers an accompanied person of their organisation as a proofreader,
    with the way the person agreed. Registering again renews the consent and `show_name`."""
    # The person is locked: registered twice at once, the second renews the first's record
    # (one proofreader per person) instead of failing on it.
    person = db.lock(person)
    organisation = _shared_organisation(actor, person, organisation)
    require(actor, "falc.manage_proofreaders", organisation)
    if not has_role(person, Role.PARTICIPANT, organisation):
        raise DomainError(
            _l("Only an accompanied person of this organisation can proofread its texts."),
            field="person_id",
        )
    note = (consent_note or "").strip()
    if len(note) < CONSENT_MIN_LENGTH:
        raise DomainError(
            _l("Write how the person agreed to proofread texts."), field="consent_note"
        )
    provenance = assisted_entry(actor, person, note)
    if show_name and not has_consent(person, ConsentKind.PROOFREADER_NAME):
        give_consent(actor, person, ConsentKind.PROOFREADER_NAME, note)
    existing = db.session.scalar(select(Proofreader).where(Proofreader.person_id == person.id))
    if existing is not None and existing.active and existing.organisation_id != organisation.id:
        raise DomainError(
            _l("This person already proofreads texts for another organisation."),
            field="person_id",
        )
    proofreader = existing or Proofreader(person_id=person.id)
    proofreader.organisation_id = organisation.id
    proofreader.agreed_at = utcnow()
    proofreader.show_name = bool(show_name)
    proofreader.active = True
    proofreader.apply_provenance(provenance)
    proofreader.consent_note = note  # kept even when people register themselves
    db.session.add(proofreader)
    db.session.flush()
    audit.record(
        actor,
        "falc.proofreader_registered",
        proofreader,
        organisation_id=organisation.id,
        person_id=person.id,
        show_name=proofreader.show_name,
        renewed=existing is not None,
    )
    return proofreader


def deactivate_proofreader(actor: Person, proofreader: Proofreader) -> None:
    """The person no longer wants to proofread. Their marks stay; they get no new text."""
    proofreader = db.lock(proofreader)
    organisation = db.session.get(Organisation, proofreader.organisation_id)
    require(actor, "falc.manage_proofreaders", organisation)
    if not proofreader.active:
        raise InvalidTransition(_l("This person already stopped proofreading."))
    proofreader.active = False
    db.session.flush()
    audit.record(
        actor,
        "falc.proofreader_deactivated",
        proofreader,
        organisation_id=proofreader.organisation_id,
        person_id=proofreader.person_id,
    )
    # Texts that were waiting only for them can now be decided.
    waiting = db.session.scalars(
        select(Proofreading)
        .join(ProofreadingAssignment)
        .where(
            ProofreadingAssignment.person_id == proofreader.person_id,
            Proofreading.status == ProofreadingStatus.WAITING,
        )
    )
    for proofreading in list(waiting):
        _evaluate(actor, proofreading)


def get_proofreader(proofreader_id: int) -> Proofreader | None:
    return db.session.get(Proofreader, proofreader_id)


def proofreaders_of(organisation: Organisation) -> list[Proofreader]:
    """The active proofreaders of an organisation, by name."""
    found = db.session.scalars(
        select(Proofreader)
        .join(Person, Person.id == Proofreader.person_id)
        .where(Proofreader.organisation_id == organisation.id, Proofreader.active.is_(True))
    )
    return sorted(found, key=lambda p: p.person.display_name.casefold())


def proofreader_candidates(organisation: Organisation) -> list[Person]:
    """The accompanied persons of the organisation who do not proofread for it yet."""
    already = {p.person_id for p in proofreaders_of(organisation)}
    people = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == Role.PARTICIPANT,
            Person.is_active.is_(True),
        )
        .distinct()
    )
    return sorted(
        (p for p in people if p.id not in already), key=lambda p: p.display_name.casefold()
    )


# --- proofreadings -------------------------------------------------------------------------


def _move(actor: Any, proofreading: Proofreading, to: ProofreadingStatus, **details: Any) -> None:
    if to not in TRANSITIONS[proofreading.status]:
        raise InvalidTransition(_l("This proofreading cannot change like this."))
    previous = proofreading.status
    proofreading.status = to
    if to == ProofreadingStatus.VALIDATED:
        proofreading.validated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        f"falc.proofreading_{to.value}",
        proofreading,
        organisation_id=proofreading.organisation_id,
        previous=previous.value,
        **details,
    )


def request_proofreading(
    actor: Person,
    organisation: Organisation,
    subject_type: str,
    subject_id: int,
    field: str,
    text: str,
    proofreader_ids: Iterable[int],
    required_understood: int = 1,
    label: str = "",
) -> Proofreading:
    """Send a text for proofreading to proofreaders of the organisation. Older proofreadings
    of the same text of the same subject become "outdated"."""
    # The organisation is locked: two requests for the same text at once are made one after
    # the other, and the second outdates the first instead of both staying open.
    organisation = db.lock(organisation)
    require(actor, "falc.request", organisation)
    subject_type = (subject_type or "").strip()
    field = (field or "").strip()
    if not subject_type or not field or subject_id is None:
        raise DomainError(_l("We do not know which text to proofread."))
    parts = sentences(text)
    if not normalise_text(text) or not parts:
        raise DomainError(_l("Write the text to proofread."), field="text")
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(
            _l("The text is too long: %(n)s characters at most.", n=TEXT_MAX_LENGTH), field="text"
        )
    label = (label or "").strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise DomainError(
            _l("The name is too long: %(n)s characters at most.", n=LABEL_MAX_LENGTH),
            field="label",
        )
    ids = list(dict.fromkeys(int(i) for i in proofreader_ids))
    if not ids:
        raise DomainError(_l("Choose at least 1 proofreader."), field="proofreader_ids")
    found = db.session.scalars(
        select(Proofreader).where(
            Proofreader.person_id.in_(ids),
            Proofreader.organisation_id == organisation.id,
            Proofreader.active.is_(True),
        )
    ).all()
    if len(found) != len(ids):
        raise DomainError(
            _l("Choose only people who proofread texts for this organisation."),
            field="proofreader_ids",
        )
    required = int(required_understood)
    if not 1 <= required <= MAX_REQUIRED_UNDERSTOOD:
        raise DomainError(
            _l("Write a number from 1 to %(n)s.", n=MAX_REQUIRED_UNDERSTOOD),
            field="required_understood",
        )
    if required > len(ids):
        raise DomainError(
            _l(
                "Choose at least as many proofreaders as the number of people"
                " who must understand each sentence."
            ),
            field="required_understood",
        )
    digest = text_hash(text)
    previous = db.session.scalars(
        select(Proofreading).where(
            Proofreading.organisation_id == organisation.id,
            Proofreading.subject_type == subject_type,
            Proofreading.subject_id == int(subject_id),
            Proofreading.field == field,
            Proofreading.status != ProofreadingStatus.OUTDATED,
        )
    ).all()
    if any(p.status == ProofreadingStatus.VALIDATED and p.text_hash == digest for p in previous):
        raise InvalidTransition(_l("This text is already proofread and approved."), field="text")
    proofreading = Proofreading(
        organisation_id=organisation.id,
        requested_by_id=actor.id,
        subject_type=subject_type,
        subject_id=int(subject_id),
        field=field,
        label=label,
        text=text,
        text_hash=digest,
        sentences=parts,
        required_understood=required,
        status=ProofreadingStatus.WAITING,
    )
    for person_id in ids:
        proofreading.assignments.append(ProofreadingAssignment(person_id=person_id))
    db.session.add(proofreading)
    db.session.flush()
    audit.record(
        actor,
        "falc.proofreading_requested",
        proofreading,
        organisation_id=organisation.id,
        subject_type=subject_type,
        subject_id=int(subject_id),
        field=field,
        proofreaders=len(ids),
        required_understood=required,
    )
    for older in previous:
        _move(actor, older, ProofreadingStatus.OUTDATED, replaced_by=proofreading.id)
    return proofreading


def get_proofreading(proofreading_id: int) -> Proofreading | None:
    return db.session.get(Proofreading, proofreading_id)


# --- marks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkInput:
    """What a proofreader said about one sentence (index from 0)."""

    sentence_index: int
    understood: bool
    comment: str = ""


def _acting_for(
    actor: Person,
    proofreading: Proofreading,
    for_person: Person | None,
    consent_note: str | None,
) -> tuple[Person, ProofreadingAssignment, Provenance]:
    """The proofreader the marks belong to, their assignment, and who typed them."""
    require(actor, "falc.proofread", proofreading)
    person = for_person or actor
    assignment = assignment_of(person, proofreading)
    if assignment is None or active_proofreader(person, proofreading.organisation_id) is None:
        raise NotAllowed(_l("This person is not asked to proofread this text."))
    return person, assignment, assisted_entry(actor, person, consent_note)


def _mark(
    proofreading: Proofreading,
    person: Person,
    sentence_count: int,
    mark: MarkInput,
    provenance: Provenance,
) -> SentenceMark:
    index = int(mark.sentence_index)
    if not 0 <= index < sentence_count:
        raise DomainError(_l("This sentence is not in the text."), field=f"understood_{index}")
    comment = (mark.comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DomainError(
            _l("The comment is too long: %(n)s characters at most.", n=COMMENT_MAX_LENGTH),
            field=f"comment_{index}",
        )
    record = db.session.scalar(
        select(SentenceMark).where(
            SentenceMark.proofreading_id == proofreading.id,
            SentenceMark.person_id == person.id,
            SentenceMark.sentence_index == index,
        )
    )
    if record is None:
        record = SentenceMark(
            proofreading_id=proofreading.id, person_id=person.id, sentence_index=index
        )
        db.session.add(record)
    record.understood = bool(mark.understood)
    record.comment = comment
    record.created_at = utcnow()
    record.apply_provenance(provenance)
    return record


def marks_of(proofreading: Proofreading, person: Person | int) -> dict[int, SentenceMark]:
    """One person's marks on a text, by sentence index."""
    person_id = person if isinstance(person, int) else person.id
    found = db.session.scalars(
        select(SentenceMark).where(
            SentenceMark.proofreading_id == proofreading.id, SentenceMark.person_id == person_id
        )
    )
    return {m.sentence_index: m for m in found}


def _missing(proofreading: Proofreading, person: Person) -> list[int]:
    marked = marks_of(proofreading, person)
    return [i for i in range(len(proofreading.sentences)) if i not in marked]


def mark_sentence(
    actor: Person,
    proofreading: Proofreading,
    sentence_index: int,
    understood: bool,
    comment: str = "",
    for_person: Person | None = None,
    consent_note: str | None = None,
) -> SentenceMark:
    """The assigned proofreader marks one sentence, or a facilitator marks it for them
    (`for_person`, with the consent note: recorded as entered with help)."""
    # Locked: two proofreaders (or two tabs) marking at once are counted one after the other,
    # so the second sees the first's marks when it decides whether the text is approved.
    proofreading = db.lock(proofreading)
    person, _assignment, provenance = _acting_for(actor, proofreading, for_person, consent_note)
    record = _mark(
        proofreading,
        person,
        len(proofreading.sentences),
        MarkInput(sentence_index, understood, comment),
        provenance,
    )
    db.session.flush()
    audit.record(
        actor,
        "falc.sentence_marked",
        record,
        organisation_id=proofreading.organisation_id,
        proofreading_id=proofreading.id,
        person_id=person.id,
        sentence_index=record.sentence_index,
        understood=record.understood,
        assisted=provenance.is_assisted,
    )
    _evaluate(actor, proofreading)
    return record


def finish(
    actor: Person,
    proofreading: Proofreading,
    for_person: Person | None = None,
    consent_note: str | None = None,
) -> None:
    """The proofreader says "I have finished": every sentence must have a mark."""
    proofreading = db.lock(proofreading)
    person, assignment, provenance = _acting_for(actor, proofreading, for_person, consent_note)
    _finish(actor, proofreading, person, assignment, provenance)


def _finish(
    actor: Person,
    proofreading: Proofreading,
    person: Person,
    assignment: ProofreadingAssignment,
    provenance: Provenance,
) -> None:
    missing = _missing(proofreading, person)
    if missing:
        raise DomainError(CHOOSE_ONE, field=f"understood_{missing[0]}")
    assignment.done_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "falc.proofreading_finished",
        proofreading,
        organisation_id=proofreading.organisation_id,
        person_id=person.id,
        assisted=provenance.is_assisted,
    )
    _evaluate(actor, proofreading)


def submit_marks(
    actor: Person,
    proofreading: Proofreading,
    marks: Sequence[MarkInput],
    for_person: Person | None = None,
    consent_note: str | None = None,
) -> None:
    """The proofreading page: save every sentence's mark, then "I have finished"."""
    proofreading = db.lock(proofreading)
    person, assignment, provenance = _acting_for(actor, proofreading, for_person, consent_note)
    count = len(proofreading.sentences)
    for mark in marks:
        _mark(proofreading, person, count, mark, provenance)
    db.session.flush()
    audit.record(
        actor,
        "falc.marks_saved",
        proofreading,
        organisation_id=proofreading.organisation_id,
        person_id=person.id,
        marks=len(marks),
        not_understood=sum(1 for m in marks if not m.understood),
        assisted=provenance.is_assisted,
    )
    _finish(actor, proofreading, person, assignment, provenance)


def _evaluate(actor: Any, proofreading: Proofreading) -> None:
    """Validated when every sentence is understood by enough distinct proofreaders; to change
    when everyone who still proofreads has marked every sentence and that is not the case."""
    if proofreading.status != ProofreadingStatus.WAITING:
        return
    count = len(proofreading.sentences)
    marks = db.session.scalars(
        select(SentenceMark).where(SentenceMark.proofreading_id == proofreading.id)
    ).all()
    # One mark per (person, sentence): the unique constraint makes proofreaders distinct.
    understood = Counter(m.sentence_index for m in marks if m.understood)
    if all(understood[i] >= proofreading.required_understood for i in range(count)):
        _move(actor, proofreading, ProofreadingStatus.VALIDATED)
        return
    marked: dict[int, set[int]] = defaultdict(set)
    for m in marks:
        marked[m.person_id].add(m.sentence_index)
    finished = 0
    for assignment in proofreading.assignments:
        if assignment.done_at is not None or len(marked[assignment.person_id]) >= count:
            finished += 1
        elif active_proofreader(assignment.person, proofreading.organisation_id) is not None:
            return  # someone is still reading
    if finished:
        not_understood = [
            i for i in range(count) if understood[i] < proofreading.required_understood
        ]
        _move(
            actor,
            proofreading,
            ProofreadingStatus.NEEDS_CHANGES,
            sentences_not_understood=not_understood,
        )


# --- reading the state ---------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeInfo:
    """What the easy-read badge shows: the approved proofreading and who agreed to be named."""

    proofreading_id: int
    validated_at: datetime | None
    names: list[str] = dataclass_field(default_factory=list)


def _subject_query(
    subject_type: str, subject_id: int, field_name: str, organisation_id: int | None
) -> Any:
    query = select(Proofreading).where(
        Proofreading.subject_type == subject_type,
        Proofreading.subject_id == int(subject_id),
        Proofreading.field == field_name,
    )
    if organisation_id is not None:
        query = query.where(Proofreading.organisation_id == organisation_id)
    return query.order_by(Proofreading.id.desc()).limit(1)


def proofreader_names(proofreading: Proofreading) -> list[str]:
    """First names of the people who marked this text and agreed to be named."""
    marked = set(
        db.session.scalars(
            select(SentenceMark.person_id).where(SentenceMark.proofreading_id == proofreading.id)
        )
    )
    named = {
        p.person_id: p
        for p in db.session.scalars(
            select(Proofreader).where(
                Proofreader.person_id.in_(marked), Proofreader.show_name.is_(True)
            )
        )
    }
    names: list[str] = []
    for assignment in proofreading.assignments:
        proofreader = named.get(assignment.person_id)
        if proofreader is not None:
            name = proofreader.first_name
            if name and name not in names:
                names.append(name)
    return names


def badge_for(
    subject_type: str,
    subject_id: int,
    field: str,
    current_text: str,
    *,
    organisation_id: int | None = None,
) -> BadgeInfo | None:
    """The easy-read badge of a text, or None. Only an approved proofreading of exactly the
    text on the page counts: edit one word and the badge is gone until a new proofreading.

    Pass the subject's `organisation_id` so that a proofreading requested by another
    organisation never counts.
    """
    if not normalise_text(current_text):
        return None
    query = (
        _subject_query(subject_type, subject_id, field, organisation_id)
        .where(Proofreading.status == ProofreadingStatus.VALIDATED)
        .where(Proofreading.text_hash == text_hash(current_text))
    )
    proofreading = db.session.scalar(query)
    if proofreading is None:
        return None
    return BadgeInfo(
        proofreading_id=proofreading.id,
        validated_at=proofreading.validated_at,
        names=proofreader_names(proofreading),
    )


def status_for(
    subject_type: str,
    subject_id: int,
    field: str,
    current_text: str,
    *,
    organisation_id: int | None = None,
) -> str:
    """ "none", "waiting", "validated", "needs_changes" or "outdated" (the text changed since
    the last proofreading was sent). Labels: `proofreading_models.STATUS_LABELS`."""
    latest = db.session.scalar(_subject_query(subject_type, subject_id, field, organisation_id))
    if latest is None:
        return "none"
    if latest.text_hash != text_hash(current_text):
        return ProofreadingStatus.OUTDATED.value
    return latest.status.value


def assignments_for(actor: Person) -> list[Proofreading]:
    """The texts waiting for this proofreader, oldest first."""
    return list(
        db.session.scalars(
            select(Proofreading)
            .join(ProofreadingAssignment)
            .join(
                Proofreader,
                (Proofreader.person_id == ProofreadingAssignment.person_id)
                & (Proofreader.organisation_id == Proofreading.organisation_id),
            )
            .where(
                ProofreadingAssignment.person_id == actor.id,
                ProofreadingAssignment.done_at.is_(None),
                Proofreading.status == ProofreadingStatus.WAITING,
                Proofreader.active.is_(True),
            )
            .order_by(Proofreading.created_at, Proofreading.id)
        )
    )


def finished_by(actor: Person, limit: int = 20) -> list[Proofreading]:
    """The texts this person said "I have finished" for, latest first."""
    return list(
        db.session.scalars(
            select(Proofreading)
            .join(ProofreadingAssignment)
            .where(
                ProofreadingAssignment.person_id == actor.id,
                ProofreadingAssignment.done_at.is_not(None),
            )
            .order_by(ProofreadingAssignment.done_at.desc())
            .limit(limit)
        )
    )


def proofreadings_managed_by(actor: Person, limit: int = 100) -> list[Proofreading]:
    """The proofreadings of the organisations where `actor` is a facilitator, latest first."""
    org_ids = [m.organisation_id for m in actor.memberships if m.role == Role.FACILITATOR]
    if not org_ids:
        return []
    return list(
        db.session.scalars(
            select(Proofreading)
            .where(Proofreading.organisation_id.in_(org_ids))
            .order_by(Proofreading.id.desc())
            .limit(limit)
        )
    )


@dataclass
class SentenceResult:
    index: int
    text: str
    understood: int = 0
    not_understood: int = 0
    marks: list[SentenceMark] = dataclass_field(default_factory=list)

    @property
    def comments(self) -> list[SentenceMark]:
        return [m for m in self.marks if m.comment]


@dataclass
class ProofreaderProgress:
    person: Person
    marked: int
    done_at: datetime | None


def results(proofreading: Proofreading) -> list[SentenceResult]:
    """For the facilitators: each sentence with its counts and comments."""
    rows = [SentenceResult(i, s) for i, s in enumerate(proofreading.sentences)]
    for mark in db.session.scalars(
        select(SentenceMark)
        .where(SentenceMark.proofreading_id == proofreading.id)
        .order_by(SentenceMark.sentence_index, SentenceMark.id)
    ):
        if mark.sentence_index >= len(rows):
            continue
        row = rows[mark.sentence_index]
        row.marks.append(mark)
        if mark.understood:
            row.understood += 1
        else:
            row.not_understood += 1
    return rows


def progress(proofreading: Proofreading) -> list[ProofreaderProgress]:
    """For the facilitators: how far each proofreader went."""
    counts = Counter(
        db.session.scalars(
            select(SentenceMark.person_id).where(SentenceMark.proofreading_id == proofreading.id)
        )
    )
    return [
        ProofreaderProgress(a.person, counts[a.person_id], a.done_at)
        for a in proofreading.assignments
    ]
