"""One link, two sends at the same moment (a double click on "Save my password", two tabs):
one account, one password change. Real threads on a database of their own (SQLite here,
PostgreSQL with .ci/with-postgres)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts import onboarding
from app.accounts.models import AccountLink, Membership, Organisation, Person, Role
from app.core.models import AuditEntry
from tests.concurrency import services_at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org
from tests.worlds import Team, saved

PASSWORD_A = "quatre mots faciles ici"
PASSWORD_B = "cinq autres mots bien longs"


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "onboarding") as app:
        yield app


def _token(app, purpose: str) -> str:
    """A link made by the service; its token read back from the mail it queued."""
    from app.core.models import OutboxMessage

    with saved(app):
        org = make_org("CRPA Deux Fois")
        team = Team(org, "d.test")
        admin = team.join("admin", Role.ADMIN)
        team.join("known", Role.PARTICIPANT)
        if purpose == "invitation":
            onboarding.invite_by_email(admin, org, "new@d.test", "Noé", "participant")
        else:
            onboarding.request_reset("known@d.test")
    with app.test_request_context("/"):
        body = db.session.scalar(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc()))
    return body.split("token=")[1].split()[0]


def test_invitation_link_sent_twice_at_once_makes_one_account(own_app):
    token = _token(own_app, "invitation")
    passwords = (PASSWORD_A, PASSWORD_B)
    outcomes = services_at_once(own_app, lambda i: onboarding.activate(token, passwords[i]))
    assert outcomes == ["LinkProblem", "done"]
    with own_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).where(Person.email == "new@d.test")) == 1
        org = db.session.scalar(select(Organisation))
        assert (
            db.session.scalar(
                select(func.count()).where(
                    Membership.organisation_id == org.id, Membership.role == Role.PARTICIPANT
                )
            )
            == 2  # "known" and the newcomer, once
        )
        link = db.session.scalar(select(AccountLink))
        assert link.used_at is not None


def test_reset_link_sent_twice_at_once_changes_the_password_once(own_app):
    token = _token(own_app, "reset")
    passwords = (PASSWORD_A, PASSWORD_B)
    outcomes = services_at_once(own_app, lambda i: onboarding.reset_password(token, passwords[i]))
    assert outcomes == ["LinkProblem", "done"]
    with own_app.test_request_context("/"):
        resets = db.session.scalar(
            select(func.count()).where(AuditEntry.action == "person.password_reset")
        )
        assert resets == 1


def test_import_confirmed_twice_at_once_invites_each_person_once(own_app):
    with saved(own_app):
        org = make_org("CRPA Fichier")
        Team(org, "f.test").join("admin", Role.ADMIN)
    lines = [
        onboarding.ImportLine(1, "Hélène", "helene@f.test", Role.PARTICIPANT),
        onboarding.ImportLine(2, "Inès", "ines@f.test", Role.FACILITATOR),
    ]

    def confirm(_i):
        admin = db.session.scalar(select(Person).where(Person.email == "admin@f.test"))
        onboarding.confirm_import(admin, db.session.scalar(select(Organisation)), lines)

    assert services_at_once(own_app, confirm) == ["done", "done"]
    with own_app.test_request_context("/"):
        assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 2
