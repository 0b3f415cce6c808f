"""The reminder policy: facts about occurrences in, planned reminder steps out. No database, no I/O.

Every reminder belongs to a *track*: one occurrence, one unit, one lane. A lead unit's main lane runs
from the first step before the deadline (14, 7, 3, 1 and 0 days before; 30, 15, 7, 3, 1 for a plan-wide
obligation) to the overdue nudges (every 3 working days after it) and the escalations (to the unit's
lead, then to the monitor). A coordinating unit's lane is one lighter note at the first step; an
ongoing task's lane is one check-in before its quarter ends; a `blocked` report opens a lane of one
message to the monitor.

After the deadline the lane follows what was delivered (the platform acknowledged the outbox row),
not only the calendar: a unit is escalated only once its own overdue nudges reached it (as many as the
policy counts) and the grace (the nudge interval) has passed since the last of them; the monitor hears
of it one interval after the unit's lead. When downtime collapsed some nudges into one, more follow at
the interval until the count is reached. Without delivery facts (the preview) every step is taken as
delivered when planned.

Steps go out at the policy's send hour on working days only: a step that falls on a weekend, a
holiday or Tết moves to the previous working day. After downtime a track's missed steps collapse to
the latest one, sent once, in working hours; a reminder whose deadline has passed by then goes out
as an overdue nudge instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.status import ReportFact, Standing, standing
from models.progress import ReportStatus
from models.registry import UnitRole
from models.reminders import ReminderKind, ReminderPolicy
from scheduler.timing.calendar import WorkingCalendar

__all__ = [
    "VIETNAM",
    "WORKDAY_END",
    "Answer",
    "Audience",
    "CatchUp",
    "Delivery",
    "DueReminder",
    "OccurrenceFacts",
    "PlannedReminder",
    "PolicyBook",
    "Rules",
    "StepKey",
    "UnitFacts",
    "catch_up",
    "first_sendable",
    "plan_due_reminders",
    "reach_days",
]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Catch-up messages go out between the send hour and the end of the office day, never later.
WORKDAY_END = time(17, 0)
# The earliest and latest send hours an admin may set: a reminder is never sent at night.
EARLIEST_SEND = time(6, 0)
# A step moves back over weekends and holidays; Tết with its weekends is the longest run (about 9 days).
SHIFT_MARGIN_DAYS = 20

# (occurrence, unit, kind, step): what the ledger remembers of a step, whoever received it.
StepKey = tuple[int, int | None, str, str]


class Audience(StrEnum):
    UNIT = "unit"  # the unit's staff and leads (private chats) and the unit's group chats
    UNIT_LEAD = "unit_lead"  # the unit's leads only
    MONITOR = "monitor"  # whoever monitors the plan


class Lane(StrEnum):
    MAIN = "main"  # lead or obligation steps, overdue nudges, escalations
    COORDINATING = "coordinating"
    CHECKIN = "checkin"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Rules:
    """One reminder policy, checked: what `ReminderPolicy` stores, in the types the planner uses."""

    lead_days: tuple[int, ...] = (14, 7, 3, 1, 0)
    obligation_days: tuple[int, ...] = (30, 15, 7, 3, 1)
    checkin_days_before: int = 7
    overdue_every_working_days: int = 3
    escalate_after_nudges: int = 2
    send_at: time = time(8, 30)

    def __post_init__(self) -> None:
        if any(day < 0 for day in (*self.lead_days, *self.obligation_days)) or self.checkin_days_before < 0:
            raise ValueError("reminder days must not be negative")
        if self.overdue_every_working_days < 1 or self.escalate_after_nudges < 0:
            raise ValueError("overdue nudges need a positive interval and a non-negative count")
        if not EARLIEST_SEND <= self.send_at < WORKDAY_END:
            raise ValueError("the send hour must be in office hours")

    @classmethod
    def from_policy(cls, row: ReminderPolicy) -> Rules:
        """The stored policy, with anything unusable replaced by the default (an admin's typo must not stop
        every reminder, nor send one at night)."""
        default = cls()
        send_at = _parse_hour(row.send_at)
        return cls(
            lead_days=_days(row.lead_days, default.lead_days),
            obligation_days=_days(row.obligation_days, default.obligation_days),
            checkin_days_before=row.checkin_days_before
            if row.checkin_days_before >= 0
            else default.checkin_days_before,
            overdue_every_working_days=row.overdue_every_working_days
            if row.overdue_every_working_days >= 1
            else default.overdue_every_working_days,
            escalate_after_nudges=row.escalate_after_nudges
            if row.escalate_after_nudges >= 0
            else default.escalate_after_nudges,
            send_at=send_at if send_at is not None and EARLIEST_SEND <= send_at < WORKDAY_END else default.send_at,
        )

    @property
    def after_due_working_days(self) -> int:
        """Working days from the deadline to the last step (the escalation to the monitor)."""
        return (self.escalate_after_nudges + 2) * self.overdue_every_working_days


def _parse_hour(text: str) -> time | None:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def _days(values: Iterable[object], default: tuple[int, ...]) -> tuple[int, ...]:
    days = {value for value in values if isinstance(value, int) and not isinstance(value, bool) and value >= 0}
    return tuple(sorted(days, reverse=True)) if days else default


@dataclass(frozen=True)
class PolicyBook:
    """The plans' policies and their overrides: a row for a task and a unit wins over one for the task,
    which wins over one for the unit, which wins over the plan's; without any, the defaults."""

    rows: Mapping[tuple[int, int | None, int | None], Rules] = field(default_factory=dict)
    default: Rules = Rules()

    @classmethod
    def from_rows(cls, rows: Iterable[ReminderPolicy]) -> PolicyBook:
        return cls({(row.plan_id, row.task_id, row.unit_id): Rules.from_policy(row) for row in rows})

    def rules_for(self, plan_id: int, task_id: int, unit_id: int | None) -> Rules:
        for key in ((plan_id, task_id, unit_id), (plan_id, task_id, None), (plan_id, None, unit_id)):
            if key in self.rows:
                return self.rows[key]
        return self.rows.get((plan_id, None, None), self.default)

    def all_rules(self) -> list[Rules]:
        return [self.default, *self.rows.values()]


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    name: str
    role: UnitRole
    position: int = 0
    group: bool = False  # stands for several units: never reports, so never counts among those who must


