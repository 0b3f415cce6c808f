"""`nhacviec report add`: a progress report recorded from the command line the way a chat reply is.

The text is read by the progress language (`domain.progress_language.parse_progress`) into a status, a
percentage, a reason and counts, and stored as a `ProgressReport` of the unit, dated `at`.

Which occurrence it answers, in this order:
1. a deadline not yet done whose period holds `at` (the report on "Quý IV/2025" made in November);
2. else the earliest deadline not yet done that is already past at `at` (what the overdue reminders ask
   about: a late "đã xong" closes the late deadline, not the next quarter's check-in);
3. else a check-in not yet done whose period holds `at`;
4. else the earliest occurrence not yet done from `at` on;
5. else (everything done) the occurrence whose period holds `at`, as a correction.

Who: the reports are the unit's, written by the system member "cli" (created once, with no chat account
and no role, so it can do nothing else); the audit log names the operating-system user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from domain.progress_language import ProgressReading, ProgressStatus, parse_progress
from domain.standings import reported, unit_for
from locales import N_
from models import (
    AuditLog,
    Member,
    Occurrence,
    PlatformAccount,
    ProgressReport,
    ReportStatus,
    Task,
    TaskUnit,
    UnitRole,
)
from models.errors import UserFacingError
from models.registry import Plan
from reports.summary_chat import find_unit_like
from reports.wording import STATUS_WORDS
from scheduler.timing.periods import Period
from scheduler.timing.planning import period_of

__all__ = ["CLI_MEMBER", "STATUS_WORDS", "AddedReport", "add_report", "parse_moment"]

CLI_MEMBER = "cli"
NO_TASK = N_("There is no task {code} in the plan.")
NOT_TASK_UNIT = N_("«{unit}» is not a lead or coordinating unit of task {code}.")
UNREADABLE = N_(
    "Could not read a status from «{text}»; write e.g. «đã xong», «đang thực hiện, đạt 50%» or «vướng kinh phí»."
)
# A report given with a day only is taken as made at nine in the morning there.
DEFAULT_HOUR = 9
NOTHING_DUE = N_("Task {code} has no deadline or check-in yet (it waits for an event).")


@dataclass(frozen=True)
class AddedReport:
    report_id: int
    task_code: str
    unit: str
    due: date
    period: Period
    checkin: bool
    reading: ProgressReading


def parse_moment(text: str, tz: ZoneInfo) -> datetime | None:
    """`--at`: "2026-03-15" (nine in the morning), "2026-03-15T14:30" (local time), or with an offset."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) <= len("2026-03-15"):
        moment = moment.replace(hour=DEFAULT_HOUR)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _cli_member(session: Session, now: datetime) -> int:
    """The system member "cli": no chat account, no membership."""
    has_account = sa.exists().where(col(PlatformAccount.member_id) == col(Member.id))
    member_id = session.execute(
        sa.select(col(Member.id)).where(col(Member.display_name) == CLI_MEMBER, ~has_account).order_by(col(Member.id))
    ).scalar()
    if member_id is not None:
        return int(member_id)
    member = Member(display_name=CLI_MEMBER, created_at=now)
    session.add(member)
    session.flush()
    assert member.id is not None
    return member.id


def _done(session: Session, occurrence_ids: list[int], unit_id: int, day: date, tz: ZoneInfo) -> set[int]:
    """The occurrences done as the unit sees them (`domain.standings`: only lead reports close a task; of
    a task several units lead, the unit's own part)."""
    found = reported(session, occurrence_ids, tz)
    return {key for key, item in found.items() if item.standing(day, unit_for(item, (unit_id,))).done}


def _choose(occurrences: list[Occurrence], done: set[int], day: date) -> Occurrence | None:
    def holds(occurrence: Occurrence) -> bool:
        period = period_of(occurrence.period_kind, occurrence.period_year, occurrence.period_index, occurrence.due)
        return period.start <= day <= period.end

    open_ones = [o for o in occurrences if o.id not in done]
    steps = (
        [o for o in open_ones if not o.checkin and holds(o)],
        [o for o in open_ones if not o.checkin and o.due < day],
        [o for o in open_ones if o.checkin and holds(o)],
        [o for o in open_ones if o.due >= day],
        [o for o in occurrences if holds(o)],
    )
    return next((step[0] for step in steps if step), None)


def add_report(
    session: Session, plan: Plan, *, task_code: str, unit_text: str, text: str, at: datetime, actor: str, tz: ZoneInfo
) -> AddedReport:
    """Records `text` as the unit's report on the task, made at `at` (aware). Raises UserFacingError."""
    code = task_code.strip()
    task = session.exec(
        select(Task).where(
            Task.plan_id == plan.id, sa.func.upper(col(Task.code)) == code.upper(), col(Task.archived_at).is_(None)
        )
    ).first()
    if task is None or task.id is None:
        raise UserFacingError(NO_TASK, code=code)
    links = session.exec(select(TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id == task.id)).all()
    units = {unit for unit, _role in links}
    try:
        unit_id, unit_name = find_unit_like(session, unit_text, units)
    except UserFacingError:
        raise UserFacingError(NOT_TASK_UNIT, unit=unit_text.strip(), code=task.code) from None
    reading = parse_progress(text)
    if reading.status == ProgressStatus.UNCLEAR:
        raise UserFacingError(UNREADABLE, text=" ".join(text.split()))
    occurrences = list(
        session.exec(
            select(Occurrence)
            .where(Occurrence.task_id == task.id, col(Occurrence.archived_at).is_(None))
            .order_by(col(Occurrence.due), col(Occurrence.checkin), col(Occurrence.id))
        ).all()
    )
    day = at.astimezone(tz).date()
    occurrence = _choose(
        occurrences, _done(session, [o.id for o in occurrences if o.id is not None], unit_id, day, tz), day
    )
    if occurrence is None or occurrence.id is None:
        raise UserFacingError(NOTHING_DUE, code=task.code)
    member_id = _cli_member(session, at)
    report = ProgressReport(
        occurrence_id=occurrence.id,
        member_id=member_id,
        unit_id=unit_id,
        # The unit speaks as the task's lead if it leads it, else as a coordinating unit.
        role=UnitRole.LEAD if (unit_id, UnitRole.LEAD) in links else UnitRole.COORDINATING,
        status=ReportStatus(reading.status.value),
        percent=reading.percent,
        reason=reading.reason,
        done_count=reading.done_count,
        target_count=reading.target_count,
        note=reading.note,
        platform=CLI_MEMBER,
        chat_id=CLI_MEMBER,
        message_id=uuid4().hex,
        created_at=at,
        updated_at=at,
    )
    session.add(report)
    session.flush()
    assert report.id is not None
    session.add(
        AuditLog(
            at=at,
            actor=actor,
            action="report.create",
            entity=f"report:{report.id}",
            detail={
                "occurrence": occurrence.id,
                "unit": unit_id,
                "role": report.role,
                "status": report.status,
                "percent": report.percent,
                "reason": report.reason,
                "note": report.note,
            },
        )
    )
    session.flush()
    return AddedReport(
        report_id=report.id,
        task_code=task.code,
        unit=unit_name,
        due=occurrence.due,
        period=period_of(occurrence.period_kind, occurrence.period_year, occurrence.period_index, occurrence.due),
        checkin=occurrence.checkin,
        reading=reading,
    )
