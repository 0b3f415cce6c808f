"""Progress reports: which occurrence a reply is about, storing it, editing, withdrawing.

The statements on the path of every reply are built once, at import, and take their values as bound
parameters: on SQLite, building a SQLAlchemy statement costs several times more than running it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from domain.messages import Incoming
from domain.people import Person
from domain.progress_language import ProgressReading, ProgressStatus
from domain.standings import maybe_done, reported
from domain.standings import unit_for as viewer_unit
from models import Prompt, ReportStatus, UnitRole
from models.db import driver_day, raw_rows
from models.registry import Plan
from models.types import UTCDateTime


class ReportFacts(Protocol):
    """What is shown and audited of a report: a stored `ProgressReport` or one just `Recorded`."""

    @property
    def id(self) -> int | None: ...
    @property
    def occurrence_id(self) -> int: ...
    @property
    def status(self) -> ReportStatus | None: ...
    @property
    def percent(self) -> int | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def note(self) -> str: ...


@dataclass(frozen=True)
class ReportRow:
    """A stored report as the conversation uses it (read and written with plain SQL, not the ORM)."""

    id: int
    occurrence_id: int
    member_id: int
    status: ReportStatus | None
    percent: int | None
    reason: str | None
    note: str
    withdrawn: bool = False


@dataclass(frozen=True)
class Target:
    occurrence_id: int
    task_id: int
    task_code: str
    plan_id: int
    unit_ids: tuple[int, ...] = ()  # the task's lead units, then its coordinating units, in the plan's order
    roles: tuple[UnitRole, ...] = ()  # the role of each of `unit_ids`


# Statements on the tables, not the ORM classes: reading rows and writing them through the ORM costs more than
# the queries themselves on SQLite. Reports and their audit rows are plain INSERTs for the same reason.
_TABLES = SQLModel.metadata.tables
_OCCURRENCES, _TASKS, _TASK_UNITS = _TABLES["occurrence"], _TABLES["task"], _TABLES["task_unit"]
_PROMPTS, _REPORTS, _PLANS = _TABLES["prompt"], _TABLES["progress_report"], _TABLES["plan"]
_OUTBOX = _TABLES["outbox_message"]
_OCCURRENCE, _TASK, _TASK_UNIT = _OCCURRENCES.c, _TASKS.c, _TASK_UNITS.c
_PROMPT, _REPORT, _PLAN = _PROMPTS.c, _REPORTS.c, _PLANS.c

# One row per unit of the task (or one row with no unit): the occurrence, its task and who is in charge.
_TARGET = (
    sa.select(_OCCURRENCE.id, _TASK.id, _TASK.code, _TASK.plan_id, _TASK_UNIT.unit_id, _TASK_UNIT.role)
    .select_from(_OCCURRENCES)
    .join(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .outerjoin(_TASK_UNITS, _TASK_UNIT.task_id == _TASK.id)
    .where(_OCCURRENCE.id == sa.bindparam("occurrence_id"))
    .order_by(sa.case((_TASK_UNIT.role == UnitRole.LEAD.value, 0), else_=1), _TASK_UNIT.position)
)
_CHOICES = (
    sa.select(_OCCURRENCE.id, _TASK.code, _OCCURRENCE.due)
    .join(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .where(_OCCURRENCE.id.in_(sa.bindparam("ids", expanding=True)))
)
_PROMPT_REPLIED_TO = sa.select(_PROMPT.occurrence_id).where(
    _PROMPT.platform == sa.bindparam("platform"),
    _PROMPT.chat_id == sa.bindparam("chat_id"),
    _PROMPT.message_id == sa.bindparam("message_id"),
)
# A reminder of several tasks is one message with several prompts; the prompts are listed in its reason.
_REMINDER_SENT = sa.select(_OUTBOX.c.reason).where(
    _OUTBOX.c.platform == sa.bindparam("platform"),
    _OUTBOX.c.chat_id == sa.bindparam("chat_id"),
    _OUTBOX.c.platform_message_id == sa.bindparam("message_id"),
)
_PROMPTS_ASKED = sa.select(_PROMPT.id, _PROMPT.occurrence_id).where(_PROMPT.id.in_(sa.bindparam("ids", expanding=True)))
# With what a list to pick from shows of each (`choices`): a reply that quotes nothing is asked about them.
# And whether a report of done stands on it: only those are read with their reports to see if they are done.
_OPEN_PROMPTS = (
    sa.select(_PROMPT.occurrence_id, _TASK.code, _OCCURRENCE.due, maybe_done(_OCCURRENCE.id))
    .join(_OCCURRENCES, _OCCURRENCE.id == _PROMPT.occurrence_id)
    .join(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .where(
        _PROMPT.member_id == sa.bindparam("member_id"),
        _PROMPT.answered_at.is_(None),
        _OCCURRENCE.archived_at.is_(None),
    )
    .order_by(_PROMPT.created_at.desc(), _PROMPT.id.desc())
)
_ANSWERED = (
    sa.update(_PROMPTS)
    .where(
        _PROMPT.occurrence_id == sa.bindparam("of_occurrence"),
        _PROMPT.member_id == sa.bindparam("of_member"),
        _PROMPT.answered_at.is_(None),
    )
    .values(answered_at=sa.bindparam("now", type_=UTCDateTime()))
)
_REOPEN = (
    sa.update(_PROMPTS)
    .where(_PROMPT.occurrence_id == sa.bindparam("of_occurrence"), _PROMPT.member_id == sa.bindparam("of_member"))
    .values(answered_at=None)
)
_REPORT_ROW = sa.select(
    _REPORT.id,
    _REPORT.occurrence_id,
    _REPORT.member_id,
    _REPORT.status,
    _REPORT.percent,
    _REPORT.reason,
    _REPORT.note,
    _REPORT.withdrawn_at.is_not(None),
)
_REPORT_BY_ID = _REPORT_ROW.where(_REPORT.id == sa.bindparam("report_id"))
_REPORT_OF_MESSAGE = _REPORT_ROW.where(
    _REPORT.platform == sa.bindparam("platform"),
    _REPORT.chat_id == sa.bindparam("chat_id"),
    _REPORT.message_id == sa.bindparam("message_id"),
    _REPORT.member_id == sa.bindparam("member_id"),
)
_LAST_REPORT = (
    _REPORT_ROW.where(_REPORT.member_id == sa.bindparam("member_id"), _REPORT.withdrawn_at.is_(None))
    .order_by(_REPORT.created_at.desc(), _REPORT.id.desc())
    .limit(1)
)


def _with_target(report: sa.Select[Any]) -> sa.Select[Any]:
    """`report` (a `_REPORT_ROW` query; its first row, as `_row` takes it) with what `target_of` reads of its
    occurrence, in one statement: a row per unit of the task, in `_TARGET`'s order, or one row with no
    task when the occurrence or its task is gone."""
    picked = report.limit(1).subquery()
    return (
        sa.select(*picked.c, _TASK.id, _TASK.code, _TASK.plan_id, _TASK_UNIT.unit_id, _TASK_UNIT.role)
        .select_from(picked)
        .outerjoin(_OCCURRENCES, _OCCURRENCE.id == picked.c.occurrence_id)
        .outerjoin(_TASKS, _TASK.id == _OCCURRENCE.task_id)
        .outerjoin(_TASK_UNITS, _TASK_UNIT.task_id == _TASK.id)
        .order_by(sa.case((_TASK_UNIT.role == UnitRole.LEAD.value, 0), else_=1), _TASK_UNIT.position)
    )


_REPORT_BY_ID_TARGET = _with_target(_REPORT_BY_ID)
_REPORT_OF_MESSAGE_TARGET = _with_target(_REPORT_OF_MESSAGE)
_LAST_REPORT_TARGET = _with_target(_LAST_REPORT)
# The prompt a message replies to (the first one) with its occurrence's target.
_PROMPT_REPLIED_TO_ONE = _PROMPT_REPLIED_TO.limit(1).subquery()
_TARGET_REPLIED_TO = (
    sa.select(
        _PROMPT_REPLIED_TO_ONE.c.occurrence_id,
        _TASK.id,
        _TASK.code,
        _TASK.plan_id,
        _TASK_UNIT.unit_id,
        _TASK_UNIT.role,
    )
    .select_from(_PROMPT_REPLIED_TO_ONE)
    .outerjoin(_OCCURRENCES, _OCCURRENCE.id == _PROMPT_REPLIED_TO_ONE.c.occurrence_id)
    .outerjoin(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .outerjoin(_TASK_UNITS, _TASK_UNIT.task_id == _TASK.id)
    .order_by(sa.case((_TASK_UNIT.role == UnitRole.LEAD.value, 0), else_=1), _TASK_UNIT.position)
)
# A kept reply (`keep_pending`) and the target of the occurrence picked for it, in one statement.
_PENDING = _TABLES["pending_reply"]
_PENDING_PICKED = (
    sa.select(
        _PENDING.c.member_id,
        _PENDING.c.resolved_at.is_not(None),
        _PENDING.c.occurrence_ids,
        _PENDING.c.message_id,
        _PENDING.c.text,
        _OCCURRENCE.id,
        _TASK.id,
        _TASK.code,
        _TASK.plan_id,
        _TASK_UNIT.unit_id,
        _TASK_UNIT.role,
    )
    .select_from(_PENDING)
    .outerjoin(_OCCURRENCES, _OCCURRENCE.id == sa.bindparam("occurrence_id"))
    .outerjoin(_TASKS, _TASK.id == _OCCURRENCE.task_id)
    .outerjoin(_TASK_UNITS, _TASK_UNIT.task_id == _TASK.id)
    .where(_PENDING.c.id == sa.bindparam("pending_id"))
    .order_by(sa.case((_TASK_UNIT.role == UnitRole.LEAD.value, 0), else_=1), _TASK_UNIT.position)
)
_RESOLVE_PENDING = (
    sa.update(_PENDING)
    .where(_PENDING.c.id == sa.bindparam("pending_id"))
    .values(resolved_at=sa.bindparam("now", type_=UTCDateTime()))
)
# The columns to set come with the values (keys named like the columns); `report_id` picks the row.
_UPDATE_REPORT = sa.update(_REPORTS).where(_REPORT.id == sa.bindparam("report_id"))
_PROMPT_OCCURRENCE = sa.select(_PROMPT.occurrence_id).where(_PROMPT.id == sa.bindparam("prompt_id"))
_INSERT_REPORT = sa.insert(_REPORTS).returning(_REPORT.id)
_INSERT_PENDING = sa.insert(_TABLES["pending_reply"]).returning(_TABLES["pending_reply"].c.id)
_AUDIT = sa.insert(_TABLES["audit_log"])
_NEWEST_PLAN = select(Plan).order_by(col(Plan.imported_at).desc(), col(Plan.id).desc()).limit(1)
_NEWEST_PLAN_ID = sa.select(_PLAN.id).order_by(_PLAN.imported_at.desc(), _PLAN.id.desc()).limit(1)
# `plan_id_of` inside another statement: what reads the chat's plan needs no statement of its own for its id.
NEWEST_PLAN_ID = _NEWEST_PLAN_ID.scalar_subquery()


# The statements on the path of every reply go straight through the driver (`models.db.raw_rows`, values
# bound by SQLAlchemy's own processors): on SQLite, SQLAlchemy's execution and result handling cost more
# than these one-row statements.
_ROLES = {role.value: role for role in UnitRole}
_STATUSES = {status.value: status for status in ReportStatus}


def target_of(session: Session, occurrence_id: int) -> Target | None:
    rows = raw_rows(session, _TARGET, {"occurrence_id": occurrence_id})
    if not rows:
        return None
    occurrence, task, code, plan, _unit, _role = rows[0]
    units = [(unit, _ROLES[role]) for *_target, unit, role in rows if unit is not None]
    return Target(occurrence, task, code, plan, tuple(u for u, _r in units), tuple(r for _u, r in units))


def _target(rows: Sequence[Sequence[Any]]) -> Target | None:
    """The target in `rows` (occurrence, task, code, plan, unit, role: `_TARGET`'s columns, the task's
    null when it is gone)."""
    occurrence, task, code, plan, _unit, _role = rows[0]
    if task is None:
        return None
    units = [(unit, _ROLES[role]) for *_target, unit, role in rows if unit is not None]
    return Target(occurrence, task, code, plan, tuple(u for u, _r in units), tuple(r for _u, r in units))


def target_replied_to(session: Session, incoming: Incoming) -> tuple[int, Target | None] | None:
    """The occurrence of the prompt this message replies to, if it replies to one, with its `target_of`, in
    one statement."""
    if incoming.reply_to_message_id is None:
        return None
    rows = raw_rows(
        session,
        _TARGET_REPLIED_TO,
        {
            "platform": incoming.platform.value,
            "chat_id": incoming.chat_id,
            "message_id": incoming.reply_to_message_id,
        },
    )
    return (int(rows[0][0]), _target(rows)) if rows else None


def choices(session: Session, occurrence_ids: list[int]) -> dict[int, tuple[str, date]]:
    """Task code and due date of each occurrence, for a list to pick from."""
    return {row[0]: (row[1], driver_day(row[2])) for row in raw_rows(session, _CHOICES, {"ids": occurrence_ids})}


def may_report(person: Person, target: Target) -> bool:
    """Only members of the task's lead or coordinating units report on it."""
    return not person.unit_ids.isdisjoint(target.unit_ids)


