"""File formats: each reader turns the bytes of one format into a `Source` of records for `importer.table`.

Cell texts keep their line breaks (a Word cell's paragraphs, an Excel cell's lines) so that unit cells
listing one unit a line can be split; every other column collapses them to spaces.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

from importer.document import PlanImportError
from importer.table import Record, Source, header_roles
from locales import N_

MSG_BINARY = N_(
    "The file {name} contains binary data, not UTF-8 text; please send the plan as UTF-8 text, .docx, .xlsx or .csv."
)
MSG_NOT_UTF8 = N_(
    "The file {name} is not UTF-8 text (an unreadable byte at position {position}); please save it as UTF-8."
)
MSG_UTF16 = N_("The file {name} is saved as UTF-16 (Excel's “Unicode Text”); please save it as UTF-8 instead.")
MSG_EMPTY = N_("The file {name} is empty.")
MSG_BAD_DOCX = N_("The file {name} is not a valid Word (.docx) file; please open it in Word and save it again.")
MSG_BAD_XLSX = N_("The file {name} is not a valid Excel (.xlsx) file; please open it in Excel and save it again.")
MSG_BAD_CSV = N_("The file {name} is not well-formed CSV near line {line}; please check its quotes.")
MSG_CSV_CELL_TOO_LARGE = N_(
    "A cell near line {line} of {name} is longer than {limit_kb} KB; please check that cell (or a quote left open before it)."
)
MSG_UNPACKS_TOO_LARGE = N_("The file {name} unpacks to {size_mb} MB; a plan file may unpack to at most {limit_mb} MB.")

CSV_DELIMITERS = (",", ";", "\t")
# How many CSV records to look through for the header while choosing the delimiter.
CSV_SNIFF_RECORDS = 500
# A .docx or .xlsx is a zip: its declared unpacked size is checked before anything is unpacked, so a
# small file that expands a thousandfold is refused without the memory it would take (zipfile never
# yields more than a member's declared size).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Python's csv refuses longer fields (the limit is process-wide, so it is reported, not raised).
CSV_FIELD_LIMIT = csv.field_size_limit()
# Columns of a sheet beyond this are ignored: task tables are narrow, stray far-away cells are not tables.
XLSX_MAX_COLUMNS = 64


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped) with newlines unified; raises for binary or undecodable data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanImportError(MSG_UTF16, name=name)
    if b"\x00" in data:
        raise PlanImportError(MSG_BINARY, name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanImportError(MSG_NOT_UTF8, name=name, position=str(error.start)) from error
    if not text.strip():
        raise PlanImportError(MSG_EMPTY, name=name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(data: bytes, name: str) -> Source:
    """The plan's text form: prose lines, then a tab-separated table; one record a physical line."""
    text = decode_text(data, name)
    records: list[Record] = []
    for number, line in enumerate(text.split("\n"), start=1):
        cells = tuple(line.split("\t")) if "\t" in line else None
        records.append(Record(line=number, cells=cells, text=line, comment=line.lstrip().startswith("#")))
    return Source(records=records)


