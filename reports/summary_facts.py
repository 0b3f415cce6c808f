"""From the database to the plain facts a summary is built from: eight queries, whatever the plan's size.

The statements are built once, on the tables rather than the ORM classes (loading rows through the ORM
costs more than running the query). Only the occurrences of the periods asked about (and the deadlines
before them, which may be carried over) are read, with the
newest report of each unit on each of them (`models.progress.with_unit_reports`, the read every view shares).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from domain.unit_reports import REPORT_COLUMNS, LocalDays, read_unit_reports
from models import OccurrenceSource, TaskOrigin, UnitKind, UnitRole
from models.audit import REGISTRY_ACTIONS
from models.db import raw_rows
from models.progress import done_before, with_unit_reports
from reports.summary import (
    PlanFact,
    SectionFact,
    SummaryFacts,
    TaskFact,
    UnitFact,
)
from scheduler.timing.periods import Period, PeriodKind

__all__ = [
    "RegistryCache",
    "RegistryFacts",
    "cycle_kind",
    "load_facts",
    "load_registry",
    "newest_plan_id",
    "registry_stamp",
]

_TABLES = SQLModel.metadata.tables
_PLAN = _TABLES["plan"].c
_SECTION = _TABLES["section"].c
_TASK = _TABLES["task"].c
_TASK_UNIT = _TABLES["task_unit"].c
_UNIT = _TABLES["unit"].c
_OCCURRENCE = _TABLES["occurrence"].c
_REPORT = _TABLES["progress_report"].c
_AUDIT = _TABLES["audit_log"].c

_NEWEST_PLAN = sa.select(_PLAN.id).order_by(_PLAN.imported_at.desc(), _PLAN.id.desc()).limit(1)
_PLAN_ROW = sa.select(_PLAN.id, _PLAN.code, _PLAN.title, _PLAN.issuing_body, _PLAN.issued).where(
    _PLAN.id == sa.bindparam("plan_id")
)
_SECTIONS = sa.select(_SECTION.id, _SECTION.code, _SECTION.title, _SECTION.position).where(
    _SECTION.plan_id == sa.bindparam("plan_id"), _SECTION.archived_at.is_(None)
)
# Schedules come as text: only the few with an event or a yearly count are parsed.
_TASKS = (
    sa.select(
        _TASK.id,
        _TASK.code,
        _TASK.section_id,
        _TASK.position,
        _TASK.content,
        _TASK.time_text,
        _TASK.target_note,
        sa.cast(_TASK.schedules, sa.Text),
        _TASK.needs_date,
    )
    .where(_TASK.plan_id == sa.bindparam("plan_id"), _TASK.archived_at.is_(None))
    .order_by(_TASK.position, _TASK.id)
)
_TASK_UNITS = (
    sa.select(_TASK_UNIT.task_id, _TASK_UNIT.unit_id, _TASK_UNIT.role)
    .join(_TABLES["task"], _TASK.id == _TASK_UNIT.task_id)
    .where(_TASK.plan_id == sa.bindparam("plan_id"))
    .order_by(_TASK_UNIT.task_id, _TASK_UNIT.position)
)
_UNITS = sa.select(_UNIT.id, _UNIT.name, _UNIT.kind)
# Of the tasks that wait for an event, those that have a deadline from one (the event was recorded).
_EVENT_TASKS = (
    sa.select(_OCCURRENCE.task_id)
    .distinct()
    .where(
        _OCCURRENCE.task_id.in_(sa.bindparam("task_ids", expanding=True)),
        _OCCURRENCE.source == OccurrenceSource.EVENT.value,
        _OCCURRENCE.archived_at.is_(None),
    )
)
# The occurrences of the window: its deadlines and those before it (a summary carries the ones still open
# into its period), and the check-ins of the main period only (rates and the chart need deadlines alone).
# Of the deadlines before every period asked about, those whose lead units all reported them done before
# the main period began are left out in SQL: no summary of it carries them, and a plan in its fifth
# year has four years of them. The plan's tasks are an IN list (the covering `ix_task_plan_id`), not a
# join: reading each task row for its plan took a third of the query.
_PLAN_TASKS = sa.select(_TASK.id).where(_TASK.plan_id == sa.bindparam("plan_id"))
_IN_WINDOW = sa.and_(
    _OCCURRENCE.archived_at.is_(None),
    _OCCURRENCE.due <= sa.bindparam("high"),
    sa.or_(_OCCURRENCE.checkin.is_(False), _OCCURRENCE.due >= sa.bindparam("checkins_from")),
)
_OCCURRENCE_COLUMNS = (_OCCURRENCE.id, _OCCURRENCE.task_id, _OCCURRENCE.due, _OCCURRENCE.checkin)


def _in_window(*, lateral: bool) -> sa.Select[Any]:
    # "+ 0" keeps SQLite off `ix_occurrence_task_id`: through it, SQLite walks the plan's tasks and reads
    # every occurrence of each, all years to the horizon; the due-date index holds the window's alone
    # and covers the columns read. PostgreSQL (LATERAL) plans the IN list as a semi-join either way.
    task_id = _OCCURRENCE.task_id if lateral else _OCCURRENCE.task_id + 0
    settled = done_before(sa.bindparam("settled_before"), lateral=lateral)
    return (
        sa.select(*_OCCURRENCE_COLUMNS)
        .select_from(_TABLES["occurrence"])
        .where(task_id.in_(_PLAN_TASKS), _IN_WINDOW, sa.or_(_OCCURRENCE.due >= sa.bindparam("low"), ~settled))
    )


_OCCURRENCES = with_unit_reports(_in_window(lateral=False), *REPORT_COLUMNS)
# The same rows as PostgreSQL reads them fastest (4× on 8,000 occurrences): see `with_unit_reports`.
_OCCURRENCES_LATERAL = with_unit_reports(_in_window(lateral=True), *REPORT_COLUMNS, lateral=True)
_NO_JIT = sa.text("SET LOCAL jit = off")
_COUNT = re.compile(r'"count":\s*(\d+)')


def _count(schedules_text: str) -> int | None:
    """ "01 lớp/năm": a yearly schedule's count, read from the stored JSON without parsing it all."""
    found = _COUNT.search(schedules_text)
    return int(found.group(1)) if found else None


