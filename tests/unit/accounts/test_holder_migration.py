"""Migration 0013 gives existing accounts made with help the organisation that holds them:
the one of their oldest participant role. Other accounts stay without a holder."""

from alembic import command
from sqlalchemy import inspect, text

from app.core.schema import alembic_config, upgrade
from app.db import make_engine
from tests.conftest import fresh_database, worker_name

PERSON = (
    "INSERT INTO people (id, display_name, email, login_identifier, secret_hash,"
    " must_choose_code, is_platform_admin, is_active, created_at, secret_changed_at,"
    " language, easy_read, high_contrast, entered_by_id, consent_note)"
    " VALUES (:id, :name, :email, :identifier, 'x', false, false, true,"
    " '2026-01-01 10:00:00', '2026-01-01 10:00:00', 'fr', false, false, :entered_by, :note)"
)
MEMBERSHIP = (
    "INSERT INTO memberships (person_id, organisation_id, role, created_at)"
    " VALUES (:person, :org, :role, :at)"
)


def test_accounts_made_with_help_get_their_oldest_participant_organisation(request, tmp_path):
    url = fresh_database(f"parole_holder_{worker_name(request)}", tmp_path)
    upgrade(url, "0012")
    engine = make_engine(url)
    try:
        with engine.begin() as db:
            for org_id in (1, 2):
                db.execute(
                    text(
                        "INSERT INTO organisations (id, name, kind, created_at,"
                        " invitation_notice_days, retention_months)"
                        " VALUES (:id, :name, 'crpa', '2026-01-01 10:00:00', 7, 24)"
                    ),
                    {"id": org_id, "name": f"Structure {org_id}"},
                )
            people = [
                (1, "Fanny", "fanny@example.test", None, None),
                (2, "Aidée", None, "HELP-12", 1),  # made with help
                (3, "Marc", "marc@example.test", None, None),  # e-mail account
                (4, "Sans rôle", None, "NONE-34", 1),  # made with help, no participant role
            ]
            for pid, name, email, identifier, entered_by in people:
                db.execute(
                    text(PERSON),
                    {
                        "id": pid,
                        "name": name,
                        "email": email,
                        "identifier": identifier,
                        "entered_by": entered_by,
                        "note": "accord oral" if entered_by else None,
                    },
                )
            for person, org, role, at in [
                (1, 1, "facilitator", "2026-01-01 10:00:00"),
                (2, 1, "participant", "2026-03-01 10:00:00"),
                (2, 2, "participant", "2026-02-01 10:00:00"),  # the oldest
                (3, 1, "participant", "2026-01-01 10:00:00"),
                (4, 1, "moderator", "2026-01-01 10:00:00"),
            ]:
                db.execute(text(MEMBERSHIP), {"person": person, "org": org, "role": role, "at": at})
        upgrade(url, "0013")
        with engine.connect() as db:
            holders = dict(
                db.execute(text("SELECT id, holder_organisation_id FROM people ORDER BY id")).all()
            )
            # Nothing else was touched (on SQLite, copying `people` with foreign keys on would
            # have deleted every membership through ON DELETE CASCADE).
            memberships = db.execute(text("SELECT count(*) FROM memberships")).scalar_one()
            helpers = db.execute(text("SELECT count(entered_by_id) FROM people")).scalar_one()
        assert holders == {1: None, 2: 2, 3: None, 4: None}
        assert memberships == 5 and helpers == 2
        command.downgrade(alembic_config(url), "0012")
        with engine.connect() as db:
            assert "membership_invitations" not in inspect(db).get_table_names()
            assert "holder_organisation_id" not in {
                c["name"] for c in inspect(db).get_columns("people")
            }
            assert db.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 5
        upgrade(url, "0013")  # and back up again
        with engine.connect() as db:
            held = db.execute(text("SELECT holder_organisation_id FROM people WHERE id = 2"))
            assert held.scalar_one() == 2
    finally:
        engine.dispose()
