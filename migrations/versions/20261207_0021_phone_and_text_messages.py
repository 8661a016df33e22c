"""phone and text messages

A person's phone number and how they want to be told (`people.phone`, `people.contact_channel`),
text messages in the outbox beside e-mails (`outbox_messages.channel`), and the list of things
facilitators pass on to people who chose to be told by them (`to_tell_items`).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_channel", sa.String(length=16), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("phone", sa.String(length=16), nullable=True))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=8), server_default="email", nullable=False)
        )
    op.create_table(
        "to_tell_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(length=400), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("due_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["people.id"],
            name=op.f("fk_to_tell_items_done_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_to_tell_items_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_to_tell_items_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_to_tell_items_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_to_tell_items")),
        sa.UniqueConstraint("notification_id", name=op.f("uq_to_tell_items_notification_id")),
    )
    with op.batch_alter_table("to_tell_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_to_tell_items_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_to_tell_items_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("to_tell_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_to_tell_items_person_id"))
        batch_op.drop_index(batch_op.f("ix_to_tell_items_organisation_id"))
    op.drop_table("to_tell_items")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("channel")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("contact_channel")
