"""Factories that flush, never commit."""

from __future__ import annotations

import functools
import itertools

from werkzeug.security import generate_password_hash

from app import db
from app.accounts.models import Membership, Organisation, OrganisationKind, Person, Role

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
# Test accounts get a real salted scrypt hash at a lighter cost than the app's (werkzeug's
# default N=2**15). A login checks a hash at the cost written in it, so logging in a test
# account takes about a millisecond instead of about 90 (the logins of the unit and
# functional tests were a third of their CPU time). The app's hash_secret and its hash for
# unknown identifiers are unchanged; tests of hashing itself call hash_secret.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@functools.cache
def hashed_once(secret: str) -> str:
    """The (salted scrypt, test cost) hash of `secret`, computed once per process: one valid
    hash serves every test account with that secret."""
    return generate_password_hash(secret, method=TEST_HASH_METHOD)


def make_org(
    name: str | None = None, kind: OrganisationKind = OrganisationKind.CRPA
) -> Organisation:
    org = Organisation(name=name or f"Structure test {next(_seq)}", kind=kind)
    db.session.add(org)
    db.session.flush()
    return org


def make_person(
    *roles: tuple[Organisation, Role],
    email: str | None = None,
    identifier: str | None = None,
    secret: str = PASSWORD,
    name: str | None = None,
    admin: bool = False,
    must_choose_code: bool = False,
) -> Person:
    n = next(_seq)
    if email is None and identifier is None:
        email = f"person{n}@example.test"
    person = Person(
        display_name=name or f"Personne {n}",
        email=email,
        login_identifier=identifier,
        secret_hash=hashed_once(secret),
        is_platform_admin=admin,
        must_choose_code=must_choose_code,
    )
    db.session.add(person)
    db.session.flush()
    for org, role in roles:
        db.session.add(Membership(person_id=person.id, organisation_id=org.id, role=role))
        if role == Role.PARTICIPANT and person.holder_organisation_id is None:
            # As if the account were made with help there (or the person agreed to be helped).
            person.holder_organisation_id = org.id
    db.session.flush()
    db.session.refresh(person, ["memberships"])
    return person
