"""question editor

Questions fixed after announcing and paper entry (filled by the question editor work).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # When the wording of a question was last corrected after the round was announced
    # ("Changed on 8 December" beside the question).
    with op.batch_alter_table("consultation_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_at", app.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_questions", schema=None) as batch_op:
        batch_op.drop_column("edited_at")
