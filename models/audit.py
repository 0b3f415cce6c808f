"""Who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor: str = Field(max_length=200)  # "cli:<os user>", later "telegram:<id>"
    action: str = Field(max_length=80)  # "plan.import", "unit.merge", …
    entity: str = Field(max_length=200)  # what it touched, e.g. "plan:12/KH-SKHCN"
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
