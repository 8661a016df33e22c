"""personal data: consents, erasures, export links, retention, closed accounts

- `consents`: what a person agreed to (assisted entry, being quoted, photos, name shown as a
  proofreader), who noted it, when it was taken back.
- `erasures`: ids of people whose data was erased, without a foreign key, so that
  `flask data reapply-erasures` can erase them again after an older backup is restored.
- `data_export_links`: links to download one's data, valid 7 days (token hashed).
- `people.closed_at`, `organisations.retention_months` (24 by default, CNIL's guidance).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("given_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_consents_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["people.id"], name=op.f("fk_consents_recorded_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["people.id"], name=op.f("fk_consents_withdrawn_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("erased_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("person_id", name=op.f("uq_erasures_person_id")),
    )

    op.create_table(
        "data_export_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_data_export_links_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_export_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_data_export_links_token_hash")),
    )
    with op.batch_alter_table("data_export_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_export_links_person_id"), ["person_id"], unique=False
        )

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_months", sa.Integer(), server_default="24", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("retention_months")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("data_export_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_export_links_person_id"))
    op.drop_table("data_export_links")
    op.drop_table("erasures")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_person_id"))
    op.drop_table("consents")
