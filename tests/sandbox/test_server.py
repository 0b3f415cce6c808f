"""Khởi động, dừng và API Python của hộp cát."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from aiohttp.test_utils import TestClient, TestServer

from sandbox import Sandbox, SandboxClock, SimGroup, SimPerson
from sandbox.formatting import FormattedText
from tests.sandbox.support import AN, PEOPLE, START, TOKEN


async def test_dia_chi_cho_python_telegram_bot(sandbox: Sandbox) -> None:
    assert sandbox.port > 0
    assert sandbox.url == f"http://127.0.0.1:{sandbox.port}/"
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/bot"
    assert sandbox.base_file_url == f"http://127.0.0.1:{sandbox.port}/file/bot"
    with pytest.raises(RuntimeError):
        await sandbox.start("127.0.0.1", 0)


async def test_dung_tra_loi_ngay_long_poll_dang_cho() -> None:
    box = Sandbox(PEOPLE, clock=SandboxClock(START))
    await box.start("127.0.0.1", 0)
    async with httpx.AsyncClient(timeout=10) as client:
        poll = asyncio.create_task(client.post(f"{box.base_url}{TOKEN}/getUpdates", json={"timeout": 30}))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await box.stop()
        assert time.monotonic() - started < 2
        response = await poll
    assert response.json() == {"ok": True, "result": []}
    await box.stop()  # stopping twice is harmless
    with pytest.raises(RuntimeError):
        _ = box.port


async def test_dung_cat_ngang_loi_tre() -> None:
    box = Sandbox(PEOPLE, clock=SandboxClock(START))
    await box.start("127.0.0.1", 0)
    box.faults.delay(seconds=30, deliver=True)
    async with httpx.AsyncClient(timeout=10) as client:
        slow = asyncio.create_task(client.post(f"{box.base_url}{TOKEN}/sendMessage", json={"chat_id": AN, "text": "x"}))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await box.stop()
        assert time.monotonic() - started < 2
        assert (await slow).json()["ok"] is True


async def test_cho_tin_cua_bot(sandbox: Sandbox) -> None:
    with pytest.raises(TimeoutError):
        await sandbox.wait_for_bot_message(AN, timeout=0.1)
    mid = sandbox.send(AN, "/tasks")

    async def answer() -> None:
        await asyncio.sleep(0.05)
        chat = sandbox.state.chats[AN]
        sandbox.state.add_message(
            chat,
            from_bot=True,
            sender_id=sandbox.state.bot.id,
            formatted=FormattedText("Không có việc", []),
        )

    task = asyncio.create_task(answer())
    found = await sandbox.wait_for_bot_message(AN, after=mid, timeout=2)
    await task
    assert found["text"] == "Không có việc"


async def test_ung_dung_aiohttp_dung_voi_test_client() -> None:
    box = Sandbox(PEOPLE, clock=SandboxClock(START))
    async with TestClient(TestServer(box.app)) as client:
        response = await client.get("/api/sandbox/clock")
        assert await response.json() == {"now": "2025-10-01T08:00:00+07:00"}
        me = await (await client.post("/bot1:x/getMe")).json()
        assert me["result"]["username"] == "nhacviec_bot"


def test_nguoi_va_nhom_phai_hop_le() -> None:
    with pytest.raises(ValueError):
        Sandbox(
            [SimPerson(id=1, name="A", unit=None, role="staff"), SimPerson(id=1, name="B", unit=None, role="staff")]
        )
    with pytest.raises(ValueError):
        Sandbox(PEOPLE, groups=[SimGroup(id=5, title="Sai mã")])
    with pytest.raises(ValueError):
        Sandbox(PEOPLE, groups=[SimGroup(id=-5, title="Người lạ", members=(999,))])