_DUTY_SCHEDULES = (
    sa.select(_TASK.schedules)
    .where(
        _TASK.plan_id == sa.bindparam("plan_id"),
        _TASK.archived_at.is_(None),
        _TASK.origin == TaskOrigin.OBLIGATION.value,
    )
    .order_by(_TASK.position, _TASK.id)
)
_CYCLES: dict[str, PeriodKind] = {"yearly": "year", "quarterly": "quarter", "monthly": "month"}


def newest_plan_id(session: Session) -> int | None:
    """The plan a chat talks about: the only one, or the most recently imported."""
    return session.execute(_NEWEST_PLAN).scalar()


def cycle_kind(session: Session, plan_id: int) -> PeriodKind:
    """The plan's reporting cycle: the schedule of its plan-wide report duty (yearly for "trước ngày
    15/11 hàng năm"); a plan without one is followed quarter by quarter, like its check-ins."""
    for schedules in session.execute(_DUTY_SCHEDULES, {"plan_id": plan_id}).scalars():
        for schedule in schedules or []:
            kind = _CYCLES.get(str(schedule.get("kind")))
            if kind is not None:
                return kind
    return "quarter"


@dataclass(frozen=True)
class RegistryFacts:
    """What a summary reads from the registry: it changes only when the plan is imported, a duty
    accepted, an event recorded or units merged, so it can be kept between summaries (`RegistryCache`)."""

    plan: PlanFact
    sections: Sequence[SectionFact]
    units: Mapping[int, UnitFact]
    tasks: Sequence[TaskFact]


_STAMP = sa.select(sa.func.max(_AUDIT.id)).where(_AUDIT.action.in_(REGISTRY_ACTIONS))


def registry_stamp(session: Session) -> int | None:
    """The newest change of the registry (see `models.audit.REGISTRY_ACTIONS`)."""
    return session.execute(_STAMP).scalar()


