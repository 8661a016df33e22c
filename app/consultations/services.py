"""Rules of consultation rounds. The actor is explicit; services flush, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Membership, Organisation, Person, Role
from app.consultations import conditions, curation, disclosure, lifecycle, paper_codes, pictograms
from app.consultations.feedback import (  # noqa: F401 (moved there; callers keep these names)
    FeedbackData,
    add_feedback_item,
    evaluation_values,
    without_you_said_label,
)
from app.consultations.kinds import AnswerInput, ChoiceData, Count, count_of, kind_of
from app.consultations.lifecycle import Allow
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    Answer,
    AnswerChoice,
    Channel,
    Choice,
    Comment,
    Confusion,
    ConsultationRound,
    Evaluation,
    EvaluationAnswer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.core import audit
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound, or_not_found
from app.core.notifications import tell_beyond_mail
from app.core.outbox import queue_mail
from app.core.permissions import can, require
from app.core.provenance import assisted_entry
from app.core.urls import external_url
from app.db import get_db, utcnow
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus

FEEDBACK_DELAY = timedelta(days=61)  # "2 months after closing" by default
# The pictures a choice may carry, by name, with their text (app/consultations/pictograms.py).
PICTOGRAMS = pictograms.ALT_TEXTS


# --- authoring -----------------------------------------------------------------------------


@dataclass
class RoundData:
    title: str
    opens_at: datetime
    closes_at: datetime
    title_easy: str = ""
    subject: str = ""
    subject_easy: str = ""
    why: str = ""
    why_easy: str = ""
    what_next: str = ""
    what_next_easy: str = ""
    costs_covered: str = ""
    contact_name: str = ""
    feedback_due_at: datetime | None = None
    discussion_enabled: bool = False
    discussion_moderation: str = ""
    pictogram: str = ""  # a picture's name or one of its words; empty: none


def _check_dates(data: RoundData) -> None:
    if data.closes_at <= data.opens_at:
        raise DomainError(
            _l("The closing date must come after the opening date."), field="closes_at"
        )
    if data.feedback_due_at is not None and data.feedback_due_at <= data.closes_at:
        raise DomainError(
            _l("The feedback date must come after the closing date."), field="feedback_due_at"
        )


def create_round(actor: Person, organisation: Organisation, data: RoundData) -> ConsultationRound:
    require(actor, "consultations.create_in", organisation)
    if not data.title.strip():
        raise DomainError(_l("Write a title."), field="title")
    _check_dates(data)
    round_ = ConsultationRound(organisation_id=organisation.id, created_by_id=actor.id)
    _apply(round_, data)
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "consultation.created", round_, organisation_id=organisation.id)
    return round_


# The texts of a round, kept as typed (spaces around them dropped).
ROUND_TEXTS = (
    "title",
    "title_easy",
    "subject",
    "subject_easy",
    "why",
    "why_easy",
    "what_next",
    "what_next_easy",
    "costs_covered",
    "contact_name",
)


def _apply(round_: ConsultationRound, data: RoundData) -> None:
    for name in ROUND_TEXTS:
        setattr(round_, name, (getattr(data, name) or "").strip())
    round_.discussion_enabled = bool(data.discussion_enabled)
    round_.discussion_moderation = data.discussion_moderation or ""
    picture = pictograms.resolve(data.pictogram, round_.organisation_id)
    if (data.pictogram or "").strip() and picture is None:
        raise DomainError(_l("No picture has this name. Try another word."), field="pictogram")
    round_.pictogram = picture or ""
    round_.opens_at = data.opens_at
    round_.closes_at = data.closes_at
    round_.feedback_due_at = data.feedback_due_at or data.closes_at + FEEDBACK_DELAY


def update_round(actor: Person, round_: ConsultationRound, data: RoundData) -> None:
    round_ = db.lock(round_)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.TEXTS)
    if not data.title.strip():
        raise DomainError(_l("Write a title."), field="title")
    _check_dates(data)
    _apply(round_, data)
    db.session.flush()
    audit.record(actor, "consultation.updated", round_, organisation_id=round_.organisation_id)


def add_question(
    actor: Person,
    round_: ConsultationRound,
    kind: QuestionKind | str,
    text: str,
    text_easy: str = "",
    choices: Sequence[ChoiceData] = (),
    condition_choice_id: int | None = None,
) -> Question:
    """`condition_choice_id`: the choice of an earlier question that shows it (None or 0:
    shown to everybody; rules in app/consultations/conditions.py)."""
    round_ = db.lock(round_)  # the position is counted under the lock
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.QUESTIONS)
    kind = QuestionKind(kind)
    if not text.strip():
        raise DomainError(_l("Write the question."), field="text")
    clean = _clean_choices(kind, choices, round_.organisation_id)
    position = len(round_.questions) + 1
    question = Question(
        round_id=round_.id,
        position=position,
        kind=kind,
        text=text.strip(),
        text_easy=text_easy.strip(),
        condition_choice_id=conditions.check(round_, position, condition_choice_id),
    )
    db.session.add(question)
    db.session.flush()
    _add_choices(question, clean)
    db.session.flush()
    db.session.refresh(round_, ["questions"])
    audit.record(
        actor, "consultation.question_added", question, organisation_id=round_.organisation_id
    )
    return question


def _clean_choices(
    kind: QuestionKind, choices: Sequence[ChoiceData], organisation_id: int | None = None
) -> list[ChoiceData]:
    """The possible answers the kind allows (its limits), their pictures checked (an
    organisation's own pictures: only that organisation's)."""
    clean = kind.type.clean_choices([c for c in choices if c.label.strip()])
    for choice in clean:
        # A picture's name, or a word of the catalogue ("maison"): stored as its name.
        name = pictograms.resolve(choice.pictogram, organisation_id)
        if choice.pictogram and name is None:
            raise DomainError(_l("This picture does not exist."), field="choices")
        choice.pictogram = name
        if choice.pictogram and not (choice.pictogram_alt or "").strip():
            choice.pictogram_alt = pictograms.pictogram_alt(choice.pictogram)
    return clean


def _add_choices(question: Question, clean: Sequence[ChoiceData]) -> None:
    if not question.kind.type.has_choices:
        return
    for index, choice in enumerate(clean, start=1):
        db.session.add(
            Choice(
                question_id=question.id,
                position=index,
                label=choice.label.strip(),
                pictogram=choice.pictogram or None,
                pictogram_alt=(choice.pictogram_alt or "").strip() or None,
            )
        )


@dataclass
class QuestionData:
    """What the question editor changes in a question: its kind stays."""

    text: str
    text_easy: str = ""
    choices: Sequence[ChoiceData] = ()
    # The choice of an earlier question that shows it: 0 shown to everybody, None unchanged.
    condition_choice_id: int | None = None


def question_form_data(question: Question) -> dict[str, Any]:
    """A question as the question editor writes it: one possible answer a line, its
    picture's name after a "|"."""
    lines = [f"{c.label} | {c.pictogram}" if c.pictogram else c.label for c in question.choices]
    return {
        "text": question.text,
        "text_easy": question.text_easy,
        "choices": "\n".join(lines),
        "condition_choice_id": question.condition_choice_id or conditions.EVERYBODY,
    }


