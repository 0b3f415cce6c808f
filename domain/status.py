"""An occurrence's state, derived from its deadline and its units' latest reports, in the words Vietnamese
progress reports use. `standing` is the one derivation every view uses (/tasks, /task, /summary, the
reminder policy, the .docx and .xlsx); `models.progress.with_unit_reports` is the one read it takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from locales import N_
from models.progress import ReportStatus
from models.registry import UnitRole


class OccurrenceState(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    IN_PROGRESS_LATE = "in_progress_late"
    NOT_DONE = "not_done"  # past its deadline with nothing done
    NOT_DUE = "not_due"
    WAITING_EVENT = "waiting_event"


# msgids; the Vietnamese words are the ones reports use (hoàn thành đúng hạn, …).
STATE_WORDS: dict[OccurrenceState, str] = {
    OccurrenceState.DONE_ON_TIME: N_("done on time"),
    OccurrenceState.DONE_LATE: N_("done late"),
    OccurrenceState.IN_PROGRESS: N_("in progress (on time)"),
    OccurrenceState.IN_PROGRESS_LATE: N_("in progress, overdue"),
    OccurrenceState.NOT_DONE: N_("not done"),
    OccurrenceState.NOT_DUE: N_("not yet due"),
    OccurrenceState.WAITING_EVENT: N_("waiting for an event"),
}
BLOCKED_WORD = N_("blocked")

STATE_ICONS: dict[OccurrenceState, str] = {
    OccurrenceState.DONE_ON_TIME: "✅",
    OccurrenceState.DONE_LATE: "☑️",
    OccurrenceState.IN_PROGRESS: "⏳",
    OccurrenceState.IN_PROGRESS_LATE: "⏰",
    OccurrenceState.NOT_DONE: "❌",
    OccurrenceState.NOT_DUE: "🕒",
    OccurrenceState.WAITING_EVENT: "⏸️",
}
BLOCKED_ICON = "⚠️"


@dataclass(frozen=True)
class DerivedState:
    state: OccurrenceState
    blocked: bool  # "vướng mắc": shown first, with its reason


def derive_state(due: date | None, latest: ReportStatus | None, reported_on: date | None, today: date) -> DerivedState:
    """`due` None means the task waits for an outside event that has not been recorded."""
    if due is None:
        return DerivedState(OccurrenceState.WAITING_EVENT, blocked=latest == ReportStatus.BLOCKED)
    if latest == ReportStatus.DONE:
        on_time = reported_on is not None and reported_on <= due
        return DerivedState(OccurrenceState.DONE_ON_TIME if on_time else OccurrenceState.DONE_LATE, blocked=False)
    overdue = today > due
    if latest in (ReportStatus.IN_PROGRESS, ReportStatus.BLOCKED):
        state = OccurrenceState.IN_PROGRESS_LATE if overdue else OccurrenceState.IN_PROGRESS
        return DerivedState(state, blocked=latest == ReportStatus.BLOCKED)
    return DerivedState(OccurrenceState.NOT_DONE if overdue else OccurrenceState.NOT_DUE, blocked=False)


@lru_cache(maxsize=65536)
def occurrence_state(
    due: date, status: ReportStatus | None, on: date | None, checkin: bool, today: date
) -> DerivedState:
    """`derive_state` of a dated occurrence; a check-in of ongoing work ("Thường xuyên") has no deadline of
    its own, so work under way is never "quá hạn" there. (Cached: a period repeats a few dozen due dates.)"""
    state = derive_state(due, status, on, today)
    if checkin and state.state == OccurrenceState.IN_PROGRESS_LATE:
        return DerivedState(OccurrenceState.IN_PROGRESS, state.blocked)
    return state


@dataclass(slots=True)
class OccurrenceFact:
    id: int
    task_id: int
    due: date
    checkin: bool = False


@dataclass(slots=True)
class ReportFact:
    """The latest report of one unit on one occurrence."""

    occurrence_id: int
    unit_id: int | None
    status: ReportStatus
    note: str
    on: date  # the local day it was last changed (what "on time" is measured by)
    at: datetime  # when it was made (what "latest" is ordered by)
    percent: int | None = None
    reason: str | None = None
    done_count: int | None = None
    target_count: int | None = None
    role: UnitRole = UnitRole.LEAD  # a coordinating unit's report is a contribution


@dataclass(slots=True)  # not frozen: a summary makes one per occurrence, and a frozen one costs twice as much
class Standing:
    """Where one occurrence stands, seen from the whole plan or from one of the units that lead it.
    Never changed once made (unreported ones are shared)."""

    state: DerivedState
    shown: ReportFact | None  # the lead report a line quotes
    blocked_by: tuple[ReportFact, ...]  # the lead reports that say blocked
    units_done: tuple[int, int] | None  # (done, all) when several units lead the task
    contributions: tuple[ReportFact, ...]  # coordinating units' reports, newest first
    # The local day it was done (the last lead unit's, when several lead it); None while not done. A
    # summary carries an earlier deadline into a period when it was not done before the period began.
    done_on: date | None = None

    @property
    def done(self) -> bool:
        return self.state.state in (OccurrenceState.DONE_ON_TIME, OccurrenceState.DONE_LATE)


def standing(
    due: date,
    checkin: bool,
    leads: Sequence[int],
    reports: Sequence[ReportFact],
    today: date,
    unit_id: int | None = None,
) -> Standing:
    """The state of an occurrence due `due` from `reports`, each reporting unit's latest, newest first.

    Only lead reports decide: a coordinating unit's report is a contribution and never closes the task.
    `leads` are the units that lead the task (groups left out: they never report). With one lead, its
    newest lead report decides. With several, the task is done when each of them reported it done,
    blocked when one of them is, under way when any reported; seen from one of them (`unit_id`), only that
    unit's own report counts (it answers for its part).
    """
    if len(leads) < 2:  # the common cases first: a summary derives thousands
        if not reports:
            return _unreported(due, checkin, today)
        if len(reports) == 1 and reports[0].role == UnitRole.LEAD:
            only = reports[0]
            state = occurrence_state(due, only.status, only.on, checkin, today)
            done_on = only.on if only.status == ReportStatus.DONE else None
            return Standing(state, only, (only,) if state.blocked else (), None, (), done_on)
    contributions = tuple(r for r in reports if r.role != UnitRole.LEAD) if reports else ()
    lead_reports = [r for r in reports if r.role == UnitRole.LEAD] if contributions else reports
    if len(leads) > 1 and unit_id in leads:
        lead_reports = [r for r in lead_reports if r.unit_id == unit_id]
    elif len(leads) > 1:
        return _shared(due, checkin, leads, lead_reports, contributions, today)
    shown = lead_reports[0] if lead_reports else None
    if shown is None:
        return Standing(occurrence_state(due, None, None, checkin, today), None, (), None, contributions)
    state = occurrence_state(due, shown.status, shown.on, checkin, today)
    done_on = shown.on if shown.status == ReportStatus.DONE else None
    return Standing(state, shown, (shown,) if state.blocked else (), None, contributions, done_on)


@lru_cache(maxsize=4096)
def _unreported(due: date, checkin: bool, today: date) -> Standing:
    return Standing(occurrence_state(due, None, None, checkin, today), None, (), None, ())


def _shared(
    due: date,
    checkin: bool,
    leads: Sequence[int],
    lead_reports: Sequence[ReportFact],
    contributions: tuple[ReportFact, ...],
    today: date,
) -> Standing:
    """A task several units lead, seen from the whole plan: each lead unit answers for itself."""
    by_unit = {r.unit_id: r for r in reversed(lead_reports)}  # newest wins
    of_leads = [by_unit[u] for u in leads if u in by_unit]
    done = [r for r in of_leads if r.status == ReportStatus.DONE]
    blocked_by = tuple(r for r in of_leads if r.status == ReportStatus.BLOCKED)
    shown = blocked_by[0] if blocked_by else (lead_reports[0] if lead_reports else None)
    on = max((r.on for r in done), default=None)
    status: ReportStatus | None
    if len(done) == len(leads):
        status = ReportStatus.DONE
    elif blocked_by:
        status = ReportStatus.BLOCKED
    elif any(r.status in (ReportStatus.DONE, ReportStatus.IN_PROGRESS) for r in of_leads):
        status = ReportStatus.IN_PROGRESS
    elif of_leads:
        status = ReportStatus.NOT_STARTED
    else:
        status = None
    state = occurrence_state(due, status, on, checkin, today)
    done_on = on if status == ReportStatus.DONE else None
    return Standing(state, shown, blocked_by, (len(done), len(leads)), contributions, done_on)
