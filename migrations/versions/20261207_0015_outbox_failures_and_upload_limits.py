"""outbox failures and upload limits

Outbox failure reasons and what uploads need (filled by the mail and uploads work).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db  # noqa: F401

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Outbox: when a message was given up, and the notification it repeats by e-mail.
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_at", app.db.UTCDateTime(timezone=True)))
        batch_op.add_column(sa.Column("notification_id", sa.Integer()))
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_notification_id_notifications"),
            "notifications",
            ["notification_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_notification_id_notifications"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_notification_id"))
        batch_op.drop_column("notification_id")
        batch_op.drop_column("failed_at")
