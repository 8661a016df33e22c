"""Migration 0027 keeps what organisations chose: one that had saved its rates keeps its list
of costs without a receipt, kind by kind, with its old limit, and its own rate per km; one
that never saved them gets the new defaults (the tax scale for a car). Cost lines and their
receipts are kept, and going back gives the old list again."""

from alembic import command
from sqlalchemy import inspect, text

from app.core.schema import alembic_config, upgrade
from app.db import make_engine
from tests.conftest import fresh_database, worker_name

ORGANISATION = (
    "INSERT INTO organisations (id, name, kind, created_at, invitation_notice_days,"
    " retention_months) VALUES (:id, :name, 'crpa', '2026-01-01 10:00:00', 7, 24)"
)
SETTINGS = (
    "INSERT INTO expense_settings (organisation_id, km_rate, meal_flat_rate,"
    " childcare_hourly_rate, sworn_categories, sworn_ceiling, second_approval_above,"
    " payment_days, rates_are_examples) VALUES (:org, :km, 1500, 1200, :chosen, :ceiling,"
    " 15000, 30, :examples)"
)


def test_saved_choices_become_rules_per_kind_of_cost_and_come_back(request, tmp_path):
    url = fresh_database(f"parole_claims_{worker_name(request)}", tmp_path)
    upgrade(url, "0026")
    engine = make_engine(url)
    try:
        with engine.begin() as db:
            for org_id in (1, 2):
                db.execute(text(ORGANISATION), {"id": org_id, "name": f"Structure {org_id}"})
            # 1 saved its own: parking and taxi without a receipt up to 25 €, 0,40 € per km.
            db.execute(
                text(SETTINGS),
                {
                    "org": 1,
                    "km": 40,
                    "chosen": '["parking", "taxi"]',
                    "ceiling": 2500,
                    "examples": False,
                },
            )
            # 2 never saved: the platform's examples.
            db.execute(
                text(SETTINGS),
                {
                    "org": 2,
                    "km": 35,
                    "chosen": '["local_transport", "parking"]',
                    "ceiling": 2000,
                    "examples": True,
                },
            )
            db.execute(
                text(
                    "INSERT INTO expense_requests (id, organisation_id, kind, status,"
                    " activity_type, activity_label, reason, created_at, payment_reference,"
                    " third_party_name) VALUES (1, 1, 'reimbursement', 'draft', 'other',"
                    " 'Réunion', '', '2026-01-01 10:00:00', '', '')"
                )
            )
            db.execute(
                text(
                    "INSERT INTO expense_lines (id, request_id, category, description, amount,"
                    " kilometres, flat_rate, sworn_statement) VALUES (1, 1, 'car', 'Arras',"
                    " 1470, 4200, false, false)"
                )
            )
            db.execute(
                text(
                    "INSERT INTO expense_receipts (id, line_id, storage_key, mime, size, pages,"
                    " sha256, uploaded_at) VALUES (1, 1, 'k.jpg', 'image/jpeg', 10, 1, 'x',"
                    " '2026-01-01 10:00:00')"
                )
            )
        upgrade(url, "0027")
        with engine.connect() as db:
            rules = db.execute(
                text(
                    "SELECT organisation_id, category, sworn_allowed, sworn_ceiling"
                    " FROM expense_category_rules ORDER BY organisation_id, category"
                )
            ).all()
            rates = dict(
                db.execute(text("SELECT organisation_id, km_rate FROM expense_settings")).all()
            )
            line = db.execute(
                text("SELECT amount, kilometres, electric, unit_rate FROM expense_lines")
            ).one()
            receipts = db.execute(text("SELECT count(*) FROM expense_receipts")).scalar_one()
        allowed = {(o, c): (bool(a), ceiling) for o, c, a, ceiling in rules}
        assert {o for o, _c in allowed} == {1}  # 2 follows the new defaults
        assert len(allowed) == 9  # every kind of cost, as saved
        assert allowed[(1, "parking")] == (True, 2500) and allowed[(1, "taxi")] == (True, 2500)
        assert allowed[(1, "car")] == (False, None)
        assert rates == {1: 40, 2: None}  # 2: the tax scale for the car's power
        assert (line[0], line[1], bool(line[2]), line[3]) == (1470, 4200, False, None)
        assert receipts == 1
        command.downgrade(alembic_config(url), "0026")
        with engine.connect() as db:
            assert "expense_category_rules" not in inspect(db).get_table_names()
            back = dict(
                db.execute(
                    text("SELECT organisation_id, sworn_categories FROM expense_settings")
                ).all()
            )
            rates = dict(
                db.execute(text("SELECT organisation_id, km_rate FROM expense_settings")).all()
            )
        assert back[1] in ('["parking", "taxi"]', ["parking", "taxi"])
        assert rates == {1: 40, 2: 35}
    finally:
        engine.dispose()
