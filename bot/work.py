"""What a person has to do: the open occurrences of their units' tasks, and one task in detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Occurrence, ProgressReport, ReportStatus, Task, TaskUnit, Unit, UnitRole
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


def task_ids_for_units(session: Session, unit_ids: Iterable[int]) -> set[int]:
    ids = list(unit_ids)
    if not ids:
        return set()
    rows = session.execute(sa.select(col(TaskUnit.task_id)).where(col(TaskUnit.unit_id).in_(ids))).all()
    return {task_id for (task_id,) in rows}


def latest_reports(session: Session, occurrence_ids: Iterable[int]) -> dict[int, LatestReport]:
    """The newest report with a status for each occurrence (withdrawn ones and unanswered questions skipped)."""
    ids = list(occurrence_ids)
    latest: dict[int, LatestReport] = {}
    for start in range(0, len(ids), 5000):
        rows = session.exec(
            select(ProgressReport)
            .where(
                col(ProgressReport.occurrence_id).in_(ids[start : start + 5000]),
                col(ProgressReport.withdrawn_at).is_(None),
                col(ProgressReport.status).is_not(None),
            )
            .order_by(col(ProgressReport.created_at), col(ProgressReport.id))
        )
        for report in rows:
            assert report.status is not None
            latest[report.occurrence_id] = LatestReport(
                status=ReportStatus(report.status),
                percent=report.percent,
                reason=report.reason,
                note=report.note,
                at=report.updated_at,
                member_id=report.member_id,
            )
    return latest


def open_work(session: Session, plan_id: int, task_ids: set[int] | None, today: date, tz: ZoneInfo) -> list[WorkItem]:
    """Per task, its earliest occurrence not yet done (overdue ones first), soonest first.

    `task_ids` None means the whole plan (monitor, admin).
    """
    query = select(Task).where(Task.plan_id == plan_id, col(Task.archived_at).is_(None))
    tasks = [t for t in session.exec(query) if task_ids is None or t.id in task_ids]
    by_task: dict[int, list[Occurrence]] = defaultdict(list)
    if tasks:
        occurrences = session.exec(
            select(Occurrence)
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(Task.plan_id == plan_id, col(Occurrence.archived_at).is_(None))
            .order_by(col(Occurrence.due), col(Occurrence.checkin))
        ).all()
        for occurrence in occurrences:
            by_task[occurrence.task_id].append(occurrence)
    wanted = {t.id for t in tasks}
    latest = latest_reports(session, [o.id for tid, os in by_task.items() if tid in wanted for o in os if o.id])
    items: list[WorkItem] = []
    for task in tasks:
        assert task.id is not None
        event = next((s.get("event") for s in task.schedules if s.get("kind") == "event"), None)
        chosen: WorkItem | None = None
        for occurrence in by_task.get(task.id, []):
            assert occurrence.id is not None
            report = latest.get(occurrence.id)
            if report is not None and report.status == ReportStatus.DONE:
                continue
            if occurrence.checkin and occurrence.due < today:
                continue  # a past quarter's check-in is not work left to do; the current one is
            state = derive_state(
                occurrence.due,
                report.status if report else None,
                report.at.astimezone(tz).date() if report else None,
                today,
            )
            chosen = WorkItem(
                task.id,
                task.code,
                task.content,
                occurrence.id,
                occurrence.due,
                occurrence.checkin,
                state,
                report,
                None,
                task.position,
            )
            break
        if chosen is None and (event is not None or task.needs_date) and not by_task.get(task.id):
            waiting = derive_state(None, None, None, today) if event is not None else None
            chosen = WorkItem(task.id, task.code, task.content, None, None, False, waiting, None, event, task.position)
        if chosen is not None:
            items.append(chosen)
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
