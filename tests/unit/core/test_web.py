"""The one POST helper (`commit_or_show_error`): one commit when the service succeeds, the
person told why when it refuses, on the form or, for a button alone, in a flashed message."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import select

from app import db
from app.core.errors import DomainError, NotFound
from app.core.models import AuditEntry
from app.core.web import commit_or_show_error


def _write(action: str) -> AuditEntry:
    entry = AuditEntry(action=action, object_type="test", details={})
    db.session.add(entry)
    db.session.flush()
    return entry


def _refuse() -> None:
    _write("test.refused")
    raise DomainError("This round is closed.")


def _kept(action: str) -> bool:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action)) is not None


def test_refusal_is_flashed_when_there_is_no_form(ctx: None) -> None:
    done, result = commit_or_show_error(None, _refuse)

    assert (done, result) == (False, None)
    assert get_flashed_messages(with_categories=True) == [("error", "This round is closed.")]
    assert not _kept("test.refused")


def test_before_commit_gets_the_result_and_is_saved_with_the_work(ctx: None) -> None:
    seen = []

    def record_where_to_go(entry: AuditEntry) -> None:
        seen.append(entry.action)
        _write("test.location")

    done, entry = commit_or_show_error(
        None, lambda: _write("test.work"), before_commit=record_where_to_go
    )

    assert done and entry.action == "test.work"
    assert seen == ["test.work"]
    db.session.rollback()  # only what was committed is left
    assert _kept("test.work") and _kept("test.location")


def test_before_commit_does_not_run_when_the_service_refuses(ctx: None) -> None:
    seen = []

    done, _result = commit_or_show_error(None, _refuse, before_commit=seen.append)

    assert not done and seen == []


def test_refusal_becomes_the_error_page_when_the_button_asks_for_it(ctx: None) -> None:
    def gone() -> None:
        _write("test.refused")
        raise NotFound("This invitation no longer exists.")

    with pytest.raises(NotFound):
        commit_or_show_error(None, gone, on_refusal="page")

    assert get_flashed_messages() == []
    assert not _kept("test.refused")
