"""Where occurrences stand, read from the database for the views outside the summary (/tasks, /task, the
reminder policy, `report add`, the open prompts): the same read as the summary's
(`models.progress.with_unit_reports`, folded by `domain.unit_reports.read_unit_reports`) and the same
derivation (`domain.status.standing`), so no two views can disagree about an occurrence."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from domain.status import OccurrenceFact, ReportFact, Standing, standing
from domain.unit_reports import REPORT_COLUMNS, LocalDays, read_unit_reports
from models.db import raw_rows
from models.progress import ReportStatus, with_unit_reports
from models.registry import UnitRole

__all__ = ["Reported", "maybe_done", "open_occurrences", "reported", "unit_for"]

_TABLES = SQLModel.metadata.tables
_OCCURRENCES, _TASKS = _TABLES["occurrence"], _TABLES["task"]
_OCCURRENCE, _TASK = _OCCURRENCES.c, _TASKS.c
_BASE = sa.select(_OCCURRENCE.id, _OCCURRENCE.task_id, _OCCURRENCE.due, _OCCURRENCE.checkin).select_from(_OCCURRENCES)
_BY_ID = _BASE.where(_OCCURRENCE.id.in_(sa.bindparam("ids", expanding=True)))
# (plain, LATERAL) forms of the read: PostgreSQL takes the LATERAL one (see `with_unit_reports`).
_READS = {
    "by_id": (with_unit_reports(_BY_ID, *REPORT_COLUMNS), with_unit_reports(_BY_ID, *REPORT_COLUMNS, lateral=True))
}
_REPORTS = _TABLES["progress_report"].c


# Whether any unit ever reported the occurrence done (and did not withdraw it): without such a report it is
# open from every side, whatever else was said. The condition is `ix_report_done`'s, the status written out
# (`models.progress.DONE_REPORT`): with it bound, SQLite read every report of the occurrence instead.
def maybe_done(occurrence_id: sa.ColumnElement[int]) -> sa.Exists:
    """Whether a report of done stands on the occurrence `occurrence_id` names (in the enclosing query): only
    then can `Reported.standing` say it is done, from any side, so a read may leave the others' reports out."""
    return sa.exists().where(
        _REPORTS.occurrence_id == occurrence_id,
        _REPORTS.withdrawn_at.is_(None),
        _REPORTS.status == sa.literal_column(f"'{ReportStatus.DONE.value}'"),
    )


