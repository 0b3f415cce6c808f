"""A sandbox on a free port with a frozen clock, a few Vietnamese people, and an HTTP client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sandbox import Limits, Sandbox, SandboxClock, SimGroup
from tests.sandbox.support import AN, BINH, CHAU, GROUP, PEOPLE, START, BotClient, FakeTicker, ZaloClient


@pytest.fixture
def ticker() -> FakeTicker:
    return FakeTicker()


@pytest.fixture
async def sandbox(ticker: FakeTicker) -> AsyncIterator[Sandbox]:
    box = Sandbox(
        PEOPLE,
        groups=[SimGroup(id=GROUP, title="Tổ công tác TĐC", members=(AN, BINH, CHAU))],
        clock=SandboxClock(START),
        limits=Limits(),
        bot_username="nhacviec_bot",
        ticker=ticker,
    )
    await box.start("127.0.0.1", 0)
    try:
        yield box
    finally:
        await box.stop()


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=10) as client:
        yield client


@pytest.fixture
def bot(http: httpx.AsyncClient, sandbox: Sandbox) -> BotClient:
    return BotClient(http, sandbox.base_url)


@pytest.fixture
def zalo(http: httpx.AsyncClient, sandbox: Sandbox) -> ZaloClient:
    return ZaloClient(http, sandbox.zalo_base_url)
