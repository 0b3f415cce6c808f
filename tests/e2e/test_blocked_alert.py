"""A blocker reported in chat reaches the monitor within one dispatcher tick, with the sandbox's clock
standing still (nothing waits for the next planned wake-up)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from nhacviec.service import start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock

STAFF_TDC = 1001
MONITOR = 1011
TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"


async def test_a_blocker_reported_in_chat_reaches_the_monitor_within_ten_seconds(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/blocked.db", sandbox_port=0, telegram_token=None)
    # Tuesday 16/09/2025, 10:00: the morning of I.1's first reminder (14 days before 30/09); the clock stays here.
    clock = SandboxClock(datetime(2025, 9, 16, 10, 0, tzinfo=VIETNAM))
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        box = running.sandbox
        reminder = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        assert reminder["text"].startswith("🔔 Nhắc hạn nhiệm vụ I.1")
        before = max((m["message_id"] for m in box.chat(MONITOR)), default=0)
        box.send(STAFF_TDC, "vướng kinh phí", reminder["message_id"])
        alert = await box.wait_for_bot_message(MONITOR, after=before, timeout=10)
        assert alert["text"].splitlines()[:2] == [
            f"⚠️ {TDC} báo có vướng mắc ở nhiệm vụ I.1 (hạn Thứ Ba, 30/09/2025)",
            "Lý do: kinh phí",
        ]
        assert clock.now() == datetime(2025, 9, 16, 10, 0, tzinfo=VIETNAM)
    finally:
        await running.stop()
