"""Progress reports: which occurrence a reply is about, storing it, editing, withdrawing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.messages import Incoming
from bot.people import Person
from bot.progress_language import ProgressReading, ProgressStatus
from models import AuditLog, Occurrence, PendingReply, ProgressReport, Prompt, ReportStatus, Task, TaskUnit
from models.registry import Plan


@dataclass(frozen=True)
class Target:
    occurrence_id: int
    task_id: int
    task_code: str
    plan_id: int


def target_of(session: Session, occurrence_id: int) -> Target | None:
    row = session.exec(
        select(Occurrence, Task)
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(Occurrence.id == occurrence_id)
    ).first()
    if row is None:
        return None
    occurrence, task = row
    assert occurrence.id is not None and task.id is not None
    return Target(occurrence.id, task.id, task.code, task.plan_id)


def may_report(session: Session, person: Person, task_id: int) -> bool:
    """Only members of the task's lead or coordinating units report on it."""
    units = set(session.exec(select(TaskUnit.unit_id).where(TaskUnit.task_id == task_id)).all())
    return bool(units & person.unit_ids)


def create_prompt(
    session: Session, *, occurrence_id: int, member_id: int | None, platform: str, chat_id: str, now: datetime
) -> Prompt:
    prompt = Prompt(
        platform=platform, chat_id=chat_id, occurrence_id=occurrence_id, member_id=member_id, created_at=now
    )
    session.add(prompt)
    session.flush()
    return prompt


def prompt_sent(session: Session, prompt_id: int, message_id: str) -> None:
    """The platform acknowledged the prompt: a reply to that message now finds its occurrence."""
    prompt = session.get(Prompt, prompt_id)
    if prompt is not None:
        prompt.message_id = message_id
        session.add(prompt)


def prompt_replied_to(session: Session, incoming: Incoming) -> Prompt | None:
    if incoming.reply_to_message_id is None:
        return None
    return session.exec(
        select(Prompt).where(
            Prompt.platform == incoming.platform.value,
            Prompt.chat_id == incoming.chat_id,
            Prompt.message_id == incoming.reply_to_message_id,
        )
    ).first()


def open_prompt_occurrences(session: Session, member_id: int) -> list[int]:
    """Occurrences the bot asked this member about that are still unanswered and not done, newest first."""
    prompts = session.exec(
        select(Prompt.occurrence_id)
        .join(Occurrence, col(Occurrence.id) == col(Prompt.occurrence_id))
        .where(Prompt.member_id == member_id, col(Prompt.answered_at).is_(None), col(Occurrence.archived_at).is_(None))
        .order_by(col(Prompt.created_at).desc(), col(Prompt.id).desc())
    ).all()
    done = set(
        session.exec(
            select(ProgressReport.occurrence_id).where(
                col(ProgressReport.occurrence_id).in_(prompts),
                ProgressReport.status == ReportStatus.DONE.value,
                col(ProgressReport.withdrawn_at).is_(None),
            )
        ).all()
    )
    return [o for o in dict.fromkeys(prompts) if o not in done]


def _status(reading: ProgressReading) -> ReportStatus | None:
    if reading.status == ProgressStatus.UNCLEAR:
        return None
    return ReportStatus(reading.status.value)


def _unit_for(session: Session, person: Person, task_id: int) -> int | None:
    units = session.exec(select(TaskUnit.unit_id).where(TaskUnit.task_id == task_id)).all()
    mine = [unit for unit in units if unit in person.unit_ids]
    return mine[0] if mine else None


