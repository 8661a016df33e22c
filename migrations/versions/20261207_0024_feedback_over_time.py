"""feedback over time

Each feedback item ("We did") gets a status (under study, decided, in progress, done, not
kept with the reason), an optional progress, its creation date and the date of its last news;
`consultation_feedback_updates` keeps the dated news of each item (status and progress then,
the text in full and easy-to-read versions, who wrote it). Evaluations get the provenance
columns: a facilitator may type in the evaluation of someone who answered on paper.
Existing items are "under study", dated from the publication of their round's feedback.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_feedback_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="under_study", nullable=False)
        )
        batch_op.add_column(sa.Column("progress", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("news_at", app.db.UTCDateTime(timezone=True), nullable=True))
    # Items written before: their news is the publication of the feedback (or none yet).
    op.execute(
        "UPDATE consultation_feedback_items SET news_at = ("
        "SELECT feedback_published_at FROM consultation_rounds"
        " WHERE consultation_rounds.id = consultation_feedback_items.round_id)"
    )
    op.create_table(
        "consultation_feedback_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_easy", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_consultation_feedback_updates_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["consultation_feedback_items.id"],
            name=op.f("fk_consultation_feedback_updates_item_id_consultation_feedback_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_feedback_updates")),
    )
    with op.batch_alter_table("consultation_feedback_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_feedback_updates_item_id"), ["item_id"], unique=False
        )
    with op.batch_alter_table("consultation_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("consent_note", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_consultation_evaluations_entered_by_id_people"),
            "people",
            ["entered_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_evaluations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_consultation_evaluations_entered_by_id_people"), type_="foreignkey"
        )
        batch_op.drop_column("consent_note")
        batch_op.drop_column("entered_by_id")
    with op.batch_alter_table("consultation_feedback_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_feedback_updates_item_id"))
    op.drop_table("consultation_feedback_updates")
    with op.batch_alter_table("consultation_feedback_items", schema=None) as batch_op:
        batch_op.drop_column("news_at")
        batch_op.drop_column("created_at")
        batch_op.drop_column("reason")
        batch_op.drop_column("progress")
        batch_op.drop_column("status")
