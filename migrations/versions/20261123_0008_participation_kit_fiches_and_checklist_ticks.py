"""participation kit fiches and checklist ticks

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 15:26:01.811982
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kit_checklist_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('ticked_by_id', sa.Integer(), nullable=True),
    sa.Column('ticked_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticked_by_id'], ['people.id'], name=op.f('fk_kit_checklist_ticks_ticked_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_checklist_ticks')),
    sa.UniqueConstraint('subject', 'subject_id', 'item', name='uq_kit_checklist_ticks_item')
    )
    op.create_table('kit_fiches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('how', sa.Text(), nullable=False),
    sa.Column('tools', sa.Text(), nullable=False),
    sa.Column('success_factors', sa.Text(), nullable=False),
    sa.Column('easy', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('edition', sa.String(length=100), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_kit_fiches_updated_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_fiches')),
    sa.UniqueConstraint('number', name=op.f('uq_kit_fiches_number'))
    )
    op.create_table('kit_fiche_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiche_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('saved_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fiche_id'], ['kit_fiches.id'], name=op.f('fk_kit_fiche_revisions_fiche_id_kit_fiches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_by_id'], ['people.id'], name=op.f('fk_kit_fiche_revisions_saved_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_fiche_revisions'))
    )
    with op.batch_alter_table('kit_fiche_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_fiche_revisions_fiche_id'), ['fiche_id'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('kit_fiche_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_fiche_revisions_fiche_id'))

    op.drop_table('kit_fiche_revisions')
    op.drop_table('kit_fiches')
    op.drop_table('kit_checklist_ticks')
    # ### end Alembic commands ###