def record(
    session: Session, person: Person, target: Target, reading: ProgressReading, incoming: Incoming, now: datetime
) -> ProgressReport:
    report = ProgressReport(
        occurrence_id=target.occurrence_id,
        member_id=person.member_id,
        unit_id=_unit_for(session, person, target.task_id),
        status=_status(reading),
        percent=reading.percent,
        reason=reading.reason,
        done_count=reading.done_count,
        target_count=reading.target_count,
        note=reading.note,
        platform=incoming.platform.value,
        chat_id=incoming.chat_id,
        message_id=incoming.message_id,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    if report.status is not None:
        answered(session, person, target.occurrence_id, now)
    audit_report(session, person, report, "report.create", now)
    return report


def answered(session: Session, person: Person, occurrence_id: int, now: datetime) -> None:
    for prompt in session.exec(
        select(Prompt).where(
            Prompt.occurrence_id == occurrence_id,
            Prompt.member_id == person.member_id,
            col(Prompt.answered_at).is_(None),
        )
    ):
        prompt.answered_at = now
        session.add(prompt)


def audit_report(session: Session, person: Person, report: ProgressReport, action: str, now: datetime) -> None:
    session.add(
        AuditLog(
            at=now,
            actor=f"member:{person.member_id}",
            action=action,
            entity=f"report:{report.id}",
            detail={
                "occurrence": report.occurrence_id,
                "status": report.status,
                "percent": report.percent,
                "reason": report.reason,
                "note": report.note,
            },
        )
    )


def report_from_message(session: Session, incoming: Incoming, member_id: int) -> ProgressReport | None:
    return session.exec(
        select(ProgressReport).where(
            ProgressReport.platform == incoming.platform.value,
            ProgressReport.chat_id == incoming.chat_id,
            ProgressReport.message_id == incoming.message_id,
            ProgressReport.member_id == member_id,
        )
    ).first()


def update_report(
    session: Session, person: Person, report: ProgressReport, reading: ProgressReading, now: datetime
) -> None:
    """An edited message updates its report; an unreadable edit keeps the status and updates the note."""
    status = _status(reading)
    if status is not None:
        report.status = status
        report.percent = reading.percent
        report.reason = reading.reason
        report.done_count = reading.done_count
        report.target_count = reading.target_count
    report.note = reading.note
    report.updated_at = now
    report.withdrawn_at = None
    session.add(report)
    session.flush()
    if report.status is not None:
        answered(session, person, report.occurrence_id, now)
    audit_report(session, person, report, "report.edit", now)


def set_status(session: Session, person: Person, report: ProgressReport, status: ReportStatus, now: datetime) -> None:
    report.status = status
    report.updated_at = now
    session.add(report)
    session.flush()
    answered(session, person, report.occurrence_id, now)
    audit_report(session, person, report, "report.status", now)


def last_report(session: Session, person: Person) -> ProgressReport | None:
    return session.exec(
        select(ProgressReport)
        .where(ProgressReport.member_id == person.member_id, col(ProgressReport.withdrawn_at).is_(None))
        .order_by(col(ProgressReport.created_at).desc(), col(ProgressReport.id).desc())
    ).first()


def withdraw(session: Session, person: Person, report: ProgressReport, now: datetime) -> None:
    report.withdrawn_at = now
    session.add(report)
    # The question is open again: a new reply without quoting attaches to it.
    for prompt in session.exec(
        select(Prompt).where(Prompt.occurrence_id == report.occurrence_id, Prompt.member_id == person.member_id)
    ):
        prompt.answered_at = None
        session.add(prompt)
    session.flush()
    audit_report(session, person, report, "report.withdraw", now)


def keep_pending(
    session: Session, person: Person, incoming: Incoming, occurrence_ids: list[int], now: datetime
) -> PendingReply:
    pending = PendingReply(
        member_id=person.member_id,
        platform=incoming.platform.value,
        chat_id=incoming.chat_id,
        message_id=incoming.message_id,
        text=incoming.text,
        occurrence_ids=occurrence_ids,
        created_at=now,
    )
    session.add(pending)
    session.flush()
    return pending


def plan_of(session: Session) -> Plan | None:
    """The plan a chat talks about: the only one, or the most recently imported."""
    return session.exec(select(Plan).order_by(col(Plan.imported_at).desc(), col(Plan.id).desc())).first()
