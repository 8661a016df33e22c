"""scheduled jobs

What the scheduler needs (job runs, reminders sent once; filled by the scheduler work).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row per scheduled job: claimed under its lock, what it last did (no personal data).
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("started_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("succeeded_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_runs")),
    )
    # The reminder 2 days before a round closes, once per invitation.
    with op.batch_alter_table("consultation_invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", app.db.UTCDateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("consultation_invitations", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    op.drop_table("job_runs")
