"""What the dispatch tests share: a unit with people and accounts, fake wall time, delivery counts."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from domain.messages import Button, ChatKind
from domain.payloads import Choice, ChoiceKind, encode
from models import Member, Membership, PlatformAccount, Role, Unit
from models.db import session_scope
from sandbox import Limits, Sandbox, SandboxClock, SimGroup, SimPerson
from scheduler.delivery import outbox

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # Monday 08:30 in Hà Nội
STAFF, LEAD, OTHER = 101, 102, 103
GROUP = -1001234567890
PEOPLE = [
    SimPerson(id=STAFF, name="Nguyễn Văn An", unit="Phòng Kế hoạch - Tài chính", role="staff"),
    SimPerson(id=LEAD, name="Trần Thị Bình", unit="Phòng Kế hoạch - Tài chính", role="unit_lead"),
    SimPerson(id=OTHER, name="Lê Minh Châu", unit="Văn phòng Sở", role="staff"),
]
GROUPS = [SimGroup(id=GROUP, title="Tổ công tác", members=(STAFF, LEAD))]


@dataclass
class Seeded:
    unit_id: int
    staff_id: int
    lead_id: int


def seed_unit(engine: Engine, now: datetime = NOW) -> Seeded:
    """A unit with a staff member and its lead, each with a Telegram account whose chat is their id."""
    with session_scope(engine) as session:
        unit = Unit(name="Phòng Kế hoạch - Tài chính", key="phòng kế hoạch - tài chính")
        session.add(unit)
        session.flush()
        ids = []
        for person, role in ((STAFF, Role.STAFF), (LEAD, Role.UNIT_LEAD)):
            member = Member(display_name=next(p.name for p in PEOPLE if p.id == person), created_at=now)
            session.add(member)
            session.flush()
            assert member.id is not None and unit.id is not None
            session.add(
                PlatformAccount(
                    platform="telegram", user_id=str(person), private_chat_id=str(person), member_id=member.id
                )
            )
            session.add(Membership(member_id=member.id, unit_id=unit.id, role=role, created_at=now))
            ids.append(member.id)
        assert unit.id is not None
        return Seeded(unit.id, ids[0], ids[1])


def sandbox_kind(chat: str | int) -> ChatKind:
    """The kind of a sandbox Telegram chat: its groups have negative ids, as Telegram's do."""
    return ChatKind.GROUP if int(chat) < 0 else ChatKind.PRIVATE


def queue(engine: Engine, chats: Iterable[str | int], *, now: datetime = NOW, prefix: str = "m") -> list[str]:
    """One message per chat in the list (repeats allowed), due now, each text naming its key."""
    keys = []
    with session_scope(engine) as session:
        for index, chat in enumerate(chats):
            key = f"{prefix}{index}"
            outbox.enqueue(
                session,
                key=key,
                platform="telegram",
                chat_id=str(chat),
                chat_kind=sandbox_kind(chat),
                text=f"Nhắc việc <b>{key}</b>",
                due_at=now,
                now=now,
                buttons=((Button("✅ Đã hoàn thành", encode(Choice(ChoiceKind.UNDO, (index + 1,)))),),),
            )
            keys.append(key)
    return keys


def delivered(box: Sandbox) -> Counter[str]:
    """How many times each key arrived, over every chat of the sandbox."""
    counts: Counter[str] = Counter()
    for chat in box.state.chats.values():
        for message in chat.messages.values():
            if message.from_bot and message.text.startswith("Nhắc việc "):
                counts[message.text.removeprefix("Nhắc việc ")] += 1
    return counts


class FakeTime:
    """Wall time the tests move: the sandbox's limits and the dispatcher's waits share it, so waiting out
    a 429 storm or a group's minute takes no real time."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        self.now += seconds
        self.slept += seconds
        await asyncio.sleep(0)


@asynccontextmanager
async def serving(fake: FakeTime) -> AsyncIterator[Sandbox]:
    """The dispatch tests' sandbox: their people and group, its calendar at NOW, real limits on `fake` time."""
    sandbox = Sandbox(PEOPLE, groups=GROUPS, clock=SandboxClock(NOW), limits=Limits(), ticker=fake)
    await sandbox.start("127.0.0.1", 0)
    try:
        yield sandbox
    finally:
        await sandbox.stop()
