"""The paper codes of a round, after they are made (services.create_paper_codes makes them):
their list with what became of each one, the way a typed code is read, and cancelling a code
(a questionnaire lost or spoiled) so that nobody answers with it.

A paper code is stored in clear (`Invitation.paper_code`): it is printed on the paper
questionnaire and the facilitator reads it back to type the answers in, so it is no password.
It only opens the typing-in of one paper questionnaire, to the round's facilitators.

Like every service, these flush and never commit, and take the actor first."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import ConsultationRound, Invitation, PaperCodeState, Response
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import require
from app.db import utcnow

# "P-" and six letters, as printed. Typed without the dash, with spaces or in small letters,
# or without the "P", it is the same code.
_PAPER_CODE = re.compile(r"P?([A-Z]{6})", re.ASCII)


def normalise_paper_code(raw: str | None) -> str:
    """The written form of a paper code, "P-ACDEFH", whether typed "pacdefh", "P ACDEFH",
    "p–acdefh" or "acdefh". Anything else comes back in capitals without spaces or dashes
    (it then matches no code)."""
    value = unicodedata.normalize("NFKC", raw or "").upper()
    value = "".join(ch for ch in value if ch.isalnum())
    code = _PAPER_CODE.fullmatch(value)
    return f"P-{code[1]}" if code else value


@dataclass(frozen=True)
class PaperCode:
    """One line of the codes page."""

    code: str
    state: PaperCodeState
    created_at: datetime
    cancelled_at: datetime | None


def state_of(invitation: Invitation, has_response: bool) -> PaperCodeState:
    if invitation.paper_code_cancelled_at is not None:
        return PaperCodeState.CANCELLED
    return PaperCodeState.USED if has_response else PaperCodeState.UNUSED


def code_state(invitation: Invitation) -> PaperCodeState:
    used = db.session.scalar(select(Response.id).where(Response.invitation_id == invitation.id))
    return state_of(invitation, used is not None)


def list_paper_codes(actor: Person, round_: ConsultationRound) -> list[PaperCode]:
    """The round's paper codes in the order they were made. A code is used once its answers
    are being typed in (a response exists), cancelled once a facilitator cancelled it."""
    require(actor, "consultations.manage", round_)
    rows = db.session.execute(
        select(Invitation, Response.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.round_id == round_.id, Invitation.paper_code.is_not(None))
        .order_by(Invitation.id)
    ).all()
    return [
        PaperCode(
            code=invitation.paper_code,
            state=state_of(invitation, response_id is not None),
            created_at=invitation.created_at,
            cancelled_at=invitation.paper_code_cancelled_at,
        )
        for invitation, response_id in rows
    ]


def find_paper_code(round_: ConsultationRound, code: str | None) -> Invitation | None:
    """The round's invitation with this paper code, however it was typed."""
    return db.session.scalar(
        select(Invitation).where(
            Invitation.round_id == round_.id,
            Invitation.paper_code == normalise_paper_code(code),
        )
    )


def cancel_paper_code(actor: Person, invitation: Invitation) -> None:
    """Nobody can answer with this code any more (a questionnaire lost, spoiled, given twice).
    A code whose answers are already typed in stays: its answers count."""
    round_ = db.session.get(ConsultationRound, invitation.round_id)
    require(actor, "consultations.manage", round_)
    invitation = db.lock(invitation)  # two clicks at once: the second sees the first's cancel
    if invitation.paper_code is None:
        raise DomainError(_l("This is not a paper questionnaire code."))
    if invitation.paper_code_cancelled_at is not None:
        raise DomainError(_l("This code is already cancelled."))
    if code_state(invitation) == PaperCodeState.USED:
        raise DomainError(
            _l("The answers of this questionnaire are typed in. Its code cannot be cancelled.")
        )
    invitation.paper_code_cancelled_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "consultation.paper_code_cancelled",
        round_,
        organisation_id=round_.organisation_id,
        invitation_id=invitation.id,
    )
