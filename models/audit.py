"""Who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    # The newest change of a kind (`registry_stamp`) is one step from this index's end.
    __table_args__ = (Index("ix_audit_log_action", "action", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor: str = Field(max_length=200)  # "cli:<os user>", later "telegram:<id>"
    action: str = Field(max_length=80)  # "plan.import", "unit.merge", …
    entity: str = Field(max_length=200)  # what it touched, e.g. "plan:12/KH-SKHCN"
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# The actions that change what a summary reads from the registry (tasks, their units, sections, the
# events tasks wait for). Every writer of those records one of these: the summary's registry cache is
# keyed by the newest of them (`reports.summary_facts.registry_stamp`).
REGISTRY_ACTIONS = ("plan.import", "obligation.accept", "event.record", "event.correct", "unit.merge", "unit.alias")
