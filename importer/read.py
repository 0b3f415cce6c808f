"""Entry point of the pure part of plan import: a file in, a `PlanDocument` out (no database, no output)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PurePath

from sqlmodel import SQLModel

from importer.document import PlanDocument, PlanImportError
from importer.metadata import extract_metadata
from importer.obligations import find_obligations
from importer.readers import MSG_EMPTY, read_csv, read_docx, read_text, read_xlsx
from importer.table import Source, parse_table, shortened
from importer.units import find_near_duplicates
from locales import N_
from models.registry import Section, Task

MSG_MISSING = N_("The file {name} was not found.")
MSG_UNREADABLE = N_("The file {name} could not be opened; please check that it is readable.")
MSG_TOO_LARGE = N_("The file {name} is {size_mb} MB; a plan file may be at most {limit_mb} MB.")
MSG_UNSUPPORTED = N_(
    "Files of type “{extension}” cannot be imported ({name}); please send a .txt, .md, .docx, .xlsx or .csv file."
)

MAX_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024

Reader = Callable[[bytes, str], Source]

_READERS: dict[str, Reader] = {
    "": read_text,
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".csv": read_csv,
    ".tsv": read_csv,
}


def _too_large(name: str, size: int) -> PlanImportError:
    return PlanImportError(MSG_TOO_LARGE, name=name, size_mb=f"{size / _MB:.1f}", limit_mb=str(MAX_BYTES // _MB))


def reader_for(name: str) -> Reader:
    """The reader for a file name, chosen by its extension; raises PlanImportError for other types."""
    extension = PurePath(name).suffix.lower()
    reader = _READERS.get(extension)
    if reader is None:
        raise PlanImportError(MSG_UNSUPPORTED, name=name, extension=extension)
    return reader


def read_plan(path: Path) -> PlanDocument:
    """Reads the plan file at `path`; raises PlanImportError (never anything else) for bad input."""
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise PlanImportError(MSG_MISSING, name=name)
        size = path.stat().st_size
    except OSError as error:
        raise PlanImportError(MSG_MISSING, name=name) from error
    # Checked before reading, so a huge file is never loaded.
    if size > MAX_BYTES:
        raise _too_large(name, size)
    reader_for(name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanImportError(MSG_UNREADABLE, name=name) from error
    return read_plan_bytes(data, name)


def _column_length(model: type[SQLModel], column: str) -> int:
    length = model.__table__.c[column].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int)
    return length


MSG_NO_TASKS = N_("The task table in {name} has a header but no task rows.")
MSG_LONG_UNIT = N_(
    "A unit name on line {line} of {name} is longer than {limit} characters; please check the unit columns."
)
# Unit names are matched through a unique key; a cell this long is a misplaced column, not a name.
MAX_UNIT_NAME = 300
MSG_LONG_CODE = N_(
    "The number «{code}» on line {line} of {name} is longer than {limit} characters; please check the numbering column."
)
# The code columns' lengths: PostgreSQL refuses a longer code, SQLite stores it; refused here on both.
MAX_TASK_CODE = _column_length(Task, "code")
MAX_SECTION_CODE = _column_length(Section, "code")


def read_plan_bytes(data: bytes, name: str) -> PlanDocument:
    """Reads a plan from its bytes; `name` (the file name) picks the format and appears in messages."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    reader = reader_for(name)
    if not data.strip():
        raise PlanImportError(MSG_EMPTY, name=name)
    table = parse_table(reader(data, name), name)
    if not table.tasks:
        raise PlanImportError(MSG_NO_TASKS, name=name)
    for rows, limit in ((table.sections, MAX_SECTION_CODE), (table.tasks, MAX_TASK_CODE)):
        for row in rows:
            if len(row.code) > limit:
                raise PlanImportError(
                    MSG_LONG_CODE, name=name, code=shortened(row.code), line=str(row.line), limit=str(limit)
                )
    for task in table.tasks:
        for unit in (*task.lead_units, *task.coordinating_units):
            if len(unit.name) > MAX_UNIT_NAME:
                raise PlanImportError(MSG_LONG_UNIT, name=name, line=str(task.line), limit=str(MAX_UNIT_NAME))
    unit_names = (unit.name for task in table.tasks for unit in (*task.lead_units, *task.coordinating_units))
    return PlanDocument(
        metadata=extract_metadata(table.prose),
        sections=table.sections,
        tasks=table.tasks,
        skipped=table.skipped,
        source_name=name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        near_duplicates=find_near_duplicates(unit_names),
        obligations=find_obligations(table.prose),
    )
