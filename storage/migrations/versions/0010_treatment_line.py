"""the treatment line a ticket is at

Revision ID: 0010
Revises: 0009

A hand-over records the line it left and the line it reached (first-time-fix counts the tickets
that never changed line); the row keeps the line the ticket is at now, so a ticket handed to a
line's queue (no owner) still says whose queue it is in. NULL: nobody has picked it up yet.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('treatment_line', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('treatment_line')
