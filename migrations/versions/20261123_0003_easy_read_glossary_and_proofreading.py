"""easy-read glossary and proofreading

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:57:42.460426
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

    op.create_table('falc_proofreaders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('agreed_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('consent_note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['people.id'], name=op.f('fk_falc_proofreaders_entered_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_falc_proofreaders_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_falc_proofreaders_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_falc_proofreaders')),
    sa.UniqueConstraint('person_id', name=op.f('uq_falc_proofreaders_person_id'))
    )
    with op.batch_alter_table('falc_proofreaders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_falc_proofreaders_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('falc_proofreadings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('sentences', sa.JSON(), nullable=False),
    sa.Column('required_understood', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('validated_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_falc_proofreadings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['people.id'], name=op.f('fk_falc_proofreadings_requested_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_falc_proofreadings'))
    )
    with op.batch_alter_table('falc_proofreadings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_falc_proofreadings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_falc_proofreadings_subject', ['subject_type', 'subject_id', 'field'], unique=False)

    op.create_table('falc_proofreading_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proofreading_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('done_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_falc_proofreading_assignments_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proofreading_id'], ['falc_proofreadings.id'], name=op.f('fk_falc_proofreading_assignments_proofreading_id_falc_proofreadings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_falc_proofreading_assignments')),
    sa.UniqueConstraint('proofreading_id', 'person_id', name=op.f('uq_falc_proofreading_assignments_proofreading_id_person_id'))
    )
    with op.batch_alter_table('falc_proofreading_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_falc_proofreading_assignments_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_falc_proofreading_assignments_proofreading_id'), ['proofreading_id'], unique=False)

    op.create_table('falc_sentence_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proofreading_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('sentence_index', sa.Integer(), nullable=False),
    sa.Column('understood', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consent_note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['people.id'], name=op.f('fk_falc_sentence_marks_entered_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_falc_sentence_marks_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proofreading_id'], ['falc_proofreadings.id'], name=op.f('fk_falc_sentence_marks_proofreading_id_falc_proofreadings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_falc_sentence_marks')),
    sa.UniqueConstraint('proofreading_id', 'person_id', 'sentence_index', name=op.f('uq_falc_sentence_marks_proofreading_id_person_id_sentence_index'))
    )
    with op.batch_alter_table('falc_sentence_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_falc_sentence_marks_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_falc_sentence_marks_proofreading_id'), ['proofreading_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('falc_sentence_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_falc_sentence_marks_proofreading_id'))
        batch_op.drop_index(batch_op.f('ix_falc_sentence_marks_person_id'))

    op.drop_table('falc_sentence_marks')
    with op.batch_alter_table('falc_proofreading_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_falc_proofreading_assignments_proofreading_id'))
        batch_op.drop_index(batch_op.f('ix_falc_proofreading_assignments_person_id'))

    op.drop_table('falc_proofreading_assignments')
    with op.batch_alter_table('falc_proofreadings', schema=None) as batch_op:
        batch_op.drop_index('ix_falc_proofreadings_subject')
        batch_op.drop_index(batch_op.f('ix_falc_proofreadings_organisation_id'))

    op.drop_table('falc_proofreadings')
    with op.batch_alter_table('falc_proofreaders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_falc_proofreaders_organisation_id'))

    op.drop_table('falc_proofreaders')
    with op.batch_alter_table('falc_glossary_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_falc_glossary_entries_organisation_id'))

    op.drop_table('falc_glossary_entries')