@dataclass(frozen=True)
class Answer:
    """A unit's latest report with a status on one occurrence (withdrawn ones left out)."""

    unit_id: int | None
    status: ReportStatus
    at: datetime  # aware
    reason: str | None = None
    role: UnitRole = UnitRole.LEAD  # a coordinating unit's answer is a contribution: it never ends the lead's


@dataclass(frozen=True)
class Delivery:
    """A step of a unit's lanes that reached at least one of its chats: the platform acknowledged it at `at`."""

    unit_id: int | None
    kind: ReminderKind
    step: str
    at: datetime  # aware


@dataclass(frozen=True)
class OccurrenceFacts:
    occurrence_id: int
    plan_id: int
    task_id: int
    task_code: str
    due: date
    checkin: bool = False
    obligation: bool = False  # a plan-wide duty: every unit of the task, each until it has reported
    units: tuple[UnitFacts, ...] = ()
    answers: tuple[Answer, ...] = ()
    task_position: int = 0
    # None: plan as if every step is delivered when planned (the preview); else what was delivered so far.
    delivered: tuple[Delivery, ...] | None = None


@dataclass(frozen=True)
class PlannedReminder:
    """One step of one track: who (a unit, through an audience) is told what (kind) when (at)."""

    at: datetime  # the planned moment, aware, in local time: a working day at the send hour
    occurrence_id: int
    task_id: int
    task_code: str
    due: date
    unit_id: int | None
    unit_name: str
    kind: ReminderKind
    step: str  # "-7" days before, "0" on the day, "+3" working days after, "lead:+9:u4", "blocked:u4"
    audience: Audience
    lane: Lane
    task_position: int = 0
    unit_position: int = 0

    @property
    def key(self) -> StepKey:
        return (self.occurrence_id, self.unit_id, self.kind.value, self.step)

    @property
    def track(self) -> tuple[int, int | None, Lane]:
        return (self.occurrence_id, self.unit_id, self.lane)

    @property
    def order(self) -> tuple[datetime, int, str, int, int, str]:
        return (self.at, self.task_position, self.task_code, self.unit_position, _KIND_ORDER[self.kind], self.step)


