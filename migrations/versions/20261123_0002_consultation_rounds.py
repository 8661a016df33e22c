"""consultation rounds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:26:16.520920
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('consultation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_easy', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('subject_easy', sa.Text(), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('why_easy', sa.Text(), nullable=False),
    sa.Column('what_next', sa.Text(), nullable=False),
    sa.Column('what_next_easy', sa.Text(), nullable=False),
    sa.Column('costs_covered', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('opens_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('feedback_due_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('small_group_threshold', sa.Integer(), nullable=False),
    sa.Column('discussion_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('announced_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opened_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('feedback_published_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('evaluated_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_notified_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_consultation_rounds_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consultation_rounds_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_rounds'))
    )
    with op.batch_alter_table('consultation_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_rounds_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('consultation_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('paper_code', sa.String(length=16), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notified_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_consultation_invitations_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_invitations_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_invitations')),
    sa.UniqueConstraint('paper_code', name=op.f('uq_consultation_invitations_paper_code')),
    sa.UniqueConstraint('round_id', 'person_id', name=op.f('uq_consultation_invitations_round_id_person_id'))
    )
    with op.batch_alter_table('consultation_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_invitations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_invitations_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_easy', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_questions_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_questions'))
    )
    with op.batch_alter_table('consultation_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_questions_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('pictogram', sa.String(length=40), nullable=True),
    sa.Column('pictogram_alt', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_choices_question_id_consultation_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_choices'))
    )
    with op.batch_alter_table('consultation_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_choices_question_id'), ['question_id'], unique=False)

    op.create_table('consultation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('moderation_status', sa.String(length=16), nullable=False),
    sa.Column('moderation_reason', sa.String(length=80), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_consultation_comments_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consultation_comments_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_comments_question_id_consultation_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_comments_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('understood', sa.String(length=16), nullable=False),
    sa.Column('could_speak', sa.String(length=16), nullable=False),
    sa.Column('costs_covered', sa.String(length=16), nullable=False),
    sa.Column('sees_change', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['consultation_invitations.id'], name=op.f('fk_consultation_evaluations_invitation_id_consultation_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_evaluations_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_evaluations')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_consultation_evaluations_invitation_id'))
    )
    with op.batch_alter_table('consultation_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_evaluations_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_feedback_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('you_said', sa.Text(), nullable=False),
    sa.Column('you_said_easy', sa.Text(), nullable=False),
    sa.Column('we_did', sa.Text(), nullable=False),
    sa.Column('we_did_easy', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('when', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_feedback_items_question_id_consultation_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_feedback_items_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_feedback_items'))
    )
    with op.batch_alter_table('consultation_feedback_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_feedback_items_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('consent_note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entered_by_id'], ['people.id'], name=op.f('fk_consultation_responses_entered_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitation_id'], ['consultation_invitations.id'], name=op.f('fk_consultation_responses_invitation_id_consultation_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['consultation_rounds.id'], name=op.f('fk_consultation_responses_round_id_consultation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_responses')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_consultation_responses_invitation_id'))
    )
    with op.batch_alter_table('consultation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_responses_round_id'), ['round_id'], unique=False)

    op.create_table('consultation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value_int', sa.Integer(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_answers_question_id_consultation_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_responses.id'], name=op.f('fk_consultation_answers_response_id_consultation_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_consultation_answers_response_id_question_id'))
    )
    with op.batch_alter_table('consultation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_answers_response_id'), ['response_id'], unique=False)

    op.create_table('consultation_confusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_confusions_question_id_consultation_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_responses.id'], name=op.f('fk_consultation_confusions_response_id_consultation_responses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_confusions'))
    )
    with op.batch_alter_table('consultation_confusions', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_confusions_question', ['question_id'], unique=False)

    op.create_table('consultation_answer_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['consultation_answers.id'], name=op.f('fk_consultation_answer_choices_answer_id_consultation_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['choice_id'], ['consultation_choices.id'], name=op.f('fk_consultation_answer_choices_choice_id_consultation_choices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answer_choices')),
    sa.UniqueConstraint('answer_id', 'choice_id', name=op.f('uq_consultation_answer_choices_answer_id_choice_id'))
    )
    with op.batch_alter_table('consultation_answer_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_answer_choices_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_answer_choices_choice_id'), ['choice_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('consultation_answer_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_answer_choices_choice_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_answer_choices_answer_id'))

    op.drop_table('consultation_answer_choices')
    with op.batch_alter_table('consultation_confusions', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_confusions_question')

    op.drop_table('consultation_confusions')
    with op.batch_alter_table('consultation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_answers_response_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_answers_question_id'))

    op.drop_table('consultation_answers')
    with op.batch_alter_table('consultation_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_responses_round_id'))

    op.drop_table('consultation_responses')
    with op.batch_alter_table('consultation_feedback_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_feedback_items_round_id'))

    op.drop_table('consultation_feedback_items')
    with op.batch_alter_table('consultation_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_evaluations_round_id'))

    op.drop_table('consultation_evaluations')
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_comments_round_id'))

    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultation_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_choices_question_id'))

    op.drop_table('consultation_choices')
    with op.batch_alter_table('consultation_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_questions_round_id'))

    op.drop_table('consultation_questions')
    with op.batch_alter_table('consultation_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_invitations_round_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_invitations_person_id'))

    op.drop_table('consultation_invitations')
    with op.batch_alter_table('consultation_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_rounds_organisation_id'))

    op.drop_table('consultation_rounds')

