"""The dispatcher against the sandbox, through the real TelegramSender (python-telegram-bot's Bot).

Wall time is fake and shared: the sandbox's limits and 429 storms and the dispatcher's waits run on
the same `FakeTime`, so waiting out a storm or a group's minute takes no real time. The calendar
clock is the sandbox's, frozen; tests move it and poke the dispatcher.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.platforms.telegram.sender import TelegramSender, make_bot, telegram_sender
from domain.messages import ChatKind
from models import Member, OutboxMessage, OutboxState, PlatformAccount
from models.db import session_scope
from nhacviec.settings import Settings
from nhacviec.workers import run_worker
from sandbox import Sandbox
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import WAKEUP_JOB, Dispatcher, DispatchSettings
from tests.dispatch.support import (
    GROUP,
    LEAD,
    NOW,
    OTHER,
    STAFF,
    FakeTime,
    delivered,
    queue,
    seed_unit,
    serving,
)
from tests.helpers import cli

# PTB itself warns, when it builds a RetryAfter, that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

FAST = DispatchSettings(
    backoff_base_seconds=60.0, backoff_cap_seconds=600.0, retry_horizon_seconds=3 * 3600.0, poll_seconds=5.0
)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def box(fake: FakeTime) -> AsyncIterator[Sandbox]:
    async with serving(fake) as sandbox:
        yield sandbox


@pytest.fixture
async def sender(box: Sandbox) -> AsyncIterator[TelegramSender]:
    made = telegram_sender("123456:TEST", base_url=box.base_url, settings=FAST)
    await made.bot.initialize()
    try:
        yield made
    finally:
        await made.bot.shutdown()


def dispatcher(
    engine: Engine, sender: TelegramSender, box: Sandbox, fake: FakeTime, settings: DispatchSettings = FAST
) -> Dispatcher:
    return Dispatcher(
        engine, {"telegram": sender}, settings=settings, clock=box.clock.now, ticker=fake, sleep=fake.sleep, name="d1"
    )


def short_waits_only(fake: FakeTime) -> Callable[[float], Awaitable[None]]:
    """A sleep on which short waits (a private chat's second, the platform's budget) pass on the fake
    ticker, and a group's minute never does."""

    async def sleep(seconds: float) -> None:
        if seconds < 5:
            await fake.sleep(seconds)
        else:
            await asyncio.sleep(3600)

    return sleep


def rows(engine: Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage)).all()}


def sends(box: Sandbox) -> list[tuple[int, str]]:
    return [(e.status, str(e.params.get("chat_id"))) for e in box.exchanges if e.method == "sendMessage"]


