"""Factories that flush, never commit."""

from __future__ import annotations

import functools
import itertools

from app import db
from app.accounts.models import Membership, Organisation, OrganisationKind, Person, Role
from app.accounts.services import hash_secret

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


@functools.cache
def hashed_once(secret: str) -> str:
    """The real (salted scrypt) hash of `secret`, computed once per process: one valid hash
    serves every test account with that secret, and scrypt is slow on purpose (85 hashes were
    two thirds of the consultation unit tests' time). Tests of hashing itself call hash_secret."""
    return hash_secret(secret)


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