def create_prompt(
    session: Session, *, occurrence_id: int, member_id: int | None, platform: str, chat_id: str, now: datetime
) -> Prompt:
    prompt = Prompt(
        platform=platform, chat_id=chat_id, occurrence_id=occurrence_id, member_id=member_id, created_at=now
    )
    session.add(prompt)
    session.flush()
    return prompt


def occurrences_of_reminder(session: Session, incoming: Incoming) -> list[int]:
    """The occurrences a reminder of several tasks asked about, in its order, when this message replies to
    one; empty otherwise. (A reminder of one task is found by `target_replied_to`.)"""
    if incoming.reply_to_message_id is None:
        return []
    reason = session.execute(
        _REMINDER_SENT,
        {
            "platform": incoming.platform.value,
            "chat_id": incoming.chat_id,
            "message_id": incoming.reply_to_message_id,
        },
    ).scalar()
    prompt_ids = reason.get("prompt_ids") if isinstance(reason, dict) else None
    if not isinstance(prompt_ids, list):
        return []
    wanted = [prompt_id for prompt_id in prompt_ids if isinstance(prompt_id, int)]
    if not wanted:
        return []
    asked = {row[0]: row[1] for row in session.execute(_PROMPTS_ASKED, {"ids": wanted})}
    return list(dict.fromkeys(asked[prompt_id] for prompt_id in wanted if prompt_id in asked))