# What reaches a unit about its own deadline; escalations count only once some of it was delivered.
_UNIT_REMINDERS = (ReminderKind.LEAD, ReminderKind.OBLIGATION, ReminderKind.OVERDUE)

_KIND_ORDER = {
    ReminderKind.ESCALATION: 0,
    ReminderKind.OVERDUE: 1,
    ReminderKind.LEAD: 2,
    ReminderKind.OBLIGATION: 3,
    ReminderKind.CHECKIN: 4,
    ReminderKind.COORDINATING: 5,
}


# ---- time ----------------------------------------------------------------------------------------------


def _at(day: date, rules: Rules, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, rules.send_at, tzinfo=tz)


def first_sendable(moment: datetime, rules: Rules, calendar: WorkingCalendar, tz: ZoneInfo = VIETNAM) -> datetime:
    """`moment` itself if it is within office hours on a working day, else the next send hour."""
    local = moment.astimezone(tz)
    day = local.date()
    if calendar.is_working_day(day):
        if local < _at(day, rules, tz):
            return _at(day, rules, tz)
        if local.time() < WORKDAY_END:
            return local
    return _at(calendar.add_working_days(day, 1), rules, tz)


def _before(due: date, days: Sequence[int], calendar: WorkingCalendar) -> list[tuple[int, date]]:
    """(days before, send day) per step, moved back to working days; two steps that land on the same day
    are one (the one nearer the deadline)."""
    by_day: dict[date, int] = {}
    for before in sorted(set(days), reverse=True):
        by_day[calendar.previous_working_day(due - timedelta(days=before))] = before
    return sorted(((before, day) for day, before in by_day.items()), key=lambda pair: pair[1])


def _before_step(days: int) -> str:
    return f"-{days}" if days else "0"


def reach_days(book: PolicyBook) -> tuple[int, int]:
    """How many calendar days before and after its deadline an occurrence can have steps, at most."""
    ahead = max(max((*r.lead_days, *r.obligation_days, r.checkin_days_before, 0)) for r in book.all_rules())
    after = max(r.after_due_working_days for r in book.all_rules())
    # Working days to calendar days: five a week, plus the longest run of holidays.
    return ahead + SHIFT_MARGIN_DAYS, math.ceil(after * 7 / 5) + SHIFT_MARGIN_DAYS


# ---- planning ------------------------------------------------------------------------------------------


def _track_steps(
    occurrence: OccurrenceFacts,
    unit: UnitFacts,
    rules: Rules,
    calendar: WorkingCalendar,
    tz: ZoneInfo,
    lead_unit_ids: Collection[int],
) -> list[PlannedReminder]:
    """Every step of one unit's tracks on one occurrence, as if nobody answered."""

    def step(day: date, kind: ReminderKind, name: str, audience: Audience, lane: Lane) -> PlannedReminder:
        return PlannedReminder(
            at=_at(day, rules, tz),
            occurrence_id=occurrence.occurrence_id,
            task_id=occurrence.task_id,
            task_code=occurrence.task_code,
            due=occurrence.due,
            unit_id=unit.unit_id,
            unit_name=unit.name,
            kind=kind,
            step=name,
            audience=audience,
            lane=lane,
            task_position=occurrence.task_position,
            unit_position=(0 if unit.role == UnitRole.LEAD else 1000) + unit.position,
        )

    due = occurrence.due
    if occurrence.checkin:
        if unit.role != UnitRole.LEAD:
            return []
        day = calendar.previous_working_day(due - timedelta(days=rules.checkin_days_before))
        return [step(day, ReminderKind.CHECKIN, _before_step(rules.checkin_days_before), Audience.UNIT, Lane.CHECKIN)]
    if unit.role == UnitRole.COORDINATING and not occurrence.obligation:
        if unit.unit_id in lead_unit_ids or not rules.lead_days:
            return []  # a unit that also leads the task gets the lead's reminders
        before, day = _before(due, rules.lead_days, calendar)[0]
        return [step(day, ReminderKind.COORDINATING, _before_step(before), Audience.UNIT, Lane.COORDINATING)]
    kind = ReminderKind.OBLIGATION if occurrence.obligation else ReminderKind.LEAD
    days = rules.obligation_days if occurrence.obligation else rules.lead_days
    steps = [
        step(day, kind, _before_step(before), Audience.UNIT, Lane.MAIN) for before, day in _before(due, days, calendar)
    ]
    return steps + _after_deadline(
        lambda day, kind, name, audience: step(day, kind, name, audience, Lane.MAIN),
        occurrence,
        unit,
        rules,
        calendar,
        tz,
    )


