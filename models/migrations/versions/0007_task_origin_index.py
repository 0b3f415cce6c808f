"""task origin index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 06:40:00.000000

A plan's duties (origin "obligation") found without reading its other tasks: `/summary` asks for the
plan's reporting cycle (the schedule of its report duty) each time.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_task_origin', 'task', ['plan_id', 'origin'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_task_origin', table_name='task')
