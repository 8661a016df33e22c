"""Every route that names an object (and the personal export), for every actor, GET and POST
(with a valid CSRF token): the outcome must be the one the policy table (access_policy.py)
says. Routes are read from app.url_map, so a new route without a policy fails here.

The actors are A's cast, two outsiders (organisation B, institute B), the platform admin and
the whole cast of an unrelated organisation Z (world.ACTORS_Z). Then the routes that name an
object Z owns are run again on Z's objects, the policy read with Z's cast in A's place
(world.mirrored): Z's people reach their own things (so their denials on A's objects are not
an account that reaches nothing), and A's people get nothing of Z's. Last, the audit's
takeover: once participant A accepted Z's invitation to be a participant of Z, Z's cast
still gets nothing more of A's objects (test_cross_organisation.py does it over HTTP with
the pages that take a `?person_id=`)."""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import pytest
from flask import Flask

from app import create_app
from config import TestConfig
from tests import figures
from tests.conftest import login
from tests.factories import PASSWORD
from tests.security.access_policy import POLICY, expected
from tests.security.world import (
    ACTORS,
    ACTORS_Z,
    build_world,
    clients,
    csrf_token,
    mirrored,
    names_z_object,
    undone,
)

pytestmark = pytest.mark.attack

# Routes without an argument that still hand out one person's data.
PERSONAL_EXPORTS = {"accounts.my_data"}
METHODS = ("GET", "POST")
OBSERVE = os.environ.get("PAROLE_ACCESS_OBSERVE")  # a file: record outcomes, assert nothing


def checked_rules(app: Flask) -> dict[str, object]:
    return {
        rule.endpoint: rule
        for rule in app.url_map.iter_rules()
        if rule.arguments or rule.endpoint in PERSONAL_EXPORTS
    }


_RULES = checked_rules(create_app(TestConfig, DATABASE_URL="sqlite://"))


def outcome(response) -> str:  # noqa: ANN001
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).path
        if target.startswith("/login"):
            return "login"
        if target.startswith("/account/choose-code"):
            return "choose code"  # an account at its first login reaches nothing else
        return "ok"
    if status < 300:
        return "ok"
    if status in (403, 404):
        return "denied"
    return "refused"  # 400, 409...: past the permission check, the content or state refused


def test_every_route_has_a_policy_and_every_policy_a_route():
    missing = sorted(set(_RULES) - set(POLICY))
    stale = sorted(set(POLICY) - set(_RULES))
    assert not missing, f"routes without an access policy (add them to access_policy.py): {missing}"
    assert not stale, f"access policies for routes that no longer exist: {stale}"
    for endpoint, rule in _RULES.items():
        for method in set(POLICY[endpoint]) - (rule.methods or set()):
            pytest.fail(f"{endpoint}: the policy names {method}, the route does not accept it")


def test_session_helper_logs_in_like_the_login_form(app):
    """The suites log actors in by setting the session the login view sets; check once that
    a client logged in through the form gets the same page as the helper's client."""
    with app.app_context():
        world = build_world(seed_fiches=False)
        db_commit()
        helper = clients(app, world)["participant_a"]
    real = app.test_client()
    login(real, "MONDEA1", PASSWORD)
    url = f"/expenses/{world.ids['request_id']}"
    assert helper.get(url).status_code == real.get(url).status_code == 200
    for client in (helper, real):
        assert "MONDEA1" in client.get("/account/data").get_data(as_text=True)


def db_commit() -> None:
    from app import db

    db.session.commit()


# One test per blueprint: the world is built once and each request runs in a savepoint
# (undone), so every actor meets the same world; failures still name the endpoint.
GROUPS = sorted({endpoint.split(".")[0] for endpoint in _RULES})


