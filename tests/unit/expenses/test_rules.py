"""Who may do what with a request: one permission rule each (app/expenses/permissions.py),
asked by the pages, the templates and the services alike."""

import pytest

from app.accounts.models import Role
from app.core.errors import InvalidTransition
from app.core.permissions import can
from app.expenses import services
from app.expenses.models import ActivityType, RequestKind, RequestStatus
from app.expenses.services import Review
from tests.worlds import a_cost_request, an_organisation

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path):
    previous = app.config["UPLOAD_ROOT"]
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    yield
    app.config["UPLOAD_ROOT"] = previous


@pytest.fixture
def world():
    team = an_organisation(
        person=Role.PARTICIPANT,
        fac=Role.FACILITATOR,
        other_fac=Role.FACILITATOR,
        finance=Role.FINANCE,
        finance2=Role.FINANCE,
    )
    return {"org": team.org, **team.people}


def _entered_by_fac(world, kind=RequestKind.REIMBURSEMENT):
    return services.create_request(
        world["fac"],
        world["person"],
        world["org"],
        kind,
        ActivityType.CONSULTATION,
        "Réunion logement",
        consent_note="Elle me l'a demandé au téléphone.",
    )


def test_once_sent_only_the_person_or_who_entered_it_may_cancel(world):
    request = _entered_by_fac(world)
    assert can(world["other_fac"], "expenses.edit", request)  # acts for the person
    assert can(world["other_fac"], "expenses.cancel", request)  # a draft: any helper
    sent, _line = a_cost_request(world["person"], world["org"], world["finance"], step="submitted")
    assert not can(world["other_fac"], "expenses.edit", sent)
    assert not can(world["other_fac"], "expenses.cancel", sent)
    assert can(world["person"], "expenses.cancel", sent)
    with pytest.raises(InvalidTransition):
        services.cancel(world["other_fac"], sent)
    assert sent.status == RequestStatus.SUBMITTED
    services.cancel(world["person"], sent)
    assert sent.status == RequestStatus.CANCELLED


def test_a_paid_advance_is_settled_by_the_person_or_who_entered_it(world):
    advance, _line = a_cost_request(
        world["person"], world["org"], world["finance"], step="paid", kind=RequestKind.ADVANCE
    )
    assert not can(world["other_fac"], "expenses.settle", advance)
    with pytest.raises(InvalidTransition):
        services.settle_advance(world["other_fac"], advance)
    assert can(world["person"], "expenses.settle", advance)
    settlement = services.settle_advance(world["person"], advance)
    assert settlement.settles_id == advance.id


def test_review_rules_follow_the_request(world):
    person, finance, finance2 = world["person"], world["finance"], world["finance2"]
    request, line = a_cost_request(person, world["org"], finance, step="submitted")
    assert not can(person, "expenses.review_this", request)  # never one's own
    assert can(finance, "expenses.review_this", request)
    assert can(finance, "expenses.decide", request)
    assert not can(finance, "expenses.pay_this", request)  # not accepted yet
    line.amount = line.amount * 20  # 250 €, above the default threshold: two people check
    services.review(finance, request, Review("approve"))
    assert request.status == RequestStatus.AWAITING_SECOND
    assert not can(finance, "expenses.decide", request)  # the second check is someone else's
    assert can(finance2, "expenses.decide", request)
    services.review(finance2, request, Review("approve"))
    assert not can(finance2, "expenses.decide", request)
    assert can(finance, "expenses.pay_this", request)
    assert not can(world["fac"], "expenses.pay_this", request)  # facilitators do not pay
