"""Who may do what with consultation rounds.

What a round's state allows is read from its lifecycle table (app/consultations/lifecycle.py);
the rules add who the actor is. Templates ask these rules; the services check the same state
with `lifecycle.check` (one place for each state condition)."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person, Role
from app.accounts.permissions import has_role
from app.consultations.lifecycle import Allow, allows
from app.consultations.models import Channel, ConsultationRound, Invitation, Response
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


@rule("consultations.manage_pictures")
def _manage_pictures(actor: Person, org: Organisation) -> bool:
    """An organisation's own pictures (own_pictograms.py): its facilitators and administrators."""
    return isinstance(org, Organisation) and (
        has_role(actor, Role.FACILITATOR, org) or has_role(actor, Role.ADMIN, org)
    )


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
    return allows(round_, Allow.SEEN_BY_INVITED) and is_invited(actor, round_)


@rule("consultations.answer")
def _answer(actor: Person, round_: ConsultationRound) -> bool:
    return (
        isinstance(round_, ConsultationRound)
        and allows(round_, Allow.ANSWERS)
        and is_invited(actor, round_)
    )


@rule("consultations.see_results")
def _results(actor: Person, round_: ConsultationRound) -> bool:
    if not isinstance(round_, ConsultationRound):
        return False
    if _manage(actor, round_):
        return allows(round_, Allow.RESULTS_TO_STAFF)
    return allows(round_, Allow.RESULTS_TO_INVITED) and is_invited(actor, round_)


@rule("consultations.see_feedback")
def _feedback(actor: Person, round_: ConsultationRound) -> bool:
    """The feedback and its news: invited people once published; the staff while they write
    it too (they see what people will read)."""
    if not isinstance(round_, ConsultationRound):
        return False
    if _manage(actor, round_):
        return allows(round_, Allow.FEEDBACK_SHOWN) or allows(round_, Allow.FEEDBACK_ITEMS)
    return allows(round_, Allow.FEEDBACK_SHOWN) and is_invited(actor, round_)


@rule("consultations.fill_response")
def _fill(actor: Person, response: Response) -> bool:
    """The person themselves, or the facilitator who is entering it for them."""
    if not isinstance(response, Response) or response.submitted_at is not None:
        return False
    round_ = db.session.get(ConsultationRound, response.round_id)
    if round_ is None:
        return False
    # Paper questionnaires collected at the last meeting may be typed in just after closing.
    open_to = Allow.PAPER_ANSWERS if response.channel == Channel.PAPER else Allow.ANSWERS
    if not allows(round_, open_to):
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
        and allows(round_, Allow.DISCUSSION)
        and (_manage(actor, round_) or is_invited(actor, round_))
    )


# What may still change in a round, for the people who manage it: the buttons and forms of the
# round's page. The services refuse the same changes in the other states (lifecycle.check).


def _manage_while(actor: Person, round_: ConsultationRound, what: Allow) -> bool:
    return _manage(actor, round_) and allows(round_, what)


@rule("consultations.edit_texts")
def _edit_texts(actor: Person, round_: ConsultationRound) -> bool:
    return _manage_while(actor, round_, Allow.TEXTS)


@rule("consultations.edit_questions")
def _edit_questions(actor: Person, round_: ConsultationRound) -> bool:
    return _manage_while(actor, round_, Allow.QUESTIONS)


@rule("consultations.correct_questions")
def _correct_questions(actor: Person, round_: ConsultationRound) -> bool:
    """Correct the words of the questions once the round is announced, until it closes."""
    return _manage_while(actor, round_, Allow.WORDING) and not allows(round_, Allow.QUESTIONS)


@rule("consultations.invite")
def _invite(actor: Person, round_: ConsultationRound) -> bool:
    return _manage_while(actor, round_, Allow.INVITATIONS)


@rule("consultations.answer_for")
def _answer_for(actor: Person, round_: ConsultationRound) -> bool:
    """Fill in the answers for a person, with their consent."""
    return _manage_while(actor, round_, Allow.ANSWERS)


@rule("consultations.type_in_paper")
def _type_in_paper(actor: Person, round_: ConsultationRound) -> bool:
    return _manage_while(actor, round_, Allow.PAPER_ANSWERS)


@rule("consultations.write_feedback")
def _write_feedback(actor: Person, round_: ConsultationRound) -> bool:
    """Write, change and give news of the feedback items: from closing on, also once published."""
    return _manage_while(actor, round_, Allow.FEEDBACK_ITEMS)


@rule("consultations.curate")
def _curate(actor: Person, round_: ConsultationRound) -> bool:
    """Choose the free texts quoted to participants (after closing)."""
    return _manage_while(actor, round_, Allow.CURATION)


@rule("consultations.enter_paper_evaluation")
def _enter_paper_evaluation(actor: Person, round_: ConsultationRound) -> bool:
    """Type in the evaluation of someone who answered on paper, while evaluations are open."""
    return _manage_while(actor, round_, Allow.EVALUATION)


@rule("consultations.show_publicly")
def _show_publicly(actor: Person, round_: ConsultationRound) -> bool:
    """Show the round on the organisation's public page, or stop: once its results exist
    (app/consultations/public.py)."""
    return _manage_while(actor, round_, Allow.RESULTS_TO_INVITED)