def _csv_records(text: str, delimiter: str, name: str, limit: int | None = None) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for count, row in enumerate(reader):
            if limit is not None and count >= limit:
                return
            yield Record(line=start, cells=tuple(row))
            start = reader.line_num + 1
    except csv.Error as error:
        line = str(reader.line_num or start)
        if str(error).startswith("field larger than field limit"):
            raise PlanImportError(
                MSG_CSV_CELL_TOO_LARGE, name=name, line=line, limit_kb=str(CSV_FIELD_LIMIT // 1024)
            ) from error
        raise PlanImportError(MSG_BAD_CSV, name=name, line=line) from error


def _header_position(records: Iterable[Record]) -> tuple[int, int] | None:
    """(record index, number of recognised columns) of the first header row, if any."""
    for index, record in enumerate(records):
        if record.cells is not None and len(record.cells) > 1:
            roles = header_roles(record.cells)
            if roles is not None:
                return index, len(roles)
    return None


def read_csv(data: bytes, name: str) -> Source:
    """CSV with `,`, `;` or TAB: the delimiter is the one under which the header row shows up first."""
    text = decode_text(data, name)
    best: tuple[int, int] | None = None
    chosen = CSV_DELIMITERS[0]
    for delimiter in CSV_DELIMITERS:
        try:
            found = _header_position(_csv_records(text, delimiter, name, CSV_SNIFF_RECORDS))
        except PlanImportError:
            continue
        if found is None:
            continue
        rank = (found[0], -found[1])
        if best is None or rank < best:
            best = rank
            chosen = delimiter
    return Source(records=list(_csv_records(text, chosen, name)))


def check_unpacked_size(data: bytes, name: str) -> None:
    """Refuses a zip package whose members declare more than MAX_UNPACKED_BYTES; a file that is no zip
    is left to its reader to refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            size = sum(member.file_size for member in package.infolist())
    except Exception:  # zipfile raises many unrelated types (NotImplementedError for a made-up version)
        return
    if size > MAX_UNPACKED_BYTES:
        mb = 1024 * 1024
        raise PlanImportError(
            MSG_UNPACKS_TOO_LARGE, name=name, size_mb=f"{size / mb:.0f}", limit_mb=str(MAX_UNPACKED_BYTES // mb)
        )


def _docx_paragraph_text(paragraph: Any) -> str:
    """A paragraph's text with italic stretches wrapped in <i>…</i> (they carry the task's target)."""
    from docx.text.hyperlink import Hyperlink  # imported here: text and CSV imports never pay for lxml

    segments: list[tuple[bool, str]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            text = run.text
            if not text:
                continue
            italic = run.italic is True
            # Word splits text into many runs; adjacent italic runs are one stretch.
            if segments and segments[-1][0] == italic:
                segments[-1] = (italic, segments[-1][1] + text)
            else:
                segments.append((italic, text))
    return "".join(f"<i>{text}</i>" if italic and text.strip() else text for italic, text in segments)


def _docx_cell_text(cell: Any) -> str:
    return "\n".join(_docx_paragraph_text(paragraph) for paragraph in cell.paragraphs)


def _docx_rows(table: Any) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in table.rows:
        texts: list[str] = []
        previous: Any = None
        for cell in row.cells:
            # A cell spanning several grid columns comes back once per column: only the first has text.
            # (A vertically merged cell comes back with its text in every row: it applies to each.)
            texts.append("" if cell._tc is previous else _docx_cell_text(cell))
            previous = cell._tc
        rows.append(tuple(texts))
    return rows


def _docx_blocks(data: bytes) -> list[list[tuple[str, ...]] | str]:
    """The body in order: a table as its rows, a paragraph as its text."""
    import docx
    from docx.table import Table as WordTable

    document = docx.Document(io.BytesIO(data))
    blocks: list[list[tuple[str, ...]] | str] = []
    for block in document.iter_inner_content():
        blocks.append(_docx_rows(block) if isinstance(block, WordTable) else block.text)
    return blocks


def read_docx(data: bytes, name: str) -> Source:
    """A Word document: prose is its paragraphs; the records are the rows of the first table with a header
    row and of the tables after it (a long appendix is often split into several tables)."""
    check_unpacked_size(data, name)
    try:
        blocks = _docx_blocks(data)
    except Exception as error:
        # python-docx, lxml and zipfile raise many unrelated types for a damaged or foreign file.
        raise PlanImportError(MSG_BAD_DOCX, name=name) from error

    prose: list[str] = []
    tables: list[list[tuple[str, ...]]] = []
    for block in blocks:
        if isinstance(block, str):
            prose.extend(block.split("\n"))
        else:
            tables.append(block)

    first = next(
        (index for index, rows in enumerate(tables) if any(header_roles(row) is not None for row in rows)),
        0,
    )
    # Tables before the task table (the letterhead holds "Số: …" and the place-date line) are prose.
    for rows in tables[:first]:
        prose.extend(line for row in rows for cell in row for line in cell.split("\n") if line.strip())
    records: list[Record] = []
    for rows in tables[first:]:
        for row in rows:
            records.append(Record(line=len(records) + 1, cells=row))
    return Source(records=records, prose=prose)


def _xlsx_value(value: Any) -> str:
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if value is None:
        return ""
    if isinstance(value, CellRichText):
        parts: list[str] = []
        for block in value:
            if isinstance(block, TextBlock):
                italic = block.font is not None and bool(block.font.i)
                parts.append(f"<i>{block.text}</i>" if italic and block.text.strip() else block.text)
            else:
                parts.append(str(block))
        return "".join(parts)
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _xlsx_sheet_records(sheet: Any) -> list[Record]:
    """The sheet's non-empty rows, by sheet row number.

    Walks the cells the sheet holds instead of its bounding box: a sheet with a stray cell at XFD1048576
    must not cost billions of empty cells. Merged cells other than the top-left one hold None: "".
    """
    by_row: dict[int, dict[int, Any]] = defaultdict(dict)
    for (row, column), cell in sheet._cells.items():
        if column <= XLSX_MAX_COLUMNS and cell.value is not None:
            by_row[row][column] = cell.value
    records: list[Record] = []
    for row in sorted(by_row):
        values = by_row[row]
        cells = tuple(_xlsx_value(values.get(column)) for column in range(1, max(values) + 1))
        records.append(Record(line=row, cells=cells))
    return records


def _xlsx_sheets(data: bytes) -> Iterator[list[Record]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=True)
    try:
        for sheet in workbook.worksheets:
            yield _xlsx_sheet_records(sheet)
    finally:
        workbook.close()


def read_xlsx(data: bytes, name: str) -> Source:
    """An Excel workbook: the first sheet with a header row; rows above the header are prose."""
    check_unpacked_size(data, name)
    first: list[Record] | None = None
    try:
        for records in _xlsx_sheets(data):
            if first is None:
                first = records
            if _header_position(records) is not None:
                return Source(records=records)
    except Exception as error:
        # openpyxl, lxml and zipfile raise many unrelated types for a damaged or foreign file.
        raise PlanImportError(MSG_BAD_XLSX, name=name) from error
    # No sheet has a header: the table layer reports it against the first sheet.
    return Source(records=first or [])
