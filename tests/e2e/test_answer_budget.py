"""The running service gives each platform's transport the dispatcher's limiter for that platform: the
answers and the outbox count against one rate budget (a 429 on either holds back the other)."""

from __future__ import annotations

from pathlib import Path

from bot.platforms.telegram import TelegramInbound
from bot.platforms.zalo import ZaloInbound
from nhacviec.service import start
from nhacviec.settings import Settings
from sandbox.clock import SandboxClock
from tests.e2e.test_telegram_sandbox import NOW


async def test_answers_and_reminders_share_each_platforms_limiter(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/budget.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=SandboxClock(NOW))
    try:
        assert running.dispatcher is not None
        telegram, zalo = running.transports["telegram"], running.transports["zalo"]
        assert isinstance(telegram, TelegramInbound) and isinstance(zalo, ZaloInbound)
        assert telegram.transport.limiter is running.dispatcher.limiters["telegram"]
        assert telegram.application.bot.rate_limiter is None  # no PTB limiter counting apart
        assert zalo.transport.sender.reply_limiter is running.dispatcher.limiters["zalo"]
    finally:
        await running.stop()
