"""Invitation and reset links are deleted by the daily job once used or expired for a month
(`flask jobs run`, app/accounts/jobs.py): the test moves the clock, never sleeps."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts import onboarding
from app.accounts.models import AccountLink, LinkPurpose
from app.core import jobs
from app.db import utcnow

pytestmark = pytest.mark.usefixtures("ctx")

DAY = timedelta(days=1)


def _link(email, created, lifetime=DAY):
    _row, token = onboarding._new_link(LinkPurpose.INVITATION, email, lifetime, created)
    return token


def _state(token, now):
    try:
        onboarding.read_link(token, LinkPurpose.INVITATION, now)
    except onboarding.LinkProblem as problem:
        return problem.state
    return "valid"


def test_links_ended_over_a_month_ago_are_deleted_by_the_daily_job():
    now = utcnow()
    old_expired = _link("old@example.org", now - 40 * DAY)
    old_used = _link("used@example.org", now - 45 * DAY, lifetime=30 * DAY)
    used_row = db.session.scalar(select(AccountLink).where(AccountLink.email == "used@example.org"))
    used_row.used_at = now - 44 * DAY
    recent_expired = _link("recent@example.org", now - 3 * DAY)
    waiting = _link("waiting@example.org", now, lifetime=7 * DAY)
    db.session.commit()

    outcome = jobs.run_job(jobs.get_job("accounts.old_links"), now)

    assert outcome.done == 2
    assert _state(old_expired, now) == onboarding.LinkState.FORGED
    assert _state(old_used, now) == onboarding.LinkState.FORGED
    # A late click within the month still reads "expired, ask for a new one".
    assert _state(recent_expired, now) == onboarding.LinkState.EXPIRED
    assert _state(waiting, now) == "valid"
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 2
