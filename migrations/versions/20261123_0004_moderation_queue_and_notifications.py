"""moderation queue and notifications

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:58:58.817578
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('moderation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('held_for', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('in_queue', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('waiting_since', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_moderation_items_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_moderation_items_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_items')),
    sa.UniqueConstraint('content_type', 'content_id', name='uq_moderation_items_content')
    )
    with op.batch_alter_table('moderation_items', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_items_author', ['author_id'], unique=False)
        batch_op.create_index('ix_moderation_items_queue', ['organisation_id', 'in_queue', 'priority'], unique=False)

    op.create_table('moderation_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_moderation_measures_decided_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_moderation_measures_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_moderation_measures_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_measures'))
    )
    with op.batch_alter_table('moderation_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_measures_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_measures_person_id'), ['person_id'], unique=False)

    op.create_table('moderation_reason_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_moderation_reason_templates_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_reason_templates'))
    )
    with op.batch_alter_table('moderation_reason_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_reason_templates_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('moderation_settings',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('default_policy', sa.String(length=8), nullable=False),
    sa.Column('referent_id', sa.Integer(), nullable=True),
    sa.Column('premoderation_days', sa.Integer(), nullable=False),
    sa.Column('pause_days', sa.Integer(), nullable=False),
    sa.Column('insults', sa.Text(), nullable=False),
    sa.Column('distress', sa.Text(), nullable=False),
    sa.Column('staff_names', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_moderation_settings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referent_id'], ['people.id'], name=op.f('fk_moderation_settings_referent_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_moderation_settings'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('read_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notifications_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_person', ['person_id', 'read_at'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('original_text', sa.Text(), nullable=True),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['moderation_items.id'], name=op.f('fk_moderation_decisions_item_id_moderation_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderator_id'], ['people.id'], name=op.f('fk_moderation_decisions_moderator_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_decisions_item_id'), ['item_id'], unique=False)

    op.create_table('moderation_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['moderation_items.id'], name=op.f('fk_moderation_reports_item_id_moderation_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['people.id'], name=op.f('fk_moderation_reports_reporter_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_reports'))
    )
    with op.batch_alter_table('moderation_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_reports_item_id'), ['item_id'], unique=False)

    op.create_table('moderation_appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['moderation_decisions.id'], name=op.f('fk_moderation_appeals_answer_id_moderation_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_moderation_appeals_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['moderation_decisions.id'], name=op.f('fk_moderation_appeals_decision_id_moderation_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['moderation_items.id'], name=op.f('fk_moderation_appeals_item_id_moderation_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_appeals'))
    )
    with op.batch_alter_table('moderation_appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_appeals_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('consultation_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussion_moderation', sa.String(length=8), server_default='', nullable=False))

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('consultation_rounds', schema=None) as batch_op:
        batch_op.drop_column('discussion_moderation')

    with op.batch_alter_table('moderation_appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_appeals_item_id'))

    op.drop_table('moderation_appeals')
    with op.batch_alter_table('moderation_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_reports_item_id'))

    op.drop_table('moderation_reports')
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_item_id'))

    op.drop_table('moderation_decisions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_person')

    op.drop_table('notifications')
    op.drop_table('moderation_settings')
    with op.batch_alter_table('moderation_reason_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_reason_templates_organisation_id'))

    op.drop_table('moderation_reason_templates')
    with op.batch_alter_table('moderation_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_measures_person_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_measures_organisation_id'))

    op.drop_table('moderation_measures')
    with op.batch_alter_table('moderation_items', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_items_queue')
        batch_op.drop_index('ix_moderation_items_author')

    op.drop_table('moderation_items')
    # ### end Alembic commands ###
