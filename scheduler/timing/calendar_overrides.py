"""The admin's changes to the working calendar, kept in the database (the government announces day
swaps each year), and the calendar built from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from locales import N_
from models import AuditLog, CalendarOverride, CalendarOverrideKind
from models.errors import UserFacingError
from scheduler.timing.calendar import WorkingCalendar

NO_OVERRIDE = N_("{date} has no change recorded by an admin.")
EMPTY_REASON = N_('Give the reason for the day off, e.g. "Nghỉ bù Quốc khánh".')


def load_calendar(session: Session) -> WorkingCalendar:
    overrides = session.exec(select(CalendarOverride)).all()
    return WorkingCalendar(
        extra_days_off={o.day: o.reason for o in overrides if o.kind == CalendarOverrideKind.DAY_OFF},
        extra_workdays=[o.day for o in overrides if o.kind == CalendarOverrideKind.WORKDAY],
    )


def set_override(
    session: Session, day: date, kind: CalendarOverrideKind, reason: str, *, actor: str, now: datetime
) -> CalendarOverride:
    """Records a day off (with its reason) or a working day; a second call for the same day replaces it."""
    reason = " ".join(reason.split())
    if kind == CalendarOverrideKind.DAY_OFF and not reason:
        raise UserFacingError(EMPTY_REASON)
    override = session.get(CalendarOverride, day)
    before = None if override is None else {"kind": str(override.kind), "reason": override.reason}
    if override is None:
        override = CalendarOverride(day=day, kind=kind, reason=reason, created_by=actor, created_at=now)
    else:
        override.kind, override.reason, override.created_by, override.created_at = kind, reason, actor, now
    session.add(override)
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="calendar.set",
            entity=f"day:{day.isoformat()}",
            detail={"kind": kind.value, "reason": reason, "before": before},
        )
    )
    session.flush()
    return override


def remove_override(session: Session, day: date, *, actor: str, now: datetime) -> None:
    override = session.get(CalendarOverride, day)
    if override is None:
        raise UserFacingError(NO_OVERRIDE, date=day.strftime("%d/%m/%Y"))
    session.delete(override)
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="calendar.remove",
            entity=f"day:{day.isoformat()}",
            detail={"kind": str(override.kind), "reason": override.reason},
        )
    )
    session.flush()


def list_overrides(session: Session, year: int) -> list[CalendarOverride]:
    return list(
        session.exec(
            select(CalendarOverride)
            .where(col(CalendarOverride.day) >= date(year, 1, 1), col(CalendarOverride.day) <= date(year, 12, 31))
            .order_by(col(CalendarOverride.day))
        ).all()
    )
