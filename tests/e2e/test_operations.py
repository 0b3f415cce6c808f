"""The running service's operations side, with the sandbox: Telegram in webhook mode through the
service's own HTTP server, /healthz and /readyz, and /metrics scraped after reminders went out."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import OutboxMessage, ReminderStep
from nhacviec.service import Running, serve_worker, start
from nhacviec.settings import Settings
from sandbox import Limits, Sandbox
from sandbox.clock import VIETNAM, SandboxClock
from tests.dispatch.support import NOW as DISPATCH_NOW
from tests.dispatch.support import OTHER, PEOPLE, STAFF, delivered, queue
from tests.e2e.support import free_port
from tests.ops.support import samples

NOW = datetime(2025, 12, 24, 8, 30, tzinfo=VIETNAM)
PLATFORMS = ("telegram", "zalo")
STAFF_TDC = 1001
SECRET = "bi-mat_So-KHCN_2026"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def sandbox(running: Running) -> Any:
    assert running.sandbox is not None
    return running.sandbox


@pytest.fixture
async def webhook_mode(db_url: str) -> AsyncIterator[Running]:
    # The webhook URL is the service's own loopback server, as a reverse proxy would forward it.
    port = free_port()
    settings = Settings(
        db_url=db_url,
        sandbox_port=0,
        http_port=port,
        telegram_token=None,
        webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret=SECRET,
    )
    running = await start(settings, sandbox_clock=SandboxClock(NOW), reminders=False)
    try:
        yield running
    finally:
        await running.stop()


def forged(text: str, update_id: int = 900_001) -> dict[str, Any]:
    person = {"id": STAFF_TDC, "is_bot": False, "first_name": "Nguyễn Văn An"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 90_001,
            "date": int(NOW.timestamp()),
            "chat": {"id": STAFF_TDC, "type": "private", "first_name": "Nguyễn Văn An"},
            "from": person,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def test_in_webhook_mode_telegram_posts_updates_to_the_service(webhook_mode: Running) -> None:
    box = sandbox(webhook_mode)
    port = webhook_mode.ops.port
    assert box.state.webhook["url"] == f"http://127.0.0.1:{port}/webhook/telegram"
    assert box.state.webhook["secret_token"] == SECRET
    sent = box.send(STAFF_TDC, "/tasks")
    answer = await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
    assert answer["text"].startswith("Các việc đang mở của đơn vị bạn (")
    assert "getUpdates" not in {exchange.method for exchange in box.exchanges}


async def test_a_webhook_call_with_a_wrong_secret_is_401_and_changes_nothing(webhook_mode: Running) -> None:
    box = sandbox(webhook_mode)
    url = f"{webhook_mode.ops.url}/webhook/telegram"
    async with httpx.AsyncClient() as client:
        for headers in ({}, {HEADER: "doan-mo"}):
            answer = await client.post(url, json=forged("/lang en"), headers=headers)
            assert answer.status_code == 401
        # Still Vietnamese: the forged /lang never reached the bot.
        sent = box.send(STAFF_TDC, "/tasks")
        reply = await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
        assert reply["text"].startswith("Các việc đang mở của đơn vị bạn (")
        assert [m["text"] for m in box.chat(STAFF_TDC) if m["from"] == "bot"] == [reply["text"]]
        # The same request with the secret is taken: the test could see a change.
        answer = await client.post(url, json=forged("/lang en"), headers={HEADER: SECRET})
        assert answer.status_code == 200
    switched = await box.wait_for_bot_message(STAFF_TDC, after=reply["message_id"], timeout=10)
    assert switched["text"] == "Language set: English."


async def test_polling_mode_deletes_a_webhook_before_polling(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/poll.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=SandboxClock(NOW), reminders=False)
    try:
        box = sandbox(running)
        sent = box.send(STAFF_TDC, "/tasks")
        await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
        methods = [exchange.method for exchange in box.exchanges]
        assert methods.index("deleteWebhook") < methods.index("getUpdates")
        assert "setWebhook" not in methods
    finally:
        await running.stop()


async def test_health_and_readiness_of_the_running_service(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/ready.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=SandboxClock(NOW))
    try:
        assert running.dispatcher is not None
        await running.dispatcher.wait_passes(1)
        async with httpx.AsyncClient(base_url=running.ops.url) as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        assert ready.status_code == 200
        body = ready.json()
        assert {key: body[key] for key in ("database", "migrations", "dispatcher", "role")} == {
            "database": True,
            "migrations": True,
            "dispatcher": True,
            "role": "all",
        }
    finally:
        await running.stop()


async def test_metrics_after_a_sandbox_run_match_the_outbox(db_url: str) -> None:
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, telegram_token=None)
    clock = SandboxClock(datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM))
    running = await start(settings, sandbox_clock=clock)
    try:
        box = sandbox(running)
        assert running.dispatcher is not None
        clock.set(datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM))  # the first reminders of the bundled plan
        reminder = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        sent = box.send(STAFF_TDC, "đã trình lãnh đạo Sở, đạt 80%", reminder["message_id"])
        await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
        await running.dispatcher.run_until_done()
        async with httpx.AsyncClient(base_url=running.ops.url) as client:
            scrape = await client.get("/metrics")
        found = samples(scrape.text)
        with Session(running.engine) as session:
            states = dict(session.exec(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
            planned = Counter(
                moment.astimezone(VIETNAM).date().isoformat()
                for moment in session.exec(select(ReminderStep.planned_at)).all()
            )
        assert states.get("sent", 0) > 0
        for state in ("pending", "sending", "sent", "failed"):
            assert found["nhacviec_outbox_rows", (("state", state),)] == states.get(state, 0)
        # The sandbox's people are on Telegram and Zalo: both platforms' acknowledged sends.
        ok = {
            p: found.get(("nhacviec_outbox_sends_total", (("platform", p), ("result", "ok"))), 0.0) for p in PLATFORMS
        }
        assert ok["telegram"] > 0 and ok["zalo"] > 0
        assert sum(ok.values()) == states["sent"] == running.dispatcher.counters.sent
        assert found["nhacviec_outbox_oldest_due_lag_seconds", ()] == 0.0
        assert found["nhacviec_reminders_planned", (("day", "2025-09-16"),)] == planned["2025-09-16"] > 0
        assert found["nhacviec_reply_handling_seconds_count", ()] == 1
    finally:
        await running.stop()


async def test_a_worker_serves_readiness_from_its_dispatcher_and_counts_its_sends(db_url: str, engine: Engine) -> None:
    """`run --role worker`: no bot, but the same HTTP server, reporting the worker's own dispatcher."""
    box = Sandbox(PEOPLE, clock=SandboxClock(DISPATCH_NOW), limits=Limits())
    await box.start("127.0.0.1", 0)
    keys = queue(engine, [STAFF, OTHER])
    settings = Settings(db_url=db_url, telegram_token=None, sandbox_port=box.port, http_port=free_port())
    stop, started = asyncio.Event(), asyncio.Event()
    worker = asyncio.create_task(serve_worker(settings, stop, started.set))
    try:
        await asyncio.wait_for(started.wait(), 10)
        await box.wait_until(lambda: len(delivered(box)) == 2 or None, timeout=10)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.http_port}") as client:
            ready = (await client.get("/readyz")).json()
            found = samples((await client.get("/metrics")).text)
    finally:
        stop.set()
        await asyncio.wait_for(worker, 10)
        await box.stop()
    assert delivered(box) == {key: 1 for key in keys}
    assert (ready["role"], ready["dispatcher"], ready["database"], ready["migrations"]) == ("worker", True, True, True)
    assert found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", "ok"))] == 2
    assert found["nhacviec_outbox_rows", (("state", "sent"),)] == 2
