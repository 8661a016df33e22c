"""CSRF and safe GETs, for every route of app.url_map.

- Every route that accepts POST, sent by an actor who would be allowed (access_policy.py)
  without a token and with a wrong one: the app's CSRF refusal (400), nothing written.
- Every route that accepts GET, read by the owner, a facilitator and the platform admin:
  nothing in the database changes (a checksum of every row of every table)."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from app import create_app, db
from app.db import Base
from config import TestConfig
from tests import figures
from tests.security.access_policy import POLICY
from tests.security.world import build_world, clients, undone

pytestmark = pytest.mark.attack

GET_ACTORS = ("participant_a", "facilitator_a", "admin")
# Reads that legitimately write, the tables they may change, and why. Nothing else may change.
WRITING_READS: dict[str, tuple[set[str], str]] = {
    "consultations.export_csv": (
        {"audit_entries"},
        "exporting every answer of a round is personal data leaving Parole: it is audited",
    ),
    "trainings.attestation": (
        {"audit_entries"},
        "an attestation names the person and their hours: each one made is audited",
    ),
}


def _rules(app: Flask) -> dict[str, object]:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()}


_RULES = _rules(create_app(TestConfig, DATABASE_URL="sqlite://"))


def checksum() -> dict[str, str]:
    """A hash of every row of each table, in primary-key order."""
    sums = {}
    for table in Base.metadata.sorted_tables:
        digest = hashlib.sha256()
        for row in db.session.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
        sums[table.name] = digest.hexdigest()
    return sums


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _allowed_actor(endpoint: str) -> str:
    """An actor the policy lets through on POST (past the permission check)."""
    table = POLICY.get(endpoint, {}).get("POST", {})
    for actor in ("participant_a", "facilitator_a", "finance_a", "institute_a", "org_admin_a"):
        if table.get(actor) in ("ok", "refused"):
            return actor
    return next((a for a, o in table.items() if o in ("ok", "refused")), "participant_a")


def _url(app: Flask, world, endpoint: str, rule) -> str:  # noqa: ANN001
    with app.test_request_context():
        return url_for(endpoint, **world.values_for(endpoint, set(rule.arguments)))


GROUPS = sorted({endpoint.split(".")[0] for endpoint in _RULES})


@pytest.mark.parametrize("group", GROUPS)
def test_posts_need_a_token_and_gets_write_nothing(app, group):
    """One test per blueprint: the world is built once, each request runs in a savepoint."""
    with app.app_context():
        world = build_world(seed_fiches=group == "kit")
        db.session.commit()
        by_actor = clients(app, world)
        before = checksum()
    problems: list[str] = []
    for endpoint in sorted(e for e in _RULES if e.split(".")[0] == group):
        problems += _check_route(app, world, by_actor, before, endpoint)
    assert not problems, "\n".join(problems)


def _check_route(app, world, by_actor, before, endpoint) -> list[str]:  # noqa: ANN001
    rule = _RULES[endpoint]
    url = _url(app, world, endpoint, rule)
    problems = []

    if "POST" in rule.methods:
        actor = _allowed_actor(endpoint)
        for label, data in (("no token", {}), ("wrong token", {"csrf_token": "forged"})):
            with undone(app, world):
                response = by_actor[actor].post(url, data=data)
                with app.app_context():
                    after = checksum()
            if response.status_code != 400:
                problems.append(f"POST {url} as {actor} with {label}: {response.status_code}")
            if tables := changed(before, after):
                problems.append(f"POST {url} as {actor} with {label} changed {sorted(tables)}")
        figures.add("csrf: state-changing routes refused without token", 1)

    if "GET" in rule.methods:
        may_change = WRITING_READS.get(endpoint, (set(), ""))[0]
        for actor in GET_ACTORS:
            with undone(app, world):
                response = by_actor[actor].get(url)
                with app.app_context():
                    after = checksum()
            if response.status_code >= 500:
                problems.append(f"GET {url} as {actor}: {response.status_code}")
            if tables := changed(before, after) - may_change:
                problems.append(f"GET {url} as {actor} changed {sorted(tables)}")
        figures.add("csrf: GET routes checked unchanged", 1)
    return problems


def test_reads_that_write_take_the_write_lock_at_begin(app):
    """On SQLite a GET begins a deferred transaction; the few GETs that write must be marked
    (app.db.writes_on_get) or a busy database would refuse their write half-way."""
    marked = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "_parole_writes_on_get", False)
    }
    assert marked == set(WRITING_READS)
