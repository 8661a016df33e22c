"""public pages

An organisation's public page: its address (organisations.public_slug, made the first time
one of its rounds is shown) and the rounds it chose to show
(consultation_rounds.shown_publicly_at; empty: private, the default).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_slug", sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_organisations_public_slug"), ["public_slug"]
        )
    with op.batch_alter_table("consultation_rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shown_publicly_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_rounds", schema=None) as batch_op:
        batch_op.drop_column("shown_publicly_at")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_organisations_public_slug"), type_="unique")
        batch_op.drop_column("public_slug")
