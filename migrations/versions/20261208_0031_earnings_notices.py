"""earnings notices

Quarterly statement notices: one row per person and quarter told "your statement is ready",
unique, so that two runs of the job at once tell a person once.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-08 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "earnings_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.SmallInteger(), nullable=False),
        sa.Column("sent_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_earnings_notices_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_earnings_notices")),
        sa.UniqueConstraint(
            "person_id", "year", "quarter", name=op.f("uq_earnings_notices_person_id_year_quarter")
        ),
    )
    with op.batch_alter_table("earnings_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_earnings_notices_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("earnings_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_earnings_notices_person_id"))
    op.drop_table("earnings_notices")
