"""What time does to accounts (run by `flask jobs run`, see app/core/jobs.py): the daily
retention purge (app/accounts/personal_data.py), in short batches, and the deletion of
invitation and reset links (`AccountLink`) used or expired for LINK_KEEP_DAYS.

Role invitations (`MembershipInvitation`) have no expiry date: nothing expires them here."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from app import db
from app.core.jobs import register_job

# A link stays this long after its end, so a late click still reads "this link has expired,
# ask for a new one" (and not "this link is not valid"); then it is deleted (it holds an
# e-mail address and a name).
LINK_KEEP_DAYS = 30


def register() -> None:
    register_job("accounts.retention_purge", timedelta(days=1), retention_purge)
    register_job("accounts.old_links", timedelta(days=1), delete_old_links)


def delete_old_links(now: datetime) -> int:
    """Delete the invitation and reset links used or expired more than LINK_KEEP_DAYS ago."""
    from app.accounts.models import AccountLink

    before = now - timedelta(days=LINK_KEEP_DAYS)
    result = db.session.execute(
        delete(AccountLink).where(
            or_(AccountLink.expires_at <= before, AccountLink.used_at <= before)
        )
    )
    return result.rowcount or 0


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
