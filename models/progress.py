"""What the bot asked and what people answered: prompts, progress reports, replies awaiting a choice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.registry import UnitKind, UnitRole
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
# A report of done that stands. A query uses `ix_report_done` only when its condition says the same, with the
# status written out rather than bound (SQLite cannot tell that a bound value matches the index's).
DONE_REPORT = "withdrawn_at IS NULL AND status = 'done'"


class ProgressReport(SQLModel, table=True):
    """A reply read into a status. `status` is None while the bot waits for the person to pick one."""

    __tablename__ = "progress_report"
    __table_args__ = (
        Index("ix_report_occurrence", "occurrence_id", "created_at"),
        Index("ix_report_source_message", "platform", "chat_id", "message_id"),
        # What counts is each unit's newest report with a status on an occurrence: this index holds only
        # those, so finding it is one step from the index's newest end, however many were withdrawn.
        Index(
            "ix_report_unit_newest",
            "occurrence_id",
            "unit_id",
            "created_at",
            "id",
            sqlite_where=sa.text(_HAS_STATUS),
            postgresql_where=sa.text(_HAS_STATUS),
        ),
        # Whether anyone reported an occurrence done (`domain.standings`' list of open work asks it of every
        # occurrence it lists): one probe, where the index above reads each report's row to see its status.
        Index(
            "ix_report_done", "occurrence_id", sqlite_where=sa.text(DONE_REPORT), postgresql_where=sa.text(DONE_REPORT)
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id")
    member_id: int = Field(foreign_key="member.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # Whether the unit spoke as the task's lead or as a coordinating unit; None (reports stored without
    # one) reads as the unit's role on the task.
    role: UnitRole | None = Field(default=None, sa_column=Column(String(20), nullable=True))
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


def _newest_of_unit(
    reports: sa.FromClause, occurrences: sa.Table, task_units: sa.FromClause, *columns: sa.ColumnElement[Any]
) -> sa.Select[Any]:
    """A unit's newest report with a status on an occurrence: withdrawn ones and unanswered questions skipped."""
    return (
        sa.select(*columns)
        .where(
            reports.c.occurrence_id == occurrences.c.id,
            reports.c.unit_id == task_units.c.unit_id,
            reports.c.withdrawn_at.is_(None),
            reports.c.status.is_not(None),
        )
        .order_by(reports.c.created_at.desc(), reports.c.id.desc())
        .limit(1)
    )


def with_unit_reports(occurrences_query: sa.Select[Any], *columns: str, lateral: bool = False) -> sa.Select[Any]:
    """The one read of where occurrences stand: each row of `occurrences_query` (a select from the
    `occurrence` table) once per unit of its task that can report (groups never do), followed by that
    unit's id, its role on the task, and the `columns` (names of progress_report columns) of its newest
    report with a status, NULLs when it has none. Every view of an occurrence's state reads it through
    this and derives the state with `domain.status.standing`.

    `lateral`: PostgreSQL takes each unit's newest report from `ix_report_unit_newest` in one step through
    a LATERAL subquery, where a join on a correlated id makes it hash every report; SQLite has no LATERAL.
    """
    tables = SQLModel.metadata.tables
    occurrences, task_units, units = tables["occurrence"], tables["task_unit"], tables["unit"]
    groups = sa.select(units.c.id).where(units.c.kind == UnitKind.GROUP.value)
    query = occurrences_query.join(
        task_units, sa.and_(task_units.c.task_id == occurrences.c.task_id, task_units.c.unit_id.not_in(groups))
    ).add_columns(task_units.c.unit_id.label("unit_id_on_task"), task_units.c.role.label("role_on_task"))
    if lateral:
        reports = tables["progress_report"]
        newest = _newest_of_unit(reports, occurrences, task_units, *(reports.c[name] for name in columns)).lateral(
            "newest"
        )
        return query.add_columns(*newest.c).outerjoin(newest, sa.true())
    newer = tables["progress_report"].alias("newer")
    newest_id = _newest_of_unit(newer, occurrences, task_units, newer.c.id).correlate(occurrences, task_units)
    reports = tables["progress_report"]
    return query.add_columns(*(reports.c[name] for name in columns)).outerjoin(
        reports, reports.c.id == newest_id.scalar_subquery()
    )


def done_before(before: sa.BindParameter[Any], *, lateral: bool = False) -> sa.ColumnElement[bool]:
    """Of the `occurrence` of the enclosing query: whether each unit that leads its task reported it done,
    as its newest report, last changed before `before` — so `domain.status.standing` says it was done
    before then, from every side. A filter for reads that may leave such occurrences out (a summary
    carries over only earlier deadlines still open when its period began); the state itself is still
    derived by `standing` from `with_unit_reports`.

    Cautious where the rows could be read either way: a task without a lead unit, or a unit's newest
    report stored without a role, is never taken as done here. A coordinating unit's report counts only
    when it was stored as a lead's (the unit led the task then): it must be done before `before` too.
    `lateral`: as in `with_unit_reports`.
    """
    tables = SQLModel.metadata.tables
    occurrences, units = tables["occurrence"], tables["unit"]
    groups = sa.select(units.c.id).where(units.c.kind == UnitKind.GROUP.value)
    leads = tables["task_unit"].alias("lead_of_task")
    has_lead = sa.exists().where(
        leads.c.task_id == occurrences.c.task_id,
        leads.c.role == UnitRole.LEAD.value,
        leads.c.unit_id.not_in(groups),
    )
    on_task = tables["task_unit"].alias("unit_of_task")
    if lateral:
        reports = tables["progress_report"]
        newest = (
            _newest_of_unit(
                reports, occurrences, on_task, reports.c.id, reports.c.role, reports.c.status, reports.c.updated_at
            )
            .correlate(occurrences, on_task)
            .lateral("newest_of_unit")
        )
        rows = on_task.outerjoin(newest, sa.true())
        report = newest.c
    else:
        newer = tables["progress_report"].alias("newer_of_unit")
        newest_id = _newest_of_unit(newer, occurrences, on_task, newer.c.id).correlate(occurrences, on_task)
        found = tables["progress_report"].alias("report_of_unit")
        rows = on_task.outerjoin(found, found.c.id == newest_id.scalar_subquery())
        report = found.c
    # A newest report has a status and a time: only its absence is NULL here.
    done = sa.and_(report.status == ReportStatus.DONE.value, report.updated_at < before)
    is_lead = on_task.c.role == UnitRole.LEAD.value
    undecided = sa.or_(
        sa.and_(
            is_lead,
            sa.or_(
                report.id.is_(None),
                sa.not_(done),
                sa.and_(report.role.is_not(None), report.role != UnitRole.LEAD.value),
            ),
        ),
        sa.and_(
            sa.not_(is_lead),
            report.id.is_not(None),
            sa.or_(report.role.is_(None), sa.and_(report.role == UnitRole.LEAD.value, sa.not_(done))),
        ),
    )
    open_unit = (
        sa.select(sa.literal(1))
        .select_from(rows)
        .where(on_task.c.task_id == occurrences.c.task_id, on_task.c.unit_id.not_in(groups), undecided)
        .correlate(occurrences)
    )
    return sa.and_(~sa.exists(open_unit), has_lead)


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
