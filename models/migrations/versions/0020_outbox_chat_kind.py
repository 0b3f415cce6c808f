"""outbox chat kind: whether a row goes to a group or a private chat, stored when it is queued

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12 08:30:00.000000

The rate limits differ for groups and private chats. The dispatcher guessed the kind from the id
("-" starts a Telegram group), which says nothing on Zalo, whose ids are opaque strings. Rows
already queued are filled in from what is known: a chat bound to a unit is a group, and so is a
Telegram chat whose id starts with "-"; every other chat is a person's private chat.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0020'
down_revision: Union[str, Sequence[str], None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_kind', sa.String(length=10), nullable=True))
    op.execute(
        """
        UPDATE outbox_message SET chat_kind = CASE
            WHEN EXISTS (
                SELECT 1 FROM chat_binding
                WHERE chat_binding.platform = outbox_message.platform
                  AND chat_binding.chat_id = outbox_message.chat_id
            ) THEN 'group'
            WHEN platform = 'telegram' AND chat_id LIKE '-%' THEN 'group'
            ELSE 'private'
        END
        """
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('chat_kind', existing_type=sa.String(length=10), nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('chat_kind')
