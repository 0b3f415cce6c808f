"""An occurrence's state, derived from its deadline and its latest report, in the words Vietnamese
progress reports use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from locales import N_
from models.progress import ReportStatus


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
