"""Helpers for the reminder tests: the clock, queuing, reading the outbox, answering."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import (
    ChatBinding,
    Member,
    Membership,
    Occurrence,
    OutboxMessage,
    OutboxState,
    PlatformAccount,
    ProgressReport,
    ReminderStep,
    ReportStatus,
    Role,
    Task,
    db,
)
from scheduler.reminders.enqueue import EnqueueResult, enqueue_due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 9, 1, 8, 0, tzinfo=VN)
TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"


def at(day: str, clock: str = "08:30") -> datetime:
    return datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def run(engine: Engine, now: datetime) -> EnqueueResult:
    with db.session_scope(engine) as session:
        return enqueue_due(session, now=now)


def messages(engine: Engine, chat: str | None = None) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if chat is not None:
            query = query.where(OutboxMessage.chat_id == chat)
        return list(session.exec(query).all())


def steps(engine: Engine) -> list[ReminderStep]:
    with Session(engine) as session:
        return list(session.exec(select(ReminderStep).order_by(col(ReminderStep.id))).all())


def occurrence_id(session: Session, code: str, due: date, checkin: bool = False) -> int:
    found = session.exec(
        select(Occurrence.id)
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(Task.code == code, Occurrence.due == due, Occurrence.checkin == checkin)
    ).one()
    assert found is not None
    return found


def member_of_chat(session: Session, chat: str) -> tuple[int, int | None]:
    """The member whose private chat this is, and their unit."""
    member_id = session.exec(select(PlatformAccount.member_id).where(PlatformAccount.private_chat_id == chat)).one()
    unit_id = session.exec(select(Membership.unit_id).where(Membership.member_id == member_id)).first()
    return member_id, unit_id


def answer(
    engine: Engine,
    code: str,
    due: date,
    chat: str,
    status: ReportStatus,
    when: datetime,
    reason: str | None = None,
) -> None:
    """A reply from the person of `chat`, read into a report (what the conversation core stores)."""
    with db.session_scope(engine) as session:
        member_id, unit_id = member_of_chat(session, chat)
        session.add(
            ProgressReport(
                occurrence_id=occurrence_id(session, code, due),
                member_id=member_id,
                unit_id=unit_id,
                status=status,
                reason=reason,
                note=reason or status.value,
                platform="telegram",
                chat_id=chat,
                message_id=f"r{when.timestamp():.0f}",
                created_at=when,
                updated_at=when,
            )
        )


def pause(engine: Engine, chat: str, until: date) -> None:
    with db.session_scope(engine) as session:
        member_id, _unit = member_of_chat(session, chat)
        member = session.get(Member, member_id)
        assert member is not None
        member.paused_until = until
        session.add(member)


def bind_group(engine: Engine, chat: str, unit_id: int, platform: str = "telegram") -> None:
    with db.session_scope(engine) as session:
        admin = session.exec(select(Membership.member_id).where(Membership.role == Role.ADMIN.value)).one()
        session.add(ChatBinding(platform=platform, chat_id=chat, unit_id=unit_id, bound_by=admin, bound_at=START))


def dispatch(session: Session, now: datetime) -> None:
    """A dispatcher that never fails: every message due by `now` is acknowledged at `now`."""
    session.execute(
        sa.update(OutboxMessage)
        .where(col(OutboxMessage.state) == OutboxState.PENDING.value, col(OutboxMessage.due_at) <= now)
        .values(state=OutboxState.SENT.value, sent_at=now)
    )


def deliver(engine: Engine, now: datetime) -> None:
    with db.session_scope(engine) as session:
        dispatch(session, now)
