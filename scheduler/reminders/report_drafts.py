"""When the monitor's draft report goes out: plan-wide report deadlines in, drafts due now out. No
database, no I/O; the clock is passed in.

A plan-wide duty ("every unit reports before 15/11 each year") ends in the monitor compiling the
units' reports. A configurable number of working days before each such deadline the monitor gets the
summary and a .docx draft in chat (scheduler/reminders/draft_enqueue.py queues them):

- the draft day is the deadline minus N working days (N = 0: the deadline itself, or the working day
  before it when it falls on a weekend or holiday), at the policy's send hour (scheduler.reminders.policy);
- after downtime a missed draft still goes out, in office hours, as long as that is no later than
  the deadline's day; after that it would help nobody and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.reminders.policy import VIETNAM, Rules, first_sendable
from scheduler.timing.calendar import WorkingCalendar

__all__ = [
    "MAX_WORKING_DAYS",
    "DraftDeadline",
    "DraftPlan",
    "DueDraft",
    "draft_day",
    "plan_drafts",
    "working_days_left",
]

MAX_WORKING_DAYS = 30  # the setting's upper bound: six weeks ahead is already a long draft
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DraftDeadline:
    """One plan-wide report deadline (an occurrence of an obligation task)."""

    occurrence_id: int
    plan_id: int
    due: date
    send_at: time = Rules().send_at  # the plan's reminder send hour: the start of its office day


@dataclass(frozen=True)
class DueDraft:
    deadline: DraftDeadline
    day: date  # the planned draft day
    working_days_left: int  # from today (included) to the deadline (excluded)


@dataclass(frozen=True)
class DraftPlan:
    due: tuple[DueDraft, ...]  # to queue now (the queue's keys drop the ones already queued)
    next_at: datetime | None  # the next moment a draft becomes due or sendable, after `now`


def draft_day(due: date, working_days_before: int, calendar: WorkingCalendar) -> date:
    """The working day `working_days_before` working days before `due`."""
    if working_days_before < 0:
        raise ValueError("working days before a deadline must not be negative")
    if working_days_before == 0:
        return calendar.previous_working_day(due)
    return calendar.add_working_days(due, -working_days_before)


def working_days_left(today: date, due: date, calendar: WorkingCalendar) -> int:
    """Working days from `today` (included) to `due` (excluded): what the monitor has left to compile."""
    count = 0
    day = today
    while day < due:
        if calendar.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def plan_drafts(
    deadlines: Iterable[DraftDeadline],
    calendar: WorkingCalendar,
    working_days_before: int,
    now: datetime,
    tz: ZoneInfo = VIETNAM,
) -> DraftPlan:
    """The drafts due at `now`: their draft day's send hour has come, `now` is in office hours on a
    working day, and the deadline's day has not passed. A draft whose moment has come outside office
    hours waits for the next working morning — unless that is after its deadline."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    local_now = now.astimezone(tz)
    today = local_now.date()
    due: list[DueDraft] = []
    wake: list[datetime] = []
    for deadline in deadlines:
        if today > deadline.due:
            continue
        day = draft_day(deadline.due, working_days_before, calendar)
        planned = datetime.combine(day, deadline.send_at, tzinfo=tz)
        if now < planned:
            wake.append(planned)
            continue
        sendable = first_sendable(now, Rules(send_at=deadline.send_at), calendar, tz)
        if sendable.date() > deadline.due:
            continue  # the next office hours are after the deadline
        if sendable == local_now:
            due.append(DueDraft(deadline, day, working_days_left(today, deadline.due, calendar)))
        else:
            wake.append(sendable)
    due.sort(key=lambda item: (item.deadline.due, item.deadline.plan_id, item.deadline.occurrence_id))
    return DraftPlan(tuple(due), min(wake, default=None))
