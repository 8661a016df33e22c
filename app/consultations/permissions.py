"""Who may do what with consultation rounds."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person, Role
from app.accounts.permissions import has_role
from app.consultations.models import Channel, ConsultationRound, Invitation, Response, RoundStatus
from app.core.permissions import rule


def is_invited(person: Person, round_: ConsultationRound) -> bool:
    return (
        db.session.scalar(
            select(Invitation.id).where(
                Invitation.round_id == round_.id, Invitation.person_id == person.id
            )
        )
        is not None
    )


@rule("consultations.create_in")
def _create_in(actor: Person, org: Organisation) -> bool:
    return isinstance(org, Organisation) and has_role(actor, Role.FACILITATOR, org)


@rule("consultations.manage")
def _manage(actor: Person, round_: ConsultationRound) -> bool:
    return isinstance(round_, ConsultationRound) and (
        has_role(actor, Role.FACILITATOR, round_.organisation_id)
        or has_role(actor, Role.ADMIN, round_.organisation_id)
    )


@rule("consultations.view")
def _view(actor: Person, round_: ConsultationRound) -> bool:
    if not isinstance(round_, ConsultationRound):
        return False
    if _manage(actor, round_):
        return True
    return round_.status != RoundStatus.DRAFT and is_invited(actor, round_)


@rule("consultations.answer")
def _answer(actor: Person, round_: ConsultationRound) -> bool:
    return (
        isinstance(round_, ConsultationRound)
        and round_.status == RoundStatus.OPEN
        and is_invited(actor, round_)
    )


@rule("consultations.see_results")
def _results(actor: Person, round_: ConsultationRound) -> bool:
    if not isinstance(round_, ConsultationRound):
        return False
    if _manage(actor, round_):
        return round_.status not in (RoundStatus.DRAFT, RoundStatus.ANNOUNCED)
    after = (RoundStatus.RESULTS, RoundStatus.FEEDBACK_PUBLISHED, RoundStatus.EVALUATED)
    return round_.status in after and is_invited(actor, round_)


@rule("consultations.see_feedback")
def _feedback(actor: Person, round_: ConsultationRound) -> bool:
    if not isinstance(round_, ConsultationRound):
        return False
    published = (RoundStatus.FEEDBACK_PUBLISHED, RoundStatus.EVALUATED)
    return round_.status in published and (_manage(actor, round_) or is_invited(actor, round_))


@rule("consultations.fill_response")
def _fill(actor: Person, response: Response) -> bool:
    """The person themselves, or the facilitator who is entering it for them."""
    if not isinstance(response, Response) or response.submitted_at is not None:
        return False
    round_ = db.session.get(ConsultationRound, response.round_id)
    if round_ is None:
        return False
    # Paper questionnaires collected at the last meeting may be typed in just after closing.
    paper_late = round_.status == RoundStatus.CLOSED and response.channel == Channel.PAPER
    if round_.status != RoundStatus.OPEN and not paper_late:
        return False
    if response.entered_by_id is not None:
        return response.entered_by_id == actor.id and _manage(actor, round_)
    return response.invitation.person_id == actor.id


@rule("consultations.comment")
def _comment(actor: Person, round_: ConsultationRound) -> bool:
    """Discussion is open while the round is open, for invited people and facilitators."""
    return (
        isinstance(round_, ConsultationRound)
        and round_.discussion_enabled
        and round_.status == RoundStatus.OPEN
        and (_manage(actor, round_) or is_invited(actor, round_))
    )
