"""Where the plan stands in a period: plain facts in, a `Summary` out. No database, no clock: `today`
is passed in, so the same facts always give the same summary.

Rules (the README's "Tổng hợp" part says the same in Vietnamese):

- An occurrence is in the period when its due date is. An earlier deadline (not a check-in) is carried
  over into the period when it was still open when the period began: it is overdue and not done now,
  or it was done on or after the period's first day. A task is in the period when one of its
  occurrences is (or is carried over), or when it waits for an outside event that has not been
  recorded (in any period from the plan's issue on).
- Each occurrence's state is `domain.status.standing` of its due date and its units' latest reports,
  the derivation every other view uses too: only lead units' reports decide (a coordinating unit's
  report is a contribution, shown beside the line, and never closes the task); a check-in of ongoing
  work ("Thường xuyên") has no deadline of its own, so work under way is never "quá hạn" there; and a
  task several units lead (the plan-wide report duty, BC.1) is done when every one of them has reported
  it done — it is blocked when one of them is, under way when any reported. Seen from one of those
  units, only that unit's own report counts.
- A task's line in the period: its deadlines decide (the first one not done, else the last one); a task
  with only check-ins takes its newest report in the period, else the latest check-in already passed,
  else the first still ahead.
- A carried-over deadline takes part in its task's line like the period's own (being the earliest, it
  speaks for the task while open; the line says "chuyển từ kỳ trước: hạn 31/12/2025"), so it counts
  under its current state, and among the late lines while not done.
- Late: the lines "đang thực hiện quá hạn" and "chưa thực hiện" (past the deadline and not done).
- On-time rate: among the deadlines (not check-ins) due in the period already done or past due, the
  share done on time (0–1); None when there is none. Carried-over deadlines are left out (they belong
  to their own period's rate). The previous period is measured the same way.
- Not reported: the lead units of the period's tasks with no report on any of the period's occurrences
  (on a carried-over deadline, only a report last changed in the period counts).
- Targets: the numbers the plan states (percentages in a task's note, "01 lớp/năm") next to the newest
  report of the period that gives a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter

from domain.status import (
    DerivedState,
    OccurrenceFact,
    OccurrenceState,
    ReportFact,
    Standing,
    derive_state,
    standing,
)
from models.progress import ReportStatus
from models.registry import UnitRole
from scheduler.timing.periods import Period

__all__ = [
    "LATE_STATES",
    "BlockedEntry",
    "OccurrenceFact",
    "PlanFact",
    "ReportFact",
    "ReportView",
    "SectionBlock",
    "SectionFact",
    "Summary",
    "SummaryFacts",
    "SummaryItem",
    "TargetView",
    "TaskFact",
    "UnitFact",
    "build_summary",
    "plan_targets",
]

# ---- facts in ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanFact:
    id: int
    code: str
    title: str
    issuing_body: str | None
    issued: date | None


@dataclass(frozen=True, slots=True)
class SectionFact:
    id: int
    code: str
    title: str
    position: int


@dataclass(frozen=True, slots=True)
class UnitFact:
    id: int
    name: str
    group: bool = False  # stands for several units ("Các phòng, đơn vị trực thuộc Sở"): never reports


@dataclass(slots=True)
class TaskFact:
    id: int
    code: str
    section_id: int | None  # None: a plan-wide duty (BC.1)
    position: int
    content: str
    time_text: str = ""
    target_note: str | None = None
    count_target: int | None = None  # "01 lớp/năm": how many a year, when the plan says
    event: str | None = None  # the event words when the task's schedule waits for one
    waiting: bool = False  # waits for an event not recorded yet (it has no occurrence from one)
    needs_date: bool = False
    lead_unit_ids: tuple[int, ...] = ()
    coordinating_unit_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SummaryFacts:
    plan: PlanFact
    sections: Sequence[SectionFact]
    units: Mapping[int, UnitFact]
    tasks: Sequence[TaskFact]  # live tasks, in the plan's order
    occurrences: Sequence[OccurrenceFact]  # live ones, at least those of the periods asked about
    # Per occurrence, the latest report of each unit, newest first.
    reports: Mapping[int, Sequence[ReportFact]]


# ---- summary out ---------------------------------------------------------------------------------

LATE_STATES = frozenset({OccurrenceState.IN_PROGRESS_LATE, OccurrenceState.NOT_DONE})
DONE_STATES = frozenset({OccurrenceState.DONE_ON_TIME, OccurrenceState.DONE_LATE})
# States in the order reports list them.
STATE_ORDER: tuple[OccurrenceState, ...] = tuple(OccurrenceState)


@dataclass(slots=True)
class ReportView:
    status: ReportStatus
    note: str
    on: date
    unit: str | None
    percent: int | None = None
    reason: str | None = None
    done_count: int | None = None
    target_count: int | None = None

    @property
    def has_number(self) -> bool:
        return self.percent is not None or self.done_count is not None


@dataclass(slots=True)
class SummaryItem:
    """One task's line in the period."""

    task_id: int
    code: str
    section_code: str | None
    content: str
    lead_units: tuple[str, ...]
    time_text: str
    due: date | None  # None: waiting for an event
    checkin: bool
    state: OccurrenceState
    blocked: bool
    latest: ReportView | None
    event: str | None = None
    units_done: tuple[int, int] | None = None  # (done, all) when several units lead the task
    contributions: tuple[ReportView, ...] = ()  # coordinating units' reports: shown, never deciding
    carried: bool = False  # `due` is an earlier period's deadline, still open when this period began

    @property
    def late(self) -> bool:
        return self.state in LATE_STATES