def _after_deadline(
    make: Callable[[date, ReminderKind, str, Audience], PlannedReminder],
    occurrence: OccurrenceFacts,
    unit: UnitFacts,
    rules: Rules,
    calendar: WorkingCalendar,
    tz: ZoneInfo,
) -> list[PlannedReminder]:
    """One unit's overdue nudges and escalations: on the calendar, held back by what was delivered."""
    due, every, count = occurrence.due, rules.overdue_every_working_days, rules.escalate_after_nudges
    nudge_days = [calendar.add_working_days(due, nudge * every) for nudge in range(1, count + 1)]
    steps = [
        make(day, ReminderKind.OVERDUE, f"+{nudge * every}", Audience.UNIT)
        for nudge, day in enumerate(nudge_days, start=1)
    ]
    lead_step = f"lead:+{(count + 1) * every}:u{unit.unit_id}"
    monitor_step = f"monitor:+{(count + 2) * every}:u{unit.unit_id}"
    lead_day = calendar.add_working_days(due, (count + 1) * every)
    monitor_day = calendar.add_working_days(due, (count + 2) * every)
    if occurrence.delivered is not None:

        def grace_after(moment: datetime) -> date:
            return calendar.add_working_days(moment.astimezone(tz).date(), every)

        mine = [delivery for delivery in occurrence.delivered if delivery.unit_id == unit.unit_id]
        reminded = sorted(delivery.at for delivery in mine if delivery.kind in _UNIT_REMINDERS)
        nudged = sorted(delivery.at for delivery in mine if delivery.kind == ReminderKind.OVERDUE)
        if len(nudged) < count or not reminded:
            # Downtime collapsed nudges into one: the missing ones follow it, an interval apart.
            if nudged and all(day <= nudged[-1].astimezone(tz).date() for day in nudge_days):
                extra = grace_after(nudged[-1])
                steps.append(
                    make(extra, ReminderKind.OVERDUE, f"+{calendar.working_days_between(due, extra)}", Audience.UNIT)
                )
            return steps  # not escalated before its own reminders reached it
        lead_day = max(lead_day, grace_after(nudged[-1] if count else reminded[-1]))
        told = min((d.at for d in mine if d.kind == ReminderKind.ESCALATION and d.step == lead_step), default=None)
        # The monitor hears of it an interval after the unit's lead did (or could not: no lead reachable).
        monitor_day = max(monitor_day, grace_after(told) if told else calendar.add_working_days(lead_day, every))
    steps.append(make(lead_day, ReminderKind.ESCALATION, lead_step, Audience.UNIT_LEAD))
    steps.append(make(monitor_day, ReminderKind.ESCALATION, monitor_step, Audience.MONITOR))
    return steps