_MAYBE_DONE = maybe_done(_OCCURRENCE.id)
# Work left to do: a plan's live occurrences but the check-ins of past quarters (the current one counts),
# listed without their reports: those are read only for the occurrences that can come first (below).
_OPEN = (
    sa.select(_OCCURRENCE.id, _OCCURRENCE.task_id, _OCCURRENCE.due, _OCCURRENCE.checkin, _MAYBE_DONE)
    .select_from(_OCCURRENCES)
    .join(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .where(
        _TASK.plan_id == sa.bindparam("plan_id"),
        _TASK.archived_at.is_(None),
        _OCCURRENCE.archived_at.is_(None),
        sa.not_(sa.and_(_OCCURRENCE.checkin, _OCCURRENCE.due < sa.bindparam("today"))),
        _OCCURRENCE.due > sa.bindparam("after"),
        _OCCURRENCE.due <= sa.bindparam("until"),
    )
)
_OPEN_OF_TASKS = _OPEN.where(_OCCURRENCE.task_id.in_(sa.bindparam("task_ids", expanding=True)))
# A member's work: the tasks one of their units leads or coordinates, found in the same statement.
_TASK_UNIT = _TABLES["task_unit"].c
_OPEN_OF_UNITS = _OPEN.where(
    _OCCURRENCE.task_id.in_(
        sa.select(_TASK_UNIT.task_id).where(_TASK_UNIT.unit_id.in_(sa.bindparam("unit_ids", expanding=True)))
    )
)
_CHUNK = 5000


@dataclass(slots=True)  # not frozen: every chat answer makes dozens, and a frozen one costs twice as much
class Reported:
    """One occurrence with what its units reported: each reporting unit's newest report, newest first.
    Never changed once made."""

    occurrence: OccurrenceFact
    leads: tuple[int, ...]  # the units that lead its task (groups left out: they never report)
    roles: dict[int, UnitRole]  # every unit of its task that can report, with its role there
    reports: Sequence[ReportFact]

    def standing(self, today: date, unit_id: int | None = None) -> Standing:
        return standing(self.occurrence.due, self.occurrence.checkin, self.leads, self.reports, today, unit_id)


_ROLES = {role.value: role for role in UnitRole}


def _read(session: Session, name: str, params: dict[str, Any], tz: ZoneInfo) -> list[Reported]:
    plain, lateral = _READS[name]
    statement = lateral if session.connection().dialect.name == "postgresql" else plain
    # Straight through the driver: on every message, SQLAlchemy's row objects and type processing cost
    # more than the query (a member's /tasks reads some sixty rows).
    rows = raw_rows(session, statement, params)
    # Per occurrence, its units in the order read (a unit that both leads and coordinates: its first row),
    # and of them the lead units.
    roles: dict[int, dict[int, UnitRole]] = {}
    leads: dict[int, list[int]] = {}
    lead = UnitRole.LEAD
    for row in rows:
        occurrence_id, unit_id = row[0], row[4]
        on_task = roles.get(occurrence_id)
        if on_task is None:
            on_task = roles[occurrence_id] = {}
            leads[occurrence_id] = []
        if unit_id not in on_task:
            role = on_task[unit_id] = _ROLES[row[5]]
            if role is lead:
                leads[occurrence_id].append(unit_id)
    occurrences, reports = read_unit_reports(rows, LocalDays(tz))
    return [
        Reported(occurrence, tuple(leads[occurrence.id]), roles[occurrence.id], reports.get(occurrence.id, []))
        for occurrence in occurrences
    ]


def reported(session: Session, occurrence_ids: Iterable[int], tz: ZoneInfo) -> dict[int, Reported]:
    """The occurrences with these ids (those whose task has no unit that can report are left out)."""
    ids = list(dict.fromkeys(occurrence_ids))
    found: dict[int, Reported] = {}
    for start in range(0, len(ids), _CHUNK):
        for item in _read(session, "by_id", {"ids": ids[start : start + _CHUNK]}, tz):
            found[item.occurrence.id] = item
    return found


def open_occurrences(
    session: Session,
    plan_id: int,
    task_ids: Collection[int] | None,
    today: date,
    tz: ZoneInfo,
    *,
    after: date = date.min,
    until: date = date.max,
    of_units: Collection[int] | None = None,
) -> list[Reported]:
    """The live occurrences of the plan's tasks (`task_ids` None: all of them) due after `after` up to
    `until`, but past check-ins, in order of due date; the caller keeps, per task, the first not done as
    it sees them. Of each task, only the occurrences up to its first one nobody has reported done are
    read with their reports: that one is open from every side, so no later one can come first (a
    member's /tasks read a year of check-ins and deadlines with their reports to show one line a task).
    `of_units`: only the tasks one of these units leads or coordinates (with `task_ids` None)."""
    params = {"plan_id": plan_id, "today": today, "after": after, "until": until}
    if of_units is not None:
        assert task_ids is None
        rows = raw_rows(session, _OPEN_OF_UNITS, {**params, "unit_ids": list(of_units)})
    elif task_ids is None:
        rows = raw_rows(session, _OPEN, params)
    else:
        ids = list(task_ids)
        rows = [
            row
            for start in range(0, len(ids), _CHUNK)
            for row in raw_rows(session, _OPEN_OF_TASKS, {**params, "task_ids": ids[start : start + _CHUNK]})
        ]
    rows.sort(key=lambda row: (row[2], row[3], row[0]))  # due (ISO text on SQLite), check-in, id
    candidates: list[int] = []
    reached: set[int] = set()  # tasks whose occurrence nobody reported done is listed already
    for occurrence_id, task_id, _due, _checkin, maybe_done in rows:
        if task_id not in reached:
            candidates.append(occurrence_id)
            if not maybe_done:
                reached.add(task_id)
    found = reported(session, candidates, tz)
    return [found[occurrence_id] for occurrence_id in candidates if occurrence_id in found]


def unit_for(item: Reported, unit_ids: Collection[int]) -> int | None:
    """Whose view of a task several units lead a member sees: the first of the member's units that leads
    it (None, the whole task, for a task one unit leads or one the member only coordinates)."""
    if len(item.leads) < 2:
        return None
    return next((unit for unit in item.leads if unit in unit_ids), None)
