"""reach: the directory, campaigns with one row per recipient, the tenant's send pace, and the
place of a campaign's sender card

Revision ID: 0012
Revises: 0011

One message to many employees (``reach``): a campaign (an announcement, a follow-up, a survey
round), each employee once (unique per campaign), their outbox message keyed by it; the directory
import's location and team per Entra object id; the next free send slot shared by the replicas.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('directory_employees',
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=100), nullable=False),
    sa.Column('team', sa.String(length=100), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('object_id')
    )
    with op.batch_alter_table('directory_employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_employees_location'), ['location'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_employees_team'), ['team'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('message_kind', sa.String(length=40), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('refusal', sa.String(length=40), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_by_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.String(length=64), nullable=True),
    sa.Column('approved_by_name', sa.String(length=200), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn', sa.JSON(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_state'), ['state'], unique=False)

    op.create_table('campaign_recipients',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'object_id', name='uq_campaign_recipients_campaign_employee')
    )
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_recipients_state', ['campaign_id', 'state', 'id'], unique=False)
        batch_op.create_index('ix_campaign_recipients_week', ['object_id', 'week'], unique=False)

    op.create_table('reach_pace',
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('next_slot', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )

    with op.batch_alter_table('card_refs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_card_refs_campaign', 'campaigns', ['campaign_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_card_refs_campaign_role', ['campaign_id', 'role'])


def downgrade() -> None:
    op.execute("DELETE FROM card_refs WHERE campaign_id IS NOT NULL")
    with op.batch_alter_table('card_refs', schema=None) as batch_op:
        batch_op.drop_constraint('uq_card_refs_campaign_role', type_='unique')
        batch_op.drop_constraint('fk_card_refs_campaign', type_='foreignkey')
        batch_op.drop_column('campaign_id')
    op.drop_table('reach_pace')
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_recipients_week')
        batch_op.drop_index('ix_campaign_recipients_state')
    op.drop_table('campaign_recipients')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_state'))
        batch_op.drop_index(batch_op.f('ix_campaigns_parent_id'))
    op.drop_table('campaigns')
    with op.batch_alter_table('directory_employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_employees_team'))
        batch_op.drop_index(batch_op.f('ix_directory_employees_location'))
    op.drop_table('directory_employees')