async def test_messages_arrive_in_their_chats_in_order_with_buttons(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    chats = [STAFF, LEAD, OTHER, GROUP] * 6
    keys = queue(engine, chats)
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    assert delivered(box) == {key: 1 for key in keys}
    stored = rows(engine)
    for person in (STAFF, LEAD, OTHER):
        seen = box.chat(person)
        assert [m["text"] for m in seen] == [f"Nhắc việc {k}" for k, c in zip(keys, chats, strict=True) if c == person]
        first = seen[0]
        assert "<b>" in first["html"] and first["buttons"] == ["✅ Đã hoàn thành"]
        for message in seen:
            key = message["text"].removeprefix("Nhắc việc ")
            assert stored[key].platform_message_id == str(message["message_id"])
    assert all(m.state == OutboxState.SENT and m.attempts == 1 and m.sent_at == NOW for m in stored.values())
    # Within Telegram's limits: not one 429 although six messages per chat were due at once.
    assert {status for status, _ in sends(box)} == {200}
    assert fake.slept > 0  # the private chats' 1/s was waited out (on the fake ticker)


async def test_a_429_storm_is_waited_out_without_loss_or_duplicate(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    keys = queue(engine, [STAFF, LEAD, OTHER, GROUP] * 5)
    box.faults.storm(seconds=7, retry_after=2)
    start = fake.now
    d = dispatcher(engine, sender, box, fake)
    async with d:
        await d.run_until_done()
    assert delivered(box) == {key: 1 for key in keys}
    statuses = [status for status, _ in sends(box)]
    assert statuses.count(429) >= 1 and statuses.count(200) == len(keys)
    assert d.counters.throttled == statuses.count(429)
    # Every 429 stopped everything for its retry_after: the storm's 7 s passed before the first message.
    first_ok = next(e.at for e in box.exchanges if e.method == "sendMessage" and e.status == 200)
    assert first_ok >= start + 7
    assert statuses.count(429) <= 4 * FAST.concurrency  # no hammering: one wave per retry_after at most
    assert all(m.state == OutboxState.SENT and m.attempts == 1 for m in rows(engine).values())


async def test_server_errors_are_retried_with_backoff(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    keys = queue(engine, [STAFF, LEAD, OTHER])
    box.faults.server_errors(count=2, status=502)
    async with dispatcher(engine, sender, box, fake) as d:
        await d.wait_passes(1)
        stored = rows(engine)
        retried = [m for m in stored.values() if m.state == OutboxState.PENDING]
        assert len(retried) == 2 and all(m.attempts == 1 for m in retried)
        assert all("Bad Gateway" in (m.last_error or "") for m in retried)
        # Backoff with jitter: due again 30–60 s later (base 60 s), not at once.
        assert all(NOW + timedelta(seconds=30) <= m.due_at <= NOW + timedelta(seconds=60) for m in retried)
        assert sum(delivered(box).values()) == 1
        box.clock.advance(timedelta(seconds=61))
        d.poke()
        await d.run_until_done()
    assert delivered(box) == {key: 1 for key in keys}
    assert sorted(m.attempts for m in rows(engine).values()) == [1, 2, 2]


async def test_an_outage_of_an_hour_loses_nothing(engine: Engine, box: Sandbox, fake: FakeTime) -> None:
    """Every send answered 502 for an hour, with the default settings: the rows are retried with
    backoff all along, and arrive once the platform is back (they were failed for good after six)."""
    keys = queue(engine, [STAFF, LEAD, OTHER])
    box.faults.server_errors(fraction=1.0, status=502)
    made = telegram_sender("123456:TEST", base_url=box.base_url)
    await made.bot.initialize()
    try:
        async with Dispatcher(
            engine, {"telegram": made}, clock=box.clock.now, ticker=fake, sleep=fake.sleep, name="d1"
        ) as d:
            while box.clock.now() < NOW + timedelta(hours=1):
                box.clock.advance(timedelta(minutes=5))
                await d.drain()
            assert {m.state for m in rows(engine).values()} == {OutboxState.PENDING}
            box.faults.clear()
            box.clock.advance(timedelta(hours=1))
            d.poke()
            await d.run_until_done()
    finally:
        await made.bot.shutdown()
    assert delivered(box) == {key: 1 for key in keys}
    assert all(m.attempts > 6 and m.failing_since is None for m in rows(engine).values())


async def test_a_message_failing_past_the_horizon_is_shown_and_requeued_by_outbox_retry(
    db_url: str, engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    queue(engine, [STAFF])
    box.faults.server_errors(fraction=1.0, status=500)
    async with dispatcher(engine, sender, box, fake) as d:
        while rows(engine)["m0"].state != OutboxState.FAILED:
            await d.drain()
            box.clock.advance(timedelta(minutes=10))
        failed = rows(engine)["m0"]
        assert failed.failing_since == NOW and "Internal Server Error" in (failed.last_error or "")
        assert box.clock.now() - NOW <= timedelta(hours=3, minutes=10)  # FAST's horizon: 3 h
        assert d.counters.failed == 1 and delivered(box) == {}
        shown = cli(db_url, "outbox")
        assert shown.exit_code == 0, shown.output
        assert "Internal Server Error" in shown.output and "telegram:101" in shown.output
        box.faults.clear()  # the cause is fixed
        requeued = cli(db_url, "outbox", "retry")
        assert requeued.exit_code == 0, requeued.output
        assert requeued.output.splitlines() == ["Đã đưa 1 tin thất bại trở lại hàng đợi: #1."]
        d.poke()
        await d.run_until_done()
    assert delivered(box) == {"m0": 1}


async def test_a_person_who_blocked_the_bot_is_recorded_and_their_lead_told(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    seed_unit(engine)
    box.block(STAFF)
    queue(engine, [STAFF, OTHER])
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    stored = rows(engine)
    assert stored["m0"].state == OutboxState.HELD and "blocked" in (stored["m0"].last_error or "")
    assert stored["m1"].state == OutboxState.SENT
    with Session(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == str(STAFF))).one()
        assert account.blocked_at == NOW
    told = box.chat(LEAD)
    assert len(told) == 1 and "Nguyễn Văn An" in told[0]["text"]
    assert d.counters.blocked == 1


async def test_a_message_the_platform_refuses_fails_at_once(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    # A platform that takes shorter messages than the sender writes (malformed markup cannot be queued).
    box.limits = replace(box.limits, text_length=100)
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key="bad",
            platform="telegram",
            chat_id=str(STAFF),
            chat_kind=ChatKind.PRIVATE,
            text="Nhắc việc " * 15,
            due_at=NOW,
            now=NOW,
        )
        outbox.enqueue(
            session,
            key="nochat",
            platform="telegram",
            chat_id="999",
            chat_kind=ChatKind.PRIVATE,
            text="ai?",
            due_at=NOW,
            now=NOW,
        )
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    stored = rows(engine)
    assert (
        stored["bad"].state == OutboxState.FAILED and "message is too long" in (stored["bad"].last_error or "").lower()
    )
    assert (
        stored["nochat"].state == OutboxState.FAILED and "chat not found" in (stored["nochat"].last_error or "").lower()
    )
    assert stored["bad"].attempts == 1
    assert "123456:TEST" not in (stored["bad"].last_error or "")


@pytest.mark.parametrize("batch_size", [100, 10])
async def test_a_full_group_does_not_hold_up_private_chats(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime, batch_size: int
) -> None:
    """25 messages to one group (20 a minute) queued before 3 private ones: the private ones go
    while the group waits its minute — also when a claim holds only ten rows, all the group's."""
    queue(engine, [GROUP] * 25, prefix="g")
    queue(engine, [STAFF, LEAD, OTHER], now=NOW + timedelta(seconds=1), prefix="p")
    box.clock.advance(timedelta(seconds=1))
    settings = FAST.model_copy(update={"batch_size": batch_size})
    async with dispatcher(engine, sender, box, fake, settings) as d:
        await d.run_until_done()
    order = [e.params["text"] for e in box.exchanges if e.method == "sendMessage" and e.status == 200]
    assert len(order) == 28 and all(status == 200 for status, _ in sends(box))
    twenty_first = order.index("Nhắc việc <b>g20</b>")
    assert all(order.index(f"Nhắc việc <b>p{n}</b>") < twenty_first for n in range(3))
    group_texts = [text for text in order if "<b>g" in text]
    assert group_texts == [f"Nhắc việc <b>g{n}</b>" for n in range(25)]  # one chat's messages in order


async def test_the_wakeup_is_one_job_rebuilt_from_the_database(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    queue(engine, [STAFF], prefix="now")
    queue(engine, [LEAD], now=NOW + timedelta(hours=2), prefix="later")
    unsubscribe = None
    d = dispatcher(engine, sender, box, fake)
    async with d:
        await box.wait_until(lambda: delivered(box).get("now0"), timeout=5)
        await d.wait_passes(1)
        scheduler = d._scheduler
        assert scheduler is not None
        jobs = scheduler.get_jobs()
        assert [job.id for job in jobs] == [WAKEUP_JOB]
        job = jobs[0]
        assert job.misfire_grace_time is None and job.coalesce is True and job.max_instances == 1
        assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
        assert "later0" not in delivered(box)
        # The sandbox's clock moving is what makes due reminders arrive.
        unsubscribe = box.clock.subscribe(lambda _now: d.poke())
        box.clock.advance(timedelta(hours=2))
        await box.wait_until(lambda: delivered(box).get("later0"), timeout=5)
    if unsubscribe is not None:
        unsubscribe()
    assert rows(engine)["later0"].sent_at == NOW + timedelta(hours=2)


async def test_a_poke_sends_what_was_just_queued(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    async with dispatcher(engine, sender, box, fake) as d:
        await d.wait_passes(1)
        queue(engine, [OTHER], prefix="new")
        d.poke()
        await box.wait_until(lambda: delivered(box).get("new0"), timeout=5)


async def test_a_restart_takes_back_the_rows_of_its_previous_life(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    keys = queue(engine, [STAFF, LEAD])
    outbox.claim(engine, holder="d1", now=NOW, lease_seconds=600, limit=10, platforms=["telegram"])
    async with dispatcher(engine, sender, box, fake) as d:  # same name: no waiting for the leases
        await d.run_until_done()
    assert delivered(box) == {key: 1 for key in keys}


async def test_a_stop_gives_back_what_was_not_sent(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    queue(engine, [GROUP] * 25)
    d = Dispatcher(
        engine,
        {"telegram": sender},
        settings=FAST,
        clock=box.clock.now,
        ticker=fake,
        sleep=short_waits_only(fake),
        name="d1",
    )
    await d.start()
    await box.wait_until(lambda: sum(delivered(box).values()) >= 20 or None, timeout=5)
    await d.stop()
    stored = rows(engine)
    states = sorted(m.state for m in stored.values())
    assert states.count(OutboxState.SENT) == 20 and states.count(OutboxState.PENDING) == 5
    assert all(m.leased_by is None for m in stored.values() if m.state == OutboxState.PENDING)
    if engine.dialect.name == "sqlite":
        lease = outbox.dispatcher_lease(engine)
        assert lease is not None and lease.lease_until <= box.clock.now()  # the next dispatcher need not wait


async def test_run_worker_sends_through_the_sandbox_the_bot_role_serves(
    db_url: str, engine: Engine, box: Sandbox
) -> None:
    """`nhacviec run --role worker` without a token: a dispatcher only, sending to the sandbox at
    sandbox_host:sandbox_port, until told to stop."""
    keys = queue(engine, [STAFF, OTHER])
    settings = Settings(db_url=db_url, telegram_token=None, sandbox_port=box.port)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop, dispatch=FAST, clock=box.clock.now, name="worker-1"))
    try:
        await box.wait_until(lambda: len(delivered(box)) == 2 or None, timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(worker, 10)
    assert delivered(box) == {key: 1 for key in keys}
    assert {m.leased_by for m in rows(engine).values()} == {"worker-1"}


async def test_a_timeout_is_retried_so_its_message_may_arrive_twice(
    engine: Engine, box: Sandbox, fake: FakeTime
) -> None:
    """The request arrived but its answer came too late: not knowing, the dispatcher sends again. This
    is the one way a message repeats without a crash — never a loss."""
    queue(engine, [STAFF])
    box.faults.delay(seconds=0.6, deliver=True, count=1)
    slow = TelegramSender(make_bot("123456:TEST", base_url=box.base_url, read_timeout=0.2))
    await slow.bot.initialize()
    try:
        async with Dispatcher(
            engine, {"telegram": slow}, settings=FAST, clock=box.clock.now, ticker=fake, sleep=fake.sleep
        ) as d:
            await d.wait_passes(1)
            retried = rows(engine)["m0"]
            assert retried.state == OutboxState.PENDING and retried.attempts == 1
            assert "TimedOut" in (retried.last_error or "")
            box.clock.advance(timedelta(minutes=2))
            d.poke()
            await d.run_until_done()
    finally:
        await slow.bot.shutdown()
    assert rows(engine)["m0"].state == OutboxState.SENT
    assert delivered(box) == {"m0": 2}


async def test_two_hundred_rows_for_one_group_do_not_stall_a_private_reminder(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    """A full claim of one group's rows: once the group's minute is used up, the loop claims other
    chats' rows at once instead of sleeping on the group's window (the private reminder waited 120 s)."""
    queue(engine, [GROUP] * 200, prefix="g")
    queue(engine, [STAFF], now=NOW + timedelta(seconds=1), prefix="p")
    box.clock.advance(timedelta(seconds=1))
    d = Dispatcher(
        engine,
        {"telegram": sender},
        settings=FAST,
        clock=box.clock.now,
        ticker=fake,
        sleep=short_waits_only(fake),
        name="d1",
    )
    async with d:
        await box.wait_until(lambda: delivered(box).get("p0"), timeout=10)
    assert sum(delivered(box).values()) == 21  # the group's first twenty, then the private one


def pause(engine: Engine, member_id: int, until: date) -> None:
    with session_scope(engine) as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.paused_until = until
        session.add(member)


def queue_for(engine: Engine, member_id: int, chat: int, count: int, *, prefix: str) -> None:
    with session_scope(engine) as session:
        for n in range(count):
            outbox.enqueue(
                session,
                key=f"{prefix}{n}",
                platform="telegram",
                chat_id=str(chat),
                chat_kind=ChatKind.PRIVATE,
                text=f"Nhắc việc {prefix}{n}",
                due_at=NOW,
                now=NOW,
                member_id=member_id,
            )


async def test_rows_to_a_chat_already_flagged_blocked_are_held_without_a_send(
    db_url: str, engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    """Fifty rows for someone flagged blocked ahead of one ordinary reminder: not one request for
    them (each was a 403, at a few rows a second), and they stay visible in `nhacviec outbox`."""
    seeded = seed_unit(engine)
    with session_scope(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == str(STAFF))).one()
        account.blocked_at = NOW - timedelta(days=1)
        session.add(account)
    queue_for(engine, seeded.staff_id, STAFF, 50, prefix="b")
    queue(engine, [OTHER], now=NOW, prefix="ok")
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    assert delivered(box) == {"ok0": 1}
    assert [chat for _status, chat in sends(box)] == [str(OTHER)]
    held = [m for m in rows(engine).values() if m.state == OutboxState.HELD]
    assert len(held) == 50 and {m.last_error for m in held} == {outbox.HELD_BLOCKED}
    shown = cli(db_url, "outbox")
    assert "Đang giữ lại (người nhận đã chặn bot hoặc tạm dừng nhắc việc): 50." in shown.output


async def test_rows_for_a_member_who_paused_after_they_were_queued_wait_for_the_pause_to_end(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    """Queued Monday 08:30, paused until Tuesday: nothing on Monday or Tuesday; on Wednesday the rows
    go out at 08:30, the time of day they were due — not at midnight when the pause ends."""
    seeded = seed_unit(engine)
    queue_for(engine, seeded.staff_id, STAFF, 3, prefix="p")
    pause(engine, seeded.staff_id, date(2026, 3, 3))
    async with dispatcher(engine, sender, box, fake) as d:
        await d.drain()
        assert {m.state for m in rows(engine).values()} == {OutboxState.HELD}
        box.clock.advance(timedelta(days=1, hours=15, minutes=40))  # Wednesday 00:10 in Hà Nội
        await d.drain()
        assert {m.due_at for m in rows(engine).values()} == {NOW + timedelta(days=2)}
        assert delivered(box) == {}
        box.clock.advance(timedelta(hours=8, minutes=20))  # Wednesday 08:30
        await d.drain()
    assert delivered(box) == {"p0": 1, "p1": 1, "p2": 1}


async def test_rows_held_past_the_stale_limit_are_dropped_visibly(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    seeded = seed_unit(engine)
    queue_for(engine, seeded.staff_id, STAFF, 2, prefix="p")
    pause(engine, seeded.staff_id, date(2026, 3, 9))
    async with dispatcher(engine, sender, box, fake) as d:
        await d.drain()
        box.clock.advance(timedelta(days=8))  # Tuesday 10/03, six days after the rows were due
        await d.drain()
    assert delivered(box) == {}
    dropped = rows(engine).values()
    assert {(m.state, m.last_error) for m in dropped} == {
        (OutboxState.FAILED, "dropped: held until it was 72 hours overdue")
    }


async def test_a_chat_that_does_not_exist_fails_all_its_rows_after_one_refusal(
    engine: Engine, box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    """Sixty rows for a group the bot was removed from, ahead of an ordinary reminder: one request
    answers "chat not found" and fails them all (visible, `outbox retry` brings them back); the
    ordinary reminder does not wait behind fifty-nine more refusals."""
    queue(engine, [-999] * 60, prefix="gone")
    queue(engine, [OTHER], prefix="ok")
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    assert delivered(box) == {"ok0": 1}
    assert [chat for _status, chat in sends(box)] == ["-999", str(OTHER)]
    gone = [m for m in rows(engine).values() if m.chat_id == "-999"]
    assert {m.state for m in gone} == {OutboxState.FAILED}
    assert all("chat not found" in (m.last_error or "").lower() for m in gone)