def edit_question(actor: Person, question: Question, data: QuestionData) -> list[Question]:
    """Change the texts of a question and, for a kind with choices, replace its choices.
    Only while the round allows questions (a draft): nobody has answered yet, so no
    answer points to a replaced choice. The conditions that pointed to a choice follow it
    to the new choice of the same words; returns the questions whose choice is gone (now
    shown to everybody)."""
    round_ = db.lock(question.round)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.QUESTIONS)
    if not data.text.strip():
        raise DomainError(_l("Write the question."), field="text")
    clean = _clean_choices(question.kind, data.choices, round_.organisation_id)
    if data.condition_choice_id is not None:
        condition = conditions.check(round_, question.position, data.condition_choice_id)
        question.condition_choice_id = condition
    question.text = data.text.strip()
    question.text_easy = data.text_easy.strip()
    dropped: list[Question] = []
    if question.kind.type.has_choices:
        shown_by = conditions.detach(round_, question)
        question.choices.clear()
        db.session.flush()
        _add_choices(question, clean)
        db.session.flush()
        db.session.refresh(question, ["choices"])
        dropped = conditions.reattach(round_, question, shown_by)
    db.session.flush()
    audit.record(
        actor, "consultation.question_edited", question, organisation_id=round_.organisation_id
    )
    return dropped


def move_question(actor: Person, question: Question, offset: int) -> bool:
    """Move a question one place up (offset -1) or down (+1); positions stay 1..n.
    False when it is already first (last) and nothing moves."""
    round_ = db.lock(question.round)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.QUESTIONS)
    db.session.refresh(round_, ["questions"])
    ordered = list(round_.questions)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    conditions.check_order(round_, ordered)
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.flush()
    db.session.refresh(round_, ["questions"])
    audit.record(
        actor, "consultation.question_moved", question, organisation_id=round_.organisation_id
    )
    return True


def remove_question(actor: Person, question: Question) -> list[Question]:
    """Remove a question; the questions its answers showed are shown to everybody (returned)."""
    round_ = db.lock(question.round)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.QUESTIONS)
    dropped = conditions.drop_for_question(round_, question)
    db.session.flush()
    db.session.delete(question)
    db.session.flush()
    db.session.refresh(round_, ["questions"])
    for index, remaining in enumerate(round_.questions, start=1):
        remaining.position = index
    db.session.flush()
    audit.record(
        actor, "consultation.question_removed", round_, organisation_id=round_.organisation_id
    )
    return dropped


# --- invitations -------------------------------------------------------------------------


def invite_members(actor: Person, round_: ConsultationRound) -> int:
    """Invite every accompanied person of the organisation (those not yet invited)."""
    require(actor, "consultations.manage", round_)
    people = db.session.scalars(
        select(Membership.person_id).where(
            Membership.organisation_id == round_.organisation_id,
            Membership.role == Role.PARTICIPANT,
        )
    ).all()
    return invite_people(actor, round_, people)


def invitable_people(actor: Person, round_: ConsultationRound) -> list[Person]:
    """The accompanied persons of the organisation not invited yet, by name (the people the
    round's page offers to invite one by one)."""
    require(actor, "consultations.manage", round_)
    invited = {i.person_id for i in round_.invitations if i.person_id}
    people = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.organisation_id == round_.organisation_id,
            Membership.role == Role.PARTICIPANT,
        )
        .order_by(Person.display_name)
    ).all()
    return [p for p in people if p.id not in invited]


