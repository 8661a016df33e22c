"""custom pictograms

Adds `consultation_own_pictograms`: the pictures an organisation uploaded for its possible
answers (always a PNG redrawn by Parole, stored on disk under a random name; see
app/consultations/own_pictograms.py), the word it is found by, the words read in its place,
and who uploaded it; and `consultation_rounds.pictogram`, the picture a round shows on the
invited people's home page (a picture's name; empty: none).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-08 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_own_pictograms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("alt", sa.String(length=200), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_consultation_own_pictograms_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["people.id"],
            name=op.f("fk_consultation_own_pictograms_uploaded_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_own_pictograms")),
    )
    with op.batch_alter_table("consultation_own_pictograms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_own_pictograms_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
    with op.batch_alter_table("consultation_rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pictogram", sa.String(length=80), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_rounds", schema=None) as batch_op:
        batch_op.drop_column("pictogram")
    with op.batch_alter_table("consultation_own_pictograms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_own_pictograms_organisation_id"))
    op.drop_table("consultation_own_pictograms")
