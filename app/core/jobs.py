"""The scheduler: the work that time starts (a round opening at its date, a reminder two days
before closing, an offer that ran out, the daily retention purge), run by `flask jobs run`.

Core owns the registry; each domain registers its jobs from its `init_app` (its `jobs.py`):

    register_job("consultations.open_rounds", timedelta(minutes=1), open_due_rounds)

`run(now)` takes the time it is given and returns how much it did (a count). It flushes and
never commits: the scheduler commits once it returns (a batched job, the purge, may commit
between its batches itself).

Safe on several hosts at once (cron on two machines, a `--loop` process and a cron line):

- **the job is claimed**: its `job_runs` row is read under a lock (`FOR UPDATE SKIP LOCKED`
  on PostgreSQL: a row another process holds is skipped, not waited for; SQLite's
  `BEGIN IMMEDIATE` lets one writer in at a time), checked (not run for `every` yet), marked
  started and committed before the work begins: a second process finds it started and
  leaves it;
- **each piece of work is claimed too**: a job reads its rows with `FOR UPDATE SKIP LOCKED`
  (`claim()` below) and checks their state again after the lock (a round opened by another
  process is not opened again; a reminder's "sent at" is set in the same transaction as
  its message).

Time comes from one place: `run_due(now)` hands its `now` to every job, the CLI takes it from
`app.db.utcnow` (or from `--now`, for tests and the demo): tests move the clock, never sleep.
`job_runs` keeps, per job, when it last started, finished and succeeded, how much it did and
the kind of its last error (a class name only: no personal data)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import db
from app.core.models import JobRun

log = logging.getLogger(__name__)

# A job due every minute, started by cron every minute, starts a few milliseconds late or
# early each time: it is due again once `every` minus this margin has passed.
MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], int]


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool  # False: not due yet, or another process has it
    done: int = 0
    error: str = ""  # the class name of the error that stopped it


_JOBS: dict[str, Job] = {}


def register_job(name: str, every: timedelta, run: Callable[[datetime], int]) -> None:
    """Add a job (from a domain's `init_app`). Registering the same name again replaces it
    (an app made twice in one process, as the tests do)."""
    _JOBS[name] = Job(name, every, run)


def registered_jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def get_job(name: str) -> Job:
    return _JOBS[name]


def claim(stmt: Any) -> Any:
    """`stmt` (a select of rows to work on) with `FOR UPDATE SKIP LOCKED`: on PostgreSQL the
    rows another process is working on are left to it. SQLite has no row locks (its
    transaction already holds the write lock) and ignores the clause. Check each row's state
    again on what this returns: another process may have done it just before."""
    return stmt.with_for_update(skip_locked=True)


def _claim_job(job: Job, now: datetime, force: bool) -> bool:
    """In its own short transaction: mark the job started, if it is due and nobody has it."""
    row = db.session.scalars(claim(select(JobRun).where(JobRun.name == job.name))).first()
    if row is None:
        if db.session.get(JobRun, job.name) is not None:
            return False  # it exists: another process holds it (PostgreSQL skipped it)
        try:
            with db.session.begin_nested():
                row = JobRun(name=job.name)
                db.session.add(row)
        except IntegrityError:
            return False  # another process made the row at the same moment and has it
    if not force and row.started_at is not None and now < row.started_at + job.every - MARGIN:
        return False
    row.started_at = now
    return True


def _record(name: str, now: datetime, done: int, error: str) -> None:
    row = db.session.get(JobRun, name)
    if row is None:
        return
    row.finished_at = now
    row.done = done
    row.error = error
    if not error:
        row.succeeded_at = now


def run_job(
    job: Job, now: datetime, *, force: bool = False, give_up_after: float = 3000.0
) -> Outcome:
    """Claim `job` and run it. `force`: even if it ran less than `every` ago (the old
    `flask ... remind` commands). A database out of reach is waited for (app/core/retry.py)
    and raised after `give_up_after` seconds; any other error is recorded in `job_runs` and
    given back in the outcome, and the next run tries again once the job is due."""
    from app.core.retry import is_transient, with_retry

    if not with_retry(
        lambda: _claim_job(job, now, force), what=job.name, give_up_after=give_up_after
    ):
        return Outcome(job.name, ran=False)
    try:
        done = with_retry(lambda: job.run(now), what=job.name, give_up_after=give_up_after)
    except Exception as exc:
        db.session.rollback()
        if is_transient(exc):
            raise
        # The class name only: an error's text may hold the values of a row.
        log.error("job %s failed (%s)", job.name, type(exc).__name__)
        error = type(exc).__name__
        with_retry(
            lambda: _record(job.name, now, 0, error), what=job.name, give_up_after=give_up_after
        )
        return Outcome(job.name, ran=True, error=error)
    with_retry(
        lambda: _record(job.name, now, int(done or 0), ""),
        what=job.name,
        give_up_after=give_up_after,
    )
    return Outcome(job.name, ran=True, done=int(done or 0))


def run_due(now: datetime | None = None, *, give_up_after: float = 3000.0) -> list[Outcome]:
    """Run every registered job that is due, one after the other, each in its own
    transactions; what each did."""
    now = now or db.utcnow()
    return [run_job(job, now, give_up_after=give_up_after) for job in registered_jobs()]


def job_runs() -> list[JobRun]:
    """What the scheduler did, job by job (for an administrator)."""
    return list(db.session.scalars(select(JobRun).order_by(JobRun.name)))
