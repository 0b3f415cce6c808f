"""open questions: the choices a message offered in a chat, for typed numbers

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 08:30:00.000000

A reply "2" (or "số 2", "chọn 2") picks choice 2 of the newest open question in the chat: the choices
are kept in order, per chat, from the moment their message reached it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.types


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_OPEN = 'closed_at IS NULL'


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'open_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('outbox_id', sa.Integer(), nullable=True),
        sa.Column('prompt_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['outbox_id'], ['outbox_message.id'], ),
        sa.ForeignKeyConstraint(['prompt_id'], ['prompt.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    # The newest open question of a chat, one step from the index's end; closed ones are left out.
    op.create_index(
        'ix_open_question_chat',
        'open_question',
        ['platform', 'chat_id', 'created_at', 'id'],
        unique=False,
        sqlite_where=sa.text(_OPEN),
        postgresql_where=sa.text(_OPEN),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_open_question_chat', table_name='open_question')
    op.drop_table('open_question')