def invite_people(actor: Person, round_: ConsultationRound, person_ids: Iterable[int]) -> int:
    round_ = db.lock(round_)  # two lists sent at once: the second sees who is invited already
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.INVITATIONS)
    allowed = set(
        db.session.scalars(
            select(Membership.person_id).where(
                Membership.organisation_id == round_.organisation_id,
                Membership.role == Role.PARTICIPANT,
            )
        )
    )
    already = set(
        db.session.scalars(
            select(Invitation.person_id).where(
                Invitation.round_id == round_.id, Invitation.person_id.is_not(None)
            )
        )
    )
    added = 0
    for person_id in dict.fromkeys(person_ids):
        if person_id not in allowed:
            raise DomainError(
                _l("You can invite only the accompanied persons of your organisation.")
            )
        if person_id in already:
            continue
        invitation = Invitation(round_id=round_.id, person_id=person_id)
        db.session.add(invitation)
        added += 1
        if round_.status != RoundStatus.DRAFT:
            db.session.flush()
            _notify_invitation(round_, invitation)
    db.session.flush()
    db.session.refresh(round_, ["invitations"])
    if added:
        audit.record(
            actor,
            "consultation.invited",
            round_,
            organisation_id=round_.organisation_id,
            count=added,
        )
    return added


PAPER_CODE_LETTERS = "ACDEFHJKMNPRTUVWXY"


def create_paper_codes(actor: Person, round_: ConsultationRound, count: int) -> list[str]:
    """Codes printed on paper questionnaires, for people who answer without an account."""
    require(actor, "consultations.manage", round_)
    if not 1 <= count <= 500:
        raise DomainError(_l("Choose a number between 1 and 500."), field="count")
    codes = []
    for _n in range(count):
        while True:
            code = "P-" + "".join(secrets.choice(PAPER_CODE_LETTERS) for _ in range(6))
            if (
                db.session.scalar(select(Invitation.id).where(Invitation.paper_code == code))
                is None
            ):
                break
        db.session.add(Invitation(round_id=round_.id, paper_code=code))
        codes.append(code)
    db.session.flush()
    audit.record(
        actor,
        "consultation.paper_codes",
        round_,
        organisation_id=round_.organisation_id,
        count=count,
    )
    return codes


# --- lifecycle ---------------------------------------------------------------------------


def missing_easy_versions(round_: ConsultationRound) -> list[str]:
    missing = []
    for name, label in (("title", _("title")), ("subject", _("subject"))):
        if getattr(round_, name) and not getattr(round_, f"{name}_easy"):
            missing.append(str(label))
    for question in round_.questions:
        if not question.text_easy:
            missing.append(_("question %(n)s", n=question.position))
    return missing


def transition(
    actor: Person, round_: ConsultationRound, target: RoundStatus | str, now: datetime | None = None
) -> None:
    # Locked read-check-write: a second copy waits here, then finds the step already taken
    # and is refused, so invitations and feedback e-mails go out once.
    round_ = db.lock(round_)
    require(actor, "consultations.manage", round_)
    _take_step(actor, round_, RoundStatus(target), now or utcnow())


def early_date(
    round_: ConsultationRound, target: RoundStatus, now: datetime | None = None
) -> datetime | None:
    """The date a round is due to open (or close) when this step would take it there before:
    the round's page asks the facilitator to confirm. None when it is not early."""
    now = now or utcnow()
    due = {RoundStatus.OPEN: round_.opens_at, RoundStatus.CLOSED: round_.closes_at}.get(target)
    if due is None or now >= due or not lifecycle.step_allowed(round_, target):
        return None
    notice = timedelta(days=round_.organisation.invitation_notice_days)
    if target == RoundStatus.OPEN and now < (round_.announced_at or now) + notice:
        return None  # refused anyway, with the date it can be opened from (transition)
    return due


def take_dated_step(round_: ConsultationRound, target: RoundStatus, now: datetime) -> bool:
    """The scheduler opens an announced round at its opening date, closes an open round at its
    closing date (app/consultations/jobs.py). Under the round's lock, checked again: a round
    another process (or a facilitator) moved meanwhile is left as it is (False)."""
    round_ = db.lock(round_)
    due = {RoundStatus.OPEN: round_.opens_at, RoundStatus.CLOSED: round_.closes_at}[target]
    if not lifecycle.step_allowed(round_, target) or now < due:
        return False
    _take_step(None, round_, target, now)
    return True


def _take_step(
    actor: Person | None, round_: ConsultationRound, target: RoundStatus, now: datetime
) -> None:
    if not lifecycle.step_allowed(round_, target):
        raise InvalidTransition(
            _l(
                "This step is not possible now. The round is at the step: %(step)s.",
                step=round_.status.label,
            )
        )
    notice = timedelta(days=round_.organisation.invitation_notice_days)
    if target == RoundStatus.ANNOUNCED:
        if not round_.questions:
            raise DomainError(_l("Add at least one question before announcing the round."))
        missing = missing_easy_versions(round_)
        if missing:
            raise DomainError(
                _l("Write the easy-to-read version first: %(what)s.", what=", ".join(missing))
            )
        if not round_.invitations:
            raise DomainError(_l("Invite people before announcing the round."))
        if round_.opens_at < now + notice:
            raise DomainError(
                _l(
                    "People must receive the invitation at least %(days)s days before the opening. "
                    "Move the opening to %(date)s or later.",
                    days=notice.days,
                    date=_format_day(now + notice),
                )
            )
        round_.announced_at = now
        for invitation in round_.invitations:
            _notify_invitation(round_, invitation)
    elif target == RoundStatus.OPEN:
        earliest = (round_.announced_at or now) + notice
        if now < earliest:
            raise DomainError(
                _l(
                    "Too early: the invitation left less than %(days)s days ago. "
                    "You can open the round from %(date)s.",
                    days=notice.days,
                    date=_format_day(earliest),
                )
            )
        round_.opened_at = now
    elif target == RoundStatus.CLOSED:
        round_.closed_at = now
    elif target == RoundStatus.FEEDBACK_PUBLISHED:
        if not round_.feedback_items:
            raise DomainError(_l("Write at least one feedback item before publishing."))
        round_.feedback_published_at = now
        for invitation in round_.invitations:
            _notify_feedback(round_, invitation)
    elif target == RoundStatus.EVALUATED:
        round_.evaluated_at = now
    audit.move_and_record(actor, "consultation.transition", round_, target)


