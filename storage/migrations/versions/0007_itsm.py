"""the supplier's ticket system: channel and external number on tickets, links, shared state

Revision ID: 0007
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), server_default='teams', nullable=False))
        batch_op.add_column(sa.Column('external_number', sa.String(length=60), nullable=True))

    op.create_table('itsm_links',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('incident_id', sa.String(length=100), nullable=False),
    sa.Column('seen', sa.JSON(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id'),
    sa.UniqueConstraint('system', 'incident_id', name='uq_itsm_links_incident')
    )
    op.create_table('itsm_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('itsm_state')
    op.drop_table('itsm_links')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('external_number')
        batch_op.drop_column('channel')
