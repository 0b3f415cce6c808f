"""The platform- and database-neutral result of reading a plan document.

Readers produce these plain values; `importer.store` writes them to the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.errors import UserFacingError
from models.registry import UnitKind

__all__ = [
    "NearDuplicate",
    "ObligationProposal",
    "PlanDocument",
    "PlanImportError",
    "PlanMetadata",
    "SectionRow",
    "SkippedRow",
    "TaskRow",
    "UnitKind",
    "UnitRef",
]


@dataclass(frozen=True)
class UnitRef:
    """A unit as written in a cell, already normalised (NFC, single spaces)."""

    name: str
    kind: UnitKind = UnitKind.SINGLE


@dataclass(frozen=True)
class SectionRow:
    code: str  # "I", "II", "III.1.1"
    title: str
    parent: str | None  # code of the enclosing section
    position: int  # order in the document, from 0
    line: int  # 1-based line (text/csv) or row number (docx/xlsx) where it starts


@dataclass(frozen=True)
class TaskRow:
    code: str  # "II.3": section code + the row's number
    section: str  # code of the section that holds it
    number: str  # the number as written in the TT column
    position: int
    content: str  # markup removed; the italic target note stays in the text
    target_note: str | None  # the part that was in <i>…</i>, if any
    lead_units: tuple[UnitRef, ...]
    coordinating_units: tuple[UnitRef, ...]
    time_text: str
    extra: dict[str, str]  # other columns, by their heading as written
    line: int


@dataclass(frozen=True)
class SkippedRow:
    line: int
    # A gettext msgid (marked with N_ where it is defined) and its parameters; translated at the edge.
    reason: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanMetadata:
    """What the document says about itself; every field may be missing."""

    code: str | None = None  # the document number, e.g. "12/KH-SKHCN"
    title: str | None = None
    issuing_body: str | None = None
    issued: date | None = None
    horizon_year: int | None = None


@dataclass(frozen=True)
class NearDuplicate:
    """Two unit names that may mean the same unit; the admin decides."""

    name: str
    other: str
    why: str  # "diacritics", "spelling", "abbreviation"


@dataclass(frozen=True)
class ObligationProposal:
    """A plan-wide reporting duty found in the plan's body; the admin confirms it before it is kept."""

    sentence: str  # the numbered item or sentence that states it, NFC, single spaces, no list number
    time_text: str  # the time phrase as written, e.g. "định kỳ trước ngày 15/11 hàng năm"
    reporters: str | None  # who reports, as written, e.g. "Các phòng, đơn vị trực thuộc Sở"
    recipient: str | None  # to whom, as written


@dataclass(frozen=True)
class PlanDocument:
    metadata: PlanMetadata
    sections: tuple[SectionRow, ...]
    tasks: tuple[TaskRow, ...]
    skipped: tuple[SkippedRow, ...]
    source_name: str
    source_sha256: str
    near_duplicates: tuple[NearDuplicate, ...] = ()
    obligations: tuple[ObligationProposal, ...] = ()


class PlanImportError(UserFacingError):
    """Bad input. `message` is a gettext msgid with `{placeholders}` filled from `params` at the edge."""
