"""What the demo made already, for the loaders of each domain (which run after `load_demo`
made the people, and may run twice)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person


def demo_person(email: str) -> Person:
    """A person the demo made (by `load_demo`), by their e-mail address."""
    found = db.session.scalar(select(Person).where(Person.email == email))
    assert found is not None, email
    return found


def already_loaded(model: Any, organisation: Organisation) -> bool:
    """This part of the demo is in the organisation already: the command ran before."""
    return (
        db.session.scalar(select(model.id).where(model.organisation_id == organisation.id).limit(1))
        is not None
    )
