"""Simulated people for the sandbox: one staff member and one leader per unit of the plan, the head
of the monitoring unit as monitor, and an administrator — all already joined, so anyone can try the
product without invites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import (
    AuditLog,
    Member,
    Membership,
    PlanObligation,
    PlatformAccount,
    Role,
    Task,
    TaskUnit,
    Unit,
    UnitKind,
    UnitRole,
)
from models.unit_admin import unit_named

# Telegram user ids of simulated people start here (real ids are far larger, so they never collide
# in a database that later meets real Telegram).
FIRST_ID = 1001
# Data for the demo, not user-facing messages: common Vietnamese names.
NAMES = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Minh Châu",
    "Phạm Thu Dung",
    "Hoàng Quốc Hùng",
    "Võ Thị Lan",
    "Đặng Văn Minh",
    "Bùi Thị Ngọc",
    "Đỗ Hữu Phúc",
    "Huỳnh Thị Quyên",
    "Ngô Thanh Sơn",
    "Dương Thị Tâm",
    "Lý Văn Toàn",
    "Mai Thị Uyên",
    "Trịnh Quang Vinh",
)


@dataclass(frozen=True)
class SimulatedPerson:
    id: int  # their Telegram user id (and private chat id) in the sandbox
    name: str
    unit: str | None
    role: Role


def _monitoring_unit(session: Session) -> Unit | None:
    """The unit that compiles the reports: the recipient of a plan-wide duty, else the busiest lead."""
    recipient = session.exec(select(PlanObligation.recipient).where(col(PlanObligation.recipient).is_not(None))).first()
    if recipient:
        unit = unit_named(session, recipient)
        if unit is not None:
            return unit
    row = session.execute(
        sa.select(col(TaskUnit.unit_id), sa.func.count())
        .join(Task, col(Task.id) == col(TaskUnit.task_id))
        .where(col(TaskUnit.role) == UnitRole.LEAD.value)
        .group_by(col(TaskUnit.unit_id))
        .order_by(sa.func.count().desc(), col(TaskUnit.unit_id))
    ).first()
    return session.get(Unit, row[0]) if row is not None else None


def seed_people(session: Session, now: datetime) -> list[SimulatedPerson]:
    """Creates the simulated people once; later calls return the same people."""
    units = session.exec(select(Unit).where(Unit.kind == UnitKind.SINGLE.value).order_by(col(Unit.id))).all()
    monitor_unit = _monitoring_unit(session)
    wanted: list[tuple[Unit | None, Role]] = []
    for single in units:
        wanted.append((single, Role.STAFF))
        wanted.append((single, Role.UNIT_LEAD))
    wanted.append((monitor_unit, Role.MONITOR))
    wanted.append((None, Role.ADMIN))
    people: list[SimulatedPerson] = []
    for index, (unit, role) in enumerate(wanted):
        user_id = FIRST_ID + index
        name = NAMES[index % len(NAMES)]
        account = session.exec(
            select(PlatformAccount).where(
                PlatformAccount.platform == "telegram", PlatformAccount.user_id == str(user_id)
            )
        ).first()
        if account is None:
            member = Member(display_name=name, language="vi", created_at=now)
            session.add(member)
            session.flush()
            assert member.id is not None
            session.add(
                PlatformAccount(
                    platform="telegram", user_id=str(user_id), private_chat_id=str(user_id), member_id=member.id
                )
            )
            session.add(Membership(member_id=member.id, unit_id=unit.id if unit else None, role=role, created_at=now))
            session.add(
                AuditLog(
                    at=now,
                    actor="sandbox",
                    action="member.join",
                    entity=f"member:{member.id}",
                    detail={"unit": unit.name if unit else None, "role": role.value, "simulated": True},
                )
            )
        else:
            existing = session.get(Member, account.member_id)
            assert existing is not None
            name = existing.display_name
        people.append(SimulatedPerson(id=user_id, name=name, unit=unit.name if unit else None, role=role))
    session.flush()
    return people
