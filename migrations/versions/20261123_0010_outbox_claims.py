"""outbox claims: several workers without sending a message twice

Adds `claimed_by` and `claimed_at` to outbox_messages, and the status value "sending"
(the status column is a plain VARCHAR(16), so the new value needs no schema change).
A worker claims a batch (status "sending", claimed_by, claimed_at, next_attempt_at = end
of the lease) and commits that before talking to SMTP; see app/core/outbox.py.

The downgrade gives messages still being sent back to "pending" (the code before this
revision does not know "sending"), then drops the two columns.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    outbox = sa.table(
        "outbox_messages",
        sa.column("status", sa.String(16)),
        sa.column("attempts", sa.Integer()),
    )
    op.execute(
        outbox.update()
        .where(outbox.c.status == "sending")
        .values(status="pending", attempts=outbox.c.attempts - 1)
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by")
