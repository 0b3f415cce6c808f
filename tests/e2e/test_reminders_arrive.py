"""In the sandbox, moving the clock makes the reminders now due arrive in the people's chats."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from nhacviec.service import start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock

STAFF_TDC = 1001


async def test_moving_the_clock_to_a_reminder_morning_delivers_it(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/reminders.db", sandbox_port=0, http_port=0, telegram_token=None)
    # The evening before the first reminder step of the bundled plan's first deadline (I.1, 30/09/2025).
    clock = SandboxClock(datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM))
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        box = running.sandbox
        assert [m for m in box.chat(STAFF_TDC) if m["from"] == "bot"] == []  # nothing at night
        clock.set(datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM))  # 14 days before 30/09, 08:30
        message = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        assert message["text"].startswith("🔔 Nhắc hạn nhiệm vụ I.1 — còn 14 ngày (hạn Thứ Ba, 30/09/2025)")
        assert message["date"].startswith("2025-09-16T08:30")
    finally:
        await running.stop()