def _format_day(value: datetime) -> str:
    from flask_babel import format_date

    return format_date(value, "d MMMM yyyy")


def _mail_in_language(person: Person, subject_fn: Any, body_fn: Any) -> None:
    if not person.email:
        return  # people without e-mail see it on their home page
    with force_locale(str(person.language)):
        queue_mail(person.email, subject_fn(), body_fn())


def _notify_invitation(round_: ConsultationRound, invitation: Invitation) -> None:
    person = invitation.person or (
        db.session.get(Person, invitation.person_id) if invitation.person_id else None
    )
    if person is None:
        return
    invitation.notified_at = utcnow()

    def body() -> str:
        lines = [
            _("Hello %(name)s,", name=person.display_name),
            "",
            _("You are invited to give your opinion: %(title)s.", title=round_.easy("title")),
            round_.easy("subject"),
            "",
            _(
                "You can answer from %(start)s to %(end)s.",
                start=_format_day(round_.opens_at),
                end=_format_day(round_.closes_at),
            ),
            _("Answer on Parole, on paper, or with the help of a facilitator."),
        ]
        if round_.costs_covered:
            lines.append(_("Your costs are paid: %(costs)s", costs=round_.costs_covered))
        lines += ["", external_url("consultations.show", round_id=round_.id)]
        return "\n".join(lines)

    def subject() -> str:
        return _("Invitation: %(title)s", title=round_.easy("title"))

    _mail_in_language(person, subject, body)
    # A text message, or the facilitator's "À prévenir" list, for people who chose them.
    link = external_url("consultations.show", round_id=round_.id)
    tell_beyond_mail(person, subject, link, due_at=round_.closes_at)


def _notify_feedback(round_: ConsultationRound, invitation: Invitation) -> None:
    person = invitation.person
    if person is None:
        return

    def body() -> str:
        return "\n".join(
            [
                _("Hello %(name)s,", name=person.display_name),
                "",
                _("You gave your opinion: %(title)s.", title=round_.easy("title")),
                _("Here is what was done with your words."),
                "",
                external_url("consultations.feedback", round_id=round_.id),
            ]
        )

    def subject() -> str:
        return _("What we did with your words: %(title)s", title=round_.easy("title"))

    _mail_in_language(person, subject, body)
    # A text message, or the facilitator's "À prévenir" list, for people who chose them.
    tell_beyond_mail(person, subject, external_url("consultations.feedback", round_id=round_.id))


def overdue_feedback(
    rounds: Iterable[ConsultationRound], now: datetime | None = None
) -> list[ConsultationRound]:
    now = now or utcnow()
    return [r for r in rounds if lifecycle.allows(r, Allow.FEEDBACK) and r.feedback_due_at < now]


def notify_overdue_feedback(now: datetime | None = None) -> int:
    """Tell the facilitators and administrators of the organisation, once, that the
    feedback of a round is late. A daily job of `flask jobs run` (app/consultations/jobs.py)."""
    now = now or utcnow()
    waiting = lifecycle.statuses_allowing(Allow.FEEDBACK)  # closed, results not published
    late = db.session.scalars(
        select(ConsultationRound)
        .where(
            ConsultationRound.status.in_(waiting),
            ConsultationRound.feedback_due_at < now,
            ConsultationRound.overdue_notified_at.is_(None),
        )
        # Several `flask jobs run` at once (PostgreSQL): a round another run holds is its own.
        .with_for_update(skip_locked=True)
    ).all()
    for round_ in late:
        staff = db.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.organisation_id == round_.organisation_id,
                Membership.role.in_([Role.FACILITATOR, Role.ADMIN]),
            )
            .distinct()
        ).all()
        for person in staff:
            _mail_in_language(
                person,
                lambda r=round_: _("Feedback is late: %(title)s", title=r.title),
                lambda r=round_, p=person: "\n".join(
                    [
                        _("Hello %(name)s,", name=p.display_name),
                        "",
                        _(
                            "The people who answered %(title)s are waiting to know what was done with their words.",
                            title=r.title,
                        ),
                        _("The feedback was due on %(date)s.", date=_format_day(r.feedback_due_at)),
                        "",
                        external_url("consultations.show", round_id=r.id),
                    ]
                ),
            )
        round_.overdue_notified_at = now
        audit.record(
            None, "consultation.feedback_overdue", round_, organisation_id=round_.organisation_id
        )
    db.session.flush()
    return len(late)


# --- lists -------------------------------------------------------------------------------


def rounds_managed_by(actor: Person) -> list[ConsultationRound]:
    org_ids = [
        m.organisation_id for m in actor.memberships if m.role in (Role.FACILITATOR, Role.ADMIN)
    ]
    if not org_ids:
        return []
    return list(
        db.session.scalars(
            select(ConsultationRound)
            .where(ConsultationRound.organisation_id.in_(org_ids))
            .order_by(ConsultationRound.opens_at.desc())
        )
    )


def rounds_for_participant(actor: Person) -> list[ConsultationRound]:
    return list(
        db.session.scalars(
            select(ConsultationRound)
            .join(Invitation, Invitation.round_id == ConsultationRound.id)
            .where(
                Invitation.person_id == actor.id,
                ConsultationRound.status.in_(lifecycle.statuses_allowing(Allow.SEEN_BY_INVITED)),
            )
            .order_by(ConsultationRound.opens_at.desc())
        )
    )


