"""The task table, whatever file it came from: finds the header row, recognises the columns by their
heading words, and turns the rows into sections and tasks (merging rows split by a page break)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from importer.document import PlanImportError, SectionRow, SkippedRow, TaskRow, UnitRef
from importer.units import fold_diacritics, normalize_text, split_units
from locales import N_

# Errors (PlanImportError); {name} is the file name.
MSG_NO_TABLE = N_(
    "No task table was found in {name}. Please make sure it has a header row with a number column "
    "(TT), a task content column and a lead unit column."
)
MSG_NO_CONTENT_COLUMN = N_(
    "The table header on line {line} of {name} has no task content column; please name it, for example, "
    "“Nội dung nhiệm vụ”."
)
MSG_NO_LEAD_COLUMN = N_(
    "The table header on line {line} of {name} has no lead unit column; please name it, for example, “Cơ quan chủ trì”."
)
MSG_DUPLICATE_TASK = N_(
    "Task {code} appears twice in {name}, on line {first_line} and on line {second_line}; "
    "please number the tasks so that each code is used once."
)
MSG_DUPLICATE_SECTION = N_(
    "Section {code} appears twice in {name}, on line {first_line} and on line {second_line}; "
    "please give each section its own number."
)

# Reasons a row was skipped (SkippedRow.reason); the line number is shown next to them.
SKIP_OUTSIDE_TABLE = N_("the line is outside the task table (it has no tab-separated columns)")
SKIP_NO_NUMBER = N_("the row has no number in the TT column and does not continue a task")
SKIP_BAD_NUMBER = N_("“{number}” in the TT column is neither a section (I, II, III.1) nor a task (1, 2, 1.2)")
SKIP_SECTION_WITH_DETAILS = N_("section {number} has a unit or a time filled in, which a section heading cannot have")
SKIP_NO_CONTENT = N_("task {number} has no content")
SKIP_REPEATED_HEADER = N_("the header row is repeated")


class Role(StrEnum):
    NUMBER = "number"
    CONTENT = "content"
    LEAD = "lead"
    COORDINATING = "coordinating"
    TIME = "time"


# Heading words, compared without diacritics and case (data: Vietnamese table headings).
_NUMBER_HEADINGS = frozenset({"tt", "stt", "so tt", "s tt", "so thu tu", "thu tu"})
_TIME_PREFIXES = (
    "thoi gian",
    "thoi han",
    "tien do",
    "han hoan thanh",
    "han chot",
    "moc thoi gian",
    "thoi diem",
)
_TIME_HEADINGS = frozenset({"han", "thoi han"})
_CONTENT_PREFIXES = (
    "noi dung",
    "nhiem vu",
    "ten nhiem vu",
    "cong viec",
    "ten cong viec",
    "giai phap",
    "hoat dong",
    "ten hoat dong",
    "ten de an",
)
_LEAD_WORDS = "chu tri"
_LEAD_HEADINGS = frozenset(
    {f"{who} {what}" for who in ("co quan", "don vi", "bo phan", "phong") for what in ("thuc hien", "chiu trach nhiem")}
)
_COORDINATING_WORDS = "phoi hop"

_HEADING_JUNK = re.compile(r"[\W_]+")
_ARABIC = re.compile(r"^\d+(?:\.\d+)*\.?$")
# Roman I..XXXIX, optionally with dotted sub-numbers: "III", "III.1", "III.1.1".
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_SECTION = re.compile(rf"^{_ROMAN}(?:\.\d+)*\.?$")
# A section row whose title was typed in the number cell: "II. Rà soát, xây dựng …".
_SECTION_WITH_TITLE = re.compile(rf"^({_ROMAN}(?:\.\d+)*)[.)]\s+(\S.*)$", re.DOTALL)

_TAG = re.compile(
    r"<\s*(/?)\s*(i|em|b|strong|u|s|strike|sup|sub|span|font|small|big|mark|br|p|div)\b[^<>]*>",
    re.IGNORECASE,
)
_ITALIC_TAGS = frozenset({"i", "em"})
_BREAK_TAGS = frozenset({"br", "p", "div"})


@dataclass(frozen=True, slots=True)
class Record:
    """One row as read: a line of a text file, a CSV record, a table row."""

    line: int
    cells: tuple[str, ...] | None  # None: a line of prose (text files only)
    text: str = ""  # the whole line, for prose
    comment: bool = False  # a "#" line of a text file


@dataclass(frozen=True)
class Source:
    """What a reader hands over: records in order, and prose that is not among them (Word paragraphs)."""

    records: Sequence[Record]
    prose: Sequence[str] = ()


@dataclass(frozen=True)
class Table:
    prose: tuple[str, ...]  # everything before the header row, for the metadata
    sections: tuple[SectionRow, ...]
    tasks: tuple[TaskRow, ...]
    skipped: tuple[SkippedRow, ...]


# A character reference with its semicolon ("&amp;", "&#273;"): the only entities a plan's HTML-ish
# text holds. Read before the unit cells are split, or "Sở KH&amp;CN" would split at its ";".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda match: html.unescape(match.group(0)), text) if "&" in text else text


def strip_markup(text: str) -> tuple[str, str | None]:
    """`text` without inline tags (line-break tags become newlines) and character references, and the
    italic part, if any.

    The italic part is whitespace-normalised and loses parentheses that wrap it whole.
    """
    if "<" not in text:
        return _unescape(text), None
    parts: list[str] = []
    notes: list[str] = []
    note: list[str] = []
    italic = 0
    position = 0
    for match in _TAG.finditer(text):
        chunk = text[position : match.start()]
        parts.append(chunk)
        if italic:
            note.append(chunk)
        tag = match.group(2).lower()
        closing = bool(match.group(1))
        if tag in _ITALIC_TAGS:
            if closing and italic:
                italic -= 1
                if not italic:
                    notes.append("".join(note))
                    note = []
            elif not closing:
                italic += 1
        elif tag in _BREAK_TAGS:
            parts.append("\n")
            if italic:
                note.append(" ")
        position = match.end()
    tail = text[position:]
    parts.append(tail)
    if italic:
        # An italic tag left open runs to the end of the cell.
        note.append(tail)
        notes.append("".join(note))
    cleaned = [_unwrap(normalize_text(_unescape(item))) for item in notes]
    joined = " ".join(item for item in cleaned if item)
    return _unescape("".join(parts)), joined or None


def _unwrap(note: str) -> str:
    """ "(…)" without its parentheses, unless they are two groups: "(a) và (b)" stays as it is."""
    if not (note.startswith("(") and note.endswith(")")):
        return note
    depth = 0
    for index, char in enumerate(note):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index < len(note) - 1:
                return note
    return note[1:-1].strip()


def shortened(text: str, limit: int = 40) -> str:
    # A whole paragraph typed in the TT column would make the skip message unreadable.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_cell(text: str) -> str:
    """A cell as plain text: markup removed, NFC, single spaces."""
    return normalize_text(strip_markup(text)[0])


def heading_key(text: str) -> str:
    """A heading for recognition: no markup, no diacritics, no case, no punctuation."""
    folded = fold_diacritics(clean_cell(text).casefold())
    return _HEADING_JUNK.sub(" ", folded).strip()


def classify_heading(text: str) -> Role | None:
    key = heading_key(text)
    if not key:
        return None
    if key in _NUMBER_HEADINGS:
        return Role.NUMBER
    if key in _TIME_HEADINGS or key.startswith(_TIME_PREFIXES):
        return Role.TIME
    if key.startswith(_CONTENT_PREFIXES):
        return Role.CONTENT
    if _LEAD_WORDS in key or key in _LEAD_HEADINGS:
        return Role.LEAD
    if _COORDINATING_WORDS in key:
        return Role.COORDINATING
    return None


def header_roles(cells: Sequence[str]) -> dict[Role, int] | None:
    """The recognised columns if `cells` is a header row: a number column and two more recognised ones."""
    roles: dict[Role, int] = {}
    for index, cell in enumerate(cells):
        # Headings are short; skipping long cells keeps the search cheap on big tables.
        if len(cell) > 200:
            continue
        role = classify_heading(cell)
        if role is not None and role not in roles:
            roles[role] = index
    if Role.NUMBER not in roles or len(roles) < 3:
        return None
    return roles


def _prose_of(record: Record) -> str:
    if record.cells is None:
        return record.text
    return " ".join(cell for cell in record.cells if cell.strip())


def parse_table(source: Source, name: str) -> Table:
    """Sections, tasks and skipped rows from `source`; raises PlanImportError for a table it cannot use."""
    prose = list(source.prose)
    records = source.records
    header_at: int | None = None
    roles: dict[Role, int] | None = None
    for index, record in enumerate(records):
        if record.cells is not None:
            roles = header_roles(record.cells)
            if roles is not None:
                header_at = index
                break
        prose.append(_prose_of(record))
    if header_at is None or roles is None:
        raise PlanImportError(MSG_NO_TABLE, name=name)

    header = records[header_at]
    assert header.cells is not None
    if Role.CONTENT not in roles:
        raise PlanImportError(MSG_NO_CONTENT_COLUMN, name=name, line=str(header.line))
    if Role.LEAD not in roles:
        raise PlanImportError(MSG_NO_LEAD_COLUMN, name=name, line=str(header.line))

    builder = _Builder(header.cells, roles, name)
    for record in records[header_at + 1 :]:
        builder.add(record)
    builder.close()
    return Table(
        prose=tuple(prose),
        sections=tuple(builder.sections),
        tasks=tuple(builder.tasks),
        skipped=tuple(sorted(builder.skipped, key=lambda row: row.line)),
    )


@dataclass
class _Pending:
    """A task row being read: its cells still raw, so that continuation rows can be appended."""

    line: int
    number: str
    code: str
    section: str
    cells: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, header: tuple[str, ...], roles: dict[Role, int], name: str) -> None:
        self.name = name
        self.width = len(header)
        self.number_column = roles[Role.NUMBER]
        self.content_column = roles[Role.CONTENT]
        self.lead_column = roles[Role.LEAD]
        self.coordinating_column = roles.get(Role.COORDINATING)
        self.time_column = roles.get(Role.TIME)
        self.detail_columns = [
            column for column in (self.lead_column, self.coordinating_column, self.time_column) if column is not None
        ]
        used = set(roles.values())
        self.extra_columns = [
            (index, clean_cell(heading) or str(index + 1)) for index, heading in enumerate(header) if index not in used
        ]
        self.sections: list[SectionRow] = []
        self.section_lines: dict[str, int] = {}
        self.tasks: list[TaskRow] = []
        self.task_lines: dict[str, int] = {}
        self.skipped: list[SkippedRow] = []
        self.current_section = ""
        self.pending: _Pending | None = None
        # A table repeats a few unit cells thousands of times: split each distinct cell once.
        self.units_of: dict[str, tuple[UnitRef, ...]] = {}

    def add(self, record: Record) -> None:
        if record.comment:
            return
        cells = record.cells
        if cells is None:
            if record.text.strip():
                self.close()
                self.skip(record.line, SKIP_OUTSIDE_TABLE)
            return
        if not any(cell.strip() for cell in cells):
            # A blank row never ends a task: page-break continuations may follow it.
            return
        number = clean_cell(self.cell(cells, self.number_column))
        if not number:
            if self.pending is not None:
                self.continue_pending(cells)
            else:
                self.skip(record.line, SKIP_NO_NUMBER)
            return

        self.close()
        if _ARABIC.match(number):
            self.open_task(record.line, number, cells)
        elif _SECTION.match(number):
            if any(clean_cell(self.cell(cells, column)) for column in self.detail_columns):
                self.skip(record.line, SKIP_SECTION_WITH_DETAILS, number=number)
            else:
                title = clean_cell(self.cell(cells, self.content_column))
                self.open_section(record.line, number.rstrip("."), title)
        elif heading_key(number) in _NUMBER_HEADINGS and header_roles(cells) is not None:
            self.skip(record.line, SKIP_REPEATED_HEADER)
        else:
            titled = _SECTION_WITH_TITLE.match(number)
            others_empty = all(not cell.strip() for index, cell in enumerate(cells) if index != self.number_column)
            if titled and others_empty:
                self.open_section(record.line, titled.group(1), normalize_text(titled.group(2)))
            else:
                self.skip(record.line, SKIP_BAD_NUMBER, number=shortened(number))

    @staticmethod
    def cell(cells: Sequence[str], column: int | None) -> str:
        if column is None or column >= len(cells):
            return ""
        return cells[column]

    def skip(self, line: int, reason: str, **params: str) -> None:
        self.skipped.append(SkippedRow(line=line, reason=reason, params=params))

    def open_section(self, line: int, code: str, title: str) -> None:
        first_line = self.section_lines.get(code)
        if first_line is not None:
            raise PlanImportError(
                MSG_DUPLICATE_SECTION,
                name=self.name,
                code=code,
                first_line=str(first_line),
                second_line=str(line),
            )
        self.section_lines[code] = line
        parent: str | None = None
        parts = code.split(".")
        # "III.1.1" belongs to "III.1" if that exists, else to the nearest section that does.
        for size in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:size])
            if candidate in self.section_lines:
                parent = candidate
                break
        self.sections.append(SectionRow(code=code, title=title, parent=parent, position=len(self.sections), line=line))
        self.current_section = code

    def open_task(self, line: int, number: str, cells: tuple[str, ...]) -> None:
        own = number.rstrip(".")
        code = f"{self.current_section}.{own}" if self.current_section else own
        self.pending = _Pending(line=line, number=number, code=code, section=self.current_section, cells=list(cells))

    def continue_pending(self, cells: tuple[str, ...]) -> None:
        assert self.pending is not None
        merged = self.pending.cells
        if len(cells) > len(merged):
            merged.extend([""] * (len(cells) - len(merged)))
        for index, cell in enumerate(cells):
            if not cell.strip():
                continue
            merged[index] = f"{merged[index]} {cell}" if merged[index].strip() else cell

    def units(self, cell: str) -> tuple[UnitRef, ...]:
        units = self.units_of.get(cell)
        if units is None:
            units = self.units_of[cell] = split_units(strip_markup(cell)[0])
        return units

    def close(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        cells = pending.cells
        content_text, target_note = strip_markup(self.cell(cells, self.content_column))
        content = normalize_text(content_text)
        if not content:
            self.skip(pending.line, SKIP_NO_CONTENT, number=pending.number)
            return
        first_line = self.task_lines.get(pending.code)
        if first_line is not None:
            raise PlanImportError(
                MSG_DUPLICATE_TASK,
                name=self.name,
                code=pending.code,
                first_line=str(first_line),
                second_line=str(pending.line),
            )
        self.task_lines[pending.code] = pending.line

        extra: dict[str, str] = {}
        for index, heading in self.extra_columns:
            value = clean_cell(self.cell(cells, index))
            if value:
                extra[heading] = value
        # Cells beyond the header's last column are kept too, under their column number.
        for index in range(self.width, len(cells)):
            value = clean_cell(cells[index])
            if value:
                extra[str(index + 1)] = value

        self.tasks.append(
            TaskRow(
                code=pending.code,
                section=pending.section,
                number=pending.number,
                position=len(self.tasks),
                content=content,
                target_note=target_note,
                lead_units=self.units(self.cell(cells, self.lead_column)),
                coordinating_units=self.units(self.cell(cells, self.coordinating_column)),
                time_text=clean_cell(self.cell(cells, self.time_column)),
                extra=extra,
                line=pending.line,
            )
        )
