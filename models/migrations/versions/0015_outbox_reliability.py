"""outbox reliability: retry horizon, shared rate budget

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-03 08:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.types


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # When a row's current run of failed sends began: retries go on until the horizon after it,
    # however many attempts that takes.
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failing_since', models.types.UTCDateTime(timezone=True), nullable=True))
    # One platform's overall send budget, shared by every worker on the database (a token bucket).
    op.create_table(
        'rate_budget',
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('updated', sa.Float(), nullable=False),
        sa.Column('paused_until', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('platform'),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('rate_budget')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('failing_since')
