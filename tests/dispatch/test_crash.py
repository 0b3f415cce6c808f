"""SIGKILL the dispatcher at random points while it sends, restart it, until everything is sent.

The dispatcher runs in its own process (`nhacviec.workers.main`, what `python -m
nhacviec.workers` runs) on a SQLite file, sending through a sandbox served by this test process,
so the sandbox outlives every kill and its chats are the record of what arrived. The processes are
forked from a server that imported the code once (multiprocessing's "forkserver"): a start costs
milliseconds instead of a second of imports, which keeps twenty seeds within the time budget.

After each kill, "in flight" is what arrived during that run but is not marked sent in the database:
the only messages allowed to arrive twice. At the end every message arrived, and each one arrived at
most once more than the number of kills it was in flight at.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models import OutboxMessage, OutboxState, db
from nhacviec.workers import main as dispatcher_main
from sandbox import Faults, Limits, Sandbox, SandboxClock, SimGroup, SimPerson
from tests.dispatch.support import NOW, delivered, queue

MESSAGES = 50
CONCURRENCY = 4
PEOPLE = [SimPerson(id=200 + n, name=f"Cán bộ {n}", unit=None, role="staff") for n in range(10)]
GROUP = -200
GENEROUS = Limits(
    overall_per_second=10_000,
    overall_burst=10_000,
    private_per_second=10_000,
    private_burst=10_000,
    group_per_minute=100_000,
)

_context = multiprocessing.get_context("forkserver")
# Everything a dispatcher imports, even lazily (httpx's transport stack on its first request).
_context.set_forkserver_preload(
    [
        "nhacviec.workers",
        "httpcore",
        "h11",
        "anyio",
        "certifi",
        "apscheduler.executors.asyncio",
        "apscheduler.triggers.date",
    ]
)


def start_dispatcher(argv: list[str]) -> multiprocessing.process.BaseProcess:
    process = _context.Process(target=dispatcher_main, args=(argv,), daemon=True)
    process.start()
    return process


async def wait_dead(process: multiprocessing.process.BaseProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while process.is_alive():
        assert time.monotonic() < deadline, "the dispatcher did not finish in time"
        await asyncio.sleep(0.01)
    process.join()


def sent_keys(url: str) -> set[str]:
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(OutboxMessage)).all()
            assert not [m for m in rows if m.state == OutboxState.FAILED]
            return {m.idempotency_key for m in rows if m.state == OutboxState.SENT}
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", range(20))
async def test_a_killed_dispatcher_loses_nothing_and_repeats_only_what_was_in_flight(
    seed: int, sqlite_template: Path, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "crash.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    chats = [rng.choice([*(p.id for p in PEOPLE), GROUP]) for _ in range(MESSAGES)]
    keys = queue(engine, chats, now=NOW)
    engine.dispose()

    box = Sandbox(
        PEOPLE,
        groups=[SimGroup(id=GROUP, title="Nhóm", members=(200, 201))],
        clock=SandboxClock(NOW),
        limits=GENEROUS,
        faults=Faults(seed=seed),
    )
    if seed % 2 == 0:
        box.faults.server_errors(fraction=0.1, status=502)  # retries with backoff, under kills too
    fresh_names = seed % 4 == 3  # a new process name: it must wait for the dead one's leases to run out
    settings = {
        "concurrency": CONCURRENCY,
        "batch_size": 10,
        "lease_seconds": 0.5 if fresh_names else 30.0,
        "poll_seconds": 0.2,
        "claim_interval_seconds": 0.05,
        "backoff_base_seconds": 0.05,
        "backoff_cap_seconds": 0.2,
        "retry_horizon_seconds": 1e9,
        "telegram": {"overall_per_second": 300, "overall_burst": 5, "private_per_second": 300, "private_burst": 5},
    }
    await box.start("127.0.0.1", 0)
    kills = 1 + rng.randrange(3)
    in_flight_at_kills: list[set[str]] = []
    try:
        run = 0
        while True:
            name = f"crash-{run}" if fresh_names else "crash"
            argv = ["--db", url, "--base-url", box.base_url, "--name", name, "--until-done", "--seed", str(seed)]
            before = delivered(box)
            process = start_dispatcher([*argv, "--settings", json.dumps(settings)])
            if len(in_flight_at_kills) < kills:
                remaining = MESSAGES - len(before)
                target = sum(before.values()) + rng.randint(0, max(0, remaining - 1))
                deadline = time.monotonic() + 20
                while sum(delivered(box).values()) < target and process.is_alive():
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.002)
                await asyncio.sleep(rng.uniform(0, 0.01))
                if process.is_alive():
                    process.kill()  # SIGKILL: no cleanup of any kind
                    await wait_dead(process, 5)
                    await asyncio.sleep(0.05)  # requests the sandbox already took finish
                    arrived_now = delivered(box) - before
                    in_flight = set(arrived_now) - sent_keys(url)
                    assert len(in_flight) <= CONCURRENCY
                    in_flight_at_kills.append(in_flight)
                    run += 1
                    continue
            await wait_dead(process, 30)
            assert process.exitcode == 0
            break
    finally:
        await box.stop()

    arrived = delivered(box)
    assert set(arrived) == set(keys), "a message was lost"
    assert sent_keys(url) == set(keys)
    times_in_flight = Counter(key for flight in in_flight_at_kills for key in flight)
    for key, count in arrived.items():
        assert count - 1 <= times_in_flight[key], f"{key} arrived {count}×, in flight at {times_in_flight[key]} kills"
    duplicates = sum(arrived.values()) - len(arrived)
    assert duplicates <= sum(len(flight) for flight in in_flight_at_kills)
