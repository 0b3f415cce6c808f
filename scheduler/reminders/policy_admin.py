"""What an admin changes in the reminder policy: the plan's, or an override for a task and/or a unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session, col, select

from locales import N_
from models import AuditLog, Plan, ReminderPolicy, Task
from models.errors import UserFacingError
from models.unit_admin import find_unit
from scheduler.reminders.policy import EARLIEST_SEND, WORKDAY_END

BAD_DAYS = N_("Days must be whole numbers from 0 to 365 separated by commas, e.g. 14,7,3,1,0 (not «{text}»).")
BAD_HOUR = N_("The send time must be between {earliest} and {latest}, written HH:MM, e.g. 08:30 (not «{text}»).")
BAD_COUNT = N_("{name} must be a whole number from 1 to 30.")
NO_TASK = N_("The plan has no task {code}.")
DAYS = re.compile(r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$")


@dataclass(frozen=True)
class PolicyChange:
    lead_days: str | None = None
    obligation_days: str | None = None
    checkin_days_before: int | None = None
    overdue_every_working_days: int | None = None
    escalate_after_nudges: int | None = None
    send_at: str | None = None


def _days(text: str) -> list[int]:
    if not DAYS.match(text) or any(int(d) > 365 for d in text.split(",")):
        raise UserFacingError(BAD_DAYS, text=text.strip())
    return sorted({int(d) for d in text.split(",")}, reverse=True)


def _hour(text: str) -> str:
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or not EARLIEST_SEND <= value < WORKDAY_END:
        raise UserFacingError(
            BAD_HOUR, earliest=EARLIEST_SEND.strftime("%H:%M"), latest=WORKDAY_END.strftime("%H:%M"), text=text.strip()
        )
    return value.strftime("%H:%M")


def _count(name: str, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 30:
        raise UserFacingError(BAD_COUNT, name=name)
    return value


def set_policy(
    session: Session,
    plan: Plan,
    change: PolicyChange,
    *,
    task_code: str | None,
    unit_name: str | None,
    actor: str,
    now: datetime,
) -> ReminderPolicy:
    """Creates or updates the policy row for (plan, task, unit); fields not given keep their values."""
    task_id = None
    if task_code:
        task_id = session.exec(select(Task.id).where(Task.plan_id == plan.id, Task.code == task_code.strip())).first()
        if task_id is None:
            raise UserFacingError(NO_TASK, code=task_code.strip())
    unit_id = find_unit(session, unit_name).id if unit_name else None
    values = {
        "lead_days": _days(change.lead_days) if change.lead_days is not None else None,
        "obligation_days": _days(change.obligation_days) if change.obligation_days is not None else None,
        "checkin_days_before": _count("--checkin-days", change.checkin_days_before),
        "overdue_every_working_days": _count("--overdue-every", change.overdue_every_working_days),
        "escalate_after_nudges": _count("--escalate-after", change.escalate_after_nudges),
        "send_at": _hour(change.send_at) if change.send_at is not None else None,
    }
    assert plan.id is not None
    row = session.exec(
        select(ReminderPolicy).where(
            ReminderPolicy.plan_id == plan.id,
            col(ReminderPolicy.task_id).is_(None) if task_id is None else ReminderPolicy.task_id == task_id,
            col(ReminderPolicy.unit_id).is_(None) if unit_id is None else ReminderPolicy.unit_id == unit_id,
        )
    ).first()
    if row is None:
        row = ReminderPolicy(plan_id=plan.id, task_id=task_id, unit_id=unit_id)
    for name, value in values.items():
        if value is not None:
            setattr(row, name, value)
    session.add(row)
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="reminder_policy.set",
            entity=f"plan:{plan.code}",
            detail={"task": task_code, "unit": unit_name, **{k: v for k, v in values.items() if v is not None}},
        )
    )
    session.flush()
    return row


def list_policies(session: Session, plan: Plan) -> list[ReminderPolicy]:
    return list(
        session.exec(
            select(ReminderPolicy).where(ReminderPolicy.plan_id == plan.id).order_by(col(ReminderPolicy.id))
        ).all()
    )