def get_round(round_id: int) -> ConsultationRound:
    return or_not_found(db.session.get(ConsultationRound, round_id))


# --- answering ---------------------------------------------------------------------------


def start_response(
    actor: Person,
    round_: ConsultationRound,
    person: Person | None = None,
    consent_note: str | None = None,
) -> Response:
    """Start, or resume, the answers of `person` (default: the actor). A facilitator who answers
    for someone else records it as assisted, with the consent note."""
    person = person or actor
    if person.id == actor.id:
        require(actor, "consultations.answer", round_)
        provenance = assisted_entry(actor, actor, None)
    else:
        require(actor, "consultations.manage", round_)
        lifecycle.check(round_, Allow.ANSWERS)
        provenance = assisted_entry(actor, person, consent_note)
    # The invitation is locked: a second "start" (double click, two tabs) waits, then resumes
    # the response the first made instead of making another one.
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.round_id == round_.id, Invitation.person_id == person.id)
        .with_for_update()
    )
    if invitation is None:
        raise DomainError(_l("This person is not invited to this round."), field="person_id")
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is not None:
        if response.submitted_at is not None:
            raise DomainError(_l("The answers were already sent. Thank you!"))
        if not provenance.is_assisted and response.entered_by_id is not None:
            raise DomainError(_l("A facilitator is filling in your answers with you. Ask them."))
        if provenance.is_assisted and response.entered_by_id != actor.id:
            response.apply_provenance(provenance)
            response.channel = Channel.ASSISTED
        return response
    response = Response(
        round_id=round_.id,
        invitation_id=invitation.id,
        channel=Channel.ASSISTED if provenance.is_assisted else Channel.SELF,
    )
    response.apply_provenance(provenance)
    db.session.add(response)
    db.session.flush()
    if provenance.is_assisted:
        audit.record(
            actor,
            "consultation.assisted_response",
            response,
            organisation_id=round_.organisation_id,
        )
    return response


def start_paper_response(actor: Person, round_: ConsultationRound, code: str) -> Response:
    """A facilitator types in a paper questionnaire, found by its code."""
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.PAPER_ANSWERS)
    invitation = db.session.scalar(
        select(Invitation)
        .where(
            Invitation.round_id == round_.id,
            Invitation.paper_code == paper_codes.normalise_paper_code(code),
        )
        .with_for_update()
    )
    if invitation is None:
        raise DomainError(_l("No paper questionnaire of this round has this code."), field="code")
    if invitation.paper_code_cancelled_at is not None:
        raise DomainError(
            _l("This code was cancelled. Nobody can answer with it: take another questionnaire."),
            field="code",
        )
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is not None and response.submitted_at is not None:
        raise DomainError(
            _l("The answers of this questionnaire were already typed in."), field="code"
        )
    if response is None:
        response = Response(round_id=round_.id, invitation_id=invitation.id, channel=Channel.PAPER)
        response.entered_by_id = actor.id
        response.consent_note = str(_("Paper questionnaire"))
        db.session.add(response)
        db.session.flush()
    return response


def save_answer(actor: Person, response: Response, question: Question, data: AnswerInput) -> Answer:
    # The response is locked: the same question answered from two tabs at once is saved one
    # after the other, the second updating the answer the first made.
    response = db.lock(response)
    _require_fill(actor, response)
    if question.round_id != response.round_id:
        raise NotFound(_l("This page does not exist."))
    answer = db.session.scalar(
        select(Answer).where(Answer.response_id == response.id, Answer.question_id == question.id)
    )
    if answer is None:
        answer = Answer(question_id=question.id)
        response.answers.append(answer)
    answer.declined = data.declined
    answer.value_int = None
    answer.value_text = None
    answer.updated_at = utcnow()
    answer.selections.clear()
    db.session.flush()  # delete the old choices before the same ones are inserted again
    if not data.declined:
        kind_of(question).save(answer, question, data)
    db.session.flush()
    return answer


def _require_fill(actor: Person, response: Response) -> None:
    require(actor, "consultations.fill_response", response)


def record_confusion(actor: Person, response: Response, question: Question) -> None:
    response = db.lock(response)
    _require_fill(actor, response)
    db.session.add(Confusion(question_id=question.id, response_id=response.id))
    db.session.flush()


def answers_by_question(response: Response) -> dict[int, Answer]:
    return {a.question_id: a for a in response.answers}


def submit_response(actor: Person, response: Response, now: datetime | None = None) -> None:
    response = db.lock(response)
    if response.submitted_at is not None:
        raise DomainError(_l("The answers were already sent. Thank you!"))
    _require_fill(actor, response)
    round_ = db.session.get(ConsultationRound, response.round_id)
    # Only the questions this person is shown count (conditional questions, conditions.py).
    answers = answers_by_question(response)
    shown = conditions.shown_questions(round_, answers)
    missing = [n for n, q in enumerate(shown, start=1) if q.id not in answers]
    if missing:
        raise DomainError(
            _l(
                'Some questions have no answer yet: %(numbers)s. Answer them, or choose "I prefer not to answer".',
                numbers=", ".join(str(n) for n in missing),
            )
        )
    for hidden in conditions.hidden_answers(round_, answers):
        response.answers.remove(hidden)  # what the final answers hide is not kept
    response.submitted_at = now or utcnow()
    db.session.flush()
    audit.record(
        actor,
        "consultation.response_sent",
        response,
        organisation_id=round_.organisation_id,
        channel=response.channel.value,
    )