@dataclass(frozen=True, slots=True)
class SectionBlock:
    code: str | None  # None: the plan-wide duties
    title: str
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True, slots=True)
class BlockedEntry:
    code: str
    unit: str
    reason: str | None


@dataclass(slots=True)  # not frozen: a summary makes one per task, and a frozen one costs twice as much
class TargetView:
    code: str
    targets: tuple[str, ...]  # as the plan words them: "100% công chức cấp tỉnh", "01 lớp/năm"
    reported: ReportView | None  # the newest report of the period with a number


@dataclass(frozen=True)
class Summary:
    plan: PlanFact
    period: Period
    previous: Period | None
    today: date
    unit: UnitFact | None  # None: the whole plan
    sections: tuple[SectionBlock, ...]
    counts: Mapping[OccurrenceState, int]
    late: tuple[SummaryItem, ...]
    blocked: tuple[BlockedEntry, ...]
    not_reported: tuple[str, ...]
    on_time_rate: float | None
    previous_on_time_rate: float | None
    targets: tuple[TargetView, ...]
    needs_date: tuple[str, ...]
    rate_history: tuple[tuple[Period, float | None], ...] = field(default=())

    @property
    def items(self) -> list[SummaryItem]:
        return [item for section in self.sections for item in section.items]


# ---- the rules -----------------------------------------------------------------------------------
# Hot path: a 10,000-task plan has some 20,000 occurrences in a year; everything below is a few
# dictionary lookups per occurrence.


@dataclass(slots=True)
class _Judged:
    occurrence: OccurrenceFact
    standing: Standing
    carried: bool = False  # an earlier deadline still open at the period's start

    @property
    def state(self) -> DerivedState:
        return self.standing.state

    @property
    def shown(self) -> ReportFact | None:  # the report the line quotes
        return self.standing.shown


