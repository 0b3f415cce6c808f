"""In the sandbox, moving the clock makes the reminders now due arrive in the people's chats; a blocker
reported in chat reaches the monitor within one dispatcher tick with the clock standing still."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from nhacviec.service import start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock
from sandbox.server import Sandbox

STAFF_TDC = 1001
MONITOR = 1011
TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"


@asynccontextmanager
async def service(tmp_path: Path, clock: SandboxClock) -> AsyncIterator[Sandbox]:
    """The whole product on the bundled plan, with the sandbox owning `clock`."""
    settings = Settings(db_url=f"sqlite:///{tmp_path}/reminders.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        yield running.sandbox
    finally:
        await running.stop()


async def test_moving_the_clock_to_a_reminder_morning_delivers_it(tmp_path: Path) -> None:
    # The evening before the first reminder step of the bundled plan's first deadline (I.1, 30/09/2025).
    clock = SandboxClock(datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM))
    async with service(tmp_path, clock) as box:
        assert [m for m in box.chat(STAFF_TDC) if m["from"] == "bot"] == []  # nothing at night
        clock.set(datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM))  # 14 days before 30/09, 08:30
        message = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        assert message["text"].startswith("🔔 Nhắc hạn nhiệm vụ I.1 — còn 14 ngày (hạn Thứ Ba, 30/09/2025)")
        assert message["date"].startswith("2025-09-16T08:30")


async def test_a_blocker_reported_in_chat_reaches_the_monitor_within_ten_seconds(tmp_path: Path) -> None:
    # Tuesday 16/09/2025, 10:00: the morning of I.1's first reminder (14 days before 30/09); the clock stays here.
    clock = SandboxClock(datetime(2025, 9, 16, 10, 0, tzinfo=VIETNAM))
    async with service(tmp_path, clock) as box:
        reminder = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        assert reminder["text"].startswith("🔔 Nhắc hạn nhiệm vụ I.1")
        before = max((m["message_id"] for m in box.chat(MONITOR)), default=0)
        box.send(STAFF_TDC, "vướng kinh phí", reminder["message_id"])
        # Polls the monitor's chat at every change in the sandbox; TimeoutError after 10 s.
        alert = await box.wait_for_bot_message(MONITOR, after=before, timeout=10)
        assert alert["text"].splitlines()[:2] == [
            f"⚠️ {TDC} báo có vướng mắc ở nhiệm vụ I.1 (hạn Thứ Ba, 30/09/2025)",
            "Lý do: kinh phí",
        ]
        assert clock.now() == datetime(2025, 9, 16, 10, 0, tzinfo=VIETNAM)


async def test_typing_1_after_a_delivered_reminder_reports_it_done(tmp_path: Path) -> None:
    # The morning of I.1's first reminder, sent by the dispatcher from the outbox; the clock stays here.
    clock = SandboxClock(datetime(2025, 9, 16, 10, 0, tzinfo=VIETNAM))
    settings = Settings(db_url=f"sqlite:///{tmp_path}/reminders.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=clock)
    try:
        box = running.sandbox
        assert box is not None and running.dispatcher is not None
        reminder = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        assert reminder["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]
        # The chat's question opens once the dispatcher recorded Telegram's acknowledgement, a moment
        # after the message showed in the chat: a person reads it before typing, the test waits.
        await running.dispatcher.run_until_done()
        sent = box.send(STAFF_TDC, "1", None)
        answer = await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
        assert answer["text"] == "Đã ghi nhận: I.1 — đã hoàn thành."
    finally:
        await running.stop()