# --- results (computed in SQL) -----------------------------------------------------------


@dataclass
class ChoiceResult:
    choice: Choice
    total: Count
    by_channel: dict[Channel, Count]


@dataclass
class QuestionResult:
    question: Question
    answered: Count
    declined: Count
    confusions: int
    choices: list[ChoiceResult] = field(default_factory=list)
    scale: dict[int, Count] = field(default_factory=dict)
    average: float | None = None
    # The first TEXTS_SHOWN chosen quotes (curation.published_quotes), never a text not chosen.
    texts: list[str] = field(default_factory=list)
    answered_by_channel: dict[Channel, Count] = field(default_factory=dict)
    text_total: int = 0  # free texts sent to this question
    quotes_ready: bool = False  # the facilitator has finished choosing the quotes
    quote_total: int = 0  # chosen quotes shown (all pages; capped by disclosure control)
    kind_figures: Any = None  # what the question's kind adds (kinds.py: aggregate)
    declined_by_channel: dict[Channel, Count] = field(default_factory=dict)
    # A conditional question: the result of the choice that shows it (its total: who saw it).
    condition: ChoiceResult | None = None
    breakdown_shown: bool = False  # the numbers by way of answering are shown (disclosure.py)
    order_hidden: bool = False  # a ranking's order and averages are hidden (disclosure.py)
    # How many chosen quotes may be shown (disclosure.quote_cap); None: all of them.
    quote_cap: int | None = None
    quotes_held_back: int = 0  # chosen quotes held back by that cap (the staff's note)


@dataclass
class RoundResults:
    round: ConsultationRound
    respondents: Count
    by_channel: dict[Channel, Count]
    questions: list[QuestionResult]
    threshold: int
    # What disclosure control hid (disclosure.py), for the page's sentences and staff's note.
    protection: disclosure.Protection = field(default_factory=lambda: disclosure.Protection())


_count = count_of


TEXTS_SHOWN = 50  # free texts per question on the results page; the others a page at a time


@dataclass(frozen=True)
class Tallies:
    """A round's counts, as plain values (no database objects), kept between requests."""

    channels: tuple[tuple[str, int], ...]
    # question id, channel, answered, declined, free texts
    answers: tuple[tuple[int, str, int, int, int], ...]
    choices: tuple[tuple[int, str, int], ...]  # choice id, channel, times chosen
    by_kind: tuple[tuple[str, tuple], ...]  # a question kind, its own counts (kinds.py: count)


def _submitted(round_id: int) -> Any:
    return and_(Response.round_id == round_id, Response.submitted_at.is_not(None))


def tallies(round_id: int, kinds: Iterable[QuestionKind] = ()) -> Tallies:
    """Counted in SQL once per state of the round: the key is the number of sent answers,
    the time of the last one and the sum of their ids, which change with every answer sent
    (and with a sent answer taken away, when an account is purged)."""
    submitted = _submitted(round_id)
    state = db.session.execute(
        select(
            func.count(Response.id), func.max(Response.submitted_at), func.sum(Response.id)
        ).where(submitted)
    ).one()
    key = ("consultations.tallies", round_id, *state)
    kinds = tuple(sorted(set(kinds)))
    key = (*key, kinds)
    return get_db().memo.get(key, lambda: _count_round(round_id, kinds))


