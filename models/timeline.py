"""Time in the registry: dated occurrences of each task, outside events, calendar overrides and the
plan-wide obligations found in a plan's body."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class OccurrenceSource(StrEnum):
    SCHEDULE = "schedule"  # expanded from the task's time text
    EVENT = "event"  # created when an admin recorded an outside event


class Occurrence(SQLModel, table=True):
    """One period's deadline of a task (or, for ongoing work, one period's check-in).

    Due dates are the dates the plan states; reminders move to working days, deadlines do not.
    """

    __tablename__ = "occurrence"
    __table_args__ = (
        # One occurrence per task, day and kind from its schedule; one per task and day from each
        # event (two events may give a task the same day without sharing, or losing, a row).
        Index(
            "uq_occurrence_schedule",
            "task_id",
            "due",
            "checkin",
            unique=True,
            sqlite_where=text("source = 'schedule'"),
            postgresql_where=text("source = 'schedule'"),
        ),
        Index(
            "uq_occurrence_event",
            "task_id",
            "event_id",
            "due",
            unique=True,
            sqlite_where=text("source = 'event'"),
            postgresql_where=text("source = 'event'"),
        ),
        # A period's occurrences are read by due date; the index holds what that read needs, so the
        # table itself is not visited (a summary of 10,000 tasks reads 8,000 of them).
        Index("ix_occurrence_due", "due", "task_id", "checkin", "archived_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    due: date
    checkin: bool = False
    # The period as data (kind, year, index); its label is rendered per locale ("Quý IV/2025").
    period_kind: str = Field(sa_column=Column(String(20), nullable=False))
    period_year: int
    period_index: int | None = None
    source: OccurrenceSource = Field(default=OccurrenceSource.SCHEDULE, sa_column=Column(String(20), nullable=False))
    event_id: int | None = Field(default=None, foreign_key="event.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # A changed schedule archives what it no longer has; reports on it stay.
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Event(SQLModel, table=True):
    """An outside event a task waits for ("Trung ương ban hành Đề án …"), recorded by an admin."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    description: str
    occurred_on: date
    due_in_days: int
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    corrected_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class EventTask(SQLModel, table=True):
    __tablename__ = "event_task"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    task_id: int = Field(foreign_key="task.id", primary_key=True)


class CalendarOverrideKind(StrEnum):
    DAY_OFF = "off"
    WORKDAY = "work"


class CalendarOverride(SQLModel, table=True):
    """The government announces swaps each year; the admin records them here."""

    __tablename__ = "calendar_override"

    day: date = Field(primary_key=True)
    kind: CalendarOverrideKind = Field(sa_column=Column(String(10), nullable=False))
    reason: str = ""
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ObligationStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"


class PlanObligation(SQLModel, table=True):
    """A reporting duty stated in the plan's body, proposed by the importer, accepted by an admin."""

    __tablename__ = "plan_obligation"
    __table_args__ = (UniqueConstraint("plan_id", "sentence"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    sentence: str  # the plan's own words
    time_text: str  # "trước ngày 15/11 hàng năm"
    reporters: str | None = None  # who must report, as the plan says it
    recipient: str | None = None  # who receives the reports
    status: ObligationStatus = Field(default=ObligationStatus.PROPOSED, sa_column=Column(String(20), nullable=False))
    task_id: int | None = Field(default=None, foreign_key="task.id")
