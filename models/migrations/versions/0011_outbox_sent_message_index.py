"""outbox sent message index

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-03 08:30:00.000000

A reply to a reminder of several tasks (one outbox message, several prompts) finds that message by the
id the platform gave it, so the reply is asked about that reminder's tasks only.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_outbox_sent_message', 'outbox_message', ['chat_id', 'platform_message_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_outbox_sent_message', table_name='outbox_message')
