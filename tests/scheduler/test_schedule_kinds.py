"""The schedule kinds and their stored JSON form."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scheduler.timing.schedules import (
    Monthly,
    Once,
    OnEvent,
    Ongoing,
    Quarterly,
    Schedule,
    Yearly,
    schedule_from_json,
    schedule_to_json,
)


@pytest.mark.parametrize(
    ("schedule", "data"),
    [
        (Once(date(2025, 12, 31)), {"kind": "once", "due": "2025-12-31"}),
        (
            Yearly(6, 30, 2026, 2030, 1),
            {"kind": "yearly", "month_day": "06-30", "from_year": 2026, "until_year": 2030, "count": 1},
        ),
        (
            Yearly(12, 31, 2025, None, None),
            {"kind": "yearly", "month_day": "12-31", "from_year": 2025, "until_year": None, "count": None},
        ),
        (Quarterly(), {"kind": "quarterly"}),
        (Monthly(), {"kind": "monthly"}),
        (Ongoing(), {"kind": "ongoing"}),
        (
            OnEvent("Sau khi Trung ương ban hành Đề án"),
            {"kind": "event", "event": "Sau khi Trung ương ban hành Đề án"},
        ),
    ],
)
def test_json_form_is_exact_and_reads_back(schedule: Schedule, data: dict[str, Any]) -> None:
    assert schedule_to_json(schedule) == data
    assert schedule_from_json(data) == schedule


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "weekly"},
        {"kind": "once"},
        {"kind": "once", "due": "2025-13-01"},
        {"kind": "once", "due": 20251231},
        {"kind": "once", "due": "2025-12-31", "extra": 1},
        {"kind": "quarterly", "count": 4},
        {"kind": "yearly", "month_day": "6-30", "from_year": 2026, "until_year": None, "count": None},
        {"kind": "yearly", "month_day": "02-30", "from_year": 2026, "until_year": None, "count": None},
        {"kind": "yearly", "month_day": "٠٦-٣٠", "from_year": 2026, "until_year": None, "count": None},
        {"kind": "yearly", "month_day": "06-30", "from_year": "2026", "until_year": None, "count": None},
        {"kind": "yearly", "month_day": "06-30", "from_year": True, "until_year": None, "count": None},
        {"kind": "yearly", "month_day": "06-30", "from_year": 2026, "until_year": None, "count": 0},
        {"kind": "event", "event": ""},
        {"kind": "event", "event": None},
    ],
)
def test_json_that_was_not_written_by_schedule_to_json_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        schedule_from_json(data)


@pytest.mark.parametrize(("month", "day"), [(0, 1), (13, 1), (4, 31), (2, 30), (1, 0)])
def test_yearly_refuses_a_day_that_no_year_has(month: int, day: int) -> None:
    with pytest.raises(ValueError):
        Yearly(month, day, 2026, None, None)


def test_yearly_on_29_february_falls_on_28_february_in_a_common_year() -> None:
    schedule = Yearly(2, 29, 2027, None, None)

    assert schedule.due_in(2027) == date(2027, 2, 28)
    assert schedule.due_in(2028) == date(2028, 2, 29)


def test_schedules_are_values() -> None:
    assert Once(date(2026, 1, 1)) == Once(date(2026, 1, 1))
    assert len({Ongoing(), Ongoing(), Quarterly()}) == 2
    with pytest.raises(AttributeError):
        Once(date(2026, 1, 1)).due = date(2027, 1, 1)  # type: ignore[misc]
