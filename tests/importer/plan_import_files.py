"""Builds plan files for the importer tests: the seed plan's text form split into prose and table rows,
and the same plan written as .docx, .xlsx and .csv the way offices save them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

import nhacviec
from importer.document import SectionRow, TaskRow

SEED_PATH = Path(nhacviec.__file__).parent / "plans" / "quang-ngai-skhcn-tdc-2025.txt"
HEADER = ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện")

_ROMAN = re.compile(r"^[IVX]+$")
_ITALIC = re.compile(r"(<i>.*?</i>)")


@dataclass(frozen=True)
class PlanText:
    prose: list[str]  # non-empty lines before the header
    header: list[str]
    rows: list[list[str]]  # table rows after the header, blank lines dropped


def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


def split_plan_text(text: str) -> PlanText:
    """The text form's parts, found the simple way: the header is the first line starting with "TT<TAB>"."""
    lines = text.split("\n")
    at = next(index for index, line in enumerate(lines) if line.startswith("TT\t"))
    prose = [line for line in lines[:at] if line.strip()]
    rows = [line.split("\t") for line in lines[at + 1 :] if "\t" in line]
    return PlanText(prose=prose, header=lines[at].split("\t"), rows=rows)


def seed_plan() -> PlanText:
    return split_plan_text(seed_bytes().decode("utf-8"))


def is_section_row(row: list[str]) -> bool:
    return bool(_ROMAN.match(row[0])) and not any(cell.strip() for cell in row[2:])


def _italic_parts(text: str) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    for piece in _ITALIC.split(text):
        if not piece:
            continue
        if piece.startswith("<i>"):
            parts.append((piece[3:-4], True))
        else:
            parts.append((piece, False))
    return parts


def docx_bytes(plan: PlanText) -> bytes:
    """A Word document: the prose as paragraphs, the table as a real Word table whose section rows have the
    title cell merged across the remaining columns, and the <i>…</i> parts as italic runs."""
    document = docx.Document()
    for line in plan.prose:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(plan.header))
    header_cells = table.add_row().cells
    for cell, heading in zip(header_cells, plan.header, strict=True):
        cell.text = heading
    for row in plan.rows:
        cells = table.add_row().cells
        if is_section_row(row):
            cells[0].text = row[0]
            merged = cells[1].merge(cells[len(plan.header) - 1])
            merged.text = row[1]
            continue
        for cell, text in zip(cells, row, strict=False):
            paragraph = cell.paragraphs[0]
            for piece, italic in _italic_parts(text):
                paragraph.add_run(piece).italic = italic or None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(plan: PlanText) -> bytes:
    """An Excel workbook: the prose in column A above the table, task numbers stored as numbers, section
    titles merged across the columns, and the <i>…</i> parts as italic rich text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    for line in plan.prose:
        sheet.append([line])
    sheet.append(plan.header)
    for row in plan.rows:
        sheet.append([""] * len(plan.header))
        number = sheet.max_row
        for column, text in enumerate(row, start=1):
            if not text:
                continue
            value: object = text
            if column == 1 and text.isdigit():
                value = int(text)
            elif "<i>" in text:
                value = CellRichText(
                    [TextBlock(InlineFont(i=True), piece) if italic else piece for piece, italic in _italic_parts(text)]
                )
            sheet.cell(row=number, column=column, value=value)
        if is_section_row(row):
            sheet.merge_cells(start_row=number, start_column=2, end_row=number, end_column=len(plan.header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(plan: PlanText, delimiter: str = ",", bom: bool = False) -> bytes:
    """A CSV export: one record a prose line, then the header and the rows; markup stays as written."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in plan.prose:
        writer.writerow([line])
    writer.writerow(plan.header)
    writer.writerows(plan.rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def without_lines(
    sections: tuple[SectionRow, ...], tasks: tuple[TaskRow, ...]
) -> tuple[tuple[SectionRow, ...], tuple[TaskRow, ...]]:
    """Sections and tasks with their line numbers zeroed, to compare readings of different formats."""
    return (
        tuple(replace(section, line=0) for section in sections),
        tuple(replace(task, line=0) for task in tasks),
    )


def zip_bomb(package: bytes, megabytes: int) -> bytes:
    """`package` (a .docx or .xlsx) with one more member of `megabytes` MB of zeros: a few hundred KB
    once compressed, `megabytes` MB unpacked."""
    out = io.BytesIO(package)
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(bytes(1024 * 1024))
    return out.getvalue()