def load_registry(session: Session, plan_id: int) -> RegistryFacts:
    plan = session.execute(_PLAN_ROW, {"plan_id": plan_id}).one()
    sections = [SectionFact(*row) for row in session.execute(_SECTIONS, {"plan_id": plan_id})]
    units = {row.id: UnitFact(row.id, row.name, row.kind == UnitKind.GROUP.value) for row in session.execute(_UNITS)}
    leads: dict[int, list[int]] = {}
    coordinating: dict[int, list[int]] = {}
    for task_id, unit_id, role in raw_rows(session, _TASK_UNITS, {"plan_id": plan_id}):
        (leads if role == UnitRole.LEAD.value else coordinating).setdefault(task_id, []).append(unit_id)
    tasks: list[TaskFact] = []
    events: dict[int, str] = {}
    for (
        task_id,
        code,
        section_id,
        position,
        content,
        time_text,
        target_note,
        schedules_text,
        needs_date,
    ) in raw_rows(session, _TASKS, {"plan_id": plan_id}):
        event = None
        if schedules_text and '"event"' in schedules_text:
            event = next((str(s["event"]) for s in json.loads(schedules_text) if s.get("kind") == "event"), None)
            if event is not None:
                events[task_id] = event
        count = _count(schedules_text) if schedules_text and '"count": ' in schedules_text else None
        tasks.append(
            TaskFact(
                task_id,
                code,
                section_id,
                position,
                content,
                time_text,
                target_note,
                count,
                event,
                event is not None,  # until the events recorded say otherwise, below
                bool(needs_date),
                tuple(leads.get(task_id, ())),
                tuple(coordinating.get(task_id, ())),
            )
        )
    if events:
        recorded = set(session.execute(_EVENT_TASKS, {"task_ids": list(events)}).scalars())
        for task in tasks:
            if task.id in recorded:
                task.waiting = False
    return RegistryFacts(
        plan=PlanFact(plan.id, plan.code, plan.title, plan.issuing_body, plan.issued),
        sections=sections,
        units=units,
        tasks=tasks,
    )


class RegistryCache:
    """The registry facts of the plans last summarised, each kept while the registry stamp is unchanged.

    One per service (made where it is wired), shared by the threads that answer chats: entries are
    replaced whole, never changed in place, so a reader sees either the old facts or the new ones.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[int | None, RegistryFacts]] = {}

    def get(self, session: Session, plan_id: int) -> RegistryFacts:
        stamp = registry_stamp(session)
        entry = self._entries.get(plan_id)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        registry = load_registry(session, plan_id)
        self._entries[plan_id] = (stamp, registry)
        return registry


def load_facts(
    session: Session,
    plan_id: int,
    *,
    main: Period,
    others: Sequence[Period] = (),
    tz: ZoneInfo,
    registry: RegistryCache | None = None,
) -> SummaryFacts:
    """The facts of `main` (every occurrence, and the earlier deadlines `build_summary` may carry over:
    those its lead units all finished before `main` began are left out, so the facts serve summaries of
    `main` and later periods) and of `others` (deadlines only: the previous period, the chart's
    history). `registry`: where the registry facts are kept between calls (read afresh without)."""
    facts = registry.get(session, plan_id) if registry is not None else load_registry(session, plan_id)
    units, tasks = facts.units, facts.tasks
    periods = [main, *others]
    postgresql = session.connection().dialect.name == "postgresql"
    # The first moment of `main` (local midnight) in UTC: a report last changed before it was on an earlier day.
    began = datetime.combine(main.start, time(), tzinfo=tz).astimezone(UTC)
    window = {
        "plan_id": plan_id,
        "low": min(p.start for p in periods),
        "high": max(p.end for p in periods),
        "checkins_from": main.start,
        "settled_before": began,
    }
    local = LocalDays(tz)
    if postgresql:
        # The read's estimated cost on a large plan passes `jit_above_cost`: compiling it (70-120 ms on
        # the bench plan) took longer than running it (80 ms). For this transaction only.
        session.execute(_NO_JIT)
    occurrences, reports = read_unit_reports(
        raw_rows(session, _OCCURRENCES_LATERAL if postgresql else _OCCURRENCES, window), local
    )
    return SummaryFacts(
        plan=facts.plan,
        sections=facts.sections,
        units=units,
        tasks=tasks,
        occurrences=occurrences,
        reports=reports,
    )
