"""Reminders: the policy that says when to nudge whom, the ledger of steps already queued, and the
durable outbox every message goes through (nothing is sent that is not a row here first)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ReminderKind(StrEnum):
    LEAD = "lead"  # to the lead unit before a deadline
    COORDINATING = "coordinating"  # a lighter note to coordinating units, once
    CHECKIN = "checkin"  # ongoing work, near the end of each quarter
    OBLIGATION = "obligation"  # plan-wide duty (every unit's report before 15/11)
    OVERDUE = "overdue"  # a nudge after the deadline
    ESCALATION = "escalation"  # to the unit lead, then the monitor, after unanswered nudges


class ReminderPolicy(SQLModel, table=True):
    """Per plan; a row with a task and/or unit overrides the plan's for that task or unit."""

    __tablename__ = "reminder_policy"
    __table_args__ = (UniqueConstraint("plan_id", "task_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    lead_days: list[int] = Field(default_factory=lambda: [14, 7, 3, 1, 0], sa_column=Column(JSON, nullable=False))
    obligation_days: list[int] = Field(
        default_factory=lambda: [30, 15, 7, 3, 1], sa_column=Column(JSON, nullable=False)
    )
    checkin_days_before: int = 7  # a check-in goes out this many days before the quarter ends
    overdue_every_working_days: int = 3
    escalate_after_nudges: int = 2
    send_at: str = Field(default="08:30", max_length=5)  # local time (Asia/Ho_Chi_Minh), working days only


class ReminderStep(SQLModel, table=True):
    """The ledger: one row per step queued for a recipient, so a step is never queued twice — not by
    two processes, not after a restart."""

    __tablename__ = "reminder_step"
    __table_args__ = (UniqueConstraint("occurrence_id", "kind", "step", "recipient", name="uq_reminder_step"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    kind: ReminderKind = Field(sa_column=Column(String(20), nullable=False))
    step: str = Field(max_length=40)  # e.g. "-7" days before, "+3" working days after, "lead", "monitor"
    recipient: str = Field(max_length=120)  # "<platform>:<chat id>"
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    planned_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher until `lease_until`
    SENT = "sent"  # only once the platform acknowledged it
    FAILED = "failed"  # gave up (retry horizon passed, or refused by the platform); shown to admins
    HELD = "held"  # set aside unsent: the recipient blocked the bot or is paused (see scheduler/delivery/outbox.py)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "state", "due_at"),
        # A reply to a sent message finds it (a reminder of several tasks, see domain/replies.py).
        Index("ix_outbox_sent_message", "chat_id", "platform_message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    # "private" or "group" (domain.messages.ChatKind), as the enqueuer knew it: the rate limits differ,
    # and an id's shape says nothing on every platform (Zalo's ids are opaque strings).
    chat_kind: str = Field(sa_column=Column(String(10), nullable=False))
    member_id: int | None = Field(default=None, foreign_key="member.id")
    text: str
    buttons: list[list[dict[str, str]]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reason: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # why: steps
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    state: OutboxState = Field(default=OutboxState.PENDING, sa_column=Column(String(20), nullable=False))
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    leased_by: str | None = Field(default=None, max_length=120)
    attempts: int = 0
    last_error: str | None = None
    # When the current run of failed sends began (None once sent): retries go on until the horizon after it.
    failing_since: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    platform_message_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # A file sent with `text` as its caption (e.g. the monitor's .docx draft); all three set, or none.
    attachment_filename: str | None = Field(default=None, max_length=200)
    attachment_mime_type: str | None = Field(default=None, max_length=120)
    attachment_content: bytes | None = Field(default=None, sa_column=Column(LargeBinary(), nullable=True))


class DispatcherLease(SQLModel, table=True):
    """SQLite has no SKIP LOCKED: there, one dispatcher at a time holds this row's lease."""

    __tablename__ = "dispatcher_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=120)
    lease_until: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RateBudget(SQLModel, table=True):
    """One platform's overall send budget shared by the workers on one database: a token bucket in
    wall-clock seconds, and a pause after the platform said 429 to more than one chat."""

    __tablename__ = "rate_budget"

    platform: str = Field(primary_key=True, max_length=20)
    tokens: float
    updated: float  # wall-clock seconds (epoch) of the last refill
    paused_until: float = 0.0
