"""The round's page writes "Vous avez dit :" before each feedback item: a facilitator who
writes it too must not give "Vous avez dit : Vous avez dit : ..."."""

import pytest

from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import RoundStatus
from app.consultations.services import FeedbackData
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture
def closed_round():
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(2)]
    open_round(round_, facilitator, people)
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    return round_, facilitator


@pytest.mark.parametrize(
    "typed",
    [
        "Vous avez dit : le bus coûte cher.",
        "vous avez dit: le bus coûte cher.",
        "VOUS AVEZ DIT\u00a0: le bus coûte cher.",
        "  Vous avez dit :\nle bus coûte cher.",
        "You said: le bus coûte cher.",
        "you said : le bus coûte cher.",
        "Vous avez dit : Vous avez dit : le bus coûte cher.",
    ],
)
def test_feedback_drops_the_label_the_page_adds_when_the_facilitator_writes_it(closed_round, typed):
    round_, facilitator = closed_round
    item = services.add_feedback_item(
        facilitator, round_, FeedbackData(typed, "Nous avons fait.", typed, "Nous avons fait.")
    )
    assert item.you_said == "le bus coûte cher."
    assert item.you_said_easy == "le bus coûte cher."


def test_feedback_keeps_the_words_you_said_inside_the_text(closed_round):
    round_, facilitator = closed_round
    text = "Beaucoup de personnes : vous avez dit que le bus coûte cher."
    item = services.add_feedback_item(
        facilitator, round_, FeedbackData(text, "Nous avons fait.", "Vous avez dit oui.", "Fait.")
    )
    assert item.you_said == text
    assert item.you_said_easy == "Vous avez dit oui."


def test_feedback_made_only_of_the_label_is_missing(closed_round):
    round_, facilitator = closed_round
    from app.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.add_feedback_item(
            facilitator,
            round_,
            FeedbackData("Vous avez dit :", "Fait.", "Vous avez dit :", "Fait."),
        )
    assert refused.value.field == "you_said"