def open_prompt_occurrences(session: Session, person: Person, today: date, tz: ZoneInfo) -> list[int]:
    """Occurrences the bot asked this member about that are still unanswered and not done (as the member's
    unit sees them), newest first."""
    return list(open_prompts(session, person, today, tz))


def open_prompts(session: Session, person: Person, today: date, tz: ZoneInfo) -> dict[int, tuple[str, date]]:
    """`open_prompt_occurrences`, each with its task code and due date (as `choices` gives them)."""
    prompts: dict[int, tuple[str, date]] = {}
    done_maybe: list[int] = []  # the others are open from every side (`domain.standings.maybe_done`)
    for occurrence_id, code, due, reported_done in raw_rows(session, _OPEN_PROMPTS, {"member_id": person.member_id}):
        if occurrence_id not in prompts:
            prompts[occurrence_id] = (code, driver_day(due))
            if reported_done:
                done_maybe.append(occurrence_id)
    if not done_maybe:
        return prompts
    found = reported(session, done_maybe, tz)
    return {
        occurrence_id: facts
        for occurrence_id, facts in prompts.items()
        if (item := found.get(occurrence_id)) is None
        or not item.standing(today, viewer_unit(item, person.unit_ids)).done
    }


def _status(reading: ProgressReading) -> ReportStatus | None:
    if reading.status == ProgressStatus.UNCLEAR:
        return None
    return ReportStatus(reading.status.value)


