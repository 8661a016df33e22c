"""Showing a round on the organisation's public page: who may, from when, once."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations import public
from app.core.errors import NotAllowed, NotFound
from app.core.models import AuditEntry
from tests.worlds import a_round, an_organisation

pytestmark = pytest.mark.usefixtures("ctx")


def _audited(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_showing_twice_counts_once():
    team = an_organisation("CRPA Deux Fois", fac=Role.FACILITATOR, p=Role.PARTICIPANT)
    round_ = a_round(team.org, team["fac"], step="results", invited=[team["p"]])
    assert public.set_shown_publicly(team["fac"], round_, True) is True
    first = round_.shown_publicly_at
    assert public.set_shown_publicly(team["fac"], round_, True) is False
    assert round_.shown_publicly_at == first
    assert _audited("consultations.shown_publicly") == 1
    assert public.set_shown_publicly(team["fac"], round_, False) is True
    assert public.set_shown_publicly(team["fac"], round_, False) is False
    assert _audited("consultations.hidden_publicly") == 1


@pytest.mark.parametrize("step", ["draft", "open", "closed"])
def test_a_round_without_results_cannot_be_shown(step):
    team = an_organisation("CRPA Trop Tôt", fac=Role.FACILITATOR, p=Role.PARTICIPANT)
    round_ = a_round(team.org, team["fac"], step=step, invited=[team["p"]])
    with pytest.raises(NotAllowed):
        public.set_shown_publicly(team["fac"], round_, True)
    assert round_.shown_publicly_at is None and team.org.public_slug is None


def test_only_the_people_who_manage_the_round_may_show_it():
    team = an_organisation("CRPA Qui", fac=Role.FACILITATOR, p=Role.PARTICIPANT, mod=Role.MODERATOR)
    other = an_organisation("CRPA Autre", domain="autre.test", fac=Role.FACILITATOR)
    round_ = a_round(team.org, team["fac"], step="feedback", invited=[team["p"]])
    for actor in (team["p"], team["mod"], other["fac"]):
        with pytest.raises(NotAllowed):
            public.set_shown_publicly(actor, round_, True)
    assert round_.shown_publicly_at is None


def test_the_public_address_lists_only_shown_rounds_with_results():
    team = an_organisation("CRPA Liste", fac=Role.FACILITATOR, p=Role.PARTICIPANT)
    shown = a_round(team.org, team["fac"], step="feedback", invited=[team["p"]], title="Un")
    a_round(team.org, team["fac"], step="results", invited=[team["p"]], title="Deux")
    public.set_shown_publicly(team["fac"], shown, True)
    organisation, rounds = public.public_organisation("crpa-liste")
    assert organisation.id == team.org.id and [r.id for r in rounds] == [shown.id]
    with pytest.raises(NotFound):
        public.public_organisation("x" * 200)
