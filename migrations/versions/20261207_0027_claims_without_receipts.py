"""claims without receipts

A sworn statement per kind of cost: `expense_category_rules` (allowed or not, and up to what
amount, empty for no limit) replaces the one list and the one limit of `expense_settings`
(an organisation that had saved its own keeps its choice, kind by kind, with its old limit).
`expense_settings.km_rate` may be empty: the tax scale for the car's power then applies (an
organisation that never saved its rates gets the scale). A cost line keeps the rate it was
priced at, the car's power and whether it is electric, and the statement as signed (the exact
sentence, when, by whom, and the consent note when a facilitator signed for the person).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 22:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "train",
    "local_transport",
    "taxi",
    "car",
    "parking",
    "meal",
    "hotel",
    "childcare",
    "other",
)


def upgrade() -> None:
    op.create_table(
        "expense_category_rules",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("sworn_allowed", sa.Boolean(), nullable=False),
        sa.Column("sworn_ceiling", app.db.Cents(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_expense_category_rules_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "category", name=op.f("pk_expense_category_rules")
        ),
    )
    connection = op.get_bind()
    saved = connection.execute(
        sa.text(
            "SELECT organisation_id, sworn_categories, sworn_ceiling FROM expense_settings "
            "WHERE rates_are_examples = :no"
        ),
        {"no": False},
    ).all()
    rows = []
    for organisation_id, chosen, ceiling in saved:
        if isinstance(chosen, str):
            chosen = json.loads(chosen or "[]")
        chosen = set(chosen or [])
        for category in CATEGORIES:
            rows.append(
                {
                    "organisation_id": organisation_id,
                    "category": category,
                    "sworn_allowed": category in chosen,
                    "sworn_ceiling": ceiling if category in chosen else None,
                }
            )
    if rows:
        # Plain integers (hundredths) as stored by Cents: the table is a lightweight one.
        op.bulk_insert(
            sa.table(
                "expense_category_rules",
                sa.column("organisation_id", sa.Integer()),
                sa.column("category", sa.String()),
                sa.column("sworn_allowed", sa.Boolean()),
                sa.column("sworn_ceiling", sa.BigInteger()),
            ),
            rows,
        )
    with op.batch_alter_table("expense_settings", schema=None) as batch_op:
        batch_op.alter_column("km_rate", existing_type=app.db.Cents(), nullable=True)
        batch_op.drop_column("sworn_categories")
        batch_op.drop_column("sworn_ceiling")
    connection.execute(
        sa.text("UPDATE expense_settings SET km_rate = NULL WHERE rates_are_examples = :yes"),
        {"yes": True},
    )
    with op.batch_alter_table("expense_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_rate", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("vehicle_power", sa.String(length=4), nullable=True))
        batch_op.add_column(
            sa.Column("electric", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("sworn_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("sworn_at", app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sworn_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sworn_consent_note", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_expense_lines_sworn_by_id_people"),
            "people",
            ["sworn_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("expense_lines", schema=None) as batch_op:
        batch_op.alter_column("electric", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("expense_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_expense_lines_sworn_by_id_people"), type_="foreignkey"
        )
        batch_op.drop_column("sworn_consent_note")
        batch_op.drop_column("sworn_by_id")
        batch_op.drop_column("sworn_at")
        batch_op.drop_column("sworn_text")
        batch_op.drop_column("electric")
        batch_op.drop_column("vehicle_power")
        batch_op.drop_column("unit_rate")
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE expense_settings SET km_rate = 35 WHERE km_rate IS NULL"))
    with op.batch_alter_table("expense_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sworn_ceiling", app.db.Cents(), nullable=False, server_default="2000")
        )
        batch_op.add_column(
            sa.Column("sworn_categories", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.alter_column("km_rate", existing_type=app.db.Cents(), nullable=False)
    rules = connection.execute(
        sa.text(
            "SELECT organisation_id, category FROM expense_category_rules "
            "WHERE sworn_allowed = :yes ORDER BY organisation_id, category"
        ),
        {"yes": True},
    ).all()
    chosen: dict[int, list[str]] = {}
    for organisation_id, category in rules:
        chosen.setdefault(organisation_id, []).append(category)
    for organisation_id, categories in chosen.items():
        connection.execute(
            sa.text(
                "UPDATE expense_settings SET sworn_categories = :chosen "
                "WHERE organisation_id = :organisation_id"
            ),
            {"chosen": json.dumps(categories), "organisation_id": organisation_id},
        )
    op.drop_table("expense_category_rules")
