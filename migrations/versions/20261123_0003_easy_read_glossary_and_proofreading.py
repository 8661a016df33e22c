"""easy-read glossary and proofreading

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:33:01.360204
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('falc_glossary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('explanation', sa.String(length=300), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_falc_glossary_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_falc_glossary_entries')),
    sa.UniqueConstraint('organisation_id', 'term', name=op.f('uq_falc_glossary_entries_organisation_id_term'))
    )
    with op.batch_alter_table('falc_glossary_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_falc_glossary_entries_organisation_id'), ['organisation_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('falc_glossary_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_falc_glossary_entries_organisation_id'))

    op.drop_table('falc_glossary_entries')

