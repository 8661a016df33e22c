"""What Parole holds about a person: reading it, downloading it, agreements, closing the
account, and the retention purge.

Erasure is driven by the columns tagged `personal` (app/core/personal.py): closing an account
blanks or deletes every one of them for this person's rows, keeps contributions (answers,
comments, feedback) under "Personne anonyme" and accounting records (paid and pending costs)
pseudonymised. The ids of erased people are kept in `erasures`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
    Organisation,
    Person,
    Role,
)
from app.consultations.models import EVALUATION_QUESTIONS
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
from app.core.personal import erase_person
from app.db import utcnow

EXPORT_LINK_DAYS = 7
DEFAULT_RETENTION_MONTHS = 24  # CNIL, social sector: 2 years after the last contact
LOG_RETENTION_MONTHS = 12  # audit entries, login sessions, sent mails, read notifications
RECEIPT_RETENTION_YEARS = 10  # accounting documents (Code de commerce, art. L123-22)
DRAFT_RETENTION_MONTHS = 24  # cost requests never sent
SELF_GIVEN = (ConsentKind.QUOTED, ConsentKind.PHOTOS)


def _months(n: int) -> timedelta:
    return timedelta(days=round(n * 30.44))


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
    if kind == ConsentKind.PROOFREADER_NAME:
        from app.falc.proofreading_models import Proofreader

        for proofreader in db.session.scalars(
            select(Proofreader).where(Proofreader.person_id == person.id)
        ):
            proofreader.show_name = False
    audit.record(actor, "consent.withdrawn", record, kind=kind, person_id=person.id)
    db.session.flush()


# --- reading and downloading -------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_person_data(person: Person) -> dict[str, Any]:
    """Everything Parole holds about a person, for "My data" and its download."""
    from app.accounts.models import MembershipInvitation
    from app.consultations.models import (
        Comment,
        ConsultationRound,
        Evaluation,
        Invitation,
        Response,
    )
    from app.expenses.models import BankDetails, ExpenseRequest
    from app.falc.proofreading_models import Proofreader, ProofreadingAssignment, SentenceMark
    from app.moderation.models import AuthorMeasure as Measure
    from app.moderation.models import ModerationAppeal as Appeal
    from app.moderation.models import ModerationItem as Item
    from app.moderation.models import ModerationReport as Report
    from app.trainings.models import CoTrainerProfile, MissionFeedback, Signup

    def rows(stmt: Any) -> list[Any]:
        return list(db.session.scalars(stmt))

    responses = rows(
        select(Response)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.person_id == person.id)
        .order_by(Response.started_at)
    )
    requests = rows(
        select(ExpenseRequest)
        .where(ExpenseRequest.person_id == person.id)
        .order_by(ExpenseRequest.created_at)
    )
    bank = db.session.get(BankDetails, person.id)
    profile = db.session.get(CoTrainerProfile, person.id)
    signups = rows(select(Signup).where(Signup.person_id == person.id))
    files = {receipt.id: name for receipt, name in _receipt_names(requests)}
    return {
        "person": {
            "id": person.id,
            "display_name": person.display_name,
            "email": person.email,
            "login_identifier": person.login_identifier,
            "created_at": _iso(person.created_at),
            "language": str(person.language),
            "easy_read": person.easy_read,
            "high_contrast": person.high_contrast,
            "account_created": person.provenance_export(),
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": str(m.role), "since": _iso(m.created_at)}
            for m in person.memberships
        ],
        "agreements": [
            {
                "kind": str(c.kind),
                "what": c.kind.label,
                "given_at": _iso(c.given_at),
                "noted_by_id": c.recorded_by_id,
                "note": c.note,
                "taken_back_at": _iso(c.withdrawn_at),
            }
            for c in consents_of(person)
        ],
        "consultation_answers": [
            {
                "round": r.invitation.round.title,
                "started_at": _iso(r.started_at),
                "sent_at": _iso(r.submitted_at),
                "channel": str(r.channel),
                **r.provenance_export(),
                "answers": [
                    {
                        "question": a.question.text,
                        "declined": a.declined,
                        "text": a.value_text,
                        "number": a.value_int,
                        "choices": [
                            c.label
                            for c in a.question.choices
                            if c.id in {s.choice_id for s in a.selections}
                        ],
                    }
                    for a in sorted(r.answers, key=lambda a: a.question.position)
                ],
            }
            for r in responses
        ],
        "comments": [
            {"round": c.round.title, "text": c.body, "at": _iso(c.created_at)}
            for c in rows(select(Comment).where(Comment.author_id == person.id))
        ],
        "evaluations": [
            {
                "round": title,
                **{name: str(getattr(e, name)) for name in EVALUATION_QUESTIONS},
                "comment": e.comment,
                "at": _iso(e.created_at),
            }
            for e, title in db.session.execute(
                select(Evaluation, ConsultationRound.title)
                .join(Invitation, Evaluation.invitation_id == Invitation.id)
                .join(ConsultationRound, Evaluation.round_id == ConsultationRound.id)
                .where(Invitation.person_id == person.id)
                .order_by(Evaluation.created_at)
            )
        ],
        "costs_and_pay": [
            {
                "id": r.id,
                "organisation": r.organisation.name if r.organisation else None,
                "kind": str(r.kind),
                "status": str(r.status),
                "activity": r.activity_label,
                "created_at": _iso(r.created_at),
                "sent_at": _iso(r.submitted_at),
                "decided_at": _iso(r.decided_at),
                "approved_amount": _money(r.approved_amount),
                "reason": r.reason,
                "promised_on": r.promised_on.isoformat() if r.promised_on else None,
                "paid_at": _iso(r.paid_at),
                "paid_amount": _money(r.paid_amount),
                "payment_method": str(r.payment_method) if r.payment_method else None,
                "payment_reference": r.payment_reference,
                "paid_to": r.third_party_name,
                **r.provenance_export(),
                "lines": [
                    {
                        "category": str(line.category),
                        "description": line.description,
                        "spent_on": line.spent_on.isoformat() if line.spent_on else None,
                        "amount": _money(line.amount),
                        "kilometres": _money(line.kilometres),
                        "line_hours": _money(line.hours),
                        "approved_amount": _money(line.approved_amount),
                        "without_receipt": line.sworn_statement,
                        "receipts": [
                            {
                                "file": files[receipt.id],
                                "added_at": _iso(receipt.uploaded_at),
                                "pages": receipt.pages,
                            }
                            for receipt in line.receipts
                        ],
                    }
                    for line in r.lines
                ],
            }
            for r in requests
        ],
        "bank_account": (
            {"account": bank.masked(), "holder": bank.holder_name} if bank is not None else None
        ),
        "co_training_signups": [
            {
                "mission": s.mission.title,
                "status": str(s.status),
                "why": s.why,
                "what_i_can_share": s.can_share,
                "needs": {
                    "childcare": s.needs_childcare,
                    "companion": s.needs_companion,
                    "travel_help": s.needs_travel_help,
                    "access": s.access_needs,
                    "food": s.dietary_needs,
                },
                "contact": s.contact_channel,
                "created_at": _iso(s.created_at),
                **s.provenance_export(),
                "attendance": [
                    {
                        "session": _iso(a.session.starts_at),
                        "present": a.present,
                        "attended_hours": _money(a.hours),
                    }
                    for a in sorted(s.attendance, key=lambda a: a.session.starts_at)
                ],
            }
            for s in signups
        ],
        "co_trainer_profile": (
            {
                "themes": profile.themes,
                "availability": profile.availability,
                "places": profile.places,
                "shown": profile.visible,
            }
            if profile is not None
            else None
        ),
        "co_training_feedback": [
            {"went_well": f.went_well, "text": f.body, "at": _iso(f.created_at)}
            for f in rows(select(MissionFeedback).where(MissionFeedback.author_id == person.id))
        ],
        "proofreading": {
            "proofreader": [
                {"since": _iso(p.agreed_at), "name_shown": p.show_name, "active": p.active}
                for p in rows(select(Proofreader).where(Proofreader.person_id == person.id))
            ],
            "texts_to_read": [
                {"text": a.proofreading.label, "done_at": _iso(a.done_at)}
                for a in rows(
                    select(ProofreadingAssignment).where(
                        ProofreadingAssignment.person_id == person.id
                    )
                )
            ],
            "sentences_marked": [
                {
                    "text": m.proofreading.label,
                    "sentence": m.sentence_index + 1,
                    "sentence_understood": m.understood,
                    "comment": m.comment,
                    "at": _iso(m.created_at),
                    **m.provenance_export(),
                }
                for m in rows(
                    select(SentenceMark)
                    .where(SentenceMark.person_id == person.id)
                    .order_by(SentenceMark.created_at)
                )
            ],
        },
        "moderation": {
            "reports_made": [
                {"why": str(r.reason), "comment": r.comment, "at": _iso(r.created_at)}
                for r in rows(select(Report).where(Report.reporter_id == person.id))
            ],
            "your_texts_checked": [
                {
                    "kind": i.content_type,
                    "status": str(i.status),
                    "at": _iso(i.created_at),
                    "decisions": [
                        {
                            "action": str(d.action),
                            "reason": d.reason,
                            "your_text_before": d.original_text,
                            "at": _iso(d.created_at),
                        }
                        for d in i.decisions
                    ],
                }
                for i in rows(select(Item).where(Item.author_id == person.id))
            ],
            "appeals": [
                {
                    "text": a.text,
                    "status": str(a.status),
                    "at": _iso(a.created_at),
                    "closed_at": _iso(a.closed_at),
                }
                for a in rows(select(Appeal).where(Appeal.author_id == person.id))
            ],
            "measures": [
                {
                    "kind": str(m.kind),
                    "from": _iso(m.starts_at),
                    "until": _iso(m.ends_at),
                    "reason": m.reason,
                    "lifted_at": _iso(m.lifted_at),
                }
                for m in rows(select(Measure).where(Measure.person_id == person.id))
            ],
        },
        "consultation_invitations": [
            {
                "round": i.round.title,
                "invited_at": _iso(i.created_at),
                "paper_code": i.paper_code,
            }
            for i in rows(
                select(Invitation)
                .where(Invitation.person_id == person.id)
                .order_by(Invitation.created_at)
            )
        ],
        "role_invitations": [
            {
                "organisation": i.organisation.name if i.organisation else None,
                "role": str(i.role),
                "invited_at": _iso(i.created_at),
                "answered_at": _iso(i.answered_at),
                "accepted": i.accepted,
                "consent_note": i.consent_note,
            }
            for i in rows(
                select(MembershipInvitation)
                .where(_invitations_of(MembershipInvitation, person))
                .order_by(MembershipInvitation.created_at)
            )
        ],
        "notifications": [
            {
                "subject": n.subject,
                "text": n.body,
                "at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in rows(
                select(Notification)
                .where(Notification.person_id == person.id)
                .order_by(Notification.created_at.desc())
            )
        ],
        "logins": [
            {"at": _iso(s.created_at), "ended_at": _iso(s.revoked_at)}
            for s in rows(
                select(LoginSession)
                .where(LoginSession.person_id == person.id)
                .order_by(LoginSession.created_at.desc())
            )
        ],
        "download_links": [
            {"created_at": _iso(link.created_at), "until": _iso(link.expires_at)}
            for link in rows(
                select(DataExportLink)
                .where(DataExportLink.person_id == person.id)
                .order_by(DataExportLink.created_at)
            )
        ],
        "journal": _journal(person, requests, signups),
    }


def _money(value: Any) -> str | None:
    return str(value) if value is not None else None


def _invitations_of(model: Any, person: Person) -> Any:
    """Role invitations to this person: by account, or by the identifier typed."""
    typed = [value for value in (person.email, person.login_identifier) if value]
    if not typed:
        return model.person_id == person.id
    return or_(model.person_id == person.id, model.identifier.in_(typed))


def _journal(person: Person, requests: list[Any], signups: list[Any]) -> list[dict[str, Any]]:
    """The audit entries about the person: what they did, and what was done to their account,
    requests and sign-ups. Who did it is said as "you" or "someone else", never by name."""
    about = or_(
        AuditEntry.actor_id == person.id,
        (AuditEntry.object_type == "people") & (AuditEntry.object_id == person.id),
        (AuditEntry.object_type == "expense_requests")
        & AuditEntry.object_id.in_([r.id for r in requests] or [0]),
        (AuditEntry.object_type == "training_signups")
        & AuditEntry.object_id.in_([s.id for s in signups] or [0]),
    )
    return [
        {
            "at": _iso(entry.at),
            "event": entry.action,
            "by_you": entry.actor_id == person.id,
            "about": f"{entry.object_type} {entry.object_id}" if entry.object_id else None,
            "details": ", ".join(f"{k}={v}" for k, v in sorted((entry.details or {}).items())),
        }
        for entry in db.session.scalars(
            select(AuditEntry).where(about).order_by(AuditEntry.at, AuditEntry.id)
        )
    ]


def _receipt_names(requests: list[Any]) -> Iterator[tuple[Any, str]]:
    """(receipt, its name in the download) for the receipts of these requests."""
    for request in requests:
        for n, line in enumerate(request.lines, start=1):
            for m, receipt in enumerate(line.receipts, start=1):
                extension = receipt.storage_key.rsplit(".", 1)[-1]
                yield receipt, f"justificatifs/demande-{request.id}-depense-{n}-{m}.{extension}"


ARCHIVE_JSON = "parole-mes-donnees.json"
ARCHIVE_PAGE = "mes-donnees.html"


def export_archive(person: Person, data: dict[str, Any], page: str) -> IO[bytes]:
    """The download of "My data": one ZIP file with the data for computers (JSON), the same
    as a page to read or print (`page`, made by the caller from `data`), and the files of the
    person's receipts, named as the data says. Returns a file at its start; large archives
    go to a temporary file that disappears when it is closed."""
    from app.expenses import receipts as receipt_files
    from app.expenses.models import ExpenseRequest
    from app.expenses.services import upload_root

    requests = list(
        db.session.scalars(
            select(ExpenseRequest)
            .where(ExpenseRequest.person_id == person.id)
            .order_by(ExpenseRequest.created_at)
        )
    )
    root = upload_root()
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        archive.writestr(ARCHIVE_JSON, text)
        archive.writestr(ARCHIVE_PAGE, page)
        for receipt, name in _receipt_names(requests):
            try:
                archive.write(receipt_files.path_for(root, receipt.storage_key), name)
            except (OSError, ValueError):
                continue  # a file lost from the disk: the data still lists it
    out.seek(0)
    return out


# Every column that links a row to a person (a foreign key to people.id): where "My data"
# shows the rows it links to the person (a key of the export), or why it does not. A test
# walks the models and fails on a column in neither, so a new table cannot be forgotten.
EXPORTED_COLUMNS: dict[str, str] = {
    "audit_entries.actor_id": "journal",
    "consents.person_id": "agreements",
    "consultation_comments.author_id": "comments",
    "consultation_invitations.person_id": "consultation_invitations",
    "data_export_links.person_id": "download_links",
    "expense_bank_details.person_id": "bank_account",
    "expense_requests.person_id": "costs_and_pay",
    "falc_proofreaders.person_id": "proofreading",
    "falc_proofreading_assignments.person_id": "proofreading",
    "falc_sentence_marks.person_id": "proofreading",
    "login_sessions.person_id": "logins",
    "membership_invitations.person_id": "role_invitations",
    "memberships.person_id": "memberships",
    "moderation_appeals.author_id": "moderation",
    "moderation_items.author_id": "moderation",
    "moderation_measures.person_id": "moderation",
    "moderation_reports.reporter_id": "moderation",
    "notifications.person_id": "notifications",
    "training_feedback.author_id": "co_training_feedback",
    "training_profiles.person_id": "co_trainer_profile",
    "training_signups.person_id": "co_training_signups",
}
_OTHERS = "the rows are about other people; what the person did is in the journal"
_STAFF = "work done as staff for an organisation; what the person did is in the journal"
NOT_EXPORTED_COLUMNS: dict[str, str] = {
    "people.entered_by_id": _OTHERS,
    "consents.recorded_by_id": _OTHERS,
    "consents.withdrawn_by_id": _OTHERS,
    "consultation_responses.entered_by_id": _OTHERS,
    "expense_requests.entered_by_id": _OTHERS,
    "expense_receipts.uploaded_by_id": (
        "the person's own receipts are in the download with their requests; receipts they "
        "sent for other people belong to those people"
    ),
    "falc_proofreaders.entered_by_id": _OTHERS,
    "falc_sentence_marks.entered_by_id": _OTHERS,
    "training_signups.entered_by_id": _OTHERS,
    "membership_invitations.invited_by_id": _STAFF,
    "membership_invitations.answered_by_id": (
        "who answered: the person (then it is their invitation, shown) or a facilitator "
        "for someone else"
    ),
    "expense_requests.first_reviewer_id": _STAFF,
    "expense_requests.second_reviewer_id": _STAFF,
    "expense_requests.handed_over_by_id": _STAFF,
    "expense_requests.paid_by_id": _STAFF,
    "consultation_rounds.created_by_id": _STAFF,
    "falc_proofreadings.requested_by_id": _STAFF,
    "kit_checklist_ticks.ticked_by_id": _STAFF,
    "kit_fiches.updated_by_id": _STAFF,
    "kit_fiche_revisions.saved_by_id": _STAFF,
    "moderation_decisions.moderator_id": _STAFF,
    "moderation_measures.decided_by_id": _STAFF,
    "moderation_settings.referent_id": _STAFF,
    "training_missions.created_by_id": _STAFF,
    "training_attendance.recorded_by_id": _STAFF,
    "idempotency_keys.person_id": (
        "random keys that stop a form being sent twice; they say nothing about the person "
        "and are deleted after 2 days"
    ),
}


# Words for the keys of the export, for the page that shows it to people.
EXPORT_LABELS = {
    "person": _l("You"),
    "id": _l("Record number"),
    "display_name": _l("Name"),
    "email": _l("E-mail address"),
    "login_identifier": _l("Identifier"),
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
    "consultation_answers": _l("Your answers to consultations"),
    "round": _l("Consultation"),
    "started_at": _l("Started on"),
    "sent_at": _l("Sent on"),
    "channel": _l("How"),
    "answers": _l("Answers"),
    "question": _l("Question"),
    "declined": _l("I prefer not to answer"),
    "text": _l("Text"),
    "number": _l("Number given"),
    "choices": _l("Chosen"),
    "comments": _l("Your messages"),
    "at": _l("On"),
    "evaluations": _l("Your opinion on how consultations went"),
    **EVALUATION_QUESTIONS,
    "comment": _l("Comment"),
    "costs_and_pay": _l("Your costs and pay"),
    "status": _l("Where it is"),
    "activity": _l("Activity"),
    "paid_at": _l("Paid on"),
    "paid_amount": _l("Amount paid"),
    "lines": _l("Costs"),
    "category": _l("Kind of cost"),
    "description": _l("Description"),
    "spent_on": _l("Spent on"),
    "amount": _l("Amount"),
    "receipts": _l("Receipts"),
    "bank_account": _l("Your bank account"),
    "account": _l("Account"),
    "holder": _l("Holder"),
    "co_training_signups": _l("Your co-training sign-ups"),
    "mission": _l("Mission"),
    "why": _l("Why"),
    "what_i_can_share": _l("What you can share"),
    "needs": _l("Your needs"),
    "childcare": _l("Childcare"),
    "companion": _l("Someone to come with you"),
    "travel_help": _l("Help to travel"),
    "access": _l("Access"),
    "food": _l("Food"),
    "contact": _l("Contact"),
    "co_trainer_profile": _l("Your co-trainer profile"),
    "themes": _l("Themes"),
    "availability": _l("When you are free"),
    "places": _l("Places"),
    "shown": _l("Shown to institutes"),
    "co_training_feedback": _l("What you said after co-training"),
    "went_well": _l("Did it go well"),
    "proofreading": _l("Proofreading"),
    "proofreader": _l("Proofreader"),
    "name_shown": _l("Name shown"),
    "active": _l("Active"),
    "sentences_marked": _l("Sentences read"),
    "moderation": _l("Moderation"),
    "reports_made": _l("Reports you made"),
    "measures": _l("Measures about you"),
    "from": _l("From"),
    "until": _l("Until"),
    "reason": _l("Reason"),
    "lifted_at": _l("Lifted on"),
    "notifications": _l("Messages received"),
    "subject": _l("Subject"),
    "read_at": _l("Read on"),
    "logins": _l("Logins"),
    "ended_at": _l("Ended on"),
    "decided_at": _l("Decided on"),
    "approved_amount": _l("Amount agreed"),
    "promised_on": _l("Payment expected on"),
    "payment_method": _l("How it was paid"),
    "payment_reference": _l("Payment reference"),
    "paid_to": _l("Paid to"),
    "kilometres": _l("Kilometres"),
    "line_hours": _l("Hours"),
    "without_receipt": _l("Without a receipt (sworn statement)"),
    "file": _l("File in the download"),
    "added_at": _l("Added on"),
    "pages": _l("Pages"),
    "attendance": _l("Your attendance"),
    "session": _l("Session of"),
    "present": _l("Present"),
    "attended_hours": _l("Hours counted"),
    "texts_to_read": _l("Texts given to you to read"),
    "done_at": _l("Finished on"),
    "sentence": _l("Sentence number"),
    "sentence_understood": _l("You understood it"),
    "your_texts_checked": _l("Your texts checked by moderation"),
    "decisions": _l("Decisions"),
    "action": _l("What was done"),
    "your_text_before": _l("Your text before"),
    "appeals": _l("Your requests to look at a decision again"),
    "closed_at": _l("Closed on"),
    "consultation_invitations": _l("Your invitations to consultations"),
    "invited_at": _l("Invited on"),
    "paper_code": _l("Code to answer on paper"),
    "role_invitations": _l("Roles offered to you"),
    "accepted": _l("Accepted"),
    "answered_at": _l("Answered on"),
    "download_links": _l("Your download links"),
    "journal": _l("Journal: what was done with your account"),
    "event": _l("What happened (code)"),
    "by_you": _l("Done by you"),
    "about": _l("About (record)"),
    "details": _l("Details"),
}


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

MONEY_ON_ITS_WAY = ("submitted", "needs_info", "awaiting_second", "approved", "partly_approved")


def closing_blockers(person: Person) -> list[str]:
    """Why the account cannot be closed yet, in words for the person (empty: it can)."""
    from app.expenses.models import ExpenseRequest

    reasons: list[str] = []
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
    waiting = db.session.scalar(
        select(func.count())
        .select_from(ExpenseRequest)
        .where(ExpenseRequest.person_id == person.id, ExpenseRequest.status.in_(MONEY_ON_ITS_WAY))
    )
    if waiting:
        reasons.append(
            str(
                _l(
                    "A request for costs or pay is still being handled. Wait until it is paid, "
                    "or cancel it, then close your account."
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
    from app.consultations.models import Invitation, Response
    from app.expenses import receipts as receipt_files
    from app.expenses.models import ExpenseRequest, RequestStatus
    from app.expenses.services import upload_root
    from app.trainings import services as trainings
    from app.trainings.models import Signup
    from app.trainings.services import OPEN_SIGNUP

    closed = Closed(person.id)
    # Places held in co-training go to the next person waiting.
    for signup in db.session.scalars(
        select(Signup).where(Signup.person_id == person.id, Signup.status.in_(OPEN_SIGNUP))
    ):
        trainings.cancel(person, signup)
    # Requests never sent are not accounting records: they go, with their receipts.
    root = upload_root()
    for request in db.session.scalars(
        select(ExpenseRequest).where(
            ExpenseRequest.person_id == person.id,
            ExpenseRequest.status.in_((RequestStatus.DRAFT, RequestStatus.CANCELLED)),
            ExpenseRequest.paid_at.is_(None),
        )
    ):
        for line in request.lines:
            for receipt in line.receipts:
                receipt_files.delete(root, receipt.storage_key)
                closed.files_removed += 1
        db.session.delete(request)
    # Answers never sent are not contributions.
    for response in db.session.scalars(
        select(Response)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.person_id == person.id, Response.submitted_at.is_(None))
    ):
        db.session.delete(response)
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
    from app.core.personal import ANONYMOUS_NAME

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
    applied: bool
    people: list[int] = field(default_factory=list)
    people_kept_for_money: list[int] = field(default_factory=list)
    audit_entries: int = 0
    login_sessions: int = 0
    login_throttles: int = 0
    mails: int = 0
    notifications: int = 0
    export_links: int = 0
    form_keys: int = 0
    draft_requests: int = 0
    receipts: int = 0

    def lines(self) -> list[tuple[str, int]]:
        return [
            ("people without contact, erased", len(self.people)),
            (
                "people without contact, kept: costs or pay still handled",
                len(self.people_kept_for_money),
            ),
            ("journal entries older than 12 months", self.audit_entries),
            ("logins older than 12 months", self.login_sessions),
            ("failed-login counters older than 12 months", self.login_throttles),
            ("e-mails sent more than 12 months ago", self.mails),
            ("read notifications older than 12 months", self.notifications),
            ("expired download links", self.export_links),
            ("keys of forms sent more than 2 days ago", self.form_keys),
            ("cost requests never sent, older than 24 months", self.draft_requests),
            ("receipts of costs paid more than 10 years ago", self.receipts),
        ]


def last_contact(person: Person) -> datetime:
    """The latest of: account made, a login, an answer sent, a cost request, a sign-up."""
    from app.consultations.models import Invitation, Response
    from app.expenses.models import ExpenseRequest
    from app.trainings.models import Signup

    candidates = [
        person.created_at,
        db.session.scalar(
            select(func.max(LoginSession.created_at)).where(LoginSession.person_id == person.id)
        ),
        db.session.scalar(
            select(func.max(Response.started_at))
            .join(Invitation, Response.invitation_id == Invitation.id)
            .where(Invitation.person_id == person.id)
        ),
        db.session.scalar(
            select(func.max(ExpenseRequest.created_at)).where(ExpenseRequest.person_id == person.id)
        ),
        db.session.scalar(select(func.max(Signup.updated_at)).where(Signup.person_id == person.id)),
    ]
    return max(c for c in candidates if c is not None)


def _retention_months(person: Person) -> int:
    months = db.session.scalar(
        select(func.max(Organisation.retention_months))
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.person_id == person.id)
    )
    return months or DEFAULT_RETENTION_MONTHS


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
    return last_contact(person) < now - _months(_retention_months(person))


def purge_steps(
    apply: bool = False,
    now: datetime | None = None,
    batch: int = PURGE_BATCH,
    candidates: tuple[list[int], list[int]] | None = None,
) -> Iterator[PurgeReport]:
    """The retention purge one batch at a time: after each batch of changes is flushed, yields
    the report so far, and the caller commits there, so that each batch is its own short
    transaction. Candidates found earlier (outside the write lock) are checked again in
    their batch: someone who came back in between is kept. Without `apply`: counts only, and
    yields once, at the end."""
    from app.expenses import receipts as receipt_files
    from app.expenses.models import ExpenseLine, ExpenseRequest, Receipt, RequestStatus
    from app.expenses.services import upload_root

    now = now or utcnow()
    report = PurgeReport(applied=apply)
    logs_before = now - _months(LOG_RETENTION_MONTHS)
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

    def sweep(model: Any, *conditions: Any) -> Iterator[int]:
        """Yields the number of rows deleted by each batch (without apply: counted once)."""
        if not apply:
            yield db.session.scalar(select(func.count()).select_from(model).where(*conditions))
            return
        while ids := db.session.scalars(
            select(model.id).where(*conditions).order_by(model.id).limit(batch)
        ).all():
            db.session.execute(delete(model).where(model.id.in_(ids)))
            yield len(ids)

    sweeps = (
        ("audit_entries", AuditEntry, (AuditEntry.at < logs_before,)),
        ("login_sessions", LoginSession, (LoginSession.created_at < logs_before,)),
        (
            "login_throttles",
            LoginThrottle,
            (
                or_(
                    LoginThrottle.last_failure_at.is_(None),
                    LoginThrottle.last_failure_at < logs_before,
                ),
            ),
        ),
        (
            "mails",
            OutboxMessage,
            (
                OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
                OutboxMessage.created_at < logs_before,
            ),
        ),
        (
            "notifications",
            Notification,
            (Notification.read_at.is_not(None), Notification.read_at < logs_before),
        ),
        ("export_links", DataExportLink, (DataExportLink.expires_at < now,)),
        ("form_keys", IdempotencyKey, (IdempotencyKey.created_at < now - timedelta(days=2),)),
    )
    for name, model, conditions in sweeps:
        for count in sweep(model, *conditions):
            setattr(report, name, getattr(report, name) + (count or 0))
            if apply:
                yield report

    old_drafts = (
        ExpenseRequest.status.in_((RequestStatus.DRAFT, RequestStatus.CANCELLED)),
        ExpenseRequest.paid_at.is_(None),
        ExpenseRequest.created_at < now - _months(DRAFT_RETENTION_MONTHS),
    )
    old_receipts = (
        select(Receipt.id)
        .join(ExpenseLine, Receipt.line_id == ExpenseLine.id)
        .join(ExpenseRequest, ExpenseLine.request_id == ExpenseRequest.id)
        .where(ExpenseRequest.paid_at < now - _months(12 * RECEIPT_RETENTION_YEARS))
    )
    if not apply:
        report.draft_requests = db.session.scalar(
            select(func.count()).select_from(ExpenseRequest).where(*old_drafts)
        )
        report.receipts = db.session.scalar(
            select(func.count()).select_from(old_receipts.subquery())
        )
        yield report
        return
    root = upload_root()
    while requests := db.session.scalars(
        select(ExpenseRequest).where(*old_drafts).order_by(ExpenseRequest.id).limit(batch)
    ).all():
        for request in requests:
            for line in request.lines:
                for receipt in line.receipts:
                    receipt_files.delete(root, receipt.storage_key)
            db.session.delete(request)
        report.draft_requests += len(requests)
        db.session.flush()
        yield report
    while receipts := db.session.scalars(
        select(Receipt).where(Receipt.id.in_(old_receipts.order_by(Receipt.id).limit(batch)))
    ).all():
        for receipt in receipts:
            receipt_files.delete(root, receipt.storage_key)
            db.session.delete(receipt)
        report.receipts += len(receipts)
        db.session.flush()
        yield report
    audit.record(None, "data.purged", None, **{k: v for k, v in report.lines()})
    db.session.flush()
    yield report