def reporting_unit(person: Person, target: Target) -> tuple[int | None, UnitRole | None]:
    """The unit the report speaks for and its role: the reporter's unit that leads the task, else one that
    coordinates it."""
    for unit, role in zip(target.unit_ids, target.roles, strict=True):
        if unit in person.unit_ids:
            return unit, role
    return None, None


def record(
    session: Session, person: Person, target: Target, reading: ProgressReading, incoming: Incoming, now: datetime
) -> ReportRow:
    status = _status(reading)
    unit_id, role = reporting_unit(person, target)
    report_id: int = raw_rows(
        session,
        _INSERT_REPORT,
        {
            "occurrence_id": target.occurrence_id,
            "member_id": person.member_id,
            "unit_id": unit_id,
            "role": role,
            "status": status,
            "percent": reading.percent,
            "reason": reading.reason,
            "done_count": reading.done_count,
            "target_count": reading.target_count,
            "note": reading.note,
            "platform": incoming.platform.value,
            "chat_id": incoming.chat_id,
            "message_id": incoming.message_id,
            "created_at": now,
            "updated_at": now,
        },
    )[0][0]
    report = ReportRow(
        report_id, target.occurrence_id, person.member_id, status, reading.percent, reading.reason, reading.note
    )
    if status is not None:
        answered(session, person, target.occurrence_id, now)
    audit_report(session, person, report, "report.create", now)
    return report


