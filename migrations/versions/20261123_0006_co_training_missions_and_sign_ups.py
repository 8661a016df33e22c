"""co-training missions and sign-ups

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:03:46.862830
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('training_missions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_easy', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_easy', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('departement', sa.String(length=3), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=False),
    sa.Column('lift', sa.Boolean(), nullable=False),
    sa.Column('hearing_loop', sa.Boolean(), nullable=False),
    sa.Column('quiet_room', sa.Boolean(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('confirmed_count', sa.Integer(), nullable=False),
    sa.Column('preparation_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hourly_rate', app.db.Cents(), nullable=True),
    sa.Column('expected_hours', app.db.Cents(), nullable=True),
    sa.Column('covered_costs', sa.JSON(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('signup_deadline', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_training_missions_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_training_missions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_missions'))
    )
    with op.batch_alter_table('training_missions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_missions_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mission_id'], ['training_missions.id'], name=op.f('fk_training_sessions_mission_id_training_missions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_mission_id'), ['mission_id'], unique=False)

    op.create_table('training_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('can_share', sa.Text(), nullable=False),
    sa.Column('needs_childcare', sa.Boolean(), nullable=False),
    sa.Column('needs_companion', sa.Boolean(), nullable=False),
    sa.Column('needs_travel_help', sa.Boolean(), nullable=False),
    sa.Column('access_needs', sa.Text(), nullable=False),
    sa.Column('dietary_needs', sa.Text(), nullable=False),
    sa.Column('contact_channel', sa.String(length=16), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('offer_expires_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consent_note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['people.id'], name=op.f('fk_training_signups_entered_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mission_id'], ['training_missions.id'], name=op.f('fk_training_signups_mission_id_training_missions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_training_signups_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_signups')),
    sa.UniqueConstraint('mission_id', 'person_id', name='uq_training_signups_person')
    )
    with op.batch_alter_table('training_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_signups_mission_id'), ['mission_id'], unique=False)
        batch_op.create_index('ix_training_signups_status', ['mission_id', 'status'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('training_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_training_signups_status')
        batch_op.drop_index(batch_op.f('ix_training_signups_mission_id'))

    op.drop_table('training_signups')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_mission_id'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('training_missions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_missions_organisation_id'))

    op.drop_table('training_missions')
    # ### end Alembic commands ###
