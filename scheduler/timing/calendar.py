"""Vietnam's working calendar: weekends, public holidays with their substitute and make-up days, and the
days an administrator adds or removes.

Holidays come from the `holidays` package (names in Vietnamese); the overrides are plain data that the
caller loads from wherever it keeps them. Each year is computed once, into one flag per day, so asking
about a day costs a dictionary look-up and an index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

import holidays

__all__ = ["WorkingCalendar"]

_NO_DAYS_OFF: Mapping[date, str] = MappingProxyType({})
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class _Year:
    first: int  # ordinal of 1 January
    working: bytes  # 1 for a working day, indexed by day of the year from 0
    days_off: tuple[tuple[date, str], ...]


class WorkingCalendar:
    """Working days in Vietnam, with an administrator's overrides.

    `extra_days_off` (date → reason) wins over everything, then `extra_workdays`, then the public
    holidays (including substitute days), then the government's make-up working Saturdays, then
    Monday to Friday. Years are built when first asked for; `years` builds some up front.
    """

    def __init__(
        self,
        years: Iterable[int] = (),
        extra_days_off: Mapping[date, str] = _NO_DAYS_OFF,
        extra_workdays: Iterable[date] = (),
    ) -> None:
        self._extra_days_off = dict(extra_days_off)
        self._extra_workdays = frozenset(extra_workdays)
        self._years: dict[int, _Year] = {}
        for year in years:
            self._year(year)

    def _year(self, year: int) -> _Year:
        built = self._years.get(year)
        if built is None:
            built = self._years[year] = self._build(year)
        return built

    def _build(self, year: int) -> _Year:
        public = holidays.country_holidays("VN", language="vi", years=year)
        named = {day: str(name) for day, name in public.items() if day.year == year}
        # The package keeps the make-up working Saturdays it knows of, for every year, in one set.
        make_up = {day for day in getattr(public, "weekend_workdays", ()) if day.year == year}
        for day in self._extra_workdays:
            named.pop(day, None)
        named.update((day, reason) for day, reason in self._extra_days_off.items() if day.year == year)

        first = date(year, 1, 1)
        length = (date(year, 12, 31) - first).days + 1
        working = bytearray(length)
        for offset in range(length):
            day = first + timedelta(days=offset)
            if day in named:
                continue
            if day.weekday() < _SATURDAY or day in make_up or day in self._extra_workdays:
                working[offset] = 1
        return _Year(first.toordinal(), bytes(working), tuple(sorted(named.items())))

    def is_working_day(self, day: date) -> bool:
        year = self._years.get(day.year) or self._year(day.year)
        return year.working[day.toordinal() - year.first] == 1

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """The named days off of `year`, sorted: every public holiday (also those on a weekend, such as
        Giỗ Tổ on a Sunday), substitute days and the administrator's days off with their reasons."""
        return list(self._year(year).days_off)

    def weekend_working_days(self, year: int) -> list[date]:
        """Saturdays and Sundays of `year` that are working days (make-up days, admin additions)."""
        built = self._year(year)
        first = date.fromordinal(built.first)
        return [
            first + timedelta(days=offset)
            for offset, working in enumerate(built.working)
            if working and (first + timedelta(days=offset)).weekday() >= _SATURDAY
        ]

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is a named day off, or None (an ordinary weekend has no name)."""
        return dict(self._year(day.year).days_off).get(day)

    def previous_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days there are after `start` up to `end` included (0 when `end` is not later)."""
        count = 0
        while start < end:
            start += _ONE_DAY
            count += self.is_working_day(start)
        return count

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it when `count` is negative); `day` when 0."""
        step = _ONE_DAY if count >= 0 else -_ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day
