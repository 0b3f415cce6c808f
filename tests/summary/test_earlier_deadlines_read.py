"""What a summary reads of the deadlines before its period: those its lead units all finished before the
period began are left out of the read (no summary of the period carries them over, and a plan in its
fifth year has four years of them); every other one is read and judged as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models import Plan, Task, db
from reports.summary import Summary, build_summary
from reports.summary_facts import load_facts
from scheduler.timing.periods import Period
from tests.helpers import cli
from tests.summary.scenario import BCVT, TDC, TTCDS, TTKT, TZ, VP

QUARTER_1 = Period("quarter", 2026, 1)
DUE_2025 = date(2025, 12, 31)


@pytest.fixture
def plan_url(db_url: str) -> str:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    return db_url


def add(url: str, task: str, unit: str, text: str, at: str) -> None:
    result = cli(url, "report", "add", "--task", task, "--unit", unit, "--text", text, "--at", at)
    assert result.exit_code == 0, result.output


@dataclass(frozen=True)
class Read:
    deadlines: set[tuple[str, date]]  # (task, due) of the deadlines the summary's read returns
    summary: Summary

    def carried(self, due: date) -> set[str]:
        return {item.code for item in self.summary.items if item.carried and item.due == due}


def read(url: str, period: Period = QUARTER_1) -> Read:
    """The read of `period`'s summary, and the summary, some forty days into the period."""
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            plan_id = session.exec(select(Plan.id)).one()
            assert plan_id is not None
            codes = dict(session.exec(select(Task.id, Task.code)).all())
            facts = load_facts(session, plan_id, main=period, tz=TZ)
    finally:
        engine.dispose()
    today = period.start + timedelta(days=40)
    summary = build_summary(facts, period=period, previous=None, today=today)
    return Read({(codes[o.task_id], o.due) for o in facts.occurrences if not o.checkin}, summary)


def test_a_deadline_its_lead_finished_before_the_period_is_not_read(plan_url: str) -> None:
    add(plan_url, "II.3", TDC, "đã ban hành kế hoạch, xong", "2025-12-20T10:00")
    quarter = read(plan_url)
    assert ("II.3", DUE_2025) not in quarter.deadlines
    assert "II.4" in quarter.carried(DUE_2025)  # nobody reported: still open


def test_done_on_the_periods_first_day_in_local_time_is_still_read_and_carried(plan_url: str) -> None:
    add(plan_url, "II.3", TDC, "đã ban hành kế hoạch, xong", "2025-12-31T23:30")  # 16:30 UTC: still 2025
    add(plan_url, "II.4", TDC, "đã ban hành kế hoạch, xong", "2026-01-01T00:30")  # 17:30 UTC on 31/12
    quarter = read(plan_url)
    assert ("II.3", DUE_2025) not in quarter.deadlines
    assert "II.4" in quarter.carried(DUE_2025)


def test_a_deadline_only_its_coordinating_unit_finished_is_read_and_carried(plan_url: str) -> None:
    add(plan_url, "II.5", TTKT, "đã khảo sát xong phần phối hợp", "2025-12-15T09:00")
    assert "II.5" in read(plan_url).carried(DUE_2025)


def test_a_deadline_done_in_a_period_is_read_for_it_but_not_for_the_next(plan_url: str) -> None:
    add(plan_url, "II.4", TDC, "đã ban hành kế hoạch, xong", "2026-02-05T08:00")
    assert "II.4" in read(plan_url).carried(DUE_2025)
    assert ("II.4", DUE_2025) not in read(plan_url, Period("quarter", 2026, 2)).deadlines


def test_a_deadline_several_units_lead_is_read_until_each_of_them_finished_it(plan_url: str) -> None:
    # BC.1, the yearly report every unit sends by 15/11: four units lead it.
    due = date(2025, 11, 15)
    add(plan_url, "BC.1", VP, "đã gửi báo cáo, hoàn thành", "2025-11-12T09:00")
    add(plan_url, "BC.1", TTKT, "đã gửi báo cáo, hoàn thành", "2025-11-14T09:00")
    duty = next(item for item in read(plan_url).summary.items if item.code == "BC.1")
    assert (duty.due, duty.carried, duty.units_done) == (due, True, (2, 4))
    add(plan_url, "BC.1", TTCDS, "đã gửi báo cáo, xong", "2025-11-20T09:00")
    add(plan_url, "BC.1", BCVT, "đã gửi báo cáo, xong", "2025-12-02T09:00")
    quarter = read(plan_url)
    assert ("BC.1", due) not in quarter.deadlines
    assert all(item.code != "BC.1" for item in quarter.summary.items)
