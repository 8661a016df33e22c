"""free text curation

Free texts chosen, shortened or masked before they are shown (app/consultations/curation.py):
`consultation_quotes`, one row per free answer the facilitator looked at (chosen or not, the
version shown when edited; deleted with its answer), and `consultation_quotes_ready`, the
questions whose choice is finished (participants see the chosen quotes from then on).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.Column("shown_text", sa.Text(), nullable=True),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["consultation_answers.id"],
            name=op.f("fk_consultation_quotes_answer_id_consultation_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_quotes")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_consultation_quotes_answer_id")),
    )
    op.create_table(
        "consultation_quotes_ready",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("ready_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["consultation_questions.id"],
            name=op.f("fk_consultation_quotes_ready_question_id_consultation_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_consultation_quotes_ready")),
    )


def downgrade() -> None:
    op.drop_table("consultation_quotes_ready")
    op.drop_table("consultation_quotes")
