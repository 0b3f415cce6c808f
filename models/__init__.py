"""SQLModel tables, the engine and sessions, and the Alembic migrations.

Importing this package registers every table on `SQLModel.metadata`.
"""

from models.audit import AuditLog
from models.registry import Plan, Section, Task, TaskUnit, Unit, UnitAlias, UnitKind, UnitRole

__all__ = ["AuditLog", "Plan", "Section", "Task", "TaskUnit", "Unit", "UnitAlias", "UnitKind", "UnitRole"]
