"""The registry facts a summary reads are kept between summaries, and read again after any change an
admin makes to the registry."""

from __future__ import annotations

import gc
from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from models import db
from reports.summary_chat import SummaryView, make_summary
from reports.summary_facts import RegistryCache, newest_plan_id, registry_stamp
from scheduler.timing.periods import Period
from tests.helpers import cli

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR_2026 = Period("year", 2026)
CDS_CENTRE = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"  # as the plan spells it


def _stamp(engine: Engine) -> int | None:
    with db.session_scope(engine) as session:
        return registry_stamp(session)


def _waiting_codes(engine: Engine, registry: RegistryCache) -> list[str]:
    with db.session_scope(engine) as session:
        plan_id = newest_plan_id(session)
        assert plan_id is not None
        summary = make_summary(session, SummaryView(plan_id, YEAR_2026, None, False), today=date(2026, 3, 1))
        cached = make_summary(
            session, SummaryView(plan_id, YEAR_2026, None, False), today=date(2026, 3, 1), registry=registry
        )
    assert cached == summary  # the cache changes nothing but the time it takes
    return [item.code for item in cached.items if item.due is None]


def test_each_registry_change_moves_the_stamp(db_url: str, engine: Engine) -> None:
    stamps = [_stamp(engine)]
    for args in [
        ("plan", "import", "--bundled"),
        ("event", "record", "Đề án được ban hành", "--tasks", "VI.1", "--date", "2026-03-02"),
        ("event", "correct", "1", "--date", "2026-04-01"),
        ("units", "alias", "add", "TT CĐS&ĐMST", CDS_CENTRE),
        ("units", "merge", "TT CĐS&ĐMST", "Văn phòng Sở"),
    ]:
        assert cli(db_url, *args).exit_code == 0, args
        stamps.append(_stamp(engine))
    assert stamps[0] is None
    assert all(a is not None and b is not None and b > a for a, b in pairwise(stamps[1:]))


def test_a_progress_report_leaves_the_registry_stamp_alone(db_url: str, engine: Engine) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = _stamp(engine)
    result = cli(
        db_url,
        "report",
        "add",
        "--task",
        "II.3",
        "--unit",
        "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
        "--text",
        "đã xong",
    )
    assert result.exit_code == 0, result.output
    assert _stamp(engine) == before


def test_a_cached_summary_sees_an_event_recorded_after_it(db_url: str, engine: Engine) -> None:
    cli(db_url, "plan", "import", "--bundled")
    registry = RegistryCache()
    assert "VI.1" in _waiting_codes(engine, registry)
    cli(db_url, "event", "record", "Đề án được ban hành", "--tasks", "VI.1", "--date", "2026-03-02")
    assert "VI.1" not in _waiting_codes(engine, registry)


def test_a_summary_resumes_the_cycle_collector_it_paused(db_url: str, engine: Engine) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert gc.isenabled()
    _waiting_codes(engine, RegistryCache())
    assert gc.isenabled()
    gc.disable()
    try:
        _waiting_codes(engine, RegistryCache())
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()


def test_an_import_leaves_statistics_for_the_query_planner(db_url: str, engine: Engine) -> None:
    cli(db_url, "plan", "import", "--bundled")
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's ANALYZE leaves nothing a test can read cheaply; that it ran without error is enough
    with engine.connect() as connection:
        analysed = set(connection.execute(sa.text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars())
    assert {"task", "occurrence", "task_unit"} <= analysed
