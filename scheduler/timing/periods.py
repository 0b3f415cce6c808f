"""Periods (a quarter, a month, a year …) and the expansion of schedules into dated occurrences."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, TypeAlias

from locales import N_
from locales.catalogs import DEFAULT_LOCALE, SUPPORTED, translator
from scheduler.timing.schedules import Monthly, Once, OnEvent, Ongoing, Quarterly, Schedule, Yearly

__all__ = [
    "DEFAULT_HORIZON_YEARS",
    "Period",
    "PeriodKind",
    "PlannedOccurrence",
    "deadline_dates",
    "expand",
    "expand_event",
    "period_label",
]

PeriodKind: TypeAlias = Literal["date", "month", "quarter", "half", "year"]

# A plan without a stated horizon is planned this many years past its issue year.
DEFAULT_HORIZON_YEARS = 5

_INDEX_RANGE: dict[str, int] = {"month": 12, "quarter": 4, "half": 2}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class Period:
    """A span of the calendar that an occurrence belongs to.

    `index` is the month (1–12), quarter (1–4) or half (1–2); for a "date" it is the month and `day`
    the day of the month; a "year" has neither.
    """

    kind: PeriodKind
    year: int
    index: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not date.min.year <= self.year <= date.max.year:
            valid = False
        elif self.kind == "year":
            valid = self.index is None and self.day is None
        elif self.kind == "date":
            valid = (
                self.index is not None
                and self.day is not None
                and 1 <= self.index <= 12
                and 1 <= self.day <= calendar.monthrange(self.year, self.index)[1]
            )
        else:
            last = _INDEX_RANGE.get(self.kind, 0)  # 0 for a kind that does not exist
            valid = self.index is not None and self.day is None and 1 <= self.index <= last
        if not valid:
            raise ValueError(f"not a period: {self!r}")

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        assert self.index is not None  # guaranteed by __post_init__
        if self.kind == "date":
            assert self.day is not None
            return date(self.year, self.index, self.day)
        if self.kind == "month":
            return date(self.year, self.index, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 6 * self.index - 5, 1)

    @property
    def end(self) -> date:
        if self.kind == "year":
            return date(self.year, 12, 31)
        assert self.index is not None  # guaranteed by __post_init__
        if self.kind == "date":
            assert self.day is not None
            return date(self.year, self.index, self.day)
        if self.kind == "month":
            return _month_end(self.year, self.index)
        if self.kind == "quarter":
            return _month_end(self.year, 3 * self.index)
        return _month_end(self.year, 6 * self.index)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls("quarter", day.year, (day.month + 2) // 3)

    @classmethod
    def month_of(cls, day: date) -> Period:
        return cls("month", day.year, day.month)

    @classmethod
    def named_ending_on(cls, kind: str | None, day: date) -> Period:
        """The period of `kind` that ends on `day`, when there is one; else `ending_on(day)`."""
        candidates: dict[str | None, tuple[PeriodKind, int | None]] = {
            "year": ("year", None),
            "half": ("half", (day.month + 5) // 6),
            "quarter": ("quarter", (day.month + 2) // 3),
            "month": ("month", day.month),
        }
        if kind in candidates:
            period_kind, index = candidates[kind]
            period = cls(period_kind, day.year, index)
            if period.end == day:
                return period
        return cls.ending_on(day)

    @classmethod
    def ending_on(cls, day: date) -> Period:
        """The largest of year, half, quarter and month that ends on `day`; else the day itself.

        A single or yearly deadline only keeps its date, so this is how its period is named:
        31/12 is "Năm 2026", 30/06 "6 tháng đầu năm 2026", 30/09 "Quý III/2026", 31/10 "Tháng 10/2026".
        """
        month, dom = day.month, day.day
        if dom != calendar.monthrange(day.year, month)[1]:
            return cls("date", day.year, month, dom)
        if month == 12:
            return cls("year", day.year)
        if month == 6:
            return cls("half", day.year, 1)
        if month % 3 == 0:
            return cls("quarter", day.year, month // 3)
        return cls("month", day.year, month)


@dataclass(frozen=True, slots=True)
class PlannedOccurrence:
    """One dated obligation of a task. A check-in asks for progress on work that has no deadline."""

    due: date | None  # None only for a date not known yet; `expand` always gives one
    period: Period
    checkin: bool


# A label in each locale is a gettext message: the msgid below, translated by the locale's catalog.
# The Vietnamese catalog gives the headings Vietnamese reports use ("Quý IV/2025", "6 tháng đầu năm
# 2026"); the English one gives "Q4 2025" and "September 2026", which need the Arabic quarter and the
# month's name, so every label is formatted with all of the fields below.
_LABELS: dict[str, str] = {
    "year": N_("Year {year}"),
    "half1": N_("First half of {year}"),
    "half2": N_("Second half of {year}"),
    "quarter": N_("Quarter {roman}/{year}"),
    "month": N_("Month {month}/{year}"),
    "date": N_("{day:02d}/{month:02d}/{year}"),
}
_ROMAN = ("I", "II", "III", "IV")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_label(period: Period, locale: str) -> str:
    """`period` as a heading in `locale` ("vi", "en", or a variant such as "en_US"; others get Vietnamese)."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    translate = translator(language if language in SUPPORTED else DEFAULT_LOCALE)
    index = period.index or 0
    key = f"half{index}" if period.kind == "half" else period.kind
    month = index if period.kind in ("month", "date") else 0
    return translate(_LABELS[key]).format(
        year=period.year,
        index=index,
        roman=_ROMAN[index - 1] if period.kind == "quarter" else "",
        month=month,
        month_name=_EN_MONTHS[month - 1] if month else "",
        day=period.day or 0,
    )


