"""Vietnam's working calendar, pinned on 2026, with an administrator's overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.timing.calendar import WorkingCalendar

DAYS_OFF_2026 = [
    (date(2026, 1, 1), "Tết Dương lịch"),
    (date(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
    (date(2026, 2, 17), "Tết Nguyên Đán"),
    (date(2026, 2, 18), "Mùng hai Tết Nguyên Đán"),
    (date(2026, 2, 19), "Mùng ba Tết Nguyên Đán"),
    (date(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
    (date(2026, 4, 26), "Ngày Giỗ Tổ Hùng Vương"),
    (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
    (date(2026, 4, 30), "Ngày Chiến thắng"),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
    (date(2026, 9, 1), "Quốc khánh"),
    (date(2026, 9, 2), "Quốc khánh"),
    (date(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
]


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar(years=[2026])


def test_days_off_2026_are_every_named_holiday_in_order(calendar: WorkingCalendar) -> None:
    assert calendar.days_off(2026) == DAYS_OFF_2026


@pytest.mark.parametrize("day", [16, 17, 18, 19, 20])
def test_tet_2026_is_off(calendar: WorkingCalendar, day: int) -> None:
    assert not calendar.is_working_day(date(2026, 2, day))


@pytest.mark.parametrize(
    "day",
    [date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 1), date(2026, 9, 2), date(2026, 4, 27)],
)
def test_public_holidays_and_substitute_days_are_off(calendar: WorkingCalendar, day: date) -> None:
    assert not calendar.is_working_day(day)


def test_gio_to_on_a_sunday_is_listed_and_its_monday_substitute_is_off(calendar: WorkingCalendar) -> None:
    assert date(2026, 4, 26).weekday() == 6
    assert calendar.day_off_reason(date(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert calendar.day_off_reason(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_the_make_up_saturday_works_and_the_day_it_pays_for_is_off(calendar: WorkingCalendar) -> None:
    assert date(2026, 8, 22).weekday() == 5
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.day_off_reason(date(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before Tết
        (date(2026, 2, 23), True),  # Monday after Tết
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 8), False),  # an ordinary Sunday
        (date(2026, 3, 9), True),  # an ordinary Monday
    ],
)
def test_ordinary_days(calendar: WorkingCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_an_ordinary_weekend_has_no_reason(calendar: WorkingCalendar) -> None:
    assert calendar.day_off_reason(date(2026, 3, 7)) is None


def test_the_working_day_before_tet_is_the_friday_before_it(calendar: WorkingCalendar) -> None:
    assert calendar.previous_working_day(date(2026, 2, 20)) == date(2026, 2, 13)
    assert calendar.previous_working_day(date(2026, 2, 22)) == date(2026, 2, 13)


def test_a_working_day_is_its_own_previous_working_day(calendar: WorkingCalendar) -> None:
    assert calendar.previous_working_day(date(2026, 2, 23)) == date(2026, 2, 23)


def test_adding_working_days_skips_tet(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert calendar.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert calendar.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert calendar.add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 15)


def test_adding_working_days_counts_the_make_up_saturday(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert calendar.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_an_administrators_day_off_is_off_and_listed_with_its_reason() -> None:
    calendar = WorkingCalendar(extra_days_off={date(2026, 6, 15): "Nghỉ theo Quyết định của UBND tỉnh"})

    assert not calendar.is_working_day(date(2026, 6, 15))
    assert (date(2026, 6, 15), "Nghỉ theo Quyết định của UBND tỉnh") in calendar.days_off(2026)
    assert calendar.days_off(2026) == sorted(calendar.days_off(2026))
    assert len(calendar.days_off(2026)) == len(DAYS_OFF_2026) + 1


def test_an_administrators_workday_on_a_saturday_is_a_working_day() -> None:
    calendar = WorkingCalendar(extra_workdays=[date(2026, 6, 20)])

    assert date(2026, 6, 20).weekday() == 5
    assert calendar.is_working_day(date(2026, 6, 20))
    assert calendar.days_off(2026) == DAYS_OFF_2026


def test_an_administrators_workday_on_a_holiday_removes_the_holiday() -> None:
    calendar = WorkingCalendar(extra_workdays=[date(2026, 11, 24)])

    assert calendar.is_working_day(date(2026, 11, 24))
    assert date(2026, 11, 24) not in dict(calendar.days_off(2026))


def test_an_administrators_day_off_wins_over_everything() -> None:
    overrides = {date(2026, 8, 22): "Hủy ngày làm bù", date(2026, 1, 1): "Tết Dương lịch 2026"}
    calendar = WorkingCalendar(extra_days_off=overrides, extra_workdays=[date(2026, 8, 22)])

    assert not calendar.is_working_day(date(2026, 8, 22))
    assert calendar.day_off_reason(date(2026, 1, 1)) == "Tết Dương lịch 2026"
    assert calendar.days_off(2026)[0] == (date(2026, 1, 1), "Tết Dương lịch 2026")


def test_overrides_are_copied_so_later_changes_do_not_leak_in() -> None:
    overrides = {date(2026, 6, 15): "Nghỉ"}
    calendar = WorkingCalendar(extra_days_off=overrides)
    overrides[date(2026, 6, 16)] = "Nghỉ thêm"

    assert calendar.is_working_day(date(2026, 6, 16))


def test_any_year_is_built_when_first_asked_for() -> None:
    calendar = WorkingCalendar()

    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 4))
    assert calendar.previous_working_day(date(2027, 1, 3)) == date(2026, 12, 31)


def test_a_year_has_a_flag_for_every_day_including_29_february() -> None:
    leap = WorkingCalendar(years=[2028])
    day = date(2028, 1, 1)
    while day.year == 2028:
        leap.is_working_day(day)
        day += timedelta(days=1)

    assert not leap.is_working_day(date(2028, 12, 31))  # a Sunday
    assert leap.is_working_day(date(2028, 2, 29))  # a Tuesday


def test_weekend_working_days_of_2026_are_the_make_up_saturday_and_admin_additions() -> None:
    calendar = WorkingCalendar(extra_workdays=[date(2026, 5, 9)])
    assert calendar.weekend_working_days(2026) == [date(2026, 5, 9), date(2026, 8, 22)]
