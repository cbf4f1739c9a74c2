"""experience survey rounds (XLA, PvE §10.5) with their reach campaigns, the answers per employee, and who opted out

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa



revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_rounds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_by', sa.String(length=200), nullable=True),
    sa.Column('remind_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('norms', sa.JSON(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('reminder_campaign_id', sa.Integer(), nullable=True),
    sa.Column('invited', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name='fk_survey_rounds_campaign'),
    sa.ForeignKeyConstraint(['reminder_campaign_id'], ['campaigns.id'], name='fk_survey_rounds_reminder_campaign'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('label')
    )
    op.create_index('ix_survey_rounds_closed_at', 'survey_rounds', ['closed_at'], unique=False)
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prompted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('workplace', sa.Integer(), nullable=True),
    sa.Column('servicedesk', sa.Integer(), nullable=True),
    sa.Column('information', sa.Integer(), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'user_id', name='uq_survey_responses_round_user')
    )
    op.create_index('ix_survey_responses_user_id', 'survey_responses', ['user_id'], unique=False)
    op.create_table('survey_opt_outs',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    op.drop_table('survey_opt_outs')
    op.drop_index('ix_survey_responses_user_id', table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_index('ix_survey_rounds_closed_at', table_name='survey_rounds')
    op.drop_table('survey_rounds')
