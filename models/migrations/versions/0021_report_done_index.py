"""report done index: whether anyone reported an occurrence done, in one index probe

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-13 08:30:00.000000

The list of open work (a member's /tasks, a reply that quotes nothing) asks of every occurrence it
lists whether some report of done stands. Through `ix_report_unit_newest` that read every report of
the occurrence from the table to see its status; this partial index holds only the reports of done
that stand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_DONE = "withdrawn_at IS NULL AND status = 'done'"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_report_done',
        'progress_report',
        ['occurrence_id'],
        unique=False,
        sqlite_where=sa.text(_DONE),
        postgresql_where=sa.text(_DONE),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_report_done', table_name='progress_report')
