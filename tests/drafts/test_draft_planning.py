"""When the monitor's draft goes out: N working days before a plan-wide report deadline, at the send
hour, caught up after downtime but never after the deadline. Pure: no database, the clock passed in."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler.reminders.report_drafts import DraftDeadline, DraftPlan, draft_day, plan_drafts, working_days_left
from scheduler.timing.calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
# "trước ngày 15/11 hàng năm": 15/11/2026 is a Sunday, 15/11/2027 a Monday.
Y2026 = DraftDeadline(occurrence_id=7, plan_id=1, due=date(2026, 11, 15))
Y2027 = DraftDeadline(occurrence_id=8, plan_id=1, due=date(2027, 11, 15))


def at(day: str, clock: str = "08:30") -> datetime:
    return datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def due_now(plan: DraftPlan) -> list[tuple[int, date, int]]:
    return [(d.deadline.occurrence_id, d.day, d.working_days_left) for d in plan.due]


@pytest.mark.parametrize(
    ("working_days", "expected"),
    [
        (0, date(2026, 11, 13)),  # the deadline is a Sunday: the working day before it
        (1, date(2026, 11, 13)),  # Friday
        (5, date(2026, 11, 9)),  # Monday: 9, 10, 11, 12, 13 are the five working days left
        (6, date(2026, 11, 6)),  # across the weekend of 7–8/11
        (10, date(2026, 11, 2)),
    ],
)
def test_the_draft_day_counts_working_days_back_from_the_deadline(working_days: int, expected: date) -> None:
    assert draft_day(date(2026, 11, 15), working_days, CALENDAR) == expected


def test_holidays_and_working_saturdays_count_as_the_calendar_says() -> None:
    # An admin's day off on Wednesday 11/11/2026 pushes the draft back to Friday 06/11.
    with_day_off = WorkingCalendar(extra_days_off={date(2026, 11, 11): "Nghỉ bù theo thông báo của UBND tỉnh"})
    assert draft_day(date(2026, 11, 15), 5, with_day_off) == date(2026, 11, 6)
    assert working_days_left(date(2026, 11, 6), date(2026, 11, 15), with_day_off) == 5
    # 04/09/2026: Quốc khánh (1–2/9) and the day off of 31/08 are skipped; Saturday 22/08 is a working day.
    assert draft_day(date(2026, 9, 4), 1, CALENDAR) == date(2026, 9, 3)
    assert draft_day(date(2026, 9, 4), 2, CALENDAR) == date(2026, 8, 28)
    assert draft_day(date(2026, 9, 4), 7, CALENDAR) == date(2026, 8, 22)


def test_before_the_draft_day_nothing_is_due_and_the_wakeup_is_its_send_hour() -> None:
    plan = plan_drafts([Y2026, Y2027], CALENDAR, 5, at("06/11/2026", "18:00"))
    assert plan.due == ()
    assert plan.next_at == at("09/11/2026", "08:30")
    early = plan_drafts([Y2026], CALENDAR, 5, at("09/11/2026", "07:10"))
    assert early.due == () and early.next_at == at("09/11/2026", "08:30")


def test_at_the_send_hour_of_the_draft_day_the_draft_is_due() -> None:
    plan = plan_drafts([Y2026, Y2027], CALENDAR, 5, at("09/11/2026", "08:30"))
    assert due_now(plan) == [(7, date(2026, 11, 9), 5)]
    assert plan.next_at == at("08/11/2027", "08:30")  # the next year's draft: Monday, five working days before


def test_the_plans_own_send_hour_is_the_start_of_its_office_day() -> None:
    early_office = DraftDeadline(occurrence_id=7, plan_id=1, due=date(2026, 11, 15), send_at=time(7, 30))
    assert plan_drafts([early_office], CALENDAR, 5, at("09/11/2026", "07:00")).next_at == at("09/11/2026", "07:30")
    assert due_now(plan_drafts([early_office], CALENDAR, 5, at("09/11/2026", "07:30"))) == [(7, date(2026, 11, 9), 5)]


def test_after_downtime_a_missed_draft_goes_out_in_office_hours_with_the_days_really_left() -> None:
    # Down from Friday 06/11 to Thursday 12/11, 14:00: sent at once, two working days left (12 and 13).
    assert due_now(plan_drafts([Y2026], CALENDAR, 5, at("12/11/2026", "14:00"))) == [(7, date(2026, 11, 9), 2)]
    # Back at 20:00: held until Friday morning.
    evening = plan_drafts([Y2026], CALENDAR, 5, at("12/11/2026", "20:00"))
    assert evening.due == () and evening.next_at == at("13/11/2026", "08:30")
    assert due_now(plan_drafts([Y2026], CALENDAR, 5, at("13/11/2026", "08:30"))) == [(7, date(2026, 11, 9), 1)]


def test_never_after_the_deadline() -> None:
    # Saturday 14/11/2026: the next office hours (Monday 16/11) are after the Sunday deadline.
    saturday = plan_drafts([Y2026], CALENDAR, 5, at("14/11/2026", "10:00"))
    assert saturday == DraftPlan(due=(), next_at=None)
    assert plan_drafts([Y2026], CALENDAR, 5, at("16/11/2026", "09:00")) == DraftPlan(due=(), next_at=None)
    # A Monday deadline (15/11/2027) still takes a late draft that morning, and not after office hours.
    assert due_now(plan_drafts([Y2027], CALENDAR, 5, at("15/11/2027", "09:00"))) == [(8, date(2027, 11, 8), 0)]
    assert plan_drafts([Y2027], CALENDAR, 5, at("15/11/2027", "17:30")) == DraftPlan(due=(), next_at=None)


def test_zero_working_days_means_the_deadline_itself() -> None:
    assert due_now(plan_drafts([Y2027], CALENDAR, 0, at("15/11/2027", "08:30"))) == [(8, date(2027, 11, 15), 0)]
    # A Sunday deadline: the Friday before, with that Friday still to work.
    assert plan_drafts([Y2026], CALENDAR, 0, at("12/11/2026", "09:00")).next_at == at("13/11/2026", "08:30")
    assert due_now(plan_drafts([Y2026], CALENDAR, 0, at("13/11/2026", "08:30"))) == [(7, date(2026, 11, 13), 1)]


def test_several_deadlines_due_at_once_come_in_deadline_order() -> None:
    quarterly = DraftDeadline(occurrence_id=3, plan_id=2, due=date(2026, 11, 20))
    plan = plan_drafts([quarterly, Y2026], CALENDAR, 5, at("13/11/2026", "10:00"))
    assert due_now(plan) == [(7, date(2026, 11, 9), 1), (3, date(2026, 11, 13), 5)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        plan_drafts([Y2026], CALENDAR, 5, datetime(2026, 11, 9, 8, 30))
    with pytest.raises(ValueError, match="negative"):
        draft_day(date(2026, 11, 15), -1, CALENDAR)
