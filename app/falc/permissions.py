"""Who may do what in easy-read French: the proofreading (relecture FALC) and the
organisation's glossary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule
from app.falc.proofreading_models import (
    Proofreader,
    Proofreading,
    ProofreadingAssignment,
    ProofreadingStatus,
)


def active_proofreader(person: Person, organisation_id: int) -> Proofreader | None:
    """The person's proofreader record for this organisation, if they are still proofreading."""
    return db.session.scalar(
        select(Proofreader).where(
            Proofreader.person_id == person.id,
            Proofreader.organisation_id == organisation_id,
            Proofreader.active.is_(True),
        )
    )


def assignment_of(person: Person, proofreading: Proofreading) -> ProofreadingAssignment | None:
    return db.session.scalar(
        select(ProofreadingAssignment).where(
            ProofreadingAssignment.proofreading_id == proofreading.id,
            ProofreadingAssignment.person_id == person.id,
        )
    )


def _facilitates(actor: Person, organisation_id: int) -> bool:
    return has_role(actor, Role.FACILITATOR, organisation_id)


@rule("falc.access")
def _access(actor: Person, obj: Any) -> bool:
    """The proofreading pages: facilitators, and people who agreed to proofread."""
    if has_role(actor, Role.FACILITATOR):
        return True
    return (
        db.session.scalar(
            select(Proofreader.id).where(
                Proofreader.person_id == actor.id, Proofreader.active.is_(True)
            )
        )
        is not None
    )


@rule("falc.manage_proofreaders")
def _manage_proofreaders(actor: Person, org: Organisation) -> bool:
    return isinstance(org, Organisation) and _facilitates(actor, org.id)


@rule("falc.request")
def _request(actor: Person, org: Organisation) -> bool:
    return isinstance(org, Organisation) and _facilitates(actor, org.id)


@rule("falc.view")
def _view(actor: Person, proofreading: Proofreading) -> bool:
    """The facilitators of the organisation, and the people asked to proofread it."""
    if not isinstance(proofreading, Proofreading):
        return False
    return _facilitates(actor, proofreading.organisation_id) or (
        assignment_of(actor, proofreading) is not None
    )


@rule("falc.see_results")
def _see_results(actor: Person, proofreading: Proofreading) -> bool:
    """Who understood what, and the comments: for the facilitators of the organisation."""
    return isinstance(proofreading, Proofreading) and _facilitates(
        actor, proofreading.organisation_id
    )


@rule("falc.proofread")
def _proofread(actor: Person, proofreading: Proofreading) -> bool:
    """While the text waits: an assigned, active proofreader, or a facilitator of the
    organisation entering the marks a proofreader dictates (the service checks for whom)."""
    if not isinstance(proofreading, Proofreading):
        return False
    if proofreading.status != ProofreadingStatus.WAITING:
        return False
    if _facilitates(actor, proofreading.organisation_id):
        return True
    return (
        assignment_of(actor, proofreading) is not None
        and active_proofreader(actor, proofreading.organisation_id) is not None
    )


@rule("falc.edit_glossary")
def _edit_glossary(actor: Person, organisation: Any) -> bool:
    """Who edits the organisation's glossary: its facilitators and administrators."""
    return isinstance(organisation, Organisation) and (
        has_role(actor, Role.FACILITATOR, organisation) or has_role(actor, Role.ADMIN, organisation)
    )
