"""Per platform: the dispatcher paces a row by the chat kind stored with it (not by the id's shape),
refuses a sender for a platform it has no limits for, and holds, with the reason, the rows of a
platform it has no sender for."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from domain.messages import ChatKind
from models import OutboxMessage, OutboxState
from models.db import session_scope
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings, UnknownPlatformError
from scheduler.delivery.ratelimit import PlatformLimits
from scheduler.delivery.senders import SendResult, Sent
from tests.dispatch.support import NOW, FakeTime
from tests.helpers import cli

ZALO_GROUP = "5a1f0e7c3b9d24c8a6e1"  # Zalo's ids are opaque: nothing tells a group from a person
ZALO_PERSON = "8c2d4f6a1b3e5d7c9f0a"


class Recording:
    """A platform's sender that the platform always acknowledges; remembers what went, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._ids = itertools.count(1)

    async def send(self, message: OutboxMessage) -> SendResult:
        self.sent.append(message.idempotency_key)
        await asyncio.sleep(0)
        return Sent(str(next(self._ids)))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def queue(engine: Engine, platform: str, chat: str, kind: ChatKind, count: int, prefix: str) -> None:
    with session_scope(engine) as session:
        for n in range(count):
            outbox.enqueue(
                session,
                key=f"{prefix}{n}",
                platform=platform,
                chat_id=chat,
                chat_kind=kind,
                text=f"Nhắc việc {prefix}{n}",
                due_at=NOW,
                now=NOW,
            )


def states(engine: Engine) -> dict[str, tuple[OutboxState, str | None]]:
    with Session(engine) as session:
        return {m.idempotency_key: (m.state, m.last_error) for m in session.exec(select(OutboxMessage)).all()}


def minutes_never_pass(fake: FakeTime) -> Callable[[float], Awaitable[None]]:
    """Short waits (a private chat's two seconds, the overall budget) pass on the fake ticker; a group's minute never does."""

    async def sleep(seconds: float) -> None:
        if seconds < 5:
            await fake.sleep(seconds)
        else:
            await asyncio.sleep(3600)

    return sleep


async def test_a_zalo_group_gets_twenty_a_minute_though_its_id_looks_like_a_persons(engine: Engine) -> None:
    queue(engine, "zalo", ZALO_GROUP, ChatKind.GROUP, 25, "g")
    queue(engine, "zalo", ZALO_PERSON, ChatKind.PRIVATE, 5, "p")
    fake, zalo = FakeTime(), Recording()
    d = Dispatcher(engine, {"zalo": zalo}, clock=lambda: NOW, ticker=fake, sleep=minutes_never_pass(fake), name="z")
    await d.start()
    for _ in range(500):
        if len(zalo.sent) >= 25:
            break
        await asyncio.sleep(0.01)
    await d.stop()
    # The group's window is full after 20; the person's chat, one every 2 s, got all five meanwhile.
    assert [key for key in zalo.sent if key.startswith("g")] == [f"g{n}" for n in range(20)]
    assert [key for key in zalo.sent if key.startswith("p")] == [f"p{n}" for n in range(5)]
    assert [key for key, (state, _) in states(engine).items() if state == OutboxState.PENDING] == [
        f"g{n}" for n in range(20, 25)
    ]


def test_a_dispatcher_refuses_a_sender_for_a_platform_it_has_no_limits_for(engine: Engine) -> None:
    with pytest.raises(UnknownPlatformError) as refused:
        Dispatcher(engine, {"telegram": Recording(), "signal": Recording()})
    assert str(refused.value).startswith("no send limits for platform 'signal' (limits are known for telegram, zalo)")
    settings = DispatchSettings(extra_platforms={"signal": PlatformLimits(overall_per_second=2.0)})
    built = Dispatcher(engine, {"telegram": Recording(), "signal": Recording()}, settings=settings)
    assert built.limiters["signal"].limits.overall_per_second == 2.0


async def test_rows_for_a_platform_without_a_sender_are_held_with_the_reason_then_sent_by_one_with_it(
    db_url: str, engine: Engine
) -> None:
    queue(engine, "zalo", ZALO_PERSON, ChatKind.PRIVATE, 2, "z")
    queue(engine, "telegram", "101", ChatKind.PRIVATE, 1, "t")
    clock, fake, telegram = Clock(NOW), FakeTime(), Recording()
    only_telegram = Dispatcher(engine, {"telegram": telegram}, clock=clock, ticker=fake, sleep=fake.sleep, name="t")
    await only_telegram.drain()
    # Within the grace another worker with a Zalo sender may take them: they wait, pending.
    assert states(engine) == {
        "z0": (OutboxState.PENDING, None),
        "z1": (OutboxState.PENDING, None),
        "t0": (OutboxState.SENT, None),
    }
    clock.now = NOW + timedelta(seconds=DispatchSettings().no_sender_grace_seconds + 1)
    await only_telegram.drain()
    await only_telegram.stop()
    assert states(engine)["z0"] == states(engine)["z1"] == (OutboxState.HELD, outbox.HELD_NO_SENDER)
    shown = cli(db_url, "outbox")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[:3] == [
        "Hàng đợi tin nhắn: 0 chờ gửi, 0 đang gửi, 1 đã gửi, 0 thất bại.",
        "Đang giữ lại vì không có bộ gửi nào cho zalo đang chạy (đã cấu hình zalo chưa?): 2.",
        "Không có tin nào đang chờ gửi.",
    ]

    clock.now += timedelta(seconds=1)  # past the SQLite dispatcher lease the first one gave back
    zalo = Recording()
    with_zalo = Dispatcher(engine, {"zalo": zalo}, clock=clock, ticker=fake, sleep=fake.sleep, name="z")
    await with_zalo.drain()
    await with_zalo.stop()
    assert zalo.sent == ["z0", "z1"]
    assert states(engine)["z0"] == states(engine)["z1"] == (OutboxState.SENT, None)
