"""The service's HTTP server: health, readiness, metrics and webhook routes, on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import text
from sqlalchemy.engine import Engine

from models import db
from nhacviec.ops_server import OpsServer, Readiness, WebhookRoute, check_readiness, dispatcher_ready

SECRET = "bi-mat_So-KHCN_2026"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE = {"update_id": 7, "message": {"message_id": 3, "text": "đã xong, đạt 100%"}}


def test_a_process_without_a_dispatcher_does_not_wait_for_one() -> None:
    assert dispatcher_ready(None, dispatching=False, max_tick_age=60) is True


def test_a_dispatcher_is_ready_once_it_ticked_and_while_its_ticks_are_recent() -> None:
    assert dispatcher_ready(None, dispatching=True, max_tick_age=60) is False
    assert dispatcher_ready(12.5, dispatching=True, max_tick_age=60) is True
    assert dispatcher_ready(60.5, dispatching=True, max_tick_age=60) is False


def test_a_migrated_database_is_ready(engine: Engine) -> None:
    report = check_readiness(engine, role="all", tick_age=lambda: 2.0, max_tick_age=60)
    assert report == Readiness(True, True, True, "all", 2.0)
    assert report.ready


def test_a_database_behind_the_migrations_is_not_ready(engine: Engine) -> None:
    head = db.current_revision(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    try:
        report = check_readiness(engine, role="worker", tick_age=lambda: 2.0, max_tick_age=60)
    finally:
        # PostgreSQL's test schema is shared by the whole run: later tests need it at head again.
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert (report.database, report.migrations, report.ready) == (True, False, False)


def test_an_unreachable_database_is_not_ready() -> None:
    engine = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    try:
        report = check_readiness(engine, role="bot", tick_age=None, max_tick_age=60)
    finally:
        engine.dispose()
    assert report.as_json() == {
        "database": False,
        "migrations": False,
        "dispatcher": True,
        "role": "bot",
        "dispatcher_tick_age_seconds": None,
    }


class Taken:
    def __init__(self) -> None:
        self.updates: list[Any] = []

    async def __call__(self, body: Any) -> None:
        self.updates.append(body)


@pytest.fixture
async def served() -> AsyncIterator[tuple[OpsServer, Taken, dict[str, Readiness]]]:
    registry = CollectorRegistry()
    Counter("nhacviec_probe", "A counter for the scrape.", registry=registry).inc(3)
    taken = Taken()
    state = {"now": Readiness(True, True, True, "all", 1.0)}
    server = OpsServer(registry=registry, readiness=lambda: state["now"])
    server.add_webhook(WebhookRoute("telegram", HEADER, SECRET, taken))
    await server.start("127.0.0.1", 0)
    try:
        yield server, taken, state
    finally:
        await server.stop()


async def test_healthz_answers_while_the_process_runs(served: tuple[OpsServer, Taken, Any]) -> None:
    server, _, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


async def test_readyz_is_503_with_the_failing_part_named(served: tuple[OpsServer, Taken, Any]) -> None:
    server, _, state = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/readyz")).status_code == 200
        state["now"] = Readiness(True, True, False, "worker", 95.0)
        answer = await client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {
        "database": True,
        "migrations": True,
        "dispatcher": False,
        "role": "worker",
        "dispatcher_tick_age_seconds": 95.0,
    }


async def test_metrics_are_prometheus_text(served: tuple[OpsServer, Taken, Any]) -> None:
    server, _, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    assert "nhacviec_probe_total 3.0" in answer.text.splitlines()


@pytest.mark.parametrize("headers", [{}, {HEADER: "doan-mo"}, {HEADER: SECRET + "x"}, {"X-Other": SECRET}])
async def test_a_webhook_call_without_the_right_secret_is_401_and_reaches_nothing(
    served: tuple[OpsServer, Taken, Any], headers: dict[str, str]
) -> None:
    server, taken, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post("/webhook/telegram", json=UPDATE, headers=headers)
    assert answer.status_code == 401
    assert taken.updates == []


async def test_a_webhook_call_with_the_secret_hands_the_update_on(served: tuple[OpsServer, Taken, Any]) -> None:
    server, taken, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post("/webhook/telegram", json=UPDATE, headers={HEADER: SECRET})
    assert answer.status_code == 200
    assert taken.updates == [UPDATE]


async def test_a_body_that_is_not_json_is_400(served: tuple[OpsServer, Taken, Any]) -> None:
    server, taken, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post("/webhook/telegram", content=b"xin chao", headers={HEADER: SECRET})
    assert answer.status_code == 400
    assert taken.updates == []


async def test_a_platform_without_a_route_is_404(served: tuple[OpsServer, Taken, Any]) -> None:
    server, _, _ = served
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post("/webhook/zalo", json={}, headers={HEADER: SECRET})
    assert answer.status_code == 404