def _blocked_notice(
    occurrence: OccurrenceFacts,
    answer: Answer,
    units: Mapping[int, UnitFacts],
    rules: Rules,
    calendar: WorkingCalendar,
    tz: ZoneInfo,
) -> PlannedReminder:
    unit = units.get(answer.unit_id) if answer.unit_id is not None else None
    return PlannedReminder(
        at=first_sendable(answer.at, rules, calendar, tz),
        occurrence_id=occurrence.occurrence_id,
        task_id=occurrence.task_id,
        task_code=occurrence.task_code,
        due=occurrence.due,
        unit_id=answer.unit_id,
        unit_name=unit.name if unit is not None else "",
        kind=ReminderKind.ESCALATION,
        step="blocked" if answer.unit_id is None else f"blocked:u{answer.unit_id}",
        audience=Audience.MONITOR,
        lane=Lane.BLOCKED,
        task_position=occurrence.task_position,
        unit_position=unit.position if unit is not None else 0,
    )


def _occurrence_steps(
    occurrence: OccurrenceFacts, policy: Rules | PolicyBook, calendar: WorkingCalendar, tz: ZoneInfo
) -> list[PlannedReminder]:
    """The steps still to come for one occurrence, given its answers:

    - the task done (its lead units' reports, as `occurrence_standing` reads them) ends the occurrence's
      reminders; of a task several units lead, a unit's own `done` ends its own; a coordinating unit's
      answer ends only its own note (its part), never the lead's reminders;
    - a lead's `blocked` report ends them too, and tells the monitor once (a coordinating unit's tells
      the monitor too, the lead is still reminded);
    - any other answer given after the deadline stops that unit's overdue nudges and escalations;
    - a plan-wide duty stops for a unit as soon as that unit has reported anything.
    """
    units = {unit.unit_id: unit for unit in occurrence.units}
    lead_unit_ids = {unit.unit_id for unit in occurrence.units if unit.role == UnitRole.LEAD}
    by_unit = {answer.unit_id: answer for answer in occurrence.answers}

    def rules_for(unit_id: int | None) -> Rules:
        if isinstance(policy, Rules):
            return policy
        return policy.rules_for(occurrence.plan_id, occurrence.task_id, unit_id)

    def notice(answer: Answer) -> PlannedReminder:
        return _blocked_notice(occurrence, answer, units, rules_for(answer.unit_id), calendar, tz)

    steps: list[PlannedReminder] = []
    if not occurrence.obligation:
        # Where the task stands decides, read as every other view reads it (`domain.status.standing`).
        whole = occurrence_standing(occurrence, tz)
        if whole.done:
            return []
        steps.extend(notice(by_unit[r.unit_id]) for r in whole.blocked_by if r.unit_id in by_unit)
        steps.extend(
            notice(answer)
            for answer in occurrence.answers
            if answer.role != UnitRole.LEAD and answer.status == ReportStatus.BLOCKED
        )
        if whole.state.blocked and whole.units_done is None:
            return steps
    for unit in occurrence.units:
        rules = rules_for(unit.unit_id)
        answer = by_unit.get(unit.unit_id)
        if occurrence.obligation and answer is not None:
            if answer.status == ReportStatus.BLOCKED:
                steps.append(_blocked_notice(occurrence, answer, units, rules, calendar, tz))
            continue
        if not occurrence.obligation and answer is not None:
            if answer.role != UnitRole.LEAD:
                continue  # a coordinating unit that answered has given its part
            own = occurrence_standing(occurrence, tz, unit.unit_id)
            if own.done or own.state.blocked:
                continue  # of a task several units lead, this unit's part is done (or the monitor is told)
        track = _track_steps(occurrence, unit, rules, calendar, tz, lead_unit_ids)
        if answer is not None and answer.at.astimezone(tz).date() > occurrence.due:
            track = [s for s in track if s.kind not in (ReminderKind.OVERDUE, ReminderKind.ESCALATION)]
        steps.extend(track)
    return steps


def occurrence_standing(occurrence: OccurrenceFacts, tz: ZoneInfo = VIETNAM, unit_id: int | None = None) -> Standing:
    """Where the occurrence stands from its answers (`domain.status.standing`, the derivation every view
    uses), for the whole task or one of the units that lead it. Only done and blocked matter here, which
    do not depend on the day."""
    reports = [
        ReportFact(
            occurrence.occurrence_id,
            answer.unit_id,
            answer.status,
            "",
            answer.at.astimezone(tz).date(),
            answer.at,
            reason=answer.reason,
            role=answer.role,
        )
        for answer in sorted(occurrence.answers, key=lambda answer: answer.at, reverse=True)
    ]
    leads = tuple(unit.unit_id for unit in occurrence.units if unit.role == UnitRole.LEAD and not unit.group)
    return standing(occurrence.due, occurrence.checkin, leads, reports, occurrence.due, unit_id)


