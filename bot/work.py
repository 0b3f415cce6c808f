"""What a person has to do: the open occurrences of their units' tasks, and one task in detail."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from domain.replies import NEWEST_PLAN_ID
from domain.standings import Reported, open_occurrences, reported, unit_for
from domain.status import DerivedState, ReportFact, Standing, derive_state, standing
from models import ReportStatus, UnitRole
from models.db import driver_day, driver_moment, raw_rows


@dataclass(slots=True)  # not frozen: /tasks makes one per task, and a frozen one costs twice as much
class WorkItem:
    task_id: int
    task_code: str
    content: str
    occurrence_id: int | None  # None: waiting for an outside event, or no readable date
    due: date | None
    checkin: bool
    state: DerivedState | None  # None when the task has no readable date
    latest: ReportFact | None  # the lead report the state comes from
    event: str | None  # the event words when the task waits for one
    position: int
    contributions: tuple[ReportFact, ...] = ()  # coordinating units' reports
    units_done: tuple[int, int] | None = None  # (done, all) when several units lead the task


# The statements on the path of every message are built once, at import, on the tables rather than the ORM
# classes: on SQLite, building a statement and loading rows through the ORM cost more than running the query.
_OCCURRENCES = SQLModel.metadata.tables["occurrence"]
_TASKS = SQLModel.metadata.tables["task"]
_OCCURRENCE, _TASK = _OCCURRENCES.c, _TASKS.c
_TASK_UNIT = SQLModel.metadata.tables["task_unit"].c

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

_TASKS_OF_PLAN_UNITS = _TASKS_OF_PLAN.where(
    sa.exists().where(_TASK_UNIT.task_id == _TASK.id, _TASK_UNIT.unit_id.in_(sa.bindparam("unit_ids", expanding=True)))
)

OPEN_WORK_HORIZON = timedelta(days=400)


@dataclass(slots=True)
class _PlanTask:
    """A row of `_TASKS_OF_PLAN` as the driver gives it (`raw_rows`: on /tasks, SQLAlchemy's result
    handling of the plan's tasks cost more than the query). Never changed once made."""

    id: int
    code: str
    content: str
    schedules: str | list[dict[str, Any]] | None  # JSON text on SQLite; None when the task has occurrences
    needs_date: bool | int
    position: int
    has_occurrences: bool | int

    def schedule_list(self) -> list[dict[str, Any]]:
        found = json.loads(self.schedules) if isinstance(self.schedules, str) else self.schedules
        return found or []


def open_work(
    session: Session,
    plan_id: int,
    task_ids: set[int] | None,
    today: date,
    tz: ZoneInfo,
    unit_ids: Collection[int] = (),
    *,
    of_units: bool = False,
) -> list[WorkItem]:
    """Per task, its earliest occurrence not yet done (overdue ones first), soonest first.

    `task_ids` None means the whole plan (monitor, admin). `unit_ids`: the viewer's units; of a task
    several units lead, a member of one of them sees that unit's part (`domain.standings.unit_for`).
    `of_units`: only the tasks one of `unit_ids` leads or coordinates (`task_ids` None), found by the
    statements that read the tasks and their occurrences, not by one of their own before.
    """
    if of_units:
        assert task_ids is None
        rows = raw_rows(session, _TASKS_OF_PLAN_UNITS, {"plan_id": plan_id, "unit_ids": list(unit_ids)})
    else:
        rows = raw_rows(session, _TASKS_OF_PLAN, {"plan_id": plan_id})
    tasks = [_PlanTask(*row) for row in rows if task_ids is None or row[0] in task_ids]
    if not tasks:
        return []
    first: dict[int, tuple[Reported, Standing]] = {}

    def keep_first(items: list[Reported]) -> None:
        for item in items:
            task_id = item.occurrence.task_id
            if task_id not in first:
                where = item.standing(today, unit_for(item, unit_ids))
                if not where.done:
                    first[task_id] = (item, where)

    # Most tasks have work left within a year: the later occurrences are read only for those that do not.
    horizon = today + OPEN_WORK_HORIZON
    keep_first(
        open_occurrences(session, plan_id, task_ids, today, tz, until=horizon, of_units=unit_ids if of_units else None)
    )
    later = {task.id for task in tasks if task.has_occurrences and task.id not in first}
    if later:
        keep_first(open_occurrences(session, plan_id, later, today, tz, after=horizon))
    items: list[WorkItem] = []
    for task in tasks:
        found = first.get(task.id)
        if found is not None:
            item, where = found
            occurrence = item.occurrence
            items.append(
                WorkItem(
                    task.id,
                    task.code,
                    task.content,
                    occurrence.id,
                    occurrence.due,
                    occurrence.checkin,
                    where.state,
                    where.shown,
                    None,
                    task.position,
                    where.contributions,
                    where.units_done,
                )
            )
        elif not task.has_occurrences:
            # No occurrence at all: the task waits for an outside event, or its time text could not be read.
            event = next((s.get("event") for s in task.schedule_list() if s.get("kind") == "event"), None)
            if event is not None or task.needs_date:
                waiting = derive_state(None, None, None, today) if event is not None else None
                items.append(
                    WorkItem(task.id, task.code, task.content, None, None, False, waiting, None, event, task.position)
                )
    items.sort(key=lambda item: (item.due is None, item.due or date.max, item.position))
    return items


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """A task as /task shows it."""

    id: int
    code: str
    content: str
    time_text: str
    needs_date: bool
    of_units: bool  # whether one of the viewer's units leads or coordinates it


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline (not a check-in) as /task lists it."""

    id: int
    due: date
    checkin: bool
    period_kind: str
    period_year: int
    period_index: int | None


@dataclass(frozen=True, slots=True)
class TaskReport:
    """One of a task's latest reports as /task quotes it."""

    id: int
    occurrence_id: int
    unit_id: int | None
    role: UnitRole | None
    status: ReportStatus | None
    percent: int | None
    reason: str | None
    note: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TaskUnits:
    """A task's units: the names per role in the plan's order, and by id their names and roles (a unit
    that both leads and coordinates leads)."""

    by_role: dict[UnitRole, list[str]]
    names: dict[int, str]
    roles: dict[int, UnitRole]


_UNITS = SQLModel.metadata.tables["unit"]
_REPORT = SQLModel.metadata.tables["progress_report"].c
# The plan a chat talks about (`domain.replies.plan_id_of`), in the same statement as the task looked up.
_TASK_BY_CODE = sa.select(
    _TASK.id,
    _TASK.code,
    _TASK.content,
    _TASK.time_text,
    _TASK.needs_date,
    sa.exists()
    .where(_TASK_UNIT.task_id == _TASK.id, _TASK_UNIT.unit_id.in_(sa.bindparam("unit_ids", expanding=True)))
    .label("of_units"),
).where(_TASK.plan_id == NEWEST_PLAN_ID, _TASK.code == sa.bindparam("code"), _TASK.archived_at.is_(None))
_UNITS_OF_TASK = (
    sa.select(_TASK_UNIT.unit_id, _TASK_UNIT.role, _UNITS.c.name)
    .join(_UNITS, _UNITS.c.id == _TASK_UNIT.unit_id)
    .where(_TASK_UNIT.task_id == sa.bindparam("task_id"))
    .order_by(_TASK_UNIT.role, _TASK_UNIT.position)
)
_DEADLINES = (
    sa.select(
        _OCCURRENCE.id,
        _OCCURRENCE.due,
        _OCCURRENCE.checkin,
        _OCCURRENCE.period_kind,
        _OCCURRENCE.period_year,
        _OCCURRENCE.period_index,
    )
    .where(
        _OCCURRENCE.task_id == sa.bindparam("task_id"),
        _OCCURRENCE.archived_at.is_(None),
        _OCCURRENCE.checkin.is_(False),
    )
    .order_by(_OCCURRENCE.due, _OCCURRENCE.id)
)
_LATEST_REPORTS = (
    sa.select(
        _REPORT.id,
        _REPORT.occurrence_id,
        _REPORT.unit_id,
        _REPORT.role,
        _REPORT.status,
        _REPORT.percent,
        _REPORT.reason,
        _REPORT.note,
        _REPORT.updated_at,
    )
    .join(_OCCURRENCES, _OCCURRENCE.id == _REPORT.occurrence_id)
    .where(_OCCURRENCE.task_id == sa.bindparam("task_id"), _REPORT.withdrawn_at.is_(None), _REPORT.status.is_not(None))
    .order_by(_REPORT.updated_at.desc(), _REPORT.id.desc())
    .limit(sa.bindparam("limit"))
)
_ROLES = {role.value: role for role in UnitRole}
_STATUSES = {status.value: status for status in ReportStatus}


def task_by_code(session: Session, code: str, unit_ids: Collection[int]) -> TaskFacts | None:
    """The live task of the chat's plan with this code (as written in the plan, upper case)."""
    rows = raw_rows(session, _TASK_BY_CODE, {"code": code, "unit_ids": list(unit_ids)})
    if not rows:
        return None
    task_id, task_code, content, time_text, needs_date, of_units = rows[0]
    return TaskFacts(task_id, task_code, content, time_text, bool(needs_date), bool(of_units))


def open_deadlines(
    session: Session, task_id: int, today: date, tz: ZoneInfo, unit_ids: Collection[int] = ()
) -> list[tuple[Deadline, Standing]]:
    """The task's deadlines (not check-ins) not yet done as the viewer's units see them, soonest first."""
    occurrences = [
        Deadline(occurrence_id, driver_day(due), bool(checkin), kind, year, index)
        for occurrence_id, due, checkin, kind, year, index in raw_rows(session, _DEADLINES, {"task_id": task_id})
    ]
    found = reported(session, [o.id for o in occurrences], tz)
    open_ones: list[tuple[Deadline, Standing]] = []
    for occurrence in occurrences:
        item = found.get(occurrence.id)
        # No row: no unit of the task can report (only groups lead it), so nothing closes it.
        state = (
            item.standing(today, unit_for(item, unit_ids))
            if item is not None
            else standing(occurrence.due, occurrence.checkin, (), (), today)
        )
        if not state.done:
            open_ones.append((occurrence, state))
    return open_ones


def latest_reports(session: Session, task_id: int, limit: int) -> list[TaskReport]:
    """The task's newest reports with a status, not withdrawn, newest change first."""
    return [
        TaskReport(
            report_id,
            occurrence_id,
            unit_id,
            None if role is None else _ROLES[role],
            None if status is None else _STATUSES[status],
            percent,
            reason,
            note,
            driver_moment(updated_at),
        )
        for report_id, occurrence_id, unit_id, role, status, percent, reason, note, updated_at in raw_rows(
            session, _LATEST_REPORTS, {"task_id": task_id, "limit": limit}
        )
    ]


def task_units(session: Session, task_id: int) -> dict[UnitRole, list[str]]:
    return units_of_task(session, task_id).by_role


def units_of_task(session: Session, task_id: int) -> TaskUnits:
    """The task's units, read once for its lines and its reports' lines."""
    by_role: dict[UnitRole, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    roles: dict[int, UnitRole] = {}
    for unit_id, role_value, name in raw_rows(session, _UNITS_OF_TASK, {"task_id": task_id}):
        role = _ROLES[role_value]
        by_role[role].append(name)
        names[unit_id] = name
        if roles.get(unit_id) != UnitRole.LEAD:
            roles[unit_id] = role
    return TaskUnits(by_role, names, roles)
