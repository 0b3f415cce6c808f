"""Simulated people for the sandbox: one staff member and one leader per unit of the plan, the head
of the monitoring unit as monitor, and an administrator — all already joined, so anyone can try the
product without invites. `make run` puts the staff of the second and third units on Zalo (`ZALO_SEATS`),
so a newcomer sees both platforms. Each unit also has a Telegram group chat with its leader and staff
on Telegram, not yet bound: the leader binds it with the unit's code (`/bind CODE`), as in real use.

The sandbox's clock resumes from the latest moment the database recorded, so a restart never puts it
back before reports it already holds."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from domain.invites import create_invite
from models import (
    AuditLog,
    Invite,
    Member,
    Membership,
    PlanObligation,
    PlatformAccount,
    ProgressReport,
    Prompt,
    Role,
    Task,
    TaskUnit,
    Unit,
    UnitKind,
    UnitRole,
)
from models.unit_admin import unit_named

TELEGRAM = "telegram"
ZALO = "zalo"
# Telegram user ids of simulated people start here (real ids are far larger, so they never collide
# in a database that later meets real Telegram).
FIRST_ID = 1001
# Group ids count down from here: negative as Telegram's, and "-100…" as a supergroup's.
FIRST_GROUP_ID = -1_002_000_000_001
# Codes the sandbox keeps for binding its groups: many uses (binding spends none), no expiry.
BIND_CODE_USES = 1000
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
# The people `make run` seeds on Zalo, by their place in the list: the staff of the second and third units.
ZALO_SEATS = (2, 4)


@dataclass(frozen=True)
class SimulatedPerson:
    id: int  # their Telegram user id (and private chat id) in the sandbox; the sandbox's person id
    name: str
    unit: str | None
    role: Role
    platform: str = TELEGRAM  # where their account is: "telegram", or "zalo" (then `zalo_id` is it)
    zalo_id: str | None = None


def zalo_user_id(person_id: int) -> str:
    """A simulated person's Zalo user id (also their private chat's id there): 20 hex digits like the
    ids Zalo hands out, fixed by `person_id` so that every start finds the same account."""
    return hashlib.sha256(f"nhacviec demo zalo {person_id}".encode()).hexdigest()[:20]


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


def seed_people(session: Session, now: datetime, *, on_zalo: Collection[int] = ()) -> list[SimulatedPerson]:
    """Creates the simulated people once; later calls return the same people. Those whose place in the
    list is in `on_zalo` join on Zalo instead of Telegram (a database seeded before keeps its accounts)."""
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
        zalo_id = zalo_user_id(user_id)
        account = session.exec(
            select(PlatformAccount).where(
                sa.or_(
                    sa.and_(col(PlatformAccount.platform) == TELEGRAM, col(PlatformAccount.user_id) == str(user_id)),
                    sa.and_(col(PlatformAccount.platform) == ZALO, col(PlatformAccount.user_id) == zalo_id),
                )
            )
        ).first()
        if account is None:
            platform = ZALO if index in on_zalo else TELEGRAM
            account_id = zalo_id if platform == ZALO else str(user_id)
            member = Member(display_name=name, language="vi", created_at=now)
            session.add(member)
            session.flush()
            assert member.id is not None
            session.add(
                PlatformAccount(platform=platform, user_id=account_id, private_chat_id=account_id, member_id=member.id)
            )
            session.add(Membership(member_id=member.id, unit_id=unit.id if unit else None, role=role, created_at=now))
            session.add(
                AuditLog(
                    at=now,
                    actor="sandbox",
                    action="member.join",
                    entity=f"member:{member.id}",
                    detail={
                        "unit": unit.name if unit else None,
                        "role": role.value,
                        "platform": platform,
                        "simulated": True,
                    },
                )
            )
        else:
            platform = account.platform
            existing = session.get(Member, account.member_id)
            assert existing is not None
            name = existing.display_name
        people.append(
            SimulatedPerson(
                id=user_id,
                name=name,
                unit=unit.name if unit else None,
                role=role,
                platform=platform,
                zalo_id=zalo_id if platform == ZALO else None,
            )
        )
    session.flush()
    return people


@dataclass(frozen=True)
class SimulatedGroup:
    id: int  # the group's chat id in the sandbox
    title: str
    unit: str
    members: tuple[int, ...]  # the unit's simulated people: staff, then leader
    bind_code: str  # an invite code of the unit, for the leader's /bind


def seed_groups(session: Session, people: Sequence[SimulatedPerson], now: datetime) -> list[SimulatedGroup]:
    """One Telegram group per unit with its simulated staff and leader on Telegram, and the unit's code
    to bind it.

    The code is made once (by "sandbox") and found again on later starts."""
    members: dict[str, list[int]] = {}
    for person in people:
        if person.unit is not None and person.role in (Role.STAFF, Role.UNIT_LEAD) and person.platform == TELEGRAM:
            members.setdefault(person.unit, []).append(person.id)
    groups = []
    for index, (unit_name, ids) in enumerate(members.items()):
        unit = unit_named(session, unit_name)
        assert unit is not None and unit.id is not None
        code = session.exec(
            select(Invite.code)
            .where(Invite.unit_id == unit.id, Invite.created_by == "sandbox", Invite.expires_at == None)  # noqa: E711
            .order_by(col(Invite.id))
        ).first()
        if code is None:
            code = create_invite(
                session,
                unit_name=unit.name,
                role=Role.STAFF,
                uses=BIND_CODE_USES,
                valid_for=None,
                actor="sandbox",
                now=now,
            ).code
        groups.append(SimulatedGroup(FIRST_GROUP_ID - index, unit_name, unit_name, tuple(ids), code))
    return groups


def last_recorded_moment(session: Session) -> datetime | None:
    """The latest moment the product wrote down with its clock: audit rows (clock moves included),
    reports, prompts. A sandbox clock started here never goes back past what the database holds."""
    latest = [
        session.execute(sa.select(sa.func.max(column))).scalar()
        for column in (col(AuditLog.at), col(ProgressReport.updated_at), col(Prompt.created_at))
    ]
    moments = [moment for moment in latest if moment is not None]
    return max(moments) if moments else None


def record_clock_move(session: Session, now: datetime) -> None:
    """A move of the sandbox clock, in the audit trail: where a restart resumes it from."""
    session.add(
        AuditLog(at=now, actor="sandbox", action="sandbox.clock", entity="clock", detail={"now": now.isoformat()})
    )