def _count_round(round_id: int, kinds: tuple[QuestionKind, ...]) -> Tallies:
    submitted = _submitted(round_id)
    channels = db.session.execute(
        select(Response.channel, func.count(Response.id))
        .where(submitted)
        .group_by(Response.channel)
    ).all()
    answers = db.session.execute(
        select(
            Answer.question_id,
            Response.channel,
            func.sum(case((Answer.declined.is_(False), 1), else_=0)),
            func.sum(case((Answer.declined.is_(True), 1), else_=0)),
            func.count(Answer.value_text),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(submitted)
        .group_by(Answer.question_id, Response.channel)
    ).all()
    choices = db.session.execute(
        select(AnswerChoice.choice_id, Response.channel, func.count(AnswerChoice.id))
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(submitted)
        .group_by(AnswerChoice.choice_id, Response.channel)
    ).all()
    return Tallies(
        channels=tuple((Channel(c).value, int(n)) for c, n in channels),
        answers=tuple(
            (q, Channel(c).value, int(yes or 0), int(no or 0), int(texts or 0))
            for q, c, yes, no, texts in answers
        ),
        choices=tuple((choice, Channel(c).value, int(n)) for choice, c, n in choices),
        by_kind=tuple((kind.value, kind.type.count(submitted)) for kind in kinds),
    )


def compute_results(
    actor: Person, round_: ConsultationRound, include_texts: bool = True
) -> RoundResults:
    """The round's numbers, each under the small-group threshold hidden; with
    `include_texts`, the first TEXTS_SHOWN chosen quotes of each question (`question_texts`
    gives the others): only what the facilitator chose (app/consultations/curation.py)."""
    require(actor, "consultations.see_results", round_)
    return results_of(round_, include_texts)


def results_of(round_: ConsultationRound, include_texts: bool = True) -> RoundResults:
    """A round's results as published, whoever asks (the caller checks who may see them):
    counted once per state of the round, then what could tell who answered is hidden by
    the rules of app/consultations/disclosure.py."""
    threshold = round_.small_group_threshold
    counted = tallies(round_.id, (q.kind for q in round_.questions))
    by_kind = dict(counted.by_kind)
    confusion_rows = dict(
        db.session.execute(
            select(Confusion.question_id, func.count(Confusion.id))
            .join(Question, Question.id == Confusion.question_id)
            .where(Question.round_id == round_.id)
            .group_by(Confusion.question_id)
        ).all()
    )
    by_channel = {Channel(c): _count(n, threshold) for c, n in counted.channels}
    respondents = _count(sum(n for _c, n in counted.channels), threshold)

    answered: dict[int, dict[Channel, int]] = {}
    declined: dict[int, dict[Channel, int]] = {}
    text_totals: dict[int, int] = {}
    for question_id, channel, yes, no, texts in counted.answers:
        answered.setdefault(question_id, {})[Channel(channel)] = yes
        declined.setdefault(question_id, {})[Channel(channel)] = no
        text_totals[question_id] = text_totals.get(question_id, 0) + texts
    chosen: dict[int, dict[Channel, int]] = {}
    for choice_id, channel, n in counted.choices:
        chosen.setdefault(choice_id, {})[Channel(channel)] = n

    results = []
    for question in round_.questions:
        per_channel = answered.get(question.id, {})
        result = QuestionResult(
            question=question,
            answered=_count(sum(per_channel.values()), threshold),
            declined=_count(sum(declined.get(question.id, {}).values()), threshold),
            confusions=int(confusion_rows.get(question.id, 0)),
            answered_by_channel={c: _count(n, threshold) for c, n in per_channel.items()},
            declined_by_channel={
                c: _count(n, threshold) for c, n in declined.get(question.id, {}).items()
            },
            text_total=text_totals.get(question.id, 0),
        )
        for choice in question.choices:
            counts = chosen.get(choice.id, {})
            result.choices.append(
                ChoiceResult(
                    choice=choice,
                    total=_count(sum(counts.values()), threshold),
                    by_channel={c: _count(n, threshold) for c, n in counts.items()},
                )
            )
        kind = kind_of(question)
        kind.aggregate(result, by_kind.get(question.kind.value, ()), threshold)
        results.append(result)
    published = RoundResults(
        round=round_,
        respondents=respondents,
        by_channel=by_channel,
        questions=results,
        threshold=threshold,
    )
    published.protection = disclosure.protect_results(published)
    if include_texts:  # the quotes, capped by disclosure control (curation.published_quotes)
        with_texts = [r for r in results if kind_of(r.question).has_free_texts]
        pages = curation.published_quotes(round_, with_texts, TEXTS_SHOWN)
        for result in with_texts:
            shown = pages[result.question.id]
            result.quotes_ready = shown.ready
            result.quote_total = shown.total
            result.texts = shown.texts
            result.quotes_held_back = shown.held_back
    return published


TEXTS_PER_PAGE = 50


def question_texts(
    actor: Person, round_: ConsultationRound, question_id: int, page: int
) -> curation.QuotesPage:
    """One page of the quotes the facilitator chose for a question, in the order sent, no
    more than disclosure control allows (the same as the results page)."""
    require(actor, "consultations.see_results", round_)
    question = next((q for q in round_.questions if q.id == question_id), None)
    if question is None or not kind_of(question).has_free_texts:
        raise NotFound(_l("This page does not exist."))
    published = results_of(round_, include_texts=False)
    result = next(r for r in published.questions if r.question.id == question.id)
    return curation.published_quotes(round_, [result], TEXTS_PER_PAGE, page)[question.id]


# --- feedback: app/consultations/feedback.py (items, their status and news, who is told) ----

# --- exports -----------------------------------------------------------------------------

CSV_COLUMNS = (
    "response",
    "channel",
    "entered_with_help",
    "entered_by_id",
    "consent_note",
    "question",
    "answer",
    "declined",
    "chosen_as_quote",  # free texts: "yes" when shown to participants (curation.py), else "no"
    "shown_version",  # the version shown, when the facilitator shortened or masked it
)


def export_answers_rows(actor: Person, round_: ConsultationRound) -> list[dict[str, Any]]:
    """Sent answers, one row per answer, for the CSV export. People are numbered, never
    named: the export travels by e-mail and USB keys."""
    require(actor, "consultations.manage", round_)
    choices = {c.id: c.label for q in round_.questions for c in q.choices}
    positions = {q.id: q.position for q in round_.questions}
    questions = {q.id: q for q in round_.questions}
    quotes = curation.quotes_of(round_)
    responses = db.session.scalars(
        select(Response)
        .where(Response.round_id == round_.id, Response.submitted_at.is_not(None))
        .order_by(Response.id)
    ).all()
    rows = []
    for number, response in enumerate(responses, start=1):
        provenance = response.provenance_export()
        for answer in sorted(response.answers, key=lambda a: positions.get(a.question_id, 0)):
            question = questions.get(answer.question_id)
            if answer.declined or question is None:
                value = ""
            else:
                value = kind_of(question).csv_value(answer, choices)
            quote = quotes.get(answer.id)
            free_text = answer.value_text is not None and not answer.declined
            rows.append(
                {
                    "response": number,
                    "channel": response.channel.value,
                    "entered_with_help": "yes" if provenance["entered_with_help"] else "no",
                    "entered_by_id": provenance["entered_by_id"] or "",
                    "consent_note": provenance["consent_note"] or "",
                    "question": positions.get(answer.question_id, ""),
                    "answer": value,
                    "declined": "yes" if answer.declined else "no",
                    "chosen_as_quote": (
                        ("yes" if quote is not None and quote.chosen else "no") if free_text else ""
                    ),
                    "shown_version": (quote.shown_text or "") if quote is not None else "",
                }
            )
    audit.record(actor, "consultation.exported", round_, organisation_id=round_.organisation_id)
    return rows


# --- evaluation of the participation -----------------------------------------------------


def can_evaluate(actor: Person, round_: ConsultationRound) -> bool:
    if not lifecycle.allows(round_, Allow.EVALUATION):
        return False
    invitation = _invitation_of(actor, round_)
    if invitation is None:
        return False
    return (
        db.session.scalar(select(Evaluation.id).where(Evaluation.invitation_id == invitation.id))
        is None
    )


def answers_sent(actor: Person, round_: ConsultationRound) -> bool:
    """The person sent their answers to this round (the round's page thanks them instead of
    offering to answer again)."""
    return (
        db.session.scalar(
            select(Response.id)
            .join(Invitation, Invitation.id == Response.invitation_id)
            .where(
                Invitation.round_id == round_.id,
                Invitation.person_id == actor.id,
                Response.submitted_at.is_not(None),
            )
        )
        is not None
    )


def _invitation_of(person: Person, round_: ConsultationRound) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.round_id == round_.id, Invitation.person_id == person.id
        )
    )


