"""Plan-wide obligations: proposals found in the plan's body are kept for an admin to accept; an
accepted one becomes a task led by every unit it binds, with occurrences like any other task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from importer.document import ObligationProposal
from locales import N_
from models import (
    AuditLog,
    ObligationStatus,
    Plan,
    PlanObligation,
    Task,
    TaskOrigin,
    TaskUnit,
    Unit,
    UnitKind,
    UnitRole,
)
from models.errors import UserFacingError
from models.unit_admin import unit_named

OBLIGATION_NOT_FOUND = N_("No proposed obligation number {id}. See the list with: nhacviec plan obligations")
# Tasks made from obligations are numbered BC.1, BC.2 … ("báo cáo": they are reporting duties).
CODE_PREFIX = "BC"


@dataclass(frozen=True)
class ObligationView:
    id: int
    sentence: str
    time_text: str
    reporters: str | None
    recipient: str | None
    status: str
    task_code: str | None


def store_proposals(session: Session, plan: Plan, proposals: Sequence[ObligationProposal]) -> list[str]:
    """Keeps proposals the plan has not seen before; returns their time texts."""
    assert plan.id is not None
    known = set(session.exec(select(PlanObligation.sentence).where(PlanObligation.plan_id == plan.id)).all())
    added = []
    for proposal in proposals:
        if proposal.sentence in known:
            continue
        known.add(proposal.sentence)
        session.add(
            PlanObligation(
                plan_id=plan.id,
                sentence=proposal.sentence,
                time_text=proposal.time_text,
                reporters=proposal.reporters,
                recipient=proposal.recipient,
            )
        )
        added.append(proposal.time_text)
    session.flush()
    return added


def list_obligations(session: Session, plan: Plan) -> list[ObligationView]:
    rows = session.exec(
        select(PlanObligation, Task.code)
        .join(Task, col(Task.id) == col(PlanObligation.task_id), isouter=True)
        .where(PlanObligation.plan_id == plan.id)
        .order_by(col(PlanObligation.id))
    ).all()
    return [
        ObligationView(
            id=o.id,
            sentence=o.sentence,
            time_text=o.time_text,
            reporters=o.reporters,
            recipient=o.recipient,
            status=str(o.status),
            task_code=code,
        )
        for o, code in rows
        if o.id is not None
    ]


def _reporting_units(session: Session, plan: Plan, recipient: str | None) -> list[int]:
    """Every single unit that carries a task of the plan, except the one the reports go to."""
    rows = session.execute(
        sa.select(col(Unit.id))
        .join(TaskUnit, col(TaskUnit.unit_id) == col(Unit.id))
        .join(Task, col(Task.id) == col(TaskUnit.task_id))
        .where(
            col(Task.plan_id) == plan.id,
            col(Task.archived_at).is_(None),
            col(Task.origin) == TaskOrigin.APPENDIX.value,
            col(Unit.kind) == UnitKind.SINGLE.value,
        )
        .group_by(col(Unit.id))
        .order_by(sa.func.min(col(Task.position)), col(Unit.id))
    ).all()
    recipient_unit = unit_named(session, recipient) if recipient else None
    excluded = recipient_unit.id if recipient_unit is not None else None
    return [unit_id for (unit_id,) in rows if unit_id != excluded]


def accept_obligations(
    session: Session, plan: Plan, ids: Sequence[int] | None, *, actor: str, now: datetime
) -> list[str]:
    """Accepts the given proposals (all proposed ones when `ids` is None); returns the new task codes."""
    assert plan.id is not None
    query = select(PlanObligation).where(PlanObligation.plan_id == plan.id).order_by(col(PlanObligation.id))
    obligations = session.exec(query).all()
    if ids is not None:
        by_id = {o.id: o for o in obligations}
        missing = [i for i in ids if i not in by_id or by_id[i].status != ObligationStatus.PROPOSED]
        if missing:
            raise UserFacingError(OBLIGATION_NOT_FOUND, id=", ".join(map(str, missing)))
        obligations = [by_id[i] for i in ids]
    obligations = [o for o in obligations if o.status == ObligationStatus.PROPOSED]
    if not obligations:
        return []
    codes = set(session.exec(select(Task.code).where(Task.plan_id == plan.id)).all())
    position = (session.exec(select(sa.func.max(Task.position)).where(Task.plan_id == plan.id)).one() or 0) + 1
    created = []
    number = 1
    for obligation in obligations:
        while f"{CODE_PREFIX}.{number}" in codes:
            number += 1
        code = f"{CODE_PREFIX}.{number}"
        codes.add(code)
        task = Task(
            plan_id=plan.id,
            code=code,
            position=position,
            content=obligation.sentence,
            time_text=obligation.time_text,
            origin=TaskOrigin.OBLIGATION,
        )
        position += 1
        session.add(task)
        session.flush()
        assert task.id is not None
        for index, unit_id in enumerate(_reporting_units(session, plan, obligation.recipient)):
            session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=UnitRole.LEAD, position=index))
        obligation.status = ObligationStatus.ACCEPTED
        obligation.task_id = task.id
        session.add(obligation)
        session.add(
            AuditLog(
                at=now,
                actor=actor,
                action="obligation.accept",
                entity=f"plan:{plan.code}",
                detail={"obligation": obligation.id, "task": code, "time_text": obligation.time_text},
            )
        )
        created.append(code)
    session.flush()
    return created
