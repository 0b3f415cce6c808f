"""The kinds of schedule a time text can hold, and their JSON form (how the registry stores them)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

__all__ = [
    "Monthly",
    "OnEvent",
    "Once",
    "Ongoing",
    "ParsedTime",
    "Quarterly",
    "Schedule",
    "Yearly",
    "schedule_from_json",
    "schedule_to_json",
]


@dataclass(frozen=True, slots=True)
class Once:
    """A single deadline.

    `period_kind` is the span the text named ("quarter" for "Quý IV năm 2025"), so the occurrence is
    labelled "Quý IV/2025" rather than "Năm 2025"; it is a label hint, not part of the JSON shape.
    """

    due: date
    period_kind: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Yearly:
    """The same month-day every year from `from_year` to `until_year` (None: to the plan's horizon).

    `for_previous_year` marks a duty due early in the year after the one it reports on ("trước ngày
    20/01 năm sau"): its occurrences are labelled with that earlier year, and the horizon's own year is
    still reported on, in the year after it. Like `Once.period_kind` it is a hint, not part of the JSON.
    """

    month: int
    day: int
    from_year: int
    until_year: int | None
    count: int | None  # a target such as "2 đợt/năm"; None when the text states none
    for_previous_year: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # 29/02 is a valid yearly date (it falls on 28/02 in common years), so check against a leap year.
        if not 1 <= self.month <= 12 or not 1 <= self.day <= calendar.monthrange(2000, self.month)[1]:
            raise ValueError(f"not a month-day: {self.month:02d}-{self.day:02d}")
        if self.count is not None and self.count < 1:
            raise ValueError(f"a yearly count must be positive, not {self.count}")

    def due_in(self, year: int) -> date:
        """The date in `year`; 29/02 becomes 28/02 in a common year."""
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


@dataclass(frozen=True, slots=True)
class Quarterly:
    """Due at the end of every quarter."""


@dataclass(frozen=True, slots=True)
class Monthly:
    """Due at the end of every month."""


@dataclass(frozen=True, slots=True)
class Ongoing:
    """No deadline; progress is asked for at a periodic check-in."""


@dataclass(frozen=True, slots=True)
class OnEvent:
    """Due only after an outside event, described in the plan's own words."""

    event: str


Schedule: TypeAlias = Once | Yearly | Quarterly | Monthly | Ongoing | OnEvent


@dataclass(frozen=True, slots=True)
class ParsedTime:
    """What a time text says. `needs_date` is True when no schedule could be read from it."""

    text: str
    needs_date: bool
    schedules: tuple[Schedule, ...]


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    match schedule:
        case Once(due=due):
            return {"kind": "once", "due": due.isoformat()}
        case Yearly(month=month, day=day, from_year=from_year, until_year=until_year, count=count):
            return {
                "kind": "yearly",
                "month_day": f"{month:02d}-{day:02d}",
                "from_year": from_year,
                "until_year": until_year,
                "count": count,
            }
        case Quarterly():
            return {"kind": "quarterly"}
        case Monthly():
            return {"kind": "monthly"}
        case Ongoing():
            return {"kind": "ongoing"}
        case OnEvent(event=event):
            return {"kind": "event", "event": event}
    raise TypeError(f"not a schedule: {schedule!r}")


_KEYS = {
    "once": {"kind", "due"},
    "yearly": {"kind", "month_day", "from_year", "until_year", "count"},
    "quarterly": {"kind"},
    "monthly": {"kind"},
    "ongoing": {"kind"},
    "event": {"kind", "event"},
}


def _required_int(data: Mapping[str, Any], key: str) -> int:
    value = data[key]
    # bool is an int in Python; a stored True is corruption, not the year 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} must be an integer, not {value!r}")
    return value


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    return None if data[key] is None else _required_int(data, key)


def schedule_from_json(data: Mapping[str, Any]) -> Schedule:
    """The inverse of `schedule_to_json`; raises ValueError on anything it would not have produced."""
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise ValueError(f"unknown schedule kind: {kind!r}")
    if set(data) != _KEYS[kind]:
        raise ValueError(f"a {kind} schedule has exactly the keys {sorted(_KEYS[kind])}, not {sorted(data)}")
    if kind == "once":
        due = data["due"]
        if not isinstance(due, str):
            raise ValueError(f"due must be an ISO date, not {due!r}")
        return Once(date.fromisoformat(due))
    if kind == "yearly":
        month_day = data["month_day"]
        if not isinstance(month_day, str) or len(month_day) != 5 or month_day[2] != "-":
            raise ValueError(f"month_day must be MM-DD, not {month_day!r}")
        month, day = month_day.split("-")
        if not (month.isascii() and day.isascii() and month.isdigit() and day.isdigit()):
            raise ValueError(f"month_day must be MM-DD, not {month_day!r}")
        return Yearly(
            int(month),
            int(day),
            _required_int(data, "from_year"),
            _optional_int(data, "until_year"),
            _optional_int(data, "count"),
        )
    if kind == "event":
        event = data["event"]
        if not isinstance(event, str) or not event:
            raise ValueError(f"event must be a non-empty text, not {event!r}")
        return OnEvent(event)
    if kind == "quarterly":
        return Quarterly()
    return Monthly() if kind == "monthly" else Ongoing()
