"""Keeps each task's schedules and dated occurrences in step with its time text.

Runs after every import (and after events are recorded). Occurrences are never deleted: one that a
changed schedule no longer has is archived, and comes back if the schedule returns to it, so the
progress reports attached to it stay where they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel, col

from models import Occurrence, OccurrenceSource, Plan, Task
from scheduler.timing.periods import Period, PlannedOccurrence, expand
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import OnEvent, schedule_to_json

OccurrenceKey = tuple[int, date, bool]
INSERT_CHUNK = 5000
OCCURRENCE_TABLE = SQLModel.metadata.tables["occurrence"]  # task id, due date, check-in or not


@dataclass(frozen=True)
class PlanningOutcome:
    added: int
    archived: int
    restored: int
    needs_date: tuple[str, ...]  # codes of tasks whose time text could not be read
    # Codes of tasks with a part that waits for an outside event no admin has recorded yet.
    awaiting_event: tuple[str, ...] = ()


def plan_issue_date(plan: Plan) -> date:
    # A plan without a stated issue date is planned from the day it was imported, so that planning
    # it again another day gives the same occurrences.
    return plan.issued or plan.imported_at.date()


def period_of(kind: str, year: int, index: int | None, due: date) -> Period:
    """Rebuilds the stored period of an occurrence (a "date" period is the due date itself)."""
    if kind == "date":
        return Period("date", due.year, due.month, due.day)
    return Period(kind, year, index)  # type: ignore[arg-type]


_INSERT_COLUMNS = (
    "task_id",
    "due",
    "checkin",
    "period_kind",
    "period_year",
    "period_index",
    "event_id",
    "source",
    "created_at",
)


def _insert_occurrences(
    session: Session,
    rows: Sequence[tuple[int, PlannedOccurrence, int | None]],
    source: OccurrenceSource,
    now: datetime,
) -> None:
    """Writes new occurrences with the driver's executemany.

    A 10,000-task plan has ~70,000 of them; SQLAlchemy's per-row parameter handling (and the ORM's
    splitting of rows by which values are None) took most of an import's time. Values still go through
    each column type's own bind processor, so what is stored is exactly what the ORM would store.
    """
    connection = session.connection()
    dialect = connection.dialect
    marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    processors = [OCCURRENCE_TABLE.c[name].type.bind_processor(dialect) for name in _INSERT_COLUMNS]

    def bound(index: int, value: Any) -> Any:
        processor = processors[index]
        return value if processor is None or value is None else processor(value)

    raw = [
        (
            task_id,
            planned.due,
            planned.checkin,
            planned.period.kind,
            planned.period.year,
            planned.period.index if planned.period.kind != "date" else None,
            event_id,
            source.value,
            now,
        )
        for task_id, planned, event_id in rows
    ]
    if marker is None:  # a driver with another placeholder style: the ordinary, slower path
        connection.execute(insert(OCCURRENCE_TABLE), [dict(zip(_INSERT_COLUMNS, row, strict=True)) for row in raw])
        return
    shared = (bound(7, source.value), bound(8, now))
    values = [(row[0], bound(1, row[1]), bound(2, row[2]), row[3], row[4], row[5], row[6], *shared) for row in raw]
    sql = "INSERT INTO occurrence ({}) VALUES ({})".format(
        ", ".join(_INSERT_COLUMNS), ", ".join([marker] * len(_INSERT_COLUMNS))
    )
    for start in range(0, len(values), INSERT_CHUNK):
        connection.exec_driver_sql(sql, values[start : start + INSERT_CHUNK])


def sync_occurrences(
    session: Session,
    source: OccurrenceSource,
    desired: Mapping[OccurrenceKey, tuple[PlannedOccurrence, int | None]],
    task_ids: Sequence[int],
    now: datetime,
    *,
    event_id: int | None = None,
) -> tuple[int, int, int]:
    """Makes the live occurrences of `source` (of one event, if given) for `task_ids` exactly `desired`.

    Returns how many were added, archived and restored.
    """
    existing: dict[OccurrenceKey, tuple[int, datetime | None]] = {}
    for chunk in _chunks(task_ids, 5000):
        rows = session.execute(
            sa.select(
                col(Occurrence.id),
                col(Occurrence.task_id),
                col(Occurrence.due),
                col(Occurrence.checkin),
                col(Occurrence.archived_at),
            ).where(
                col(Occurrence.task_id).in_(chunk),
                col(Occurrence.source) == source.value,
                *([col(Occurrence.event_id) == event_id] if event_id is not None else []),
            )
        )
        for occurrence_id, task_id, due, checkin, archived_at in rows:
            assert occurrence_id is not None
            existing[(task_id, due, checkin)] = (occurrence_id, archived_at)

    new_keys = [key for key in desired if key not in existing]
    archive: list[dict[str, Any]] = [
        {"id": occurrence_id, "archived_at": now}
        for key, (occurrence_id, archived_at) in existing.items()
        if key not in desired and archived_at is None
    ]
    restore: list[dict[str, Any]] = [
        {"id": occurrence_id, "archived_at": None}
        for key, (occurrence_id, archived_at) in existing.items()
        if key in desired and archived_at is not None
    ]
    _insert_occurrences(session, [(key[0], desired[key][0], desired[key][1]) for key in new_keys], source, now)
    if archive or restore:
        session.execute(update(Occurrence), archive + restore)
    return len(new_keys), len(archive), len(restore)


def plan_occurrences(session: Session, plan: Plan, *, now: datetime) -> PlanningOutcome:
    """Reads every task's time text into schedules and expands them into occurrences to the horizon."""
    assert plan.id is not None
    issued = plan_issue_date(plan)
    tasks = session.execute(
        sa.select(
            col(Task.id),
            col(Task.code),
            col(Task.time_text),
            col(Task.schedules),
            col(Task.needs_date),
            col(Task.archived_at),
        )
        .where(col(Task.plan_id) == plan.id)
        .order_by(col(Task.position))
    ).all()
    task_updates: list[dict[str, Any]] = []
    desired: dict[OccurrenceKey, tuple[PlannedOccurrence, int | None]] = {}
    needs_date: list[str] = []
    awaiting: list[tuple[int, str]] = []
    for task_id, code, time_text, stored_schedules, stored_needs_date, archived_at in tasks:
        assert task_id is not None
        parsed = parse_time_text(time_text, issued, plan.horizon_year)
        schedules = [schedule_to_json(s) for s in parsed.schedules]
        if schedules != stored_schedules or parsed.needs_date != stored_needs_date:
            task_updates.append({"id": task_id, "schedules": schedules, "needs_date": parsed.needs_date})
        if archived_at is not None:
            continue  # an archived task keeps its history but has nothing more due
        if parsed.needs_date:
            needs_date.append(code)
        if any(isinstance(schedule, OnEvent) for schedule in parsed.schedules):
            awaiting.append((task_id, code))
        for planned in expand(parsed.schedules, issued, plan.horizon_year):
            if planned.due is not None:
                desired.setdefault((task_id, planned.due, planned.checkin), (planned, None))
    if task_updates:
        session.execute(update(Task), task_updates)
    added, archived, restored = sync_occurrences(
        session, OccurrenceSource.SCHEDULE, desired, [t[0] for t in tasks if t[0] is not None], now
    )
    dated_by_event = _dated_by_event(session, [task_id for task_id, _code in awaiting])
    return PlanningOutcome(
        added=added,
        archived=archived,
        restored=restored,
        needs_date=tuple(needs_date),
        awaiting_event=tuple(code for task_id, code in awaiting if task_id not in dated_by_event),
    )


def _dated_by_event(session: Session, task_ids: Sequence[int]) -> set[int]:
    """The tasks among `task_ids` that a recorded event has already given a deadline."""
    found: set[int] = set()
    for chunk in _chunks(task_ids, 5000):
        found.update(
            session.execute(
                sa.select(col(Occurrence.task_id)).where(
                    col(Occurrence.task_id).in_(chunk),
                    col(Occurrence.source) == OccurrenceSource.EVENT.value,
                    col(Occurrence.archived_at).is_(None),
                )
            ).scalars()
        )
    return found


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    # PostgreSQL and SQLite both cap bound parameters; 10,000-task plans need several queries.
    for start in range(0, len(items), size):
        yield items[start : start + size]
