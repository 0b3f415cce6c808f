"""report roles

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:30:00.000000

A report belongs to a unit in a role: `progress_report.role` says whether the reporting unit leads the
task or coordinates it (a coordinating unit's report is a contribution and never closes the task).
Existing reports take their unit's role on the task. Every view reads each unit's newest report on an
occurrence, so the index of newest reports is per occurrence and unit.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_REPORTED = "withdrawn_at IS NULL AND status IS NOT NULL"
_ROLE_ON_TASK = """
    SELECT task_unit.role FROM task_unit JOIN occurrence ON occurrence.task_id = task_unit.task_id
    WHERE occurrence.id = progress_report.occurrence_id AND task_unit.unit_id = progress_report.unit_id
    ORDER BY CASE WHEN task_unit.role = 'lead' THEN 0 ELSE 1 END LIMIT 1
"""


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('progress_report', sa.Column('role', sa.String(length=20), nullable=True))
    op.execute(f"UPDATE progress_report SET role = ({_ROLE_ON_TASK}) WHERE unit_id IS NOT NULL")
    op.drop_index('ix_report_newest', table_name='progress_report')
    op.create_index(
        'ix_report_unit_newest',
        'progress_report',
        ['occurrence_id', 'unit_id', 'created_at', 'id'],
        unique=False,
        sqlite_where=sa.text(_REPORTED),
        postgresql_where=sa.text(_REPORTED),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_report_unit_newest', table_name='progress_report')
    op.create_index(
        'ix_report_newest',
        'progress_report',
        ['occurrence_id', 'created_at', 'id'],
        unique=False,
        sqlite_where=sa.text(_REPORTED),
        postgresql_where=sa.text(_REPORTED),
    )
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.drop_column('role')
