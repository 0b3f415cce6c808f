"""Read-side views of the registry: plain dataclasses, so renderers need no session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from locales import N_
from models.errors import UserFacingError
from models.registry import Plan, Section, Task, TaskOrigin, TaskUnit, Unit, UnitAlias, UnitRole
from models.timeline import Occurrence

NO_PLAN = N_("There is no plan yet. Import one with: nhacviec plan import PATH")
PLAN_NOT_FOUND = N_("No plan with code {code}. Known plans: {codes}")
MANY_PLANS = N_("There are several plans; choose one with --plan CODE: {codes}")


@dataclass(frozen=True)
class PlanSummary:
    code: str
    title: str
    issuing_body: str | None
    issued: date | None
    horizon_year: int | None
    sections: int
    tasks: int  # rows of the plan's table (its appendix)
    duties: int = 0  # plan-wide duties from its body, accepted as tasks (BC.1)


@dataclass(frozen=True)
class SectionView:
    code: str
    title: str
    parent: str | None


@dataclass(frozen=True)
class TaskView:
    code: str
    section: str | None
    content: str
    lead_units: tuple[str, ...]
    coordinating_units: tuple[str, ...]
    time_text: str
    extra: dict[str, str]
    schedules: tuple[dict[str, Any], ...] = ()
    needs_date: bool = False


@dataclass(frozen=True)
class RegistryView:
    plan: PlanSummary
    sections: tuple[SectionView, ...]
    tasks: tuple[TaskView, ...]  # the rows of the plan's task table
    duties: tuple[TaskView, ...] = ()  # plan-wide duties from its body, accepted as tasks


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    short_name: str | None
    kind: str
    aliases: tuple[str, ...]
    lead_tasks: int
    coordinating_tasks: int


def list_plans(session: Session) -> list[PlanSummary]:
    plans = session.exec(select(Plan).order_by(col(Plan.code))).all()
    section_counts = dict(
        session.exec(
            select(Section.plan_id, func.count())
            .where(col(Section.archived_at).is_(None))
            .group_by(col(Section.plan_id))
        ).all()
    )
    task_counts: dict[tuple[int, str], int] = {
        (plan_id, origin): count
        for plan_id, origin, count in session.exec(
            select(Task.plan_id, Task.origin, func.count())
            .where(col(Task.archived_at).is_(None))
            .group_by(col(Task.plan_id), col(Task.origin))
        )
    }
    return [
        PlanSummary(
            code=p.code,
            title=p.title,
            issuing_body=p.issuing_body,
            issued=p.issued,
            horizon_year=p.horizon_year,
            sections=section_counts.get(p.id, 0),
            tasks=task_counts.get((p.id, TaskOrigin.APPENDIX), 0),
            duties=task_counts.get((p.id, TaskOrigin.OBLIGATION), 0),
        )
        for p in plans
        if p.id is not None
    ]


def find_plan(session: Session, code: str | None) -> Plan:
    """The plan with `code`, or the only plan when no code is given."""
    plans = session.exec(select(Plan).order_by(col(Plan.code))).all()
    codes = ", ".join(p.code for p in plans)
    if not plans:
        raise UserFacingError(NO_PLAN)
    if code is None:
        if len(plans) > 1:
            raise UserFacingError(MANY_PLANS, codes=codes)
        return plans[0]
    for plan in plans:
        if plan.code == code:
            return plan
    raise UserFacingError(PLAN_NOT_FOUND, code=code, codes=codes)


def load_registry(session: Session, plan_code: str | None) -> RegistryView:
    plan = find_plan(session, plan_code)
    sections = session.exec(
        select(Section)
        .where(Section.plan_id == plan.id, col(Section.archived_at).is_(None))
        .order_by(col(Section.position))
    ).all()
    code_of = {s.id: s.code for s in sections}
    tasks = session.exec(
        select(Task).where(Task.plan_id == plan.id, col(Task.archived_at).is_(None)).order_by(col(Task.position))
    ).all()
    units: dict[tuple[int, UnitRole], list[str]] = defaultdict(list)
    links = session.exec(
        select(TaskUnit.task_id, TaskUnit.role, Unit.name)
        .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
        .join(Task, col(Task.id) == col(TaskUnit.task_id))
        .where(Task.plan_id == plan.id)
        .order_by(col(TaskUnit.task_id), col(TaskUnit.role), col(TaskUnit.position))
    )
    for task_id, role, name in links:
        units[(task_id, UnitRole(role))].append(name)
    summary = PlanSummary(
        code=plan.code,
        title=plan.title,
        issuing_body=plan.issuing_body,
        issued=plan.issued,
        horizon_year=plan.horizon_year,
        sections=len(sections),
        tasks=sum(1 for t in tasks if t.origin == TaskOrigin.APPENDIX),
        duties=sum(1 for t in tasks if t.origin == TaskOrigin.OBLIGATION),
    )

    def view(t: Task) -> TaskView:
        return TaskView(
            code=t.code,
            section=code_of.get(t.section_id) if t.section_id else None,
            content=t.content,
            lead_units=tuple(units[(t.id, UnitRole.LEAD)]) if t.id is not None else (),
            coordinating_units=tuple(units[(t.id, UnitRole.COORDINATING)]) if t.id is not None else (),
            time_text=t.time_text,
            extra=dict(t.extra),
            schedules=tuple(t.schedules),
            needs_date=t.needs_date,
        )

    return RegistryView(
        plan=summary,
        sections=tuple(
            SectionView(code=s.code, title=s.title, parent=code_of.get(s.parent_id) if s.parent_id else None)
            for s in sections
        ),
        tasks=tuple(view(t) for t in tasks if t.origin == TaskOrigin.APPENDIX),
        duties=tuple(view(t) for t in tasks if t.origin == TaskOrigin.OBLIGATION),
    )


@dataclass(frozen=True)
class OccurrenceView:
    task: str
    due: date
    checkin: bool
    period_kind: str
    period_year: int
    period_index: int | None
    source: str
    archived: bool


def list_occurrences(
    session: Session, plan_code: str | None, task_code: str | None = None, *, include_archived: bool = False
) -> list[OccurrenceView]:
    plan = find_plan(session, plan_code)
    query = (
        select(Occurrence, Task.code)
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(Task.plan_id == plan.id)
        .order_by(col(Occurrence.due), col(Task.position), col(Occurrence.checkin))
    )
    if task_code is not None:
        query = query.where(Task.code == task_code)
    if not include_archived:
        query = query.where(col(Occurrence.archived_at).is_(None))
    return [
        OccurrenceView(
            task=code,
            due=o.due,
            checkin=o.checkin,
            period_kind=o.period_kind,
            period_year=o.period_year,
            period_index=o.period_index,
            source=str(o.source),
            archived=o.archived_at is not None,
        )
        for o, code in session.exec(query)
    ]


def list_units(session: Session) -> list[UnitView]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for alias in session.exec(select(UnitAlias).order_by(col(UnitAlias.alias))):
        aliases[alias.unit_id].append(alias.alias)
    counts: dict[tuple[int, str], int] = {
        (unit_id, role): n
        for unit_id, role, n in session.exec(
            select(TaskUnit.unit_id, TaskUnit.role, func.count())
            .join(Task, col(Task.id) == col(TaskUnit.task_id))
            .where(col(Task.archived_at).is_(None))
            .group_by(col(TaskUnit.unit_id), col(TaskUnit.role))
        )
    }
    return [
        UnitView(
            id=u.id,
            name=u.name,
            short_name=u.short_name,
            kind=str(u.kind),
            aliases=tuple(aliases[u.id]),
            lead_tasks=counts.get((u.id, UnitRole.LEAD.value), 0),
            coordinating_tasks=counts.get((u.id, UnitRole.COORDINATING.value), 0),
        )
        for u in session.exec(select(Unit).order_by(col(Unit.id)))
        if u.id is not None
    ]
