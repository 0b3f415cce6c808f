"""platform update: the updates a platform delivered, for de-duplication

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-10 08:30:00.000000

Zalo redelivers updates (and a webhook call may be retried): each update's id is recorded once, so a
second delivery, even after a restart, is not handled again. Old rows are deleted after a few days.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.types


# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'platform_update',
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('update_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('received_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('platform', 'update_id'),
    )
    with op.batch_alter_table('platform_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_update_received_at'), ['received_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('platform_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_update_received_at'))
    op.drop_table('platform_update')
