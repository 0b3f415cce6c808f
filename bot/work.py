"""What a person has to do: the open occurrences of their units' tasks, and one task in detail."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from domain.standings import Reported, open_occurrences, reported, unit_for
from domain.status import DerivedState, ReportFact, Standing, derive_state, standing
from models import Occurrence, TaskUnit, Unit, UnitRole
from models.db import raw_rows


@dataclass(frozen=True)
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

_TASKS_OF_UNITS = sa.select(_TASK_UNIT.task_id).where(_TASK_UNIT.unit_id.in_(sa.bindparam("unit_ids", expanding=True)))

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


OPEN_WORK_HORIZON = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class _PlanTask:
    """A row of `_TASKS_OF_PLAN` as the driver gives it (`raw_rows`: on /tasks, SQLAlchemy's result
    handling of the plan's tasks cost more than the query)."""

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


def task_ids_for_units(session: Session, unit_ids: Iterable[int]) -> set[int]:
    ids = list(unit_ids)
    if not ids:
        return set()
    return {task_id for (task_id,) in raw_rows(session, _TASKS_OF_UNITS, {"unit_ids": ids})}


def open_work(
    session: Session,
    plan_id: int,
    task_ids: set[int] | None,
    today: date,
    tz: ZoneInfo,
    unit_ids: Collection[int] = (),
) -> list[WorkItem]:
    """Per task, its earliest occurrence not yet done (overdue ones first), soonest first.

    `task_ids` None means the whole plan (monitor, admin). `unit_ids`: the viewer's units; of a task
    several units lead, a member of one of them sees that unit's part (`domain.standings.unit_for`).
    """
    tasks = [
        _PlanTask(*row)
        for row in raw_rows(session, _TASKS_OF_PLAN, {"plan_id": plan_id})
        if task_ids is None or row[0] in task_ids
    ]
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
    keep_first(open_occurrences(session, plan_id, task_ids, today, tz, until=horizon))
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


def open_deadlines(
    session: Session, task_id: int, today: date, tz: ZoneInfo, unit_ids: Collection[int] = ()
) -> list[tuple[Occurrence, Standing]]:
    """The task's deadlines (not check-ins) not yet done as the viewer's units see them, soonest first."""
    occurrences = session.exec(
        select(Occurrence)
        .where(Occurrence.task_id == task_id, col(Occurrence.archived_at).is_(None), col(Occurrence.checkin).is_(False))
        .order_by(col(Occurrence.due), col(Occurrence.id))
    ).all()
    found = reported(session, [o.id for o in occurrences if o.id is not None], tz)
    open_ones: list[tuple[Occurrence, Standing]] = []
    for occurrence in occurrences:
        item = found.get(occurrence.id) if occurrence.id is not None else None
        # No row: no unit of the task can report (only groups lead it), so nothing closes it.
        state = (
            item.standing(today, unit_for(item, unit_ids))
            if item is not None
            else standing(occurrence.due, occurrence.checkin, (), (), today)
        )
        if not state.done:
            open_ones.append((occurrence, state))
    return open_ones


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


def task_unit_ids(session: Session, task_id: int) -> tuple[dict[int, str], dict[int, UnitRole]]:
    """The task's units by id: their names, and their role on it (a unit that both leads and coordinates
    leads)."""
    names: dict[int, str] = {}
    roles: dict[int, UnitRole] = {}
    for unit_id, role, name in session.exec(
        select(TaskUnit.unit_id, TaskUnit.role, Unit.name)
        .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
        .where(TaskUnit.task_id == task_id)
    ):
        names[unit_id] = name
        if roles.get(unit_id) != UnitRole.LEAD:
            roles[unit_id] = UnitRole(role)
    return names, roles
