"""Long-running processes (the mail worker, the scheduled reminders) live through a database
that is briefly out of reach: SQLite's write lock held past the busy timeout, a PostgreSQL
restart, a dropped connection. The failed batch is rolled back, waited for, tried again."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app import db

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_DELAY = 60.0  # seconds between two tries, at most


def is_transient(exc: BaseException) -> bool:
    """A database error that goes away by itself: busy, locked, restarted, disconnected."""
    if isinstance(exc, OperationalError | PoolTimeoutError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def next_delay(failures: int, base: float = 1.0) -> float:
    """1, 2, 4, 8... seconds (times `base`), at most MAX_DELAY."""
    return min(base * 2 ** max(failures - 1, 0), MAX_DELAY)


def forget_session() -> None:
    """Roll back and drop the session: the next try starts on a fresh connection."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may already be gone
        log.debug("rollback after a database error failed too")
    db.get_db().session.remove()


def with_retry(work: Callable[[], T], *, what: str, give_up_after: float) -> T:
    """Run `work` and commit; on a transient database error roll back, wait, and run it
    again (the whole batch: nothing of a failed try was written). Other errors, and a
    database still out of reach after `give_up_after` seconds, are raised."""
    deadline = time.monotonic() + give_up_after
    failures = 0
    while True:
        try:
            result = work()
            db.session.commit()
            return result
        except Exception as exc:
            if not is_transient(exc):
                db.session.rollback()
                raise
            failures += 1
            delay = next_delay(failures)
            forget_session()
            if time.monotonic() + delay > deadline:
                raise
            # The class name only: a database error's text may hold the row's values.
            log.warning(
                "%s: database unavailable (%s), try %s again in %.0f s",
                what,
                type(exc).__name__,
                failures + 1,
                delay,
            )
            time.sleep(delay)
