"""conditional questions

The condition of a question (consultation_questions.condition_choice_id): shown only to the people who chose that choice of an earlier question.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("condition_choice_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_consultation_questions_condition_choice_id_consultation_choices"),
            "consultation_choices",
            ["condition_choice_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_questions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_consultation_questions_condition_choice_id_consultation_choices"),
            type_="foreignkey",
        )
        batch_op.drop_column("condition_choice_id")
