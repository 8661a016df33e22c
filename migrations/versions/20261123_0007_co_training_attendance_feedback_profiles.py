"""co-training attendance feedback profiles

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:51:33.909502
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('training_profiles',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('themes', sa.Text(), nullable=False),
    sa.Column('formats', sa.JSON(), nullable=False),
    sa.Column('availability', sa.Text(), nullable=False),
    sa.Column('places', sa.Text(), nullable=False),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_training_profiles_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_training_profiles'))
    )
    op.create_table('training_profile_institutes',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_training_profile_institutes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['training_profiles.person_id'], name=op.f('fk_training_profile_institutes_person_id_training_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'organisation_id', name=op.f('pk_training_profile_institutes'))
    )
    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('hours', app.db.Cents(), nullable=False),
    sa.Column('meal_line_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meal_line_id'], ['expense_lines.id'], name=op.f('fk_training_attendance_meal_line_id_expense_lines'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_training_attendance_recorded_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_attendance_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signup_id'], ['training_signups.id'], name=op.f('fk_training_attendance_signup_id_training_signups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('signup_id', 'session_id', name='uq_training_attendance')
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_signup_id'), ['signup_id'], unique=False)

    op.create_table('training_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('went_well', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('moderation_status', sa.String(length=16), nullable=False),
    sa.Column('moderation_reason', sa.String(length=80), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_training_feedback_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_training_feedback_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signup_id'], ['training_signups.id'], name=op.f('fk_training_feedback_signup_id_training_signups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_feedback')),
    sa.UniqueConstraint('signup_id', 'side', name='uq_training_feedback_side')
    )
    with op.batch_alter_table('training_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_feedback_signup_id'), ['signup_id'], unique=False)

    with op.batch_alter_table('training_signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_sessions', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('pay_request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('costs_request_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_training_signups_costs_request_id_expense_requests'), 'expense_requests', ['costs_request_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_training_signups_pay_request_id_expense_requests'), 'expense_requests', ['pay_request_id'], ['id'], ondelete='SET NULL')

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('training_signups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_training_signups_pay_request_id_expense_requests'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_training_signups_costs_request_id_expense_requests'), type_='foreignkey')
        batch_op.drop_column('costs_request_id')
        batch_op.drop_column('pay_request_id')
        batch_op.drop_column('reminded_sessions')

    with op.batch_alter_table('training_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_feedback_signup_id'))

    op.drop_table('training_feedback')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_signup_id'))

    op.drop_table('training_attendance')
    op.drop_table('training_profile_institutes')
    op.drop_table('training_profiles')
    # ### end Alembic commands ###