def submit_evaluation(
    actor: Person, round_: ConsultationRound, answers: dict[str, str], comment: str = ""
) -> Evaluation:
    """An invited person says how the participation went, once, after the feedback."""
    round_ = db.lock(round_)
    lifecycle.check(round_, Allow.EVALUATION)
    invitation = _invitation_of(actor, round_)
    if invitation is None:
        raise NotAllowed(_l("You are not allowed to do this."))
    invitation = db.lock(invitation)  # sent twice: the second finds the first and is refused
    if db.session.scalar(select(Evaluation.id).where(Evaluation.invitation_id == invitation.id)):
        raise DomainError(_l("You already gave your evaluation. Thank you!"))
    values = evaluation_values(answers)
    evaluation = Evaluation(
        round_id=round_.id,
        invitation_id=invitation.id,
        comment=(comment or "").strip()[:2000],
        **values,
    )
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def evaluation_summary(
    actor: Person, round_: ConsultationRound
) -> dict[str, dict[EvaluationAnswer, Count]]:
    """Counts per question and answer, computed in SQL, with disclosure control: each
    question's answers add up to the people who gave their evaluation (disclosure.py)."""
    require(actor, "consultations.manage", round_)
    rows: dict[str, dict[EvaluationAnswer, int]] = {}
    for name in EVALUATION_QUESTIONS:
        column = getattr(Evaluation, name)
        counted = dict(
            db.session.execute(
                select(column, func.count(Evaluation.id))
                .where(Evaluation.round_id == round_.id)
                .group_by(column)
            ).all()
        )
        rows[name] = {a: int(counted.get(a, 0)) for a in EvaluationAnswer}
    given = sum(next(iter(rows.values()), {}).values())
    _total, summary = disclosure.protect_rows(rows, given, round_.small_group_threshold)
    return summary


def evaluation_comments(actor: Person, round_: ConsultationRound) -> list[str] | None:
    """What people added to their evaluation, without names, oldest first; None while fewer
    people than the small-group threshold have given their evaluation (a comment could tell
    who wrote it)."""
    require(actor, "consultations.manage", round_)
    given = db.session.scalar(
        select(func.count(Evaluation.id)).where(Evaluation.round_id == round_.id)
    )
    if (given or 0) < round_.small_group_threshold:
        return None
    return list(
        db.session.scalars(
            select(Evaluation.comment)
            .where(Evaluation.round_id == round_.id, Evaluation.comment != "")
            .order_by(Evaluation.created_at, Evaluation.id)
        )
    )


# --- discussion --------------------------------------------------------------------------

COMMENT_MAX = 2000


def add_comment(
    actor: Person, round_: ConsultationRound, body: str, question_id: int | None = None
) -> Comment:
    """A participant (or facilitator) writes in the discussion; moderation decides who sees it."""
    require(actor, "consultations.comment", round_)
    moderation.check_may_write(actor, round_.organisation_id)
    text = (body or "").strip()
    if not text:
        raise DomainError(_l("Write your message."), field="body")
    if len(text) > COMMENT_MAX:
        raise DomainError(
            _l("Your message is too long: %(n)s characters at most.", n=COMMENT_MAX), field="body"
        )
    if question_id is not None and question_id not in {q.id for q in round_.questions}:
        raise DomainError(_l("Choose a question of this round."), field="question_id")
    comment = Comment(
        round_id=round_.id,
        organisation_id=round_.organisation_id,
        question_id=question_id,
        author_id=actor.id,
        body=text,
    )
    db.session.add(comment)
    db.session.flush()
    moderation.submit(actor, comment)
    return comment


def visible_comments(actor: Person, round_: ConsultationRound) -> list[Comment]:
    """The messages `moderation.may_read` lets the actor read: published ones, the actor's
    own in any state (with their status), all of them for those who decide on them."""
    if not can(actor, "consultations.view", round_):
        return []
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.round_id == round_.id,
                moderation.readable_filter(actor, Comment, round_.organisation_id),
            )
            .options(selectinload(Comment.author))  # the page names each author
            .order_by(Comment.created_at, Comment.id)
        )
    )


def held_count(actor: Person, round_: ConsultationRound) -> int:
    """How many messages of this discussion wait for a moderator (for the people who decide)."""
    if not can(actor, "moderation.decide", round_.organisation_id):
        return 0
    return len(
        db.session.scalars(
            select(Comment.id).where(
                Comment.round_id == round_.id,
                Comment.moderation_status.in_([ModerationStatus.HELD, ModerationStatus.ESCALATED]),
            )
        ).all()
    )
