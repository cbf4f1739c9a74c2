"""escalations as records (PvE §2.4.3), and the place of an escalation's card

Revision ID: 0011
Revises: 0010

An escalation is opened once by its key and moved by regie and the supplier from its card; the
card's place per channel is a card_refs row of its own (escalation_id set, ticket_id empty).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('norm', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=True),
    sa.Column('due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('proposed_level', sa.String(length=2), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('start_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('level_by', sa.String(length=64), nullable=True),
    sa.Column('level_by_name', sa.String(length=200), nullable=True),
    sa.Column('level_reason', sa.Text(), nullable=True),
    sa.Column('level_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cause', sa.Text(), nullable=True),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('action_owner', sa.String(length=200), nullable=True),
    sa.Column('action_due', sa.Date(), nullable=True),
    sa.Column('action_by', sa.String(length=64), nullable=True),
    sa.Column('action_by_name', sa.String(length=200), nullable=True),
    sa.Column('action_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evaluation', sa.Text(), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=True),
    sa.Column('closed_by_name', sa.String(length=200), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index('ix_escalations_state_level', ['state', 'level'], unique=False)
        batch_op.create_index('ix_escalations_opened', ['opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('card_refs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalation_id', sa.Integer(), nullable=True))
        batch_op.alter_column('ticket_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key('fk_card_refs_escalation', 'escalations', ['escalation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_card_refs_escalation_role', ['escalation_id', 'role'])


def downgrade() -> None:
    op.execute("DELETE FROM card_refs WHERE ticket_id IS NULL")
    with op.batch_alter_table('card_refs', schema=None) as batch_op:
        batch_op.drop_constraint('uq_card_refs_escalation_role', type_='unique')
        batch_op.drop_constraint('fk_card_refs_escalation', type_='foreignkey')
        batch_op.alter_column('ticket_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('escalation_id')

    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_ticket_id'))
        batch_op.drop_index('ix_escalations_opened')
        batch_op.drop_index('ix_escalations_state_level')
    op.drop_table('escalations')
