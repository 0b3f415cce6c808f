"""Writes a `PlanDocument` into the registry: idempotent, by task code, archiving what a revision drops.

The caller owns the transaction (see `models.db.session_scope`), so a failure anywhere leaves the
database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from importer.document import NearDuplicate, PlanDocument, SkippedRow, UnitRef
from importer.obligations_store import accept_obligations as accept
from importer.obligations_store import store_proposals
from importer.units import near_duplicate
from models import AuditLog, Plan, Section, Task, TaskOrigin, TaskUnit, Unit, UnitAlias, UnitKind, UnitRole, db
from models.registry import unit_key
from scheduler.timing.planning import PlanningOutcome, plan_issue_date, plan_occurrences
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import schedule_to_json

# The audit entry lists task codes up to this many; beyond it only the counts (a 10,000-task import
# must not write a megabyte of JSON).
AUDIT_CODES_LIMIT = 200


@dataclass(frozen=True)
class PlanOverrides:
    """What the admin says on the command line wins over what the document says."""

    code: str | None = None
    issued: date | None = None
    horizon_year: int | None = None


@dataclass(frozen=True)
class ImportOutcome:
    plan_code: str
    plan_created: bool
    sections: int
    tasks: int
    units: int
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    new_units: tuple[str, ...]
    near_duplicates: tuple[NearDuplicate, ...]
    skipped: tuple[SkippedRow, ...]
    plan_fields_changed: tuple[str, ...] = field(default=())

    @property
    def unchanged(self) -> bool:
        return not (
            self.plan_created
            or self.added
            or self.changed
            or self.removed
            or self.new_units
            or self.plan_fields_changed
        )


@dataclass(frozen=True)
class ImportResult:
    outcome: ImportOutcome
    planning: PlanningOutcome
    obligations_proposed: tuple[str, ...] = ()  # time texts of duties found in the body, new this time
    obligations_accepted: tuple[str, ...] = ()  # codes of the tasks made from accepted duties


def import_plan(
    session: Session,
    document: PlanDocument,
    overrides: PlanOverrides,
    *,
    actor: str,
    now: datetime,
    accept_obligations: bool = False,
) -> ImportResult:
    """The whole import in the caller's transaction: the registry, the plan-wide duties found in its
    body (accepted at once when asked, as for the bundled plan), then each task's occurrences."""
    outcome = store_plan(session, document, overrides, actor=actor, now=now)
    plan = session.exec(select(Plan).where(Plan.code == outcome.plan_code)).one()
    proposed = store_proposals(session, plan, document.obligations)
    accepted = accept(session, plan, None, actor=actor, now=now) if accept_obligations else []
    planning = plan_occurrences(session, plan, now=now)
    db.refresh_statistics(session)
    return ImportResult(
        outcome=outcome,
        planning=planning,
        obligations_proposed=tuple(proposed),
        obligations_accepted=tuple(accepted),
    )


def plan_code_for(document: PlanDocument, overrides: PlanOverrides) -> str:
    # A plan without a number of its own (the seed leaves "số /KH-SKHCN" blank) is known by its file name.
    return overrides.code or document.metadata.code or PurePath(document.source_name).stem


