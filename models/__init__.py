"""SQLModel tables, the engine and sessions, and the Alembic migrations.

Importing this package registers every table on `SQLModel.metadata`.
"""

from models.audit import AuditLog
from models.people import ChatBinding, Invite, LinkCode, Member, Membership, PlatformAccount, Role
from models.progress import PendingReply, ProgressReport, Prompt, ReportStatus
from models.questions import OpenQuestion
from models.registry import Plan, Section, Task, TaskOrigin, TaskUnit, Unit, UnitAlias, UnitKind, UnitRole
from models.reminders import (
    DispatcherLease,
    OutboxMessage,
    OutboxState,
    RateBudget,
    ReminderKind,
    ReminderPolicy,
    ReminderStep,
)
from models.timeline import (
    CalendarOverride,
    CalendarOverrideKind,
    Event,
    EventTask,
    ObligationStatus,
    Occurrence,
    OccurrenceSource,
    PlanObligation,
)
from models.updates import PlatformUpdate

__all__ = [
    "AuditLog",
    "CalendarOverride",
    "CalendarOverrideKind",
    "ChatBinding",
    "DispatcherLease",
    "Event",
    "EventTask",
    "Invite",
    "LinkCode",
    "Member",
    "Membership",
    "ObligationStatus",
    "Occurrence",
    "OccurrenceSource",
    "OpenQuestion",
    "OutboxMessage",
    "OutboxState",
    "PendingReply",
    "Plan",
    "PlanObligation",
    "PlatformAccount",
    "PlatformUpdate",
    "ProgressReport",
    "Prompt",
    "RateBudget",
    "ReminderKind",
    "ReminderPolicy",
    "ReminderStep",
    "ReportStatus",
    "Role",
    "Section",
    "Task",
    "TaskOrigin",
    "TaskUnit",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "UnitRole",
]