class _Context:
    def __init__(self, facts: SummaryFacts, today: date, unit_id: int | None) -> None:
        self.facts = facts
        self.reports = facts.reports
        self.today = today
        self.unit_id = unit_id
        units = facts.units
        # The units that answer for a task: its lead units, without groups (which never report).
        groups = {key for key, unit in units.items() if unit.group}
        self.leads: dict[int, tuple[int, ...]] = {}
        for task in facts.tasks:
            ids = task.lead_unit_ids
            if groups and not groups.isdisjoint(ids):
                ids = tuple(u for u in ids if u not in groups)
            self.leads[task.id] = ids
        self._names: dict[tuple[int, ...], tuple[str, ...]] = {}
        self._views: dict[int, ReportView] = {}  # by id() of facts that live as long as this context

    def names(self, unit_ids: tuple[int, ...]) -> tuple[str, ...]:
        names = self._names.get(unit_ids)
        if names is None:
            units = self.facts.units
            names = self._names[unit_ids] = tuple(units[u].name for u in unit_ids if u in units)
        return names

    def judge(self, occurrence: OccurrenceFact) -> _Judged:
        reports = self.reports.get(occurrence.id, ())
        leads = self.leads.get(occurrence.task_id, ())
        return _Judged(
            occurrence, standing(occurrence.due, occurrence.checkin, leads, reports, self.today, self.unit_id)
        )

    def view(self, report: ReportFact | None) -> ReportView | None:
        if report is None:
            return None
        # A task's line and its target usually quote the same report: one view of it serves both.
        seen = self._views.get(id(report))
        if seen is not None:
            return seen
        unit = self.facts.units.get(report.unit_id) if report.unit_id is not None else None
        seen = self._views[id(report)] = ReportView(
            report.status,
            report.note,
            report.on,
            unit.name if unit else None,
            report.percent,
            report.reason,
            report.done_count,
            report.target_count,
        )
        return seen


def _representative(judged: list[_Judged], today: date) -> _Judged:
    """The occurrence that speaks for a task in the period (see the module's rules)."""
    if len(judged) == 1:
        return judged[0]
    # The first deadline not done, else the last deadline (one pass: a yearly task has two or three).
    last: _Judged | None = None
    for j in judged:
        if not j.occurrence.checkin:
            if j.standing.state.state not in DONE_STATES:
                return j
            last = j
    if last is not None:
        return last
    reported = [j for j in judged if j.shown is not None]
    if reported:
        return max(reported, key=lambda j: (j.shown.at, j.occurrence.due) if j.shown else (datetime.min, date.min))
    passed = [j for j in judged if j.occurrence.due < today]
    return passed[-1] if passed else judged[0]


def _rate(judged: Iterable[_Judged]) -> float | None:
    decided = on_time = 0
    for j in judged:
        if j.occurrence.checkin:
            continue
        state = j.standing.state.state
        if state in DONE_STATES or state in LATE_STATES:
            decided += 1
            on_time += state == OccurrenceState.DONE_ON_TIME
    return round(on_time / decided, 4) if decided else None


_QUALIFIER = r"(?:khoảng|ít nhất|tối thiểu|trên|hơn)\s+"
_PERCENT = re.compile(
    rf"({_QUALIFIER})?(\d+(?:[.,]\d+)?)\s*%([^%]*?)(?=(?:{_QUALIFIER})?\d+(?:[.,]\d+)?\s*%|$)", re.IGNORECASE
)
_TARGET_STOP = re.compile(r"\s+(?:và|thực hiện|được|để|nhằm|trong|tham gia)\s+|[;.()]", re.IGNORECASE)
_COUNT = re.compile(r"(?:ít nhất\s+)?\d+\s*[^\W\d_]+\s*/\s*năm", re.IGNORECASE)
TARGET_WORDS = 6
_OCCURRENCE_ORDER = attrgetter("due", "checkin", "id")  # in C: the sort key of thousands of occurrences


@lru_cache(maxsize=65536)
def _targets(note: str | None, time_text: str, count: int | None) -> tuple[str, ...]:
    targets: list[str] = []
    if note and "%" in note:
        for match in _PERCENT.finditer(note):
            words = _TARGET_STOP.split(match.group(3), maxsplit=1)[0].split()[:TARGET_WORDS]
            phrase = f"{match.group(1) or ''}{match.group(2)}%"
            targets.append(" ".join([phrase, *words]).rstrip(",:") if words else phrase)
    if count is not None:
        found = _COUNT.search(time_text)
        if found is not None:
            targets.append(" ".join(found.group(0).split()))
    return tuple(targets)


