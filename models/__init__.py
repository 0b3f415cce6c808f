"""SQLModel tables, the engine and sessions, and the Alembic migrations.

Importing this package registers every table on `SQLModel.metadata`.
"""

from models.audit import AuditLog
from models.registry import Plan, Section, Task, TaskOrigin, TaskUnit, Unit, UnitAlias, UnitKind, UnitRole
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

__all__ = [
    "AuditLog",
    "CalendarOverride",
    "CalendarOverrideKind",
    "Event",
    "EventTask",
    "ObligationStatus",
    "Occurrence",
    "OccurrenceSource",
    "Plan",
    "PlanObligation",
    "Section",
    "Task",
    "TaskOrigin",
    "TaskUnit",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "UnitRole",
]
