"""Open questions: the choices a message offered in a chat, kept in order, so a typed number can pick one.

On a platform without buttons (Zalo) choices are shown as a numbered list; on Telegram people type the
number too. Whatever the platform, a chat has at most one open question that a number answers: the
newest message offering choices there. It closes when a choice of it is taken (pressed or typed), when
a newer message offers choices in the same chat, or once it is older than `QUESTION_LIFETIME`.

A question is recorded when its message reaches the chat: a conversation answer when it is produced
(the transport sends it right away), a queued reminder when the platform acknowledged it (so "newest"
follows the chat's history, not the order rows were queued in).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Column, Index, String
from sqlmodel import Field, Session, SQLModel

from models.db import driver_moment, raw_rows
from models.types import UTCDateTime

# Past this age a question no longer takes numbers: a week covers a reminder read late (its next step,
# days later, offers its choices again) without a stray "2" months later picking a forgotten option.
QUESTION_LIFETIME = timedelta(days=7)

_OPEN = "closed_at IS NULL"


class OpenQuestion(SQLModel, table=True):
    """One message that offered choices in a chat; open while `closed_at` is empty."""

    __tablename__ = "open_question"
    __table_args__ = (
        # The newest open question of a chat is one step from this index's newest end; it holds open
        # questions only, so closed ones (nearly all of them, in time) cost nothing to skip.
        Index(
            "ix_open_question_chat",
            "platform",
            "chat_id",
            "created_at",
            "id",
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    # The platform's id of the message offering the choices, when known (a queued reminder, a prompt once
    # acknowledged, buttons edited in place); a choice that rearranges that message's buttons needs it.
    message_id: str | None = Field(default=None, max_length=64)
    # In the order offered: [{"label": …, "payload": …, "row": n}]; "row" is the keyboard row it sat on.
    choices: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Where the message came from: a queued message (a reminder), or a prompt the conversation sent.
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    prompt_id: int | None = Field(default=None, foreign_key="prompt.id")


@dataclass(frozen=True)
class OfferedChoice:
    label: str
    payload: str
    row: int  # the keyboard row it was shown on


@dataclass(frozen=True)
class Question:
    id: int
    message_id: str | None
    choices: tuple[OfferedChoice, ...]  # number n is choices[n - 1]
    created_at: datetime

    def rows(self) -> tuple[tuple[OfferedChoice, ...], ...]:
        """The choices as the keyboard showed them, row by row."""
        rows: dict[int, list[OfferedChoice]] = {}
        for choice in self.choices:
            rows.setdefault(choice.row, []).append(choice)
        return tuple(tuple(rows[row]) for row in sorted(rows))


# Statements on the table, built once and run straight through the driver (`models.db.raw_rows`): they run on
# nearly every chat answer, and SQLAlchemy's execution cost three times the statements themselves.
_TABLE: sa.Table = OpenQuestion.__table__  # type: ignore[attr-defined]
_C = _TABLE.c
# Bound names differ from the columns': an UPDATE reserves the column names for its SET values.
_IN_CHAT = sa.and_(
    _C.platform == sa.bindparam("in_platform"), _C.chat_id == sa.bindparam("in_chat"), _C.closed_at.is_(None)
)
_CLOSE_CHAT = sa.update(_TABLE).where(_IN_CHAT).values(closed_at=sa.bindparam("closing_at", type_=UTCDateTime()))
_INSERT = sa.insert(_TABLE).returning(_C.id)
_NEWEST = (
    sa.select(_C.id, _C.message_id, _C.choices, _C.created_at)
    .where(_IN_CHAT)
    .order_by(_C.created_at.desc(), _C.id.desc())
    .limit(1)
)
_OPEN_IN_CHAT = sa.select(_C.id, _C.choices).where(_IN_CHAT)
_CLOSE = (
    sa.update(_TABLE)
    .where(_C.id.in_(sa.bindparam("ids", expanding=True)), _C.closed_at.is_(None))
    .values(closed_at=sa.bindparam("closing_at", type_=UTCDateTime()))
)


def offer(
    session: Session,
    *,
    platform: str,
    chat_id: str,
    rows: Sequence[Sequence[tuple[str, str]]],
    now: datetime,
    message_id: str | None = None,
    outbox_id: int | None = None,
    prompt_id: int | None = None,
) -> int | None:
    """Records that a message offering `rows` of (label, payload) reached the chat at `now`: it becomes the
    chat's open question, and the one before it closes. No choices, no question (None); else its id."""
    choices = [
        {"label": label, "payload": payload, "row": row}
        for row, buttons in enumerate(rows)
        for label, payload in buttons
    ]
    if not choices:
        return None
    raw_rows(session, _CLOSE_CHAT, {"in_platform": platform, "in_chat": chat_id, "closing_at": now})
    question_id: int = raw_rows(
        session,
        _INSERT,
        {
            "platform": platform,
            "chat_id": chat_id,
            "message_id": message_id,
            "choices": choices,
            "created_at": now,
            "closed_at": None,
            "outbox_id": outbox_id,
            "prompt_id": prompt_id,
        },
    )[0][0]
    return question_id


def newest_open(
    session: Session, *, platform: str, chat_id: str, now: datetime, lifetime: timedelta = QUESTION_LIFETIME
) -> Question | None:
    """The chat's open question, the one a typed number answers; None when there is none or it expired."""
    rows = raw_rows(session, _NEWEST, {"in_platform": platform, "in_chat": chat_id})
    if not rows:
        return None
    question_id, message_id, stored, stored_at = rows[0]
    choices, created_at = _json(stored), driver_moment(stored_at)
    if created_at <= now - lifetime:
        return None
    return Question(question_id, message_id, _choices(choices), created_at)


def close_offering(session: Session, *, platform: str, chat_id: str, payload: str, now: datetime) -> int:
    """Closes the chat's open questions that offered `payload` (it was just taken); how many closed."""
    rows = raw_rows(session, _OPEN_IN_CHAT, {"in_platform": platform, "in_chat": chat_id})
    ids = [question_id for question_id, stored in rows if any(c.payload == payload for c in _choices(_json(stored)))]
    if ids:
        raw_rows(session, _CLOSE, {"ids": ids, "closing_at": now})
    return len(ids)


def _json(stored: Any) -> Any:
    # The driver hands JSON back as text on SQLite, and already decoded by psycopg on PostgreSQL.
    return json.loads(stored) if isinstance(stored, str | bytes) else stored


def _choices(stored: Any) -> tuple[OfferedChoice, ...]:
    if not isinstance(stored, list):
        return ()
    return tuple(
        OfferedChoice(str(c["label"]), str(c["payload"]), int(c.get("row", 0)))
        for c in stored
        if isinstance(c, dict) and "label" in c and "payload" in c
    )


__all__ = [
    "QUESTION_LIFETIME",
    "OfferedChoice",
    "OpenQuestion",
    "Question",
    "close_offering",
    "newest_open",
    "offer",
]
