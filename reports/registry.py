"""The registry as the `plan show --json` contract and as readable text."""

from __future__ import annotations

from typing import Any

from domain.dates import short_day
from locales.catalogs import Translate
from models.queries import PlanSummary, RegistryView, TaskView


def registry_json(view: RegistryView) -> dict[str, Any]:
    """The public shape of `nhacviec plan show --json`; outside checks rely on it, keep it exact.

    `tasks` are the rows of the plan's table; accepted plan-wide duties are listed by
    `plan obligations` and in the text view, not here.
    """
    plan = view.plan
    return {
        "plan": {
            "code": plan.code,
            "title": plan.title,
            "issued": plan.issued.isoformat() if plan.issued else None,
            "horizon": plan.horizon_year,
        },
        "sections": [{"code": s.code, "title": s.title, "parent": s.parent} for s in view.sections],
        "tasks": [
            {
                "code": t.code,
                "section": t.section,
                "content": t.content,
                "lead_units": list(t.lead_units),
                "coordinating_units": list(t.coordinating_units),
                "time_text": t.time_text,
                "extra": dict(t.extra),
                "schedules": [dict(schedule) for schedule in t.schedules],
                "needs_date": t.needs_date,
            }
            for t in view.tasks
        ],
    }


def plan_header_lines(plan: PlanSummary, _: Translate) -> list[str]:
    lines = [_("Plan {code}: {title}").format(code=plan.code, title=plan.title)]
    facts = []
    if plan.issuing_body:
        facts.append(_("issued by {body}").format(body=plan.issuing_body))
    if plan.issued:
        facts.append(_("on {date}").format(date=short_day(plan.issued)))
    if plan.horizon_year:
        facts.append(_("to {year}").format(year=plan.horizon_year))
    if facts:
        lines.append("  " + ", ".join(facts))
    return lines


def plan_count_line(plan: PlanSummary, _: Translate) -> str:
    """What a plan holds, the rows of its table and its plan-wide duties apart (they are both tasks)."""
    return _("{sections} sections, {tasks} tasks in the plan's table, {duties} plan-wide duties").format(
        sections=plan.sections, tasks=plan.tasks, duties=plan.duties
    )


def registry_lines(view: RegistryView, _: Translate) -> list[str]:
    lines = plan_header_lines(view.plan, _)
    lines.append(plan_count_line(view.plan, _))
    tasks_by_section: dict[str | None, list[int]] = {}
    for index, task in enumerate(view.tasks):
        tasks_by_section.setdefault(task.section, []).append(index)
    none = _("none")
    blocks: list[tuple[str | None, list[TaskView]]] = [(None, [view.tasks[i] for i in tasks_by_section.get(None, [])])]
    blocks += [
        (f"{s.code}. {s.title}", [view.tasks[i] for i in tasks_by_section.get(s.code, [])]) for s in view.sections
    ]
    if view.duties:
        blocks.append((_("Plan-wide duties"), list(view.duties)))
    for heading, tasks in blocks:
        if heading is not None:
            lines.append("")
            lines.append(heading)
        for task in tasks:
            lines.append(f"  {task.code}  {task.content}")
            lines.append("      " + _("Lead: {units}").format(units="; ".join(task.lead_units) or none))
            lines.append("      " + _("Coordinating: {units}").format(units="; ".join(task.coordinating_units) or none))
            lines.append("      " + _("Time: {text}").format(text=task.time_text or none))
            if task.needs_date:
                lines.append("      ⚠ " + _("needs a date: the time text could not be read"))
            for heading, text in task.extra.items():
                lines.append(f"      {heading}: {text}")
    return lines
