"""Two processes starting at once on an empty database: one migrates and imports the bundled plan
while the other waits for the start-up lock, then finds the work done (one crashed in Alembic, or
both imported the plan and one failed on a unique key)."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from models import Member, Plan, db
from tests.conftest import PG_URL, _pg_unavailable

_context = multiprocessing.get_context("spawn")


def _start(url: str, barrier: Any, results: Any) -> None:
    from datetime import UTC, datetime

    from nhacviec.service import prepare_database, seed_sandbox

    engine = db.make_engine(url)
    try:
        barrier.wait(timeout=60)
        prepare_database(engine, "run")
        seed_sandbox(engine, datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
        results.put("ok")
    except BaseException as error:
        results.put(f"{type(error).__name__}: {error}"[:300])
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, not even migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    schema = f"nhacviec_start_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        _pg_unavailable(str(error))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_two_processes_starting_at_once_both_start_and_import_the_plan_once(empty_url: str) -> None:
    barrier = _context.Barrier(3)
    results = _context.Queue()
    processes = [_context.Process(target=_start, args=(empty_url, barrier, results)) for _ in range(3)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=240) for _ in processes]
    for process in processes:
        process.join(30)
    assert outcomes == ["ok", "ok", "ok"]
    engine = db.make_engine(empty_url)
    try:
        assert db.is_up_to_date(engine)
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Plan)).one() == 1
            people = session.exec(select(func.count()).select_from(Member)).one()
        assert people > 0
    finally:
        engine.dispose()
