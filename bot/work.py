"""What a person has to do: the open occurrences of their units' tasks, and one task in detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from models import ReportStatus, TaskUnit, Unit, UnitRole
from models.progress import newest_report_id
from reports.status import DerivedState, derive_state


@dataclass(frozen=True)
class LatestReport:
    status: ReportStatus
    percent: int | None
    reason: str | None
    note: str
    at: datetime
    member_id: int


@dataclass(frozen=True)
class WorkItem:
    task_id: int
    task_code: str
    content: str
    occurrence_id: int | None  # None: waiting for an outside event, or no readable date
    due: date | None
    checkin: bool
    state: DerivedState | None  # None when the task has no readable date
    latest: LatestReport | None
    event: str | None  # the event words when the task waits for one
    position: int


# The statements on the path of every message are built once, at import, on the tables rather than the ORM
# classes: on SQLite, building a statement and loading rows through the ORM cost more than running the query.
_OCCURRENCES = SQLModel.metadata.tables["occurrence"]
_REPORTS = SQLModel.metadata.tables["progress_report"]
_TASKS = SQLModel.metadata.tables["task"]
_OCCURRENCE, _REPORT, _TASK = _OCCURRENCES.c, _REPORTS.c, _TASKS.c
_TASK_UNIT = SQLModel.metadata.tables["task_unit"].c

_TASKS_OF_UNITS = sa.select(_TASK_UNIT.task_id).where(_TASK_UNIT.unit_id.in_(sa.bindparam("unit_ids", expanding=True)))

_NEWEST_REPORT = newest_report_id(_OCCURRENCES)
_LATEST_COLUMNS = (
    _REPORT.status,
    _REPORT.percent,
    _REPORT.reason,
    _REPORT.note,
    _REPORT.updated_at,
    _REPORT.member_id,
)
_LATEST_OF_OCCURRENCES = (
    sa.select(_OCCURRENCE.id, *_LATEST_COLUMNS)
    .select_from(_OCCURRENCES)
    .join(_REPORTS, _REPORT.id == _NEWEST_REPORT)
    .where(_OCCURRENCE.id.in_(sa.bindparam("ids", expanding=True)))
)
_HAS_OCCURRENCES = (
    sa.exists().where(_OCCURRENCE.task_id == _TASK.id, _OCCURRENCE.archived_at.is_(None)).correlate(_TASKS)
)
_TASKS_OF_PLAN = sa.select(
    _TASK.id,
    _TASK.code,
    _TASK.content,
    # Only a task with no occurrence needs its schedules (to name the event it waits for): no JSON to decode else.
    sa.case((_HAS_OCCURRENCES, sa.null()), else_=_TASK.schedules).label("schedules"),
    _TASK.needs_date,
    _TASK.position,
    _HAS_OCCURRENCES.label("has_occurrences"),
).where(_TASK.plan_id == sa.bindparam("plan_id"), _TASK.archived_at.is_(None))
_RANKED = (
    sa.select(
        _OCCURRENCE.task_id,
        _OCCURRENCE.id,
        _OCCURRENCE.due,
        _OCCURRENCE.checkin,
        *_LATEST_COLUMNS,
        sa.func.row_number()
        .over(partition_by=_OCCURRENCE.task_id, order_by=(_OCCURRENCE.due, _OCCURRENCE.checkin, _OCCURRENCE.id))
        .label("rank"),
    )
    .select_from(_OCCURRENCES)
    .join(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .outerjoin(_REPORTS, _REPORT.id == _NEWEST_REPORT)
    .where(
        _TASK.plan_id == sa.bindparam("plan_id"),
        _OCCURRENCE.archived_at.is_(None),
        # Work left: not a past quarter's check-in (the current one is), and not reported done.
        sa.not_(sa.and_(_OCCURRENCE.checkin, _OCCURRENCE.due < sa.bindparam("today"))),
        sa.or_(_REPORT.status.is_(None), _REPORT.status != ReportStatus.DONE.value),
    )
    .subquery()
)
# Per task with work left, one row: its earliest open occurrence with the occurrence's latest report.
_FIRST_OPEN = sa.select(_RANKED).where(_RANKED.c.rank == 1)


def task_ids_for_units(session: Session, unit_ids: Iterable[int]) -> set[int]:
    ids = list(unit_ids)
    if not ids:
        return set()
    return {task_id for (task_id,) in session.execute(_TASKS_OF_UNITS, {"unit_ids": ids})}


def _report(
    status: str | None, percent: int | None, reason: str | None, note: str, at: datetime, member_id: int
) -> LatestReport | None:
    if status is None:
        return None
    return LatestReport(
        status=ReportStatus(status), percent=percent, reason=reason, note=note, at=at, member_id=member_id
    )


def latest_reports(session: Session, occurrence_ids: Iterable[int]) -> dict[int, LatestReport]:
    """The newest report with a status for each occurrence (withdrawn ones and unanswered questions skipped)."""
    ids = list(occurrence_ids)
    latest: dict[int, LatestReport] = {}
    for start in range(0, len(ids), 5000):
        for occurrence_id, *columns in session.execute(_LATEST_OF_OCCURRENCES, {"ids": ids[start : start + 5000]}):
            report = _report(*columns)
            if report is not None:
                latest[occurrence_id] = report
    return latest


def open_work(session: Session, plan_id: int, task_ids: set[int] | None, today: date, tz: ZoneInfo) -> list[WorkItem]:
    """Per task, its earliest occurrence not yet done (overdue ones first), soonest first.

    `task_ids` None means the whole plan (monitor, admin).
    """
    tasks = [
        task
        for task in session.execute(_TASKS_OF_PLAN, {"plan_id": plan_id})
        if task_ids is None or task.id in task_ids
    ]
    if not tasks:
        return []
    first = {row.task_id: row for row in session.execute(_FIRST_OPEN, {"plan_id": plan_id, "today": today})}
    items: list[WorkItem] = []
    for task in tasks:
        row = first.get(task.id)
        if row is not None:
            report = _report(row.status, row.percent, row.reason, row.note, row.updated_at, row.member_id)
            state = derive_state(
                row.due,
                report.status if report else None,
                report.at.astimezone(tz).date() if report else None,
                today,
            )
            items.append(
                WorkItem(
                    task.id, task.code, task.content, row.id, row.due, row.checkin, state, report, None, task.position
                )
            )
        elif not task.has_occurrences:
            # No occurrence at all: the task waits for an outside event, or its time text could not be read.
            event = next((s.get("event") for s in task.schedules if s.get("kind") == "event"), None)
            if event is not None or task.needs_date:
                waiting = derive_state(None, None, None, today) if event is not None else None
                items.append(
                    WorkItem(task.id, task.code, task.content, None, None, False, waiting, None, event, task.position)
                )
    items.sort(key=lambda item: (item.due is None, item.due or date.max, item.position))
    return items


def task_units(session: Session, task_id: int) -> dict[UnitRole, list[str]]:
    rows = session.exec(
        select(TaskUnit.role, Unit.name)
        .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
        .where(TaskUnit.task_id == task_id)
        .order_by(col(TaskUnit.role), col(TaskUnit.position))
    ).all()
    units: dict[UnitRole, list[str]] = defaultdict(list)
    for role, name in rows:
        units[UnitRole(role)].append(name)
    return units
