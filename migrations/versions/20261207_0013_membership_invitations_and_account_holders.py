"""membership invitations and account holders

- `membership_invitations`: a role offered by an organisation's administrator; a membership
  exists only once the person accepts (themselves, or noted by a facilitator of the
  organisation that holds their account, with a consent note).
- `people.holder_organisation_id`: the organisation whose facilitators may act for the person.
  Filled here for accounts made with help (`entered_by_id` set) from their oldest participant
  membership; e-mail accounts get one only when they accept a participant role and agree.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "membership_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=254), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("consent_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["people.id"],
            name=op.f("fk_membership_invitations_answered_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["people.id"],
            name=op.f("fk_membership_invitations_invited_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_membership_invitations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_membership_invitations_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_invitations")),
    )
    with op.batch_alter_table("membership_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_invitations_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_membership_invitations_person_id"), ["person_id"], unique=False
        )

    # On SQLite this copies `people`: migrations/env.py turns foreign keys off meanwhile, or
    # dropping the old copy would delete every row pointing to a person (ON DELETE CASCADE).
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder_organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_people_holder_organisation_id_organisations"),
            "organisations",
            ["holder_organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Accounts made with help: held by the organisation of their oldest participant role.
    op.execute(
        sa.text(
            """
            UPDATE people SET holder_organisation_id = (
                SELECT m.organisation_id FROM memberships m
                WHERE m.person_id = people.id AND m.role = 'participant'
                ORDER BY m.created_at, m.id LIMIT 1
            )
            WHERE entered_by_id IS NOT NULL AND holder_organisation_id IS NULL
            """
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_people_holder_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_column("holder_organisation_id")
    with op.batch_alter_table("membership_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_invitations_person_id"))
        batch_op.drop_index(batch_op.f("ix_membership_invitations_organisation_id"))
    op.drop_table("membership_invitations")
