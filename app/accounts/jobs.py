"""What time does to accounts (run by `flask jobs run`, see app/core/jobs.py): the daily
retention purge (app/accounts/personal_data.py), in short batches.

Role invitations (`MembershipInvitation`) have no expiry date: nothing expires them here."""

from __future__ import annotations

from datetime import datetime, timedelta

from app import db
from app.core.jobs import register_job


def register() -> None:
    register_job("accounts.retention_purge", timedelta(days=1), retention_purge)


def retention_purge(now: datetime) -> int:
    """`flask data purge --apply`, once a day: each batch committed on its own (a short
    write transaction); people and rows erased, counted."""
    from app.accounts.personal_data import purge_candidates, purge_steps

    with db.read_phase():  # the long scan: no write lock held
        candidates = purge_candidates(now)
    done = 0
    for report in purge_steps(True, now, candidates=candidates):
        db.session.commit()  # each batch its own short transaction
        done = len(report.people) + sum(report.counts.values())
    return done
