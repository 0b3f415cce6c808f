"""What the bot asked and what people answered: prompts, progress reports, replies awaiting a choice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlalchemy.sql.selectable import LateralFromClause
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ReportStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"


class Prompt(SQLModel, table=True):
    """A message the bot sent about one occurrence (a reminder, a question); a reply to it reports on it."""

    __tablename__ = "prompt"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "message_id"),
        Index("ix_prompt_member_open", "member_id", "answered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    message_id: str | None = Field(default=None, max_length=64)  # set once the platform acknowledged it
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")  # None for a group's prompt
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


_HAS_STATUS = "withdrawn_at IS NULL AND status IS NOT NULL"  # the reports that count


class ProgressReport(SQLModel, table=True):
    """A reply read into a status. `status` is None while the bot waits for the person to pick one."""

    __tablename__ = "progress_report"
    __table_args__ = (
        Index("ix_report_occurrence", "occurrence_id", "created_at"),
        Index("ix_report_source_message", "platform", "chat_id", "message_id"),
        # What counts is an occurrence's newest report with a status: this index holds only those, so
        # finding it is one step from the index's newest end, however many reports were withdrawn.
        Index(
            "ix_report_newest",
            "occurrence_id",
            "created_at",
            "id",
            sqlite_where=sa.text(_HAS_STATUS),
            postgresql_where=sa.text(_HAS_STATUS),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id")
    member_id: int = Field(foreign_key="member.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    status: ReportStatus | None = Field(default=None, sa_column=Column(String(20), nullable=True))
    percent: int | None = None
    reason: str | None = None
    done_count: int | None = None
    target_count: int | None = None
    note: str  # the reply as written
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    message_id: str = Field(max_length=64)  # the reply's id: an edit of it updates this report
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


def _newest(reports: sa.FromClause, occurrences: sa.Table, *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """An occurrence's newest report with a status: withdrawn ones and unanswered questions skipped."""
    return (
        sa.select(*columns)
        .where(
            reports.c.occurrence_id == occurrences.c.id,
            reports.c.withdrawn_at.is_(None),
            reports.c.status.is_not(None),
        )
        .order_by(reports.c.created_at.desc(), reports.c.id.desc())
        .limit(1)
    )


def newest_report_id(occurrences: sa.Table) -> sa.ScalarSelect[Any]:
    """The id of an occurrence's newest report with a status, as a subquery correlated to `occurrences`:
    what every "where does it stand" reads."""
    reports = SQLModel.metadata.tables["progress_report"].alias("newer")
    return _newest(reports, occurrences, reports.c.id).correlate(occurrences).scalar_subquery()


def newest_report(occurrences: sa.Table, *columns: sa.ColumnElement[Any]) -> LateralFromClause:
    """The same report as `newest_report_id`, as a LATERAL subquery of `columns` (of the progress_report
    table) to outer-join `ON true`. PostgreSQL takes it from `ix_report_newest`, one step an occurrence,
    where a join on `newest_report_id` makes it hash every report; SQLite has no LATERAL."""
    reports = SQLModel.metadata.tables["progress_report"]
    return _newest(reports, occurrences, *columns).lateral("newest")


class PendingReply(SQLModel, table=True):
    """A reply that could belong to several open occurrences: kept until the person picks one."""

    __tablename__ = "pending_reply"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    message_id: str = Field(max_length=64)
    text: str
    occurrence_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
