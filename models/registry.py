"""The plan's task registry: plans, their sections and tasks, and the units that carry them out."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime

# Invisible characters that Word and web pages leave in text; they would make equal names differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def unit_key(name: str) -> str:
    """How unit names are matched: NFC, casefolded, single spaces ("Văn phòng  Sở" = "văn phòng sở")."""
    folded = unicodedata.normalize("NFC", name).translate(_INVISIBLE).casefold()
    return unicodedata.normalize("NFC", " ".join(folded.split()))


class UnitKind(StrEnum):
    SINGLE = "single"
    GROUP = "group"  # stands for several units, e.g. "Các phòng, đơn vị trực thuộc Sở"


class UnitRole(StrEnum):
    LEAD = "lead"  # cơ quan chủ trì
    COORDINATING = "coordinating"  # cơ quan phối hợp


class Plan(SQLModel, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=120, unique=True)
    title: str
    issuing_body: str | None = None
    issued: date | None = None
    horizon_year: int | None = None
    source_name: str = Field(max_length=255)
    source_sha256: str = Field(max_length=64)
    imported_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # How long after an outside event its tasks are due, unless the admin says otherwise.
    event_due_days: int = Field(default=90, sa_column_kwargs={"server_default": "90"})


class Section(SQLModel, table=True):
    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(max_length=60)
    title: str
    parent_id: int | None = Field(default=None, foreign_key="section.id")
    position: int
    # Sections and tasks dropped from a revised plan are archived, never deleted: history stays.
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class TaskOrigin(StrEnum):
    APPENDIX = "appendix"  # a row of the plan's task table
    OBLIGATION = "obligation"  # a plan-wide duty from the plan's body, accepted by an admin


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        # A plan's few duties among thousands of tasks: every `/summary` reads its reporting cycle there.
        Index("ix_task_origin", "plan_id", "origin"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="section.id", index=True)
    code: str = Field(max_length=80)
    position: int
    content: str
    target_note: str | None = None
    time_text: str
    # Columns the plan has beyond the known ones ("Kết quả", "Sản phẩm dự kiến", …), by heading.
    extra: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The time text read into schedules (scheduler.timing.schedules JSON shapes); empty when it needs a date.
    schedules: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    needs_date: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    origin: TaskOrigin = Field(
        default=TaskOrigin.APPENDIX, sa_column=Column(String(20), nullable=False, server_default="appendix")
    )
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    # NFC, casefolded, single-spaced: how names are matched.
    key: str = Field(max_length=400, unique=True)
    short_name: str | None = Field(default=None, max_length=120)
    # Enums are stored as plain strings so a new value needs no ALTER TYPE on PostgreSQL.
    kind: UnitKind = Field(default=UnitKind.SINGLE, sa_column=Column(String(20), nullable=False))


class UnitAlias(SQLModel, table=True):
    __tablename__ = "unit_alias"

    id: int | None = Field(default=None, primary_key=True)
    alias: str
    key: str = Field(max_length=400, unique=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)


class TaskUnit(SQLModel, table=True):
    """Lead and coordinating units of a task (many-to-many), in the order the plan lists them."""

    __tablename__ = "task_unit"
    __table_args__ = (Index("ix_task_unit_unit", "unit_id"),)

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    role: UnitRole = Field(sa_column=Column(String(20), primary_key=True))
    position: int
