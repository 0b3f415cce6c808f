"""Periods, their labels, and the expansion of schedules into occurrences."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.timing.periods import Period, PlannedOccurrence, deadline_dates, expand, expand_event, period_label
from scheduler.timing.schedules import Monthly, Once, OnEvent, Ongoing, Quarterly, Schedule, Yearly

ISSUED = date(2025, 9, 1)


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        (Period("quarter", 2025, 4), "Quý IV/2025", "Q4 2025"),
        (Period("quarter", 2026, 1), "Quý I/2026", "Q1 2026"),
        (Period("month", 2026, 9), "Tháng 9/2026", "September 2026"),
        (Period("year", 2026), "Năm 2026", "Year 2026"),
        (Period("half", 2026, 1), "6 tháng đầu năm 2026", "First half of 2026"),
        (Period("half", 2026, 2), "6 tháng cuối năm 2026", "Second half of 2026"),
        (Period("date", 2026, 11, 15), "Ngày 15/11/2026", "15 November 2026"),
        (Period("date", 2026, 3, 5), "Ngày 05/03/2026", "5 March 2026"),
    ],
)
def test_labels(period: Period, vi: str, en: str) -> None:
    assert period_label(period, "vi") == vi
    assert period_label(period, "en") == en


def test_a_regional_locale_uses_its_language_and_an_unknown_one_vietnamese() -> None:
    period = Period("quarter", 2025, 4)

    assert period_label(period, "en_US") == "Q4 2025"
    assert period_label(period, "vi-VN") == "Quý IV/2025"
    assert period_label(period, "fr") == "Quý IV/2025"


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period("year", 2026), date(2026, 1, 1), date(2026, 12, 31)),
        (Period("half", 2026, 2), date(2026, 7, 1), date(2026, 12, 31)),
        (Period("quarter", 2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
        (Period("month", 2028, 2), date(2028, 2, 1), date(2028, 2, 29)),
        (Period("date", 2026, 11, 15), date(2026, 11, 15), date(2026, 11, 15)),
    ],
)
def test_period_bounds(period: Period, start: date, end: date) -> None:
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("kind", "year", "index", "day"),
    [
        ("quarter", 2026, 5, None),
        ("quarter", 2026, None, None),
        ("month", 2026, 13, None),
        ("half", 2026, 3, None),
        ("year", 2026, 1, None),
        ("date", 2027, 2, 29),
        ("date", 2026, 4, None),
        ("month", 0, 1, None),
        ("week", 2026, 1, None),
    ],
)
def test_a_period_that_does_not_exist_is_refused(kind: str, year: int, index: int | None, day: int | None) -> None:
    with pytest.raises(ValueError):
        Period(kind, year, index, day)  # type: ignore[arg-type]  # kind is checked at runtime too


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 12, 31), Period("year", 2026)),
        (date(2026, 6, 30), Period("half", 2026, 1)),
        (date(2026, 3, 31), Period("quarter", 2026, 1)),
        (date(2026, 9, 30), Period("quarter", 2026, 3)),
        (date(2026, 10, 31), Period("month", 2026, 10)),
        (date(2028, 2, 29), Period("month", 2028, 2)),
        (date(2026, 11, 15), Period("date", 2026, 11, 15)),
    ],
)
def test_a_deadline_is_named_by_the_largest_period_it_ends(day: date, period: Period) -> None:
    assert Period.ending_on(day) == period


def test_quarter_and_month_of_a_day() -> None:
    assert Period.quarter_of(date(2025, 9, 1)) == Period("quarter", 2025, 3)
    assert Period.month_of(date(2025, 9, 1)) == Period("month", 2025, 9)


# -- expansion


def test_once_is_one_occurrence_even_past_the_horizon() -> None:
    assert expand([Once(date(2031, 3, 31))], ISSUED, 2030) == [
        PlannedOccurrence(date(2031, 3, 31), Period("quarter", 2031, 1), False)
    ]


def test_yearly_runs_from_its_first_year_to_the_horizon() -> None:
    occurrences = expand([Yearly(6, 30, 2026, 2030, 1)], ISSUED, 2030)

    assert occurrences == [
        PlannedOccurrence(date(year, 6, 30), Period("year", year), False) for year in range(2026, 2031)
    ]


def test_yearly_stops_at_its_until_year_or_the_horizon_whichever_is_first() -> None:
    schedule = Yearly(11, 15, 2025, 2027, None)

    assert [o.due for o in expand([schedule], ISSUED, 2030)] == [date(y, 11, 15) for y in (2025, 2026, 2027)]
    assert [o.due for o in expand([schedule], ISSUED, 2026)] == [date(2025, 11, 15), date(2026, 11, 15)]


def test_yearly_on_29_february_falls_on_28_february_in_common_years() -> None:
    dues = [o.due for o in expand([Yearly(2, 29, 2026, None, None)], ISSUED, 2028)]

    assert dues == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def test_quarterly_starts_with_the_quarter_of_the_issue_date() -> None:
    occurrences = expand([Quarterly()], ISSUED, 2026)

    assert occurrences == [
        PlannedOccurrence(date(2025, 9, 30), Period("quarter", 2025, 3), False),
        PlannedOccurrence(date(2025, 12, 31), Period("quarter", 2025, 4), False),
        PlannedOccurrence(date(2026, 3, 31), Period("quarter", 2026, 1), False),
        PlannedOccurrence(date(2026, 6, 30), Period("quarter", 2026, 2), False),
        PlannedOccurrence(date(2026, 9, 30), Period("quarter", 2026, 3), False),
        PlannedOccurrence(date(2026, 12, 31), Period("quarter", 2026, 4), False),
    ]


def test_monthly_starts_with_the_month_of_the_issue_date() -> None:
    occurrences = expand([Monthly()], date(2025, 11, 15), 2026)

    assert len(occurrences) == 14
    assert occurrences[0] == PlannedOccurrence(date(2025, 11, 30), Period("month", 2025, 11), False)
    assert occurrences[3] == PlannedOccurrence(date(2026, 2, 28), Period("month", 2026, 2), False)
    assert occurrences[-1] == PlannedOccurrence(date(2026, 12, 31), Period("month", 2026, 12), False)


def test_ongoing_is_a_check_in_at_the_end_of_each_quarter_to_the_horizon() -> None:
    occurrences = expand([Ongoing()], ISSUED, 2030)

    assert len(occurrences) == 2 + 4 * 5  # Q3 and Q4 of 2025, then 2026–2030
    assert all(occurrence.checkin for occurrence in occurrences)
    assert occurrences[0] == PlannedOccurrence(date(2025, 9, 30), Period("quarter", 2025, 3), True)
    assert occurrences[-1] == PlannedOccurrence(date(2030, 12, 31), Period("quarter", 2030, 4), True)


def test_an_event_has_no_occurrence_until_it_is_recorded() -> None:
    assert expand([OnEvent("Sau khi Trung ương ban hành Đề án")], ISSUED, 2030) == []


def test_a_recorded_event_is_due_the_configured_span_after_it() -> None:
    assert expand_event(date(2026, 3, 10), 30) == PlannedOccurrence(date(2026, 4, 9), Period("date", 2026, 4, 9), False)
    assert expand_event(date(2026, 10, 1), 30).period == Period("date", 2026, 10, 31)


def test_without_a_horizon_the_plan_runs_five_years_past_its_issue_year() -> None:
    yearly = expand([Yearly(12, 31, 2025, None, None)], ISSUED, None)
    checkins = expand([Ongoing()], ISSUED, None)

    assert [o.due for o in yearly] == [date(year, 12, 31) for year in range(2025, 2031)]
    assert checkins[-1].due == date(2030, 12, 31)


def test_several_schedules_are_merged_in_date_order_without_repeats() -> None:
    schedules: list[Schedule] = [Once(date(2025, 12, 31)), Ongoing(), Yearly(12, 31, 2025, 2026, None)]

    occurrences = expand(schedules, ISSUED, 2026)

    # Check-ins start after the one-off step and skip the days the task is due anyway.
    assert occurrences == [
        PlannedOccurrence(date(2025, 12, 31), Period("year", 2025), False),
        PlannedOccurrence(date(2026, 3, 31), Period("quarter", 2026, 1), True),
        PlannedOccurrence(date(2026, 6, 30), Period("quarter", 2026, 2), True),
        PlannedOccurrence(date(2026, 9, 30), Period("quarter", 2026, 3), True),
        PlannedOccurrence(date(2026, 12, 31), Period("year", 2026), False),
    ]


def test_yearly_plus_ongoing_has_no_check_in_on_the_yearly_day() -> None:
    occurrences = expand([Yearly(3, 31, 2026, 2026, None), Ongoing()], ISSUED, 2026)

    assert [(o.due, o.checkin) for o in occurrences] == [
        (date(2025, 9, 30), True),
        (date(2025, 12, 31), True),
        (date(2026, 3, 31), False),
        (date(2026, 6, 30), True),
        (date(2026, 9, 30), True),
        (date(2026, 12, 31), True),
    ]


def test_deadline_dates_are_the_sorted_distinct_dues_without_check_ins() -> None:
    schedules: list[Schedule] = [
        Ongoing(),
        Yearly(3, 31, 2026, 2030, None),
        Once(date(2025, 12, 31)),
        Yearly(12, 31, 2025, 2030, 1),
    ]

    assert deadline_dates(schedules, ISSUED, 2027) == [
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 12, 31),
        date(2027, 3, 31),
        date(2027, 12, 31),
    ]


def test_deadline_dates_of_only_ongoing_work_or_events_are_empty() -> None:
    assert deadline_dates([Ongoing(), OnEvent("Khi có yêu cầu")], ISSUED, 2030) == []


def test_expanding_twice_gives_equal_lists_that_do_not_share_state() -> None:
    first = expand([Quarterly()], ISSUED, 2030)
    first.clear()

    assert len(expand([Quarterly()], ISSUED, 2030)) == 22
