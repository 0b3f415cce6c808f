"""The one fold of `models.progress.with_unit_reports` rows into facts: each occurrence, and per occurrence
each unit's newest report, newest first. The summary (`reports.summary_facts`) and the standings every
other view reads (`domain.standings`) both take it, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from domain.status import OccurrenceFact, ReportFact
from models import ReportStatus, UnitRole
from models.db import driver_day, driver_moment

__all__ = ["REPORT_COLUMNS", "LocalDays", "read_unit_reports"]

# What `read_unit_reports` takes: the occurrence, then each unit of its task with its role there and its newest report
# (NULLs when it has none). Datetimes come as the driver gives them (naive UTC text on SQLite): the
# summary turns them into local days itself, faster than a TypeDecorator per value.
REPORT_COLUMNS = (
    "role",
    "status",
    "note",
    "updated_at",
    "created_at",
    "percent",
    "reason",
    "done_count",
    "target_count",
)


def read_unit_reports(
    rows: Iterable[Sequence[Any]], local: LocalDays
) -> tuple[list[OccurrenceFact], dict[int, list[ReportFact]]]:
    """Rows of `with_unit_reports` (as `reports.summary_facts._OCCURRENCES`) into facts: the occurrences, and per occurrence each unit's newest report,
    newest first.

    The hot loop of a summary, one row per occurrence and unit: columns named rather than a starred rest,
    and no call per row beyond the facts' own (SQLite's text times are read inline), a third faster on
    8,000 rows."""
    statuses, local_day, roles = local.statuses, local.local_day, local.roles
    # SQLite's naive UTC text ("2026-03-15 02:30:00.000000"): the local day is one per UTC hour (see
    # `LocalDays`), and the moment parses as is with "+00:00" appended.
    hours = local.days if local.by_hour else None
    fromisoformat = datetime.fromisoformat
    occurrences: list[OccurrenceFact] = []
    seen: set[int] = set()
    reports: dict[int, list[ReportFact]] = {}
    days: dict[date | str, date] = {}  # a period has a few dozen due dates among thousands of rows
    several: list[list[ReportFact]] = []  # the occurrences' lists of more than one report, sorted at the end
    for (
        occurrence_id,
        task_id,
        due,
        checkin,
        unit_id,
        role_on_task,
        role,
        status,
        note,
        updated,
        created,
        percent,
        reason,
        done_count,
        target_count,
    ) in rows:
        if occurrence_id not in seen:
            seen.add(occurrence_id)
            day = days.get(due)
            if day is None:
                day = days[due] = driver_day(due)
            occurrences.append(OccurrenceFact(occurrence_id, task_id, day, bool(checkin)))
        if status is None:
            continue
        if type(updated) is str and hours is not None:
            on = hours.get(updated[:13]) or local_day(updated)
        else:
            on = local_day(updated)
        if type(created) is str and len(created) == 26 and created[19] == ".":
            at = fromisoformat(created + "+00:00")
        else:
            at = driver_moment(created)
        report = ReportFact(
            occurrence_id,
            unit_id,
            statuses[status],
            note,
            on,
            at,
            percent,
            reason,
            done_count,
            target_count,
            roles[role or role_on_task],
        )
        found = reports.get(occurrence_id)
        if found is None:
            reports[occurrence_id] = [report]
        elif all(r.unit_id != unit_id for r in found):  # a unit that both leads and coordinates: one report
            if len(found) == 1:
                several.append(found)
            found.append(report)
    for found in several:
        found.sort(key=_made, reverse=True)  # stable: reports made at the same moment stay in the order read
    return occurrences, reports


def _made(report: ReportFact) -> datetime:
    return report.at


_ZERO = timedelta(0)


_STATUSES: Mapping[str, ReportStatus] = MappingProxyType({status.value: status for status in ReportStatus})
_ROLES: Mapping[str, UnitRole] = MappingProxyType({role.value: role for role in UnitRole})


@lru_cache(maxsize=16)
def _whole_hours(tz: ZoneInfo) -> bool:
    """Whether the zone's offsets are all whole hours: then one answer per UTC hour serves every minute."""
    return all(
        (tz.utcoffset(datetime(year, month, 1)) or _ZERO).total_seconds() % 3600 == 0
        for year in (2000, 2025)
        for month in (1, 7)
    )


@lru_cache(maxsize=65536)
def _day_of_hour(hour: str, tz: ZoneInfo) -> date:
    """The local day of a UTC hour written "2026-03-15 02" (SQLite's text, cut at the hour). Kept between
    summaries: a plan's reports span a few thousand hours, and each one took a parse and a zone lookup."""
    return datetime.fromisoformat(hour + ":00:00+00:00").astimezone(tz).date()


class LocalDays:
    """Report times into facts: made aware (UTC), and the local day of the last change.

    The local day depends only on the UTC hour (time zones move by whole or half hours; a half-hour
    zone is handled by the minute-exact path), so it is computed once per hour.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.statuses = _STATUSES
        self.roles = _ROLES
        self.days: dict[str, date] = {}
        self.by_hour = _whole_hours(tz)  # made for every chat answer that reads a few reports

    def local_day(self, updated: datetime | str) -> date:
        if self.by_hour and isinstance(updated, str):
            hour = updated[:13]
            day = self.days.get(hour)
            if day is None:
                day = self.days[hour] = _day_of_hour(hour, self.tz)
            return day
        return driver_moment(updated).astimezone(self.tz).date()
