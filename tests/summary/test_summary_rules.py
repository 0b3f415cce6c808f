"""The summary's rules on hand-made facts (no database), the period words, and fitting a message."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.status import OccurrenceState
from locales.catalogs import translator
from models.progress import ReportStatus
from reports.periods import (
    PeriodError,
    current_period,
    parse_period,
    period_token,
    previous_period,
    split_request,
)
from reports.summary import (
    OccurrenceFact,
    PlanFact,
    ReportFact,
    SectionFact,
    SummaryFacts,
    TaskFact,
    UnitFact,
    build_summary,
    plan_targets,
)
from reports.summary_text import summary_message
from scheduler.timing.periods import Period

TODAY = date(2026, 11, 10)
YEAR = Period("year", 2026)
PLAN = PlanFact(1, "kh-1", "Kế hoạch thử", "Sở Khoa học và Công nghệ", date(2025, 9, 1))
SECTION = SectionFact(1, "I", "Nhóm một", 1)
UNITS = {1: UnitFact(1, "Phòng A"), 2: UnitFact(2, "Phòng B"), 3: UnitFact(3, "Các phòng", group=True)}


def report(occurrence: int, status: ReportStatus, day: str, unit: int | None = 1, **extra: object) -> ReportFact:
    at = datetime.fromisoformat(day).replace(hour=2, tzinfo=UTC)
    return ReportFact(occurrence, unit, status, extra.pop("note", status.value), at.date(), at, **extra)  # type: ignore[arg-type]


def task(task_id: int, code: str, leads: tuple[int, ...] = (1,), **extra: object) -> TaskFact:
    return TaskFact(task_id, code, 1, task_id, f"Nhiệm vụ {code}", lead_unit_ids=leads, **extra)  # type: ignore[arg-type]


def summarise(tasks: list[TaskFact], occurrences: list[OccurrenceFact], reports: list[ReportFact], **kwargs: object):  # type: ignore[no-untyped-def]
    by_occurrence: dict[int, list[ReportFact]] = {}
    for r in sorted(reports, key=lambda r: r.at, reverse=True):
        by_occurrence.setdefault(r.occurrence_id, []).append(r)
    facts = SummaryFacts(PLAN, [SECTION], UNITS, tasks, occurrences, by_occurrence)
    return build_summary(facts, period=YEAR, previous=Period("year", 2025), today=TODAY, **kwargs)  # type: ignore[arg-type]


def states(summary) -> dict[str, OccurrenceState]:  # type: ignore[no-untyped-def]
    return {item.code: item.state for item in summary.items}


def test_states_follow_the_deadline_and_the_latest_report() -> None:
    summary = summarise(
        [task(1, "A"), task(2, "B"), task(3, "C"), task(4, "D"), task(5, "E"), task(6, "F")],
        [
            OccurrenceFact(1, 1, date(2026, 3, 31)),
            OccurrenceFact(2, 2, date(2026, 3, 31)),
            OccurrenceFact(3, 3, date(2026, 3, 31)),
            OccurrenceFact(4, 4, date(2026, 12, 31)),
            OccurrenceFact(5, 5, date(2026, 3, 31)),
            OccurrenceFact(6, 6, date(2026, 12, 31)),
        ],
        [
            report(1, ReportStatus.DONE, "2026-03-20"),
            report(2, ReportStatus.DONE, "2026-04-02"),
            report(3, ReportStatus.IN_PROGRESS, "2026-03-01", percent=40),
            report(4, ReportStatus.BLOCKED, "2026-10-01", reason="kinh phí"),
            # The newest report decides, even when an older one said done.
            report(5, ReportStatus.DONE, "2026-03-01"),
            report(5, ReportStatus.IN_PROGRESS, "2026-03-05"),
        ],
    )
    assert states(summary) == {
        "A": OccurrenceState.DONE_ON_TIME,
        "B": OccurrenceState.DONE_LATE,
        "C": OccurrenceState.IN_PROGRESS_LATE,
        "D": OccurrenceState.IN_PROGRESS,
        "E": OccurrenceState.IN_PROGRESS_LATE,
        "F": OccurrenceState.NOT_DUE,
    }
    assert [item.code for item in summary.late] == ["C", "E"]
    assert [(b.code, b.unit, b.reason) for b in summary.blocked] == [("D", "Phòng A", "kinh phí")]
    # Deadlines decided so far: A on time, B late, C and E overdue.
    assert summary.on_time_rate == 0.25


def test_ongoing_work_is_never_overdue_and_its_newest_report_speaks() -> None:
    checkins = [OccurrenceFact(10 + q, 1, Period("quarter", 2026, q).end, checkin=True) for q in (1, 2, 3, 4)]
    summary = summarise(
        [task(1, "A"), task(2, "B")],
        [*checkins, *(OccurrenceFact(20 + q, 2, Period("quarter", 2026, q).end, checkin=True) for q in (1, 2, 3, 4))],
        [report(11, ReportStatus.IN_PROGRESS, "2026-02-01", note="đang làm")],
    )
    item = summary.items[0]
    assert (item.state, item.checkin, item.latest and item.latest.note) == (
        OccurrenceState.IN_PROGRESS,
        True,
        "đang làm",
    )
    # Nothing reported for three past quarters: not done, and late.
    assert summary.items[1].state == OccurrenceState.NOT_DONE
    assert summary.on_time_rate is None  # check-ins are not deadlines


def test_a_task_several_units_lead_is_done_when_all_of_them_are() -> None:
    tasks = [task(1, "BC.1", leads=(1, 2, 3))]  # the group (3) never reports
    occurrences = [OccurrenceFact(1, 1, date(2026, 11, 15))]
    one = [report(1, ReportStatus.DONE, "2026-11-01", unit=1)]
    summary = summarise(tasks, occurrences, one)
    assert (summary.items[0].state, summary.items[0].units_done) == (OccurrenceState.IN_PROGRESS, (1, 2))
    assert summary.not_reported == ("Phòng B",)
    both = [*one, report(1, ReportStatus.DONE, "2026-11-20", unit=2)]
    summary = summarise(tasks, occurrences, both)
    assert (summary.items[0].state, summary.items[0].units_done) == (OccurrenceState.DONE_LATE, (2, 2))
    # Seen from Phòng A, its own report counts.
    mine = summarise(tasks, occurrences, both, unit_id=1)
    assert mine.items[0].state == OccurrenceState.DONE_ON_TIME
    blocked = summarise(tasks, occurrences, [*one, report(1, ReportStatus.BLOCKED, "2026-11-02", unit=2, reason="x")])
    assert [(b.unit, b.reason) for b in blocked.blocked] == [("Phòng B", "x")]


def test_a_task_line_takes_its_first_open_deadline_else_its_last() -> None:
    monthly = [OccurrenceFact(m, 1, Period("month", 2026, m).end) for m in range(1, 13)]
    done_to_may = [report(m, ReportStatus.DONE, Period("month", 2026, m).end.isoformat()) for m in range(1, 6)]
    summary = summarise([task(1, "M")], monthly, done_to_may)
    assert (summary.items[0].due, summary.items[0].state) == (date(2026, 6, 30), OccurrenceState.NOT_DONE)
    all_done = [report(m, ReportStatus.DONE, Period("month", 2026, m).end.isoformat()) for m in range(1, 13)]
    summary = summarise([task(1, "M")], monthly, all_done)
    assert (summary.items[0].due, summary.items[0].state) == (date(2026, 12, 31), OccurrenceState.DONE_ON_TIME)
    assert summary.on_time_rate == 1.0


def test_waiting_tasks_and_tasks_without_a_date() -> None:
    summary = summarise(
        [task(1, "W", event="Sau khi Trung ương ban hành Đề án", waiting=True), task(2, "N", needs_date=True)], [], []
    )
    assert states(summary) == {"W": OccurrenceState.WAITING_EVENT}
    assert summary.needs_date == ("N",)
    assert summary.not_reported == ()


def test_unit_scope_keeps_the_units_tasks() -> None:
    summary = summarise(
        [task(1, "A", leads=(1,)), task(2, "B", leads=(2,), coordinating_unit_ids=(1,)), task(3, "C", leads=(2,))],
        [OccurrenceFact(i, i, date(2026, 12, 31)) for i in (1, 2, 3)],
        [],
        unit_id=1,
    )
    assert [item.code for item in summary.items] == ["A", "B"]
    assert summary.not_reported == ("Phòng A",)
    assert summary.unit == UNITS[1]


@pytest.mark.parametrize(
    ("note", "time_text", "count", "expected"),
    [
        (
            "phần đầu 100% công chức cấp tỉnh và 95% công chức cấp xã thực hiện nhiệm vụ quản lý nhà nước",
            "Quý IV/2025 ban hành kế hoạch",
            None,
            ("100% công chức cấp tỉnh", "95% công chức cấp xã"),
        ),
        (
            "phần đầu hàng năm có khoảng 35% công chức, viên chức được tham gia các khóa đào tạo",
            "Hàng năm",
            None,
            ("khoảng 35% công chức, viên chức",),
        ),
        (None, "01 lớp/năm", 1, ("01 lớp/năm",)),
        (None, "Ít nhất 1 lần/năm", 1, ("Ít nhất 1 lần/năm",)),
        (None, "Hàng năm", None, ()),
    ],
)
def test_targets_are_the_plans_own_words(
    note: str | None, time_text: str, count: int | None, expected: tuple[str, ...]
) -> None:
    assert plan_targets(task(1, "T", target_note=note, time_text=time_text, count_target=count)) == expected


@pytest.mark.parametrize(
    ("text", "period", "unit"),
    [
        ("", None, ""),
        ("2026", Period("year", 2026), ""),
        ("năm 2026", Period("year", 2026), ""),
        ("quý 4/2025", Period("quarter", 2025, 4), ""),
        ("Quý IV năm 2025", Period("quarter", 2025, 4), ""),
        ("quy iv-2025", Period("quarter", 2025, 4), ""),
        ("Q2 2026", Period("quarter", 2026, 2), ""),
        ("tháng 11/2026", Period("month", 2026, 11), ""),
        ("Tháng 11 năm 2026", Period("month", 2026, 11), ""),
        ("11/2026", Period("month", 2026, 11), ""),
        ("6 tháng đầu năm 2026", Period("half", 2026, 1), ""),
        ("6 tháng cuối năm 2026", Period("half", 2026, 2), ""),
        ("Văn phòng Sở", None, "Văn phòng Sở"),
        ("quý 4/2025 Văn phòng Sở", Period("quarter", 2025, 4), "Văn phòng Sở"),
        ("Văn phòng  Sở   2026", Period("year", 2026), "Văn phòng Sở"),
    ],
)
def test_period_words(text: str, period: Period | None, unit: str) -> None:
    request = split_request(text)
    assert (request.period, request.unit_text) == (period, unit)


@pytest.mark.parametrize("text", ["quý 5/2025", "tháng 13/2026", "1999", "quý 4", "Văn phòng 3", "2026 2027"])
def test_wrong_period_words(text: str) -> None:
    with pytest.raises(PeriodError):
        split_request(text)


def test_parse_period_wants_a_period_alone() -> None:
    assert parse_period("quý 1/2026") == Period("quarter", 2026, 1)
    assert parse_period(" ") is None
    with pytest.raises(PeriodError):
        parse_period("Văn phòng Sở")


@pytest.mark.parametrize(
    "period",
    [Period("year", 2026), Period("quarter", 2025, 4), Period("month", 2026, 11), Period("half", 2026, 2)],
)
def test_tokens_read_back_and_previous_periods(period: Period) -> None:
    assert split_request(f"{period_token(period)} #12") == split_request(f"#12 {period_token(period)}")
    request = split_request(f"{period_token(period)} #12")
    assert (request.period, request.unit_id, request.unit_text) == (period, 12, "")
    previous = previous_period(period)
    assert previous is not None and previous.end < period.start
    assert (previous.end - period.start).days == -1


def test_current_period_of_each_cycle() -> None:
    day = date(2026, 8, 5)
    assert current_period(day, "year") == Period("year", 2026)
    assert current_period(day, "quarter") == Period("quarter", 2026, 3)
    assert current_period(day, "month") == Period("month", 2026, 8)
    assert current_period(day, "half") == Period("half", 2026, 2)
    assert previous_period(Period("quarter", 2026, 1)) == Period("quarter", 2025, 4)


def big_summary(tasks: int, blocked_every: int):  # type: ignore[no-untyped-def]
    sections = [
        SectionFact(s, f"S{s}", f"Nhóm nhiệm vụ số {s} về tiêu chuẩn, đo lường, chất lượng", s) for s in range(1, 21)
    ]
    facts = SummaryFacts(
        PLAN,
        sections,
        UNITS,
        [
            TaskFact(
                t,
                f"S{t % 20 + 1}.{t}",
                t % 20 + 1,
                t,
                f"Tổ chức thực hiện nhiệm vụ số {t} bảo đảm tiến độ",
                lead_unit_ids=(1,),
            )
            for t in range(1, tasks + 1)
        ],
        [OccurrenceFact(t, t, date(2026, 6, 30)) for t in range(1, tasks + 1)],
        {
            t: [
                report(
                    t,
                    ReportStatus.BLOCKED if t % blocked_every == 0 else ReportStatus.IN_PROGRESS,
                    "2026-06-01",
                    reason="chưa có kinh phí để triển khai",
                )
            ]
            for t in range(1, tasks + 1)
        },
    )
    return build_summary(facts, period=YEAR, previous=None, today=TODAY)


@pytest.mark.parametrize("limit", [4096, 2000])
@pytest.mark.parametrize(("tasks", "blocked_every"), [(40, 7), (300, 50), (3000, 1)])
def test_the_message_always_fits(limit: int, tasks: int, blocked_every: int) -> None:
    text = summary_message(big_summary(tasks, blocked_every), translator("vi"), "vi", limit=limit, footer=True)
    assert len(text) <= limit
    assert text.startswith("📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>")
    assert f"Nhiệm vụ trong kỳ: {tasks}" in text


def test_shortening_goes_titles_first_then_groups() -> None:
    _ = translator("vi")
    summary = big_summary(40, 7)
    full = summary_message(summary, _, "vi")
    assert "Tổ chức thực hiện nhiệm vụ số 1 bảo đảm tiến độ" in full
    shorter = summary_message(summary, _, "vi", limit=len(full) - 1)
    assert "Tổ chức thực hiện" in shorter and "bảo đảm tiến độ" not in shorter  # titles cut
    grouped = summary_message(summary, _, "vi", limit=2000)
    assert "<b>S1</b>: " in grouped  # one line per section
    assert "Tổ chức thực hiện" not in grouped
