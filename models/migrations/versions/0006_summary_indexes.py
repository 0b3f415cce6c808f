"""summary indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 06:15:00.000000

Indexes for `/summary` on a large plan: an occurrence's newest report with a status in one step, the
occurrences of a period without visiting the table, and the newest registry change (the summary's cache
key) without scanning the audit log.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_REPORTED = "withdrawn_at IS NULL AND status IS NOT NULL"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_report_newest',
        'progress_report',
        ['occurrence_id', 'created_at', 'id'],
        unique=False,
        sqlite_where=sa.text(_REPORTED),
        postgresql_where=sa.text(_REPORTED),
    )
    op.create_index('ix_audit_log_action', 'audit_log', ['action', 'id'], unique=False)
    op.drop_index('ix_occurrence_due', table_name='occurrence')
    op.create_index('ix_occurrence_due', 'occurrence', ['due', 'task_id', 'checkin', 'archived_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_occurrence_due', table_name='occurrence')
    op.create_index('ix_occurrence_due', 'occurrence', ['due'], unique=False)
    op.drop_index('ix_audit_log_action', table_name='audit_log')
    op.drop_index('ix_report_newest', table_name='progress_report')