def answered(session: Session, person: Person, occurrence_id: int, now: datetime) -> None:
    raw_rows(session, _ANSWERED, {"of_occurrence": occurrence_id, "of_member": person.member_id, "now": now})


# Set in a session whose transaction records, changes or withdraws a report (every such change is audited).
_REPORTS_CHANGED = "nhacviec.reports_changed"


def reports_changed(session: Session) -> bool:
    """Whether this session recorded, changed or withdrew a report (then the reminder plan may have changed)."""
    return bool(session.info.get(_REPORTS_CHANGED))


def audit_report(session: Session, person: Person, report: ReportFacts, action: str, now: datetime) -> None:
    session.info[_REPORTS_CHANGED] = True
    raw_rows(
        session,
        _AUDIT,
        {
            "at": now,
            "actor": f"member:{person.member_id}",
            "action": action,
            "entity": f"report:{report.id}",
            "detail": {
                "occurrence": report.occurrence_id,
                "status": report.status,
                "percent": report.percent,
                "reason": report.reason,
                "note": report.note,
            },
        },
    )


def _row(rows: Sequence[Sequence[Any]]) -> ReportRow | None:
    """The first of `rows` (read by `raw_rows` from `_REPORT_ROW`), if any."""
    if not rows:
        return None
    report_id, occurrence_id, member_id, status, percent, reason, note, withdrawn = rows[0]
    return ReportRow(
        report_id,
        occurrence_id,
        member_id,
        None if status is None else _STATUSES[status],
        percent,
        reason,
        note,
        bool(withdrawn),
    )


def _row_and_target(rows: Sequence[Sequence[Any]]) -> tuple[ReportRow, Target | None] | None:
    """The report and its target in `rows` (read from a `_with_target` query), if any."""
    report = _row([rows[0][:8]]) if rows else None
    if report is None:
        return None
    return report, _target([(report.occurrence_id, *row[8:]) for row in rows])


def report_by_id_with_target(session: Session, report_id: int) -> tuple[ReportRow, Target | None] | None:
    """The report with this id and its occurrence's `target_of`, in one statement."""
    return _row_and_target(raw_rows(session, _REPORT_BY_ID_TARGET, {"report_id": report_id}))


def prompt_occurrence(session: Session, prompt_id: int) -> int | None:
    """The occurrence a prompt (a reminder, a question) is about."""
    rows = raw_rows(session, _PROMPT_OCCURRENCE, {"prompt_id": prompt_id})
    return int(rows[0][0]) if rows else None


def report_from_message_with_target(
    session: Session, incoming: Incoming, member_id: int
) -> tuple[ReportRow, Target | None] | None:
    """The member's report made from this message, and its occurrence's `target_of`, in one statement."""
    return _row_and_target(
        raw_rows(
            session,
            _REPORT_OF_MESSAGE_TARGET,
            {
                "platform": incoming.platform.value,
                "chat_id": incoming.chat_id,
                "message_id": incoming.message_id,
                "member_id": member_id,
            },
        )
    )


def _update(session: Session, report: ReportRow, **values: object) -> None:
    raw_rows(session, _UPDATE_REPORT, {"report_id": report.id, **values})