def plan_targets(task: TaskFact) -> tuple[str, ...]:
    """The numbers a task's text sets as targets, in the plan's words (cached: plan texts repeat)."""
    return _targets(task.target_note, task.time_text, task.count_target)


def build_summary(
    facts: SummaryFacts,
    *,
    period: Period,
    previous: Period | None,
    today: date,
    unit_id: int | None = None,
    history: Sequence[Period] = (),
) -> Summary:
    """The summary of `period` as of `today`, for the whole plan or (`unit_id`) one unit's tasks.

    `history`: periods whose on-time rates the chart shows (the facts must cover their deadlines).
    """
    ctx = _Context(facts, today, unit_id)
    units, reports = facts.units, facts.reports
    tasks = facts.tasks
    if unit_id is not None:
        tasks = [t for t in tasks if unit_id in t.lead_unit_ids or unit_id in t.coordinating_unit_ids]
    in_scope = {task.id for task in tasks}
    start, end = period.start, period.end
    judged_by_task: dict[int, list[_Judged]] = {}
    # Deadlines before the period, judged once whether carried over or not: other periods' rates read them.
    earlier: dict[int, _Judged] = {}
    leads, reports_of = ctx.leads, reports.get
    for occurrence in sorted(facts.occurrences, key=_OCCURRENCE_ORDER):
        task_id = occurrence.task_id
        if task_id not in in_scope:
            continue
        due = occurrence.due
        if due < start:
            if occurrence.checkin:
                continue
            judged = _Judged(
                occurrence, standing(due, False, leads[task_id], reports_of(occurrence.id, ()), today, unit_id)
            )
            earlier[occurrence.id] = judged
            done_on = judged.standing.done_on
            # Carried over: still open (overdue now), or done only once the period had begun.
            if judged.standing.state.state in LATE_STATES or (done_on is not None and done_on >= start):
                judged.carried = True
            else:
                continue
        elif due <= end:
            judged = _Judged(
                occurrence,
                standing(due, occurrence.checkin, leads[task_id], reports_of(occurrence.id, ()), today, unit_id),
            )
        else:
            continue
        found = judged_by_task.get(task_id)
        if found is None:
            judged_by_task[task_id] = [judged]
        else:
            found.append(judged)

    ordered_sections = sorted(facts.sections, key=lambda s: s.position)
    section_codes: dict[int | None, str] = {s.id: s.code for s in ordered_sections}
    items_by_section: dict[str | None, list[SummaryItem]] = {}
    blocked: list[BlockedEntry] = []
    needs_date: list[str] = []
    targets: list[TargetView] = []
    # Who has not reported: the lead units of the period's tasks with no report on its occurrences (on
    # a carried-over deadline, only a report made in the period counts: an older one says nothing of it).
    expected: set[int] = set()
    reported: set[int] = set()
    waiting_state = derive_state(None, None, None, today).state
    # A task waiting for an event belongs to every period of the plan, not to those before it.
    waiting_shown = facts.plan.issued is None or period.end >= facts.plan.issued
    view, names = ctx.view, ctx.names
    for task in tasks:
        judged_list = judged_by_task.get(task.id)
        if judged_list is None and not (task.waiting and waiting_shown):
            if task.needs_date:
                needs_date.append(task.code)
            continue
        lead_names = names(task.lead_unit_ids)
        section_code = section_codes.get(task.section_id)
        if judged_list is None:  # waiting for an event
            item = SummaryItem(
                task_id=task.id,
                code=task.code,
                section_code=section_code,
                content=task.content,
                lead_units=lead_names,
                time_text=task.time_text,
                due=None,
                checkin=False,
                state=waiting_state,
                blocked=False,
                latest=None,
                event=task.event,
            )
            items_by_section.setdefault(section_code, []).append(item)
            continue
        chosen = judged_list[0] if len(judged_list) == 1 else _representative(judged_list, today)
        occurrence, chosen_standing = chosen.occurrence, chosen.standing
        state, contributions = chosen_standing.state, chosen_standing.contributions
        item = SummaryItem(
            task.id,
            task.code,
            section_code,
            task.content,
            lead_names,
            task.time_text,
            occurrence.due,
            occurrence.checkin,
            state.state,
            state.blocked,
            view(chosen_standing.shown),
            task.event,
            chosen_standing.units_done,
            tuple(v for r in contributions if (v := view(r)) is not None) if contributions else (),
            chosen.carried,
        )
        section_items = items_by_section.get(section_code)
        if section_items is None:
            items_by_section[section_code] = [item]
        else:
            section_items.append(item)
        if state.blocked:
            for report in chosen_standing.blocked_by:
                unit = units.get(report.unit_id) if report.unit_id is not None else None
                name = unit.name if unit else (lead_names[0] if lead_names else "")
                blocked.append(BlockedEntry(task.code, name, report.reason))
        task_leads = leads[task.id]
        expected.update(task_leads)
        # One pass over the task's reports: who reported in the period, and the newest figure for its targets.
        wanted = _targets(task.target_note, task.time_text, task.count_target)
        shared = len(task_leads) > 1 and unit_id is not None
        newest: ReportFact | None = None
        for j in judged_list:
            found_reports = reports_of(j.occurrence.id)
            if not found_reports:
                continue
            carried = j.carried
            for r in found_reports:
                if r.unit_id is not None and (not carried or r.on >= start):
                    reported.add(r.unit_id)
                if (
                    wanted
                    and (r.percent is not None or r.done_count is not None)
                    and r.role == UnitRole.LEAD
                    and (not shared or r.unit_id == unit_id)
                    and (newest is None or r.at > newest.at)
                ):
                    newest = r
        if wanted:
            targets.append(TargetView(task.code, wanted, view(newest)))

    sections = [
        SectionBlock(section.code, section.title, tuple(items_by_section[section.code]))
        for section in ordered_sections
        if items_by_section.get(section.code)
    ]
    if items_by_section.get(None):
        sections.append(SectionBlock(None, "", tuple(items_by_section[None])))
    counts = dict.fromkeys(STATE_ORDER, 0)
    late: list[SummaryItem] = []
    for section in sections:
        for item in section.items:
            counts[item.state] += 1
            if item.state in LATE_STATES:
                late.append(item)
    late.sort(key=lambda i: i.due or date.max)

    if unit_id is not None:
        expected &= {unit_id}
    not_reported = tuple(units[u].name for u in sorted(expected - reported))

    def rate_of(other: Period) -> float | None:
        first, last = other.start, other.end
        return _rate(
            earlier.get(o.id) or ctx.judge(o)
            for o in facts.occurrences
            if not o.checkin and first <= o.due <= last and o.task_id in in_scope
        )

    # The on-time rate measures the period's own deadlines: a carried-over one was measured in its own period.
    rate = _rate(j for judged_list in judged_by_task.values() for j in judged_list if not j.carried)
    return Summary(
        plan=facts.plan,
        period=period,
        previous=previous,
        today=today,
        unit=units.get(unit_id) if unit_id is not None else None,
        sections=tuple(sections),
        counts=counts,
        late=tuple(late),
        blocked=tuple(blocked),
        not_reported=not_reported,
        on_time_rate=rate,
        previous_on_time_rate=rate_of(previous) if previous is not None else None,
        targets=tuple(targets),
        needs_date=tuple(needs_date),
        rate_history=tuple((p, rate if p == period else rate_of(p)) for p in history),
    )
