"""question kinds: the place of each choice in a ranking

A ranking question (people put the possible answers in order) stores, for each choice of an
answer, the place the person gave it: `consultation_answer_choices.position`, 1 for the most
important. Empty for the other kinds, so existing answers need nothing.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_answer_choices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_answer_choices", schema=None) as batch_op:
        batch_op.drop_column("position")
