"""Outside events that tasks wait for ("Sau khi Trung ương ban hành Đề án"): recorded by an admin,
they give those tasks a deadline a span after the event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from locales import N_
from models import AuditLog, Event, EventTask, Occurrence, OccurrenceSource, Plan, Task
from models.errors import UserFacingError
from scheduler.timing.periods import PlannedOccurrence, expand_event
from scheduler.timing.planning import OccurrenceKey, sync_occurrences

UNKNOWN_TASKS = N_("The plan has no task {codes}.")
NOT_WAITING = N_("Task {code} does not wait for an outside event (its time is: {time}).")
NO_TASKS = N_("Name at least one task, e.g. --tasks III.3,VI.1")
EVENT_NOT_FOUND = N_("No event number {id}. See the list with: nhacviec event list")
BAD_SPAN = N_("The span must be between 1 and 3650 days, not {days}.")
EMPTY_DESCRIPTION = N_('Describe the event, e.g. "Trung ương ban hành Đề án …".')
MAX_SPAN_DAYS = 3650


@dataclass(frozen=True)
class EventView:
    id: int
    description: str
    occurred_on: date
    due_in_days: int
    due: date
    tasks: tuple[str, ...]
    corrected: bool


def _event_tasks(session: Session, plan: Plan, codes: Sequence[str]) -> list[Task]:
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not wanted:
        raise UserFacingError(NO_TASKS)
    tasks = session.exec(
        select(Task).where(Task.plan_id == plan.id, col(Task.code).in_(wanted), col(Task.archived_at).is_(None))
    ).all()
    found = {t.code: t for t in tasks}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise UserFacingError(UNKNOWN_TASKS, codes=", ".join(missing))
    for code in wanted:
        task = found[code]
        # A task the parser could not read may be waiting for an event in words it did not know.
        if not task.needs_date and not any(s.get("kind") == "event" for s in task.schedules):
            raise UserFacingError(NOT_WAITING, code=code, time=task.time_text)
    return [found[code] for code in wanted]


def _check(description: str, due_in_days: int) -> str:
    description = " ".join(description.split())
    if not description:
        raise UserFacingError(EMPTY_DESCRIPTION)
    if not 1 <= due_in_days <= MAX_SPAN_DAYS:
        raise UserFacingError(BAD_SPAN, days=str(due_in_days))
    return description


def _sync_event(session: Session, event: Event, task_ids: Sequence[int], now: datetime) -> None:
    assert event.id is not None
    planned = expand_event(event.occurred_on, event.due_in_days)
    assert planned.due is not None
    desired: dict[OccurrenceKey, tuple[PlannedOccurrence, int | None]] = {
        (task_id, planned.due, False): (planned, event.id) for task_id in task_ids
    }
    previous = session.exec(select(Occurrence.task_id).where(Occurrence.event_id == event.id)).all()
    scope = sorted(set(previous) | set(task_ids))
    sync_occurrences(session, OccurrenceSource.EVENT, desired, scope, now, event_id=event.id)


def record_event(
    session: Session,
    plan: Plan,
    description: str,
    occurred_on: date,
    task_codes: Sequence[str],
    *,
    due_in_days: int | None,
    actor: str,
    now: datetime,
) -> EventView:
    assert plan.id is not None
    days = plan.event_due_days if due_in_days is None else due_in_days
    description = _check(description, days)
    tasks = _event_tasks(session, plan, task_codes)
    event = Event(
        plan_id=plan.id,
        description=description,
        occurred_on=occurred_on,
        due_in_days=days,
        recorded_by=actor,
        recorded_at=now,
    )
    session.add(event)
    session.flush()
    assert event.id is not None
    task_ids = [t.id for t in tasks if t.id is not None]
    for task_id in task_ids:
        session.add(EventTask(event_id=event.id, task_id=task_id))
    session.flush()
    _sync_event(session, event, task_ids, now)
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="event.record",
            entity=f"event:{event.id}",
            detail={
                "description": description,
                "occurred_on": occurred_on.isoformat(),
                "due_in_days": days,
                "tasks": [t.code for t in tasks],
            },
        )
    )
    session.flush()
    return _view(session, event)


def correct_event(
    session: Session,
    plan: Plan,
    event_id: int,
    *,
    description: str | None,
    occurred_on: date | None,
    due_in_days: int | None,
    task_codes: Sequence[str] | None,
    actor: str,
    now: datetime,
) -> EventView:
    event = session.get(Event, event_id)
    if event is None or event.plan_id != plan.id:
        raise UserFacingError(EVENT_NOT_FOUND, id=str(event_id))
    before = {
        "description": event.description,
        "occurred_on": event.occurred_on.isoformat(),
        "due_in_days": event.due_in_days,
    }
    event.description = _check(
        description if description is not None else event.description,
        due_in_days if due_in_days is not None else event.due_in_days,
    )
    if occurred_on is not None:
        event.occurred_on = occurred_on
    if due_in_days is not None:
        event.due_in_days = due_in_days
    if task_codes is not None:
        tasks = _event_tasks(session, plan, task_codes)
        session.execute(delete(EventTask).where(col(EventTask.event_id) == event_id))
        for task in tasks:
            assert task.id is not None
            session.add(EventTask(event_id=event_id, task_id=task.id))
    event.corrected_at = now
    session.add(event)
    session.flush()
    task_ids = list(session.exec(select(EventTask.task_id).where(EventTask.event_id == event_id)).all())
    _sync_event(session, event, task_ids, now)
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="event.correct",
            entity=f"event:{event_id}",
            detail={
                "before": before,
                "after": {
                    "description": event.description,
                    "occurred_on": event.occurred_on.isoformat(),
                    "due_in_days": event.due_in_days,
                },
            },
        )
    )
    session.flush()
    return _view(session, event)


def list_events(session: Session, plan: Plan) -> list[EventView]:
    events = session.exec(
        select(Event).where(Event.plan_id == plan.id).order_by(col(Event.occurred_on), col(Event.id))
    ).all()
    return [_view(session, e) for e in events]


def _view(session: Session, event: Event) -> EventView:
    assert event.id is not None
    codes = session.exec(
        select(Task.code)
        .join(EventTask, col(EventTask.task_id) == col(Task.id))
        .where(EventTask.event_id == event.id)
        .order_by(col(Task.position))
    ).all()
    planned = expand_event(event.occurred_on, event.due_in_days)
    assert planned.due is not None
    return EventView(
        id=event.id,
        description=event.description,
        occurred_on=event.occurred_on,
        due_in_days=event.due_in_days,
        due=planned.due,
        tasks=tuple(codes),
        corrected=event.corrected_at is not None,
    )
