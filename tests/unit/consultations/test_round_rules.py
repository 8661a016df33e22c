"""What a round's page offers in each state is what the services accept in that state: the
permission rules the template asks and the services' checks read one lifecycle table."""

from __future__ import annotations

import pytest

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import QuestionKind, RoundStatus
from app.consultations.services import FeedbackData
from app.core.errors import InvalidTransition
from app.core.permissions import can
from tests.consultation_factories import make_round
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def _accepted(call) -> bool:  # noqa: ANN001
    """Whether the service accepts the call in the round's state (then undone)."""
    savepoint = db.session.begin_nested()
    try:
        call()
    except InvalidTransition:
        return False
    finally:
        savepoint.rollback()
    return True


@pytest.mark.parametrize("status", list(RoundStatus))
def test_the_round_page_offers_a_change_exactly_when_the_service_accepts_it(status):
    round_, facilitator = make_round()
    org = round_.organisation
    invited, newcomer = (make_person((org, Role.PARTICIPANT)) for _ in range(2))
    stranger = make_person((make_org(), Role.FACILITATOR))
    services.invite_people(facilitator, round_, [invited.id])
    code = services.create_paper_codes(facilitator, round_, 1)[0]
    round_.status = status
    db.session.flush()
    data = services.RoundData(
        title="Le logement", opens_at=round_.opens_at, closes_at=round_.closes_at
    )
    feedback = FeedbackData("a", "b", "a facile", "b facile")
    offered_and_accepted = {
        "consultations.edit_texts": lambda: services.update_round(facilitator, round_, data),
        "consultations.edit_questions": lambda: services.add_question(
            facilitator, round_, QuestionKind.SHORT_TEXT, "Pourquoi ?", "Pourquoi ?"
        ),
        "consultations.invite": lambda: services.invite_people(facilitator, round_, [newcomer.id]),
        "consultations.answer_for": lambda: services.start_response(
            facilitator, round_, person=invited, consent_note="Il a dit oui."
        ),
        "consultations.type_in_paper": lambda: services.start_paper_response(
            facilitator, round_, code
        ),
        "consultations.write_feedback": lambda: services.add_feedback_item(
            facilitator, round_, feedback
        ),
    }
    for action, call in offered_and_accepted.items():
        db.session.refresh(round_)
        offered = can(facilitator, action, round_)
        assert offered == _accepted(call), f"{action} in the state {status.value}"
        # Never to a participant, even an invited one, nor to another organisation's staff.
        assert not can(invited, action, round_)
        assert not can(stranger, action, round_)