def update_report(
    session: Session, person: Person, report: ReportRow, reading: ProgressReading, now: datetime
) -> ReportRow:
    """An edited message updates its report; an unreadable edit keeps the status and updates the note."""
    status = _status(reading)
    if status is not None:
        report = replace(report, status=status, percent=reading.percent, reason=reading.reason)
        _update(
            session,
            report,
            status=status,
            percent=reading.percent,
            reason=reading.reason,
            done_count=reading.done_count,
            target_count=reading.target_count,
            note=reading.note,
            updated_at=now,
            withdrawn_at=None,
        )
    else:
        _update(session, report, note=reading.note, updated_at=now, withdrawn_at=None)
    report = replace(report, note=reading.note, withdrawn=False)
    if report.status is not None:
        answered(session, person, report.occurrence_id, now)
    audit_report(session, person, report, "report.edit", now)
    return report


def set_status(session: Session, person: Person, report: ReportRow, status: ReportStatus, now: datetime) -> ReportRow:
    _update(session, report, status=status, updated_at=now)
    report = replace(report, status=status)
    answered(session, person, report.occurrence_id, now)
    audit_report(session, person, report, "report.status", now)
    return report


def last_report(session: Session, person: Person) -> ReportRow | None:
    return _row(raw_rows(session, _LAST_REPORT, {"member_id": person.member_id}))


def last_report_with_target(session: Session, person: Person) -> tuple[ReportRow, Target | None] | None:
    """`last_report` and its occurrence's `target_of`, in one statement."""
    return _row_and_target(raw_rows(session, _LAST_REPORT_TARGET, {"member_id": person.member_id}))


def withdraw(session: Session, person: Person, report: ReportRow, now: datetime) -> None:
    _update(session, report, withdrawn_at=now)
    # The question is open again: a new reply without quoting attaches to it.
    raw_rows(session, _REOPEN, {"of_occurrence": report.occurrence_id, "of_member": person.member_id})
    audit_report(session, person, replace(report, withdrawn=True), "report.withdraw", now)


def keep_pending(session: Session, person: Person, incoming: Incoming, occurrence_ids: list[int], now: datetime) -> int:
    """Keeps a reply until its author picks the occurrence it is about; the id of the kept reply."""
    pending_id: int = raw_rows(
        session,
        _INSERT_PENDING,
        {
            "member_id": person.member_id,
            "platform": incoming.platform.value,
            "chat_id": incoming.chat_id,
            "message_id": incoming.message_id,
            "text": incoming.text,
            "occurrence_ids": occurrence_ids,
            "created_at": now,
        },
    )[0][0]
    return pending_id


@dataclass(frozen=True)
class Pending:
    """A reply kept by `keep_pending`, as picking its occurrence needs it."""

    member_id: int
    resolved: bool
    occurrence_ids: list[int]
    message_id: str
    text: str


def pending_picked(session: Session, pending_id: int, occurrence_id: int) -> tuple[Pending, Target | None] | None:
    """The kept reply `pending_id`, if any, with the `target_of` the occurrence picked for it."""
    rows = raw_rows(session, _PENDING_PICKED, {"pending_id": pending_id, "occurrence_id": occurrence_id})
    if not rows:
        return None
    member_id, resolved, occurrence_ids, message_id, text = rows[0][:5]
    # The driver hands JSON back as text on SQLite, and already decoded by psycopg on PostgreSQL.
    ids = json.loads(occurrence_ids) if isinstance(occurrence_ids, str | bytes) else occurrence_ids
    pending = Pending(member_id, bool(resolved), ids, message_id, text)
    return pending, _target([row[5:] for row in rows])


def resolve_pending(session: Session, pending_id: int, now: datetime) -> None:
    """The kept reply's occurrence is picked."""
    raw_rows(session, _RESOLVE_PENDING, {"pending_id": pending_id, "now": now})


def plan_of(session: Session) -> Plan | None:
    """The plan a chat talks about: the only one, or the most recently imported."""
    return session.exec(_NEWEST_PLAN).first()


def plan_id_of(session: Session) -> int | None:
    """The id of `plan_of`'s plan, without loading it."""
    rows = raw_rows(session, _NEWEST_PLAN_ID, {})
    return int(rows[0][0]) if rows else None