def plan_due_reminders(
    occurrences: Iterable[OccurrenceFacts],
    window_start: datetime,
    window_end: datetime,
    policy: Rules | PolicyBook,
    calendar: WorkingCalendar,
    tz: ZoneInfo = VIETNAM,
) -> list[PlannedReminder]:
    """The steps planned from `window_start` to `window_end` (both included), given the answers in the
    facts (none: as if nobody answered), in time order. No catch-up: this is the plan itself."""
    planned = [
        reminder
        for occurrence in occurrences
        for reminder in _occurrence_steps(occurrence, policy, calendar, tz)
        if window_start <= reminder.at <= window_end
    ]
    return sorted(planned, key=lambda reminder: reminder.order)


# ---- catching up ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    reminder: PlannedReminder
    send_at: datetime  # local: the send hour of the day it goes out (several steps then share one message)


@dataclass(frozen=True)
class CatchUp:
    due: tuple[DueReminder, ...]  # to queue now
    waiting: tuple[PlannedReminder, ...]  # due, but held until office hours
    next_at: datetime | None  # when the next step becomes due (or the held ones sendable), after `now`


def catch_up(
    occurrences: Iterable[OccurrenceFacts],
    now: datetime,
    queued: Collection[StepKey],
    policy: Rules | PolicyBook,
    calendar: WorkingCalendar,
    tz: ZoneInfo = VIETNAM,
) -> CatchUp:
    """What is due at `now` and not yet queued: per track, only its latest due step (the missed ones
    before it collapse into it), sent once, in office hours; a reminder whose deadline has passed goes
    out as an overdue nudge (step "+0"); a coordinating note or a check-in whose date has passed is
    dropped. `queued` holds the steps already in the ledger."""
    local_now = now.astimezone(tz)
    today = local_now.date()
    tracks: dict[tuple[int, int | None, Lane], list[PlannedReminder]] = defaultdict(list)
    rules_of: dict[tuple[int, int | None, Lane], Rules] = {}
    for occurrence in occurrences:
        for reminder in _occurrence_steps(occurrence, policy, calendar, tz):
            tracks[reminder.track].append(reminder)
            if isinstance(policy, Rules):
                rules_of[reminder.track] = policy
            else:
                rules_of[reminder.track] = policy.rules_for(occurrence.plan_id, occurrence.task_id, reminder.unit_id)
    due: list[DueReminder] = []
    waiting: list[PlannedReminder] = []
    wake: list[datetime] = []
    for track, steps in tracks.items():
        steps.sort(key=lambda reminder: reminder.at)
        rules = rules_of[track]
        past = [reminder for reminder in steps if reminder.at <= now]
        upcoming = [reminder for reminder in steps if reminder.at > now]
        if upcoming:
            wake.append(upcoming[0].at)
        if not past or past[-1].key in queued:
            continue
        pending: PlannedReminder | None = past[-1]
        assert pending is not None
        if today > pending.due and pending.kind in (ReminderKind.LEAD, ReminderKind.OBLIGATION):
            pending = replace(pending, kind=ReminderKind.OVERDUE, step="+0")
            if pending.key in queued:
                continue
        elif today > pending.due and pending.kind in (ReminderKind.COORDINATING, ReminderKind.CHECKIN):
            continue  # a note about a date already gone helps nobody
        sendable = first_sendable(now, rules, calendar, tz)
        if sendable == local_now:
            due.append(DueReminder(pending, _at(today, rules, tz)))
        else:
            waiting.append(pending)
            wake.append(sendable)
    due.sort(key=lambda item: item.reminder.order)
    waiting.sort(key=lambda reminder: reminder.order)
    return CatchUp(tuple(due), tuple(waiting), min(wake, default=None))