# Expansion is cached per cycle and horizon: thousands of tasks share the same few sequences, and the
# occurrences are immutable, so they can be shared too.


@lru_cache(maxsize=4096)
def _once(due: date, period_kind: str | None = None) -> tuple[PlannedOccurrence, ...]:
    return (PlannedOccurrence(due, Period.named_ending_on(period_kind, due), False),)


@lru_cache(maxsize=4096)
def _yearly(schedule: Yearly, horizon: int, for_previous_year: bool) -> tuple[PlannedOccurrence, ...]:
    # The hint is an argument of its own: it takes no part in a Yearly's equality, so not in its cache key.
    shift = 1 if for_previous_year else 0
    last = horizon + shift if schedule.until_year is None else min(horizon + shift, schedule.until_year)
    # A yearly duty answers for its year, wherever in the year it falls ("Quý II hàng năm" → "Năm 2026"),
    # or for the year before when it is due after that year ("trước 20/01 năm sau" → "Năm 2025").
    return tuple(
        PlannedOccurrence(schedule.due_in(year), Period("year", year - shift), False)
        for year in range(schedule.from_year, last + 1)
    )


@lru_cache(maxsize=1024)
def _quarterly(year: int, quarter: int, horizon: int, checkin: bool) -> tuple[PlannedOccurrence, ...]:
    """Quarters from `quarter` of `year` to the last of `horizon`."""
    occurrences = []
    while year <= horizon:
        period = Period("quarter", year, quarter)
        occurrences.append(PlannedOccurrence(period.end, period, checkin))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return tuple(occurrences)


@lru_cache(maxsize=1024)
def _monthly(year: int, month: int, horizon: int) -> tuple[PlannedOccurrence, ...]:
    occurrences = []
    while year <= horizon:
        period = Period("month", year, month)
        occurrences.append(PlannedOccurrence(period.end, period, False))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(occurrences)


def _expand_one(schedule: Schedule, issued: date, horizon: int) -> tuple[PlannedOccurrence, ...]:
    match schedule:
        case Once(due=due, period_kind=period_kind):
            # A single deadline is kept even past the horizon or before the issue date: dropping it
            # would lose an obligation the plan states.
            return _once(due, period_kind)
        case Yearly(for_previous_year=for_previous_year):
            return _yearly(schedule, horizon, for_previous_year)
        case Quarterly() | Ongoing():
            # The quarter holding the issue date ends on or after it, so it is the first one due.
            return _quarterly(issued.year, (issued.month + 2) // 3, horizon, isinstance(schedule, Ongoing))
        case Monthly():
            return _monthly(issued.year, issued.month, horizon)
        case OnEvent():
            # Nothing is due until an administrator records the event (see `expand_event`).
            return ()
    raise TypeError(f"not a schedule: {schedule!r}")


def _sort_key(occurrence: PlannedOccurrence) -> tuple[date, bool]:
    return occurrence.due or date.max, occurrence.checkin


def expand(schedules: Iterable[Schedule], issued: date, horizon_year: int | None) -> list[PlannedOccurrence]:
    """Every occurrence of `schedules` up to 31/12 of the horizon, sorted by due date, without repeats.

    Without a horizon the plan runs `DEFAULT_HORIZON_YEARS` past its issue year. Deadlines on one day
    keep the order of their schedules, and a check-in comes after the deadlines of its day.
    """
    horizon = issued.year + DEFAULT_HORIZON_YEARS if horizon_year is None else horizon_year
    schedules = list(schedules)
    parts = [_expand_one(schedule, issued, horizon) for schedule in schedules]
    if len(parts) == 1:
        return list(parts[0])  # one schedule's occurrences are already distinct and in order
    occurrences = list(dict.fromkeys(occurrence for part in parts for occurrence in part))
    deadlines = {o.due for o in occurrences if not o.checkin}
    # "Quý IV/2025 ban hành kế hoạch. Thực hiện … theo Kế hoạch": the ongoing work follows the one-off
    # step, so its check-ins start after it; and a check-in on a day the task is due anyway is noise.
    first_step = max((s.due for s in schedules if isinstance(s, Once)), default=None)
    occurrences = [
        o
        for o in occurrences
        if not o.checkin or (o.due not in deadlines and (first_step is None or o.due is None or o.due > first_step))
    ]
    occurrences.sort(key=_sort_key)
    return occurrences


def expand_event(recorded_on: date, due_in_days: int) -> PlannedOccurrence:
    """The deadline that an event schedule gets once the event has been recorded."""
    due = recorded_on + timedelta(days=due_in_days)
    # A deadline counted in days from an event answers for that day, not for a quarter or a half.
    return PlannedOccurrence(due, Period("date", due.year, due.month, due.day), False)


def deadline_dates(schedules: Iterable[Schedule], issued: date, horizon_year: int | None) -> list[date]:
    """The sorted distinct due dates of the real deadlines (check-ins left out)."""
    return sorted(
        {
            occurrence.due
            for occurrence in expand(schedules, issued, horizon_year)
            if not occurrence.checkin and occurrence.due is not None
        }
    )
