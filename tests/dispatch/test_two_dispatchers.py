"""Two dispatcher processes on one PostgreSQL database deliver 2,000 messages: each exactly once.

Real processes (`python -m nhacviec.workers`), each claiming with FOR UPDATE SKIP LOCKED, both
sending to one sandbox served by this test with generous limits so that the run stays short.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import Session, select

from models import OutboxMessage, OutboxState, db
from sandbox import Limits, Sandbox, SandboxClock, SimGroup, SimPerson
from tests.conftest import _empty_pg_tables
from tests.dispatch.support import NOW, delivered, queue

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 2000
PEOPLE = [SimPerson(id=300 + n, name=f"Cán bộ {n}", unit=None, role="staff") for n in range(200)]
GROUPS = [SimGroup(id=-300 - n, title=f"Nhóm {n}", members=()) for n in range(20)]
GENEROUS = Limits(
    overall_per_second=100_000,
    overall_burst=100_000,
    private_per_second=100_000,
    private_burst=100_000,
    group_per_minute=1_000_000,
)
SETTINGS = {
    "concurrency": 16,
    "batch_size": 50,
    "poll_seconds": 0.5,
    "claim_interval_seconds": 0.05,
    "lease_seconds": 30,
    "telegram": {
        "overall_per_second": 100_000,
        "overall_burst": 1000,
        "private_per_second": 100_000,
        "private_burst": 1000,
        "group_per_minute": 1_000_000,
    },
}


async def test_two_dispatchers_on_postgresql_send_every_message_once(pg_schema_url: str) -> None:
    _empty_pg_tables(pg_schema_url)
    engine = db.make_engine(pg_schema_url)
    chats = [[*(p.id for p in PEOPLE), *(g.id for g in GROUPS)][n % 220] for n in range(MESSAGES)]
    keys = queue(engine, chats)
    box = Sandbox(PEOPLE, groups=GROUPS, clock=SandboxClock(NOW), limits=GENEROUS)
    box.api.exchanges = type(box.api.exchanges)(maxlen=20_000)
    await box.start("127.0.0.1", 0)
    env = {key: value for key, value in os.environ.items() if not key.startswith("NHACVIEC_")}
    try:
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "nhacviec.workers",
                "--db",
                pg_schema_url,
                "--base-url",
                box.base_url,
                "--name",
                name,
                "--until-done",
                "--settings",
                json.dumps(SETTINGS),
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for name in ("worker-a", "worker-b")
        ]
        outputs = await asyncio.wait_for(asyncio.gather(*(w.communicate() for w in workers)), timeout=60)
    finally:
        await box.stop()
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()[-2000:]
    reports = [json.loads(out.decode().strip().splitlines()[-1]) for out, _err in outputs]

    arrived = delivered(box)
    assert set(arrived) == set(keys)  # no loss
    assert max(arrived.values()) == 1  # no duplicate
    assert sum(report["sent"] for report in reports) == MESSAGES
    assert all(report["sent"] > 0 for report in reports)  # both did share the work
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    engine.dispose()
    assert {m.state for m in rows} == {OutboxState.SENT}
    assert Counter(m.leased_by for m in rows).keys() == {"worker-a", "worker-b"}
    assert len({(m.chat_id, m.platform_message_id) for m in rows}) == MESSAGES
