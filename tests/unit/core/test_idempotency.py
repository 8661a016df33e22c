"""Idempotency keys (app/core/idempotency.py): recorded once, replayed for their sender only."""

from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app import db
from app.accounts.models import Role
from app.core import idempotency
from app.core.models import IdempotencyKey
from app.db import utcnow
from tests.factories import make_org, make_person

ENDPOINT = "consultations.answer_question"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(IdempotencyKey))


def test_new_keys_are_random_and_accepted_back():
    first, second = idempotency.new_key(), idempotency.new_key()
    assert first != second
    assert idempotency.key_from({"idempotency_key": first}) == first


def test_a_missing_or_strange_key_is_no_key():
    assert idempotency.key_from({}) is None
    assert idempotency.key_from({"idempotency_key": ""}) is None
    assert idempotency.key_from({"idempotency_key": "short"}) is None
    assert idempotency.key_from({"idempotency_key": "x" * 65}) is None
    assert idempotency.key_from({"idempotency_key": "a" * 20 + "<script>"}) is None


def test_the_fingerprint_ignores_the_csrf_token_and_the_key_but_not_the_answer():
    one = MultiDict([("csrf_token", "a"), ("idempotency_key", "k" * 20), ("answer", "3")])
    same = MultiDict([("answer", "3"), ("csrf_token", "b")])
    other = MultiDict([("answer", "4"), ("csrf_token", "a")])
    several = MultiDict([("answer", "1"), ("answer", "2")])
    assert idempotency.fingerprint(one) == idempotency.fingerprint(same)
    assert idempotency.fingerprint(one) != idempotency.fingerprint(other)
    assert idempotency.fingerprint(several) != idempotency.fingerprint(MultiDict([("answer", "1")]))


def test_a_remembered_key_is_replayed_for_its_sender_only(ctx):
    org = make_org()
    lucie = make_person((org, Role.PARTICIPANT))
    marc = make_person((org, Role.PARTICIPANT))
    key = idempotency.new_key()
    assert idempotency.replay(key, lucie, ENDPOINT, "f") is None
    assert idempotency.remember(key, lucie, ENDPOINT, "/next", "f")
    db.session.commit()
    assert idempotency.replay(key, lucie, ENDPOINT, "f") == "/next"
    assert idempotency.replay(key, marc, ENDPOINT, "f") is None
    assert idempotency.replay(key, lucie, "consultations.answer_submit", "f") is None
    assert idempotency.replay(key, lucie, ENDPOINT, "another answer") is None


def test_the_unique_key_refuses_a_second_row_and_the_transaction_goes_on(ctx):
    org = make_org()
    lucie = make_person((org, Role.PARTICIPANT))
    marc = make_person((org, Role.PARTICIPANT))
    key = idempotency.new_key()
    assert idempotency.remember(key, lucie, ENDPOINT, "/next", "f")
    db.session.commit()
    assert not idempotency.remember(key, lucie, ENDPOINT, "/next", "f")
    assert not idempotency.remember(key, marc, ENDPOINT, "/elsewhere", "f")
    marc.display_name = "Marc B."  # the rest of the transaction is still usable
    db.session.commit()
    assert _count() == 1
    assert idempotency.replay(key, lucie, ENDPOINT, "f") == "/next"


def test_a_rolled_back_transaction_forgets_the_key(ctx):
    lucie = make_person((make_org(), Role.PARTICIPANT))
    db.session.commit()
    key = idempotency.new_key()
    assert idempotency.remember(key, lucie, ENDPOINT, "/next", "f")
    db.session.rollback()
    assert idempotency.replay(key, lucie, ENDPOINT, "f") is None
    assert idempotency.remember(key, lucie, ENDPOINT, "/next", "f")


def test_the_retention_purge_forgets_keys_older_than_2_days_only(ctx):
    from app.accounts.personal_data import purge

    lucie = make_person((make_org(), Role.PARTICIPANT))
    old, new = idempotency.new_key(), idempotency.new_key()
    idempotency.remember(old, lucie, ENDPOINT, "/a", "f")
    idempotency.remember(new, lucie, ENDPOINT, "/b", "f")
    db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == old)).created_at = (
        utcnow() - timedelta(days=3)
    )
    db.session.flush()
    assert purge(apply=True).form_keys == 1
    assert idempotency.replay(new, lucie, ENDPOINT, "f") == "/b"
    assert idempotency.replay(old, lucie, ENDPOINT, "f") is None
