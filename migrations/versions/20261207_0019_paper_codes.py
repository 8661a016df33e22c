"""paper codes

Paper codes that can be listed, reprinted and cancelled: the moment a code was cancelled.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paper_code_cancelled_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_invitations", schema=None) as batch_op:
        batch_op.drop_column("paper_code_cancelled_at")
