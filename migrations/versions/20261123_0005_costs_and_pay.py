"""costs and pay

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:11:57.002309
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('expense_bank_details',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('iban_encrypted', sa.Text(), nullable=False),
    sa.Column('iban_country', sa.String(length=2), nullable=False),
    sa.Column('iban_last4', sa.String(length=4), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_expense_bank_details_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_expense_bank_details'))
    )
    op.create_table('expense_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('activity_type', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('activity_label', sa.String(length=300), nullable=False),
    sa.Column('activity_on', sa.Date(), nullable=True),
    sa.Column('hours', app.db.Cents(), nullable=True),
    sa.Column('hourly_rate', app.db.Cents(), nullable=True),
    sa.Column('flat_amount', app.db.Cents(), nullable=True),
    sa.Column('pay_choice', sa.String(length=16), nullable=True),
    sa.Column('pay_notice_read_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('settles_id', sa.Integer(), nullable=True),
    sa.Column('approved_amount', app.db.Cents(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('first_reviewer_id', sa.Integer(), nullable=True),
    sa.Column('second_reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('promised_on', sa.Date(), nullable=True),
    sa.Column('paid_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_amount', app.db.Cents(), nullable=True),
    sa.Column('payment_method', sa.String(length=16), nullable=True),
    sa.Column('payment_reference', sa.String(length=120), nullable=False),
    sa.Column('handed_over_by_id', sa.Integer(), nullable=True),
    sa.Column('third_party_name', sa.String(length=200), nullable=False),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['people.id'], name=op.f('fk_expense_requests_entered_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['first_reviewer_id'], ['people.id'], name=op.f('fk_expense_requests_first_reviewer_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handed_over_by_id'], ['people.id'], name=op.f('fk_expense_requests_handed_over_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_expense_requests_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paid_by_id'], ['people.id'], name=op.f('fk_expense_requests_paid_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_expense_requests_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['second_reviewer_id'], ['people.id'], name=op.f('fk_expense_requests_second_reviewer_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['settles_id'], ['expense_requests.id'], name=op.f('fk_expense_requests_settles_id_expense_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_requests'))
    )
    with op.batch_alter_table('expense_requests', schema=None) as batch_op:
        batch_op.create_index('ix_expense_requests_org', ['organisation_id', 'status'], unique=False)
        batch_op.create_index('ix_expense_requests_person', ['person_id', 'status'], unique=False)

    op.create_table('expense_settings',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('km_rate', app.db.Cents(), nullable=False),
    sa.Column('meal_flat_rate', app.db.Cents(), nullable=False),
    sa.Column('childcare_hourly_rate', app.db.Cents(), nullable=False),
    sa.Column('sworn_categories', sa.JSON(), nullable=False),
    sa.Column('sworn_ceiling', app.db.Cents(), nullable=False),
    sa.Column('second_approval_above', app.db.Cents(), nullable=False),
    sa.Column('payment_days', sa.Integer(), nullable=False),
    sa.Column('rates_are_examples', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_expense_settings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_expense_settings'))
    )
    op.create_table('expense_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=True),
    sa.Column('amount', app.db.Cents(), nullable=False),
    sa.Column('kilometres', app.db.Cents(), nullable=True),
    sa.Column('hours', app.db.Cents(), nullable=True),
    sa.Column('flat_rate', sa.Boolean(), nullable=False),
    sa.Column('sworn_statement', sa.Boolean(), nullable=False),
    sa.Column('approved_amount', app.db.Cents(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['expense_requests.id'], name=op.f('fk_expense_lines_request_id_expense_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_lines'))
    )
    with op.batch_alter_table('expense_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_lines_request_id'), ['request_id'], unique=False)

    op.create_table('expense_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['line_id'], ['expense_lines.id'], name=op.f('fk_expense_receipts_line_id_expense_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['people.id'], name=op.f('fk_expense_receipts_uploaded_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_receipts')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_expense_receipts_storage_key'))
    )
    with op.batch_alter_table('expense_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_receipts_line_id'), ['line_id'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('expense_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_receipts_line_id'))

    op.drop_table('expense_receipts')
    with op.batch_alter_table('expense_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_lines_request_id'))

    op.drop_table('expense_lines')
    op.drop_table('expense_settings')
    with op.batch_alter_table('expense_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_expense_requests_person')
        batch_op.drop_index('ix_expense_requests_org')

    op.drop_table('expense_requests')
    op.drop_table('expense_bank_details')
    # ### end Alembic commands ###