@pytest.mark.parametrize("group", GROUPS)
def test_routes_answer_each_actor_as_the_policy_says(app, group):
    endpoints = sorted(e for e in _RULES if e.split(".")[0] == group)
    with app.app_context():
        world = build_world(seed_fiches=group == "kit")
        db_commit()
        by_actor = clients(app, world)
    token = csrf_token(app)
    problems: list[str] = []
    for endpoint in endpoints:
        problems += _check_route(app, world, by_actor, token, endpoint)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("group", GROUPS)
def test_z_reaches_nothing_more_of_a_after_participant_a_accepted_z(app, group):
    """The audit's takeover as far as it goes now: Z's administrator invited participant A to
    be a participant of Z and the person said yes. Z's cast still gets of A's objects (the
    person's page, code, requests, sign-ups, data...) exactly what the policy says: A holds
    the account, not Z."""
    endpoints = sorted(e for e in _RULES if e.split(".")[0] == group)
    with app.app_context():
        world = build_world(seed_fiches=group == "kit", a_joined_z=True)
        db_commit()
        by_actor = clients(app, world)
    token = csrf_token(app)
    problems: list[str] = []
    for endpoint in endpoints:
        problems += _check_route(app, world, by_actor, token, endpoint, side="a joined z")
    assert not problems, "\n".join(problems)


# The routes whose objects Z owns too (a round, a response, an expense request, its line and
# receipt, a mission, its session and sign-up, Z's organisation, institute, a membership, the
# participant whose account Z made). Pages of a finished round, moderation items, proofreading
# and download links exist on A's side only.
_Z_RULES = {e: r for e, r in _RULES.items() if names_z_object(e, set(r.arguments))}
Z_GROUPS = sorted({endpoint.split(".")[0] for endpoint in _Z_RULES})


def test_organisation_z_owns_objects_for_most_routes():
    """The mirrored check below covers the bulk of the object routes, not a token few."""
    assert len(_Z_RULES) >= 70, sorted(_Z_RULES)
    assert {"admin", "consultations", "expenses", "participants", "trainings"} <= set(Z_GROUPS)


@pytest.mark.parametrize("group", Z_GROUPS)
def test_routes_on_z_objects_answer_as_the_mirrored_policy_says(app, group):
    endpoints = sorted(e for e in _Z_RULES if e.split(".")[0] == group)
    with app.app_context():
        world = build_world(seed_fiches=group == "kit")
        db_commit()
        by_actor = clients(app, world)
    token = csrf_token(app)
    problems: list[str] = []
    for endpoint in endpoints:
        problems += _check_route(app, world, by_actor, token, endpoint, side="z")
    assert not problems, "\n".join(problems)


def _check_route(app, world, by_actor, token, endpoint, side="a") -> list[str]:  # noqa: ANN001
    rule = _RULES[endpoint]
    arguments = set(rule.arguments)
    if side == "z":
        values = world.z_values_for(endpoint, arguments)
    else:
        values = world.values_for(endpoint, arguments)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **values)
    suffix = {"a": "", "z": " on Z's objects", "a joined z": " once A's person joined Z"}[side]
    actors = ACTORS_Z if side == "a joined z" else ACTORS
    figures.add(f"access: routes{suffix}", 1)
    problems = []
    observed: dict[str, dict[str, str]] = {}
    for method in METHODS:
        if method not in rule.methods:
            continue
        for actor in actors:
            client = by_actor[actor]
            with undone(app, world):
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
            got = outcome(response)
            figures.add(f"access: route x actor checks{suffix}", 1)
            observed.setdefault(method, {})[actor] = got
            if OBSERVE:
                continue
            stand_in = mirrored(actor) if side == "z" else actor
            want = expected(endpoint, method, stand_in)
            if got not in want:
                instead = "" if stand_in == actor else f" (as {stand_in} on A's)"
                problems.append(
                    f"{method} {url} as {actor}: {got} ({response.status_code}), "
                    f"expected {want}{instead}"
                )
    if OBSERVE:
        with open(OBSERVE, "a", encoding="utf-8") as out:
            record = {"endpoint": endpoint, "side": side, "url": url, "observed": observed}
            out.write(json.dumps(record) + "\n")
    return problems
