"""From the database to the plain facts a summary is built from: eight queries, whatever the plan's size.

The statements are built once, on the tables rather than the ORM classes (loading rows through the ORM
costs more than running the query). Only the occurrences of the periods asked about (and the deadlines
before them, which may be carried over) are read, with the
newest report of each unit on each of them (`models.progress.with_unit_reports`, the read every view shares).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from models import OccurrenceSource, ReportStatus, TaskOrigin, UnitKind, UnitRole
from models.audit import REGISTRY_ACTIONS
from models.db import raw_rows
from models.progress import done_before, with_unit_reports
from reports.summary import (
    OccurrenceFact,
    PlanFact,
    ReportFact,
    SectionFact,
    SummaryFacts,
    TaskFact,
    UnitFact,
)
from scheduler.periods import Period, PeriodKind

__all__ = [
    "REPORT_COLUMNS",
    "LocalDays",
    "RegistryCache",
    "RegistryFacts",
    "cycle_kind",
    "load_facts",
    "load_registry",
    "newest_plan_id",
    "read_unit_reports",
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
# What `read_unit_reports` takes: the occurrence, then each unit of its task with its role there and its newest report
# (NULLs when it has none). Datetimes come as the driver gives them (naive UTC text on SQLite): the
# summary turns them into local days itself, faster than a TypeDecorator per value.
REPORT_COLUMNS = (
    "role",
    "status",
    "note",
    "updated_at",
    "created_at",
    "percent",
    "reason",
    "done_count",
    "target_count",
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


def read_unit_reports(
    rows: Iterable[Sequence[Any]], local: LocalDays
) -> tuple[list[OccurrenceFact], dict[int, list[ReportFact]]]:
    """Rows of `with_unit_reports` (as `_OCCURRENCES`) into facts: the occurrences, and per occurrence each unit's newest report,
    newest first.

    The hot loop of a summary, one row per occurrence and unit: columns named rather than a starred rest,
    and no call per row beyond the facts' own (SQLite's text times are read inline), a third faster on
    8,000 rows."""
    statuses, local_day, roles = local.statuses, local.local_day, local.roles
    # SQLite's naive UTC text ("2026-03-15 02:30:00.000000"): the local day is one per UTC hour (see
    # `LocalDays`), and the moment parses as is with "+00:00" appended.
    hours = local.days if local.by_hour else None
    fromisoformat = datetime.fromisoformat
    occurrences: list[OccurrenceFact] = []
    seen: set[int] = set()
    reports: dict[int, list[ReportFact]] = {}
    days: dict[date | str, date] = {}  # a period has a few dozen due dates among thousands of rows
    for (
        occurrence_id,
        task_id,
        due,
        checkin,
        unit_id,
        role_on_task,
        role,
        status,
        note,
        updated,
        created,
        percent,
        reason,
        done_count,
        target_count,
    ) in rows:
        if occurrence_id not in seen:
            seen.add(occurrence_id)
            day = days.get(due)
            if day is None:
                day = days[due] = _day(due)
            occurrences.append(OccurrenceFact(occurrence_id, task_id, day, bool(checkin)))
        if status is None:
            continue
        if type(updated) is str and hours is not None:
            on = hours.get(updated[:13]) or local_day(updated)
        else:
            on = local_day(updated)
        if type(created) is str and len(created) == 26 and created[19] == ".":
            at = fromisoformat(created + "+00:00")
        else:
            at = _moment(created)
        report = ReportFact(
            occurrence_id,
            unit_id,
            statuses[status],
            note,
            on,
            at,
            percent,
            reason,
            done_count,
            target_count,
            roles[role or role_on_task],
        )
        found = reports.get(occurrence_id)
        if found is None:
            reports[occurrence_id] = [report]
        elif all(r.unit_id != unit_id for r in found):  # a unit that both leads and coordinates: one report
            found.append(report)
            found.sort(key=_made, reverse=True)
    return occurrences, reports


def _made(report: ReportFact) -> datetime:
    return report.at


_ZERO = timedelta(0)


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: datetime | str) -> datetime:
    if isinstance(value, str):
        # SQLite gives naive UTC text: parsing it with "+00:00" appended is six times faster than
        # parsing it and then replacing the tzinfo (thousands of reports per summary).
        offset = value[19:]
        aware = "+" in offset or "-" in offset or offset.endswith("Z")
        return datetime.fromisoformat(value if aware else value + "+00:00")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


_STATUSES: Mapping[str, ReportStatus] = MappingProxyType({status.value: status for status in ReportStatus})
_ROLES: Mapping[str, UnitRole] = MappingProxyType({role.value: role for role in UnitRole})


@lru_cache(maxsize=16)
def _whole_hours(tz: ZoneInfo) -> bool:
    """Whether the zone's offsets are all whole hours: then one answer per UTC hour serves every minute."""
    return all(
        (tz.utcoffset(datetime(year, month, 1)) or _ZERO).total_seconds() % 3600 == 0
        for year in (2000, 2025)
        for month in (1, 7)
    )


@lru_cache(maxsize=65536)
def _day_of_hour(hour: str, tz: ZoneInfo) -> date:
    """The local day of a UTC hour written "2026-03-15 02" (SQLite's text, cut at the hour). Kept between
    summaries: a plan's reports span a few thousand hours, and each one took a parse and a zone lookup."""
    return datetime.fromisoformat(hour + ":00:00+00:00").astimezone(tz).date()


class LocalDays:
    """Report times into facts: made aware (UTC), and the local day of the last change.

    The local day depends only on the UTC hour (time zones move by whole or half hours; a half-hour
    zone is handled by the minute-exact path), so it is computed once per hour.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.statuses = _STATUSES
        self.roles = _ROLES
        self.days: dict[str, date] = {}
        self.by_hour = _whole_hours(tz)  # made for every chat answer that reads a few reports

    def local_day(self, updated: datetime | str) -> date:
        if self.by_hour and isinstance(updated, str):
            hour = updated[:13]
            day = self.days.get(hour)
            if day is None:
                day = self.days[hour] = _day_of_hour(hour, self.tz)
            return day
        return _moment(updated).astimezone(self.tz).date()