class _UnitResolver:
    """Maps unit names to unit ids through names and aliases, creating units the registry lacks."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for unit in session.exec(select(Unit)):
            assert unit.id is not None
            self.by_key[unit.key] = unit.id
            self.names[unit.id] = unit.name
        for alias in session.exec(select(UnitAlias)):
            self.by_key.setdefault(alias.key, alias.unit_id)
        self.existing_names = list(self.names.values())
        self._keys: dict[str, str] = {}  # a plan repeats a few names thousands of times
        self.created: list[str] = []

    def resolve(self, ref: UnitRef) -> int:
        key = self.key_of(ref.name)
        unit_id = self.by_key.get(key)
        if unit_id is None:
            unit = Unit(name=ref.name, key=key, kind=UnitKind(ref.kind))
            self.session.add(unit)
            self.session.flush()
            assert unit.id is not None
            unit_id = unit.id
            self.by_key[key] = unit_id
            self.names[unit_id] = ref.name
            self.created.append(ref.name)
        return unit_id

    def key_of(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = unit_key(name)
        return key

    def near_duplicates_of_new(self) -> list[NearDuplicate]:
        """New names that look like a unit the registry already has: the admin confirms, we never merge."""
        found: list[NearDuplicate] = []
        for name in self.created:
            for other in self.existing_names:
                why = near_duplicate(name, other)
                if why is not None:
                    found.append(NearDuplicate(name=name, other=other, why=why))
        return found


def _task_fields(
    row_section_id: int | None,
    position: int,
    content: str,
    target_note: str | None,
    time_text: str,
    extra: dict[str, str],
) -> dict[str, Any]:
    return {
        "section_id": row_section_id,
        "position": position,
        "content": content,
        "target_note": target_note,
        "time_text": time_text,
        "extra": dict(extra),
    }


def store_plan(
    session: Session,
    document: PlanDocument,
    overrides: PlanOverrides,
    *,
    actor: str,
    now: datetime,
) -> ImportOutcome:
    meta = document.metadata
    code = plan_code_for(document, overrides)
    plan_values: dict[str, Any] = {
        "title": meta.title or code,
        "issuing_body": meta.issuing_body,
        "issued": overrides.issued or meta.issued,
        "horizon_year": overrides.horizon_year or meta.horizon_year,
        "source_name": document.source_name,
        "source_sha256": document.source_sha256,
    }

    plan = session.exec(select(Plan).where(Plan.code == code)).first()
    plan_created = plan is None
    plan_fields_changed: list[str] = []
    if plan is None:
        plan = Plan(code=code, imported_at=now, **plan_values)
        session.add(plan)
        session.flush()
    else:
        for name, value in plan_values.items():
            if getattr(plan, name) != value:
                plan_fields_changed.append(name)
                setattr(plan, name, value)
        if plan_fields_changed:
            plan.imported_at = now
            session.add(plan)
            session.flush()
    assert plan.id is not None
    plan_id = plan.id

    issued = plan_issue_date(plan)
    section_ids = _store_sections(session, plan_id, document, now)
    resolver = _UnitResolver(session)

    # Tasks made from the plan's body (accepted obligations) are not rows of the table: a re-import
    # neither matches nor archives them.
    existing = {
        task.code: task
        for task in session.exec(select(Task).where(Task.plan_id == plan_id, Task.origin == TaskOrigin.APPENDIX.value))
    }
    existing_links: dict[int, dict[UnitRole, list[int]]] = {}
    if existing:
        links = session.exec(
            select(TaskUnit)
            .where(col(TaskUnit.task_id).in_([t.id for t in existing.values()]))
            .order_by(col(TaskUnit.task_id), col(TaskUnit.position))
        )
        for link in links:
            existing_links.setdefault(link.task_id, {}).setdefault(UnitRole(link.role), []).append(link.unit_id)

    added: list[str] = []
    changed: list[str] = []
    new_rows: list[dict[str, Any]] = []
    new_links: dict[str, dict[UnitRole, list[int]]] = {}
    updates: list[dict[str, Any]] = []
    relinks: dict[int, dict[UnitRole, list[int]]] = {}
    seen: set[str] = set()

    for row in document.tasks:
        seen.add(row.code)
        fields = _task_fields(
            section_ids.get(row.section), row.position, row.content, row.target_note, row.time_text, row.extra
        )
        units = {
            UnitRole.LEAD: _dedupe(resolver.resolve(ref) for ref in row.lead_units),
            UnitRole.COORDINATING: _dedupe(resolver.resolve(ref) for ref in row.coordinating_units),
        }
        task = existing.get(row.code)
        if task is None:
            added.append(row.code)
            # Read the time text now so the planner finds it read (it re-reads changed texts and dates).
            parsed = parse_time_text(row.time_text, issued, plan.horizon_year)
            new_rows.append(
                {
                    "plan_id": plan_id,
                    "code": row.code,
                    "archived_at": None,
                    "schedules": [schedule_to_json(s) for s in parsed.schedules],
                    "needs_date": parsed.needs_date,
                    **fields,
                }
            )
            new_links[row.code] = units
            continue
        assert task.id is not None
        old_units = existing_links.get(task.id, {})
        fields_differ = any(getattr(task, name) != value for name, value in fields.items())
        units_differ = any(old_units.get(role, []) != ids for role, ids in units.items())
        if fields_differ or units_differ or task.archived_at is not None:
            changed.append(row.code)
            updates.append({"id": task.id, "archived_at": None, **fields})
            if units_differ:
                relinks[task.id] = units

    removed = sorted(
        (c for c, t in existing.items() if c not in seen and t.archived_at is None),
        key=lambda c: existing[c].position,
    )
    if removed:
        updates.extend({"id": existing[c].id, "archived_at": now} for c in removed)

    if new_rows:
        # Ids are read back by code: RETURNING in parameter order makes SQLite insert row by row.
        session.execute(insert(Task), new_rows)
        inserted = session.execute(sa.select(col(Task.id), col(Task.code)).where(col(Task.plan_id) == plan_id))
        for task_id, task_code in inserted:
            if task_code in new_links:
                relinks[task_id] = new_links[task_code]
    if updates:
        session.execute(update(Task), updates)
    if relinks:
        session.execute(delete(TaskUnit).where(col(TaskUnit.task_id).in_(list(relinks))))
        link_rows = [
            {"task_id": task_id, "unit_id": unit_id, "role": role.value, "position": position}
            for task_id, roles in relinks.items()
            for role, ids in roles.items()
            for position, unit_id in enumerate(ids)
        ]
        if link_rows:
            session.execute(insert(TaskUnit), link_rows)

    near = list(document.near_duplicates) + resolver.near_duplicates_of_new()
    referenced = {
        resolver.key_of(ref.name) for row in document.tasks for ref in (*row.lead_units, *row.coordinating_units)
    }
    outcome = ImportOutcome(
        plan_code=code,
        plan_created=plan_created,
        sections=len(document.sections),
        tasks=len(document.tasks),
        units=len({resolver.by_key[key] for key in referenced}),
        added=tuple(added),
        changed=tuple(changed),
        removed=tuple(removed),
        new_units=tuple(resolver.created),
        near_duplicates=tuple(near),
        skipped=document.skipped,
        plan_fields_changed=tuple(plan_fields_changed),
    )
    if not outcome.unchanged:
        session.add(
            AuditLog(
                at=now,
                actor=actor,
                action="plan.import",
                entity=f"plan:{code}",
                detail={
                    "source": document.source_name,
                    "sha256": document.source_sha256,
                    "created": plan_created,
                    "counts": {"added": len(added), "changed": len(changed), "removed": len(removed)},
                    "added": added[:AUDIT_CODES_LIMIT],
                    "changed": changed[:AUDIT_CODES_LIMIT],
                    "removed": removed[:AUDIT_CODES_LIMIT],
                    "new_units": resolver.created,
                    "plan_fields": plan_fields_changed,
                },
            )
        )
    session.flush()
    return outcome


def _store_sections(session: Session, plan_id: int, document: PlanDocument, now: datetime) -> dict[str, int]:
    """Upserts the document's sections by code and archives the ones it no longer has."""
    existing = {s.code: s for s in session.exec(select(Section).where(Section.plan_id == plan_id))}
    new_rows = [
        {"plan_id": plan_id, "code": s.code, "title": s.title, "position": s.position, "parent_id": None}
        for s in document.sections
        if s.code not in existing
    ]
    ids = {code: s.id for code, s in existing.items() if s.id is not None}
    if new_rows:
        session.execute(insert(Section), new_rows)
        inserted = session.execute(sa.select(col(Section.id), col(Section.code)).where(col(Section.plan_id) == plan_id))
        ids.update({code: section_id for section_id, code in inserted if code not in ids})
    seen: set[str] = set()
    updates: list[dict[str, Any]] = []
    for row in document.sections:
        seen.add(row.code)
        values = {
            "title": row.title,
            "position": row.position,
            "parent_id": ids.get(row.parent) if row.parent else None,
            "archived_at": None,
        }
        current = existing.get(row.code)
        if current is None:
            if values["parent_id"] is not None:
                updates.append({"id": ids[row.code], **values})
        elif any(getattr(current, name) != value for name, value in values.items()):
            updates.append({"id": current.id, **values})
    updates.extend(
        {"id": s.id, "archived_at": now} for code, s in existing.items() if code not in seen and s.archived_at is None
    )
    if updates:
        session.execute(update(Section), updates)
    return ids


def _dedupe(ids: Iterable[int]) -> list[int]:
    # Two spellings of one unit in one cell (or an alias) must not make two links.
    return list(dict.fromkeys(ids))
