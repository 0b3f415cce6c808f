"""The seed plan saved as .docx, .xlsx and .csv reads exactly as its text form."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from importer.document import PlanDocument, SkippedRow, UnitRef
from importer.read import read_plan, read_plan_bytes
from importer.table import SKIP_REPEATED_HEADER
from tests.importer.plan_import_files import (
    SEED_PATH,
    csv_bytes,
    docx_bytes,
    seed_plan,
    without_lines,
    xlsx_bytes,
)


@pytest.fixture(scope="module")
def from_text() -> PlanDocument:
    return read_plan(SEED_PATH)


def _same_plan(document: PlanDocument, expected: PlanDocument) -> None:
    assert without_lines(document.sections, document.tasks) == without_lines(expected.sections, expected.tasks)
    assert document.metadata == expected.metadata
    assert document.near_duplicates == expected.near_duplicates
    assert document.skipped == ()


def test_docx_reads_as_the_text_form(tmp_path: Path, from_text: PlanDocument) -> None:
    path = tmp_path / "ke-hoach-tdc.docx"
    path.write_bytes(docx_bytes(seed_plan()))
    document = read_plan(path)
    _same_plan(document, from_text)
    assert document.source_name == "ke-hoach-tdc.docx"


def test_docx_fixture_really_has_merged_section_rows_and_italic_runs() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(seed_plan())))
    table = document.tables[0]
    section_row = table.rows[1].cells
    assert section_row[0].text == "I"
    assert section_row[1]._tc is section_row[4]._tc
    italic = [run.text for row in table.rows for run in row.cells[1].paragraphs[0].runs if run.italic]
    assert len(italic) == 3


def test_docx_line_numbers_are_table_rows(from_text: PlanDocument) -> None:
    document = read_plan_bytes(docx_bytes(seed_plan()), "plan.docx")
    # Row 1 is the header, row 2 section I, row 3 task I.1; the seed's blank lines are not rows.
    assert [s.line for s in document.sections][:2] == [2, 7]
    assert [t.line for t in document.tasks][:3] == [3, 4, 5]


def test_xlsx_reads_as_the_text_form(tmp_path: Path, from_text: PlanDocument) -> None:
    path = tmp_path / "ke-hoach-tdc.xlsx"
    path.write_bytes(xlsx_bytes(seed_plan()))
    _same_plan(read_plan(path), from_text)


def test_xlsx_fixture_really_has_merged_cells_and_numbers() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(seed_plan())))
    sheet = workbook.active
    assert sheet is not None
    assert len(sheet.merged_cells.ranges) == 6
    header_row = len(seed_plan().prose) + 1
    assert sheet.cell(row=header_row + 2, column=1).value == 1


def test_xlsx_line_numbers_are_sheet_rows() -> None:
    plan = seed_plan()
    document = read_plan_bytes(xlsx_bytes(plan), "plan.xlsx")
    header_row = len(plan.prose) + 1
    assert document.sections[0].line == header_row + 1
    assert document.tasks[0].line == header_row + 2


@pytest.mark.parametrize(
    ("delimiter", "bom"),
    [(",", False), (";", True), ("\t", False), (",", True)],
    ids=["comma", "semicolon-bom", "tab", "comma-bom"],
)
def test_csv_reads_as_the_text_form(delimiter: str, bom: bool, from_text: PlanDocument) -> None:
    document = read_plan_bytes(csv_bytes(seed_plan(), delimiter=delimiter, bom=bom), "ke-hoach-tdc.csv")
    _same_plan(document, from_text)


def test_csv_line_numbers_are_physical_lines() -> None:
    plan = seed_plan()
    header_line = len(plan.prose) + 1
    document = read_plan_bytes(csv_bytes(plan, delimiter=";"), "plan.csv")
    assert document.tasks[0].line == header_line + 2
    assert document.tasks[1].line == header_line + 3


def test_csv_quoted_cell_over_two_lines_shifts_the_next_line_number() -> None:
    plan = seed_plan()
    header_line = len(plan.prose) + 1
    plan.rows[1][4] = "Quý III\nnăm 2025"
    document = read_plan_bytes(csv_bytes(plan, delimiter=";"), "plan.csv")
    assert document.tasks[0].time_text == "Quý III năm 2025"
    assert document.tasks[1].line == header_line + 4


def _word_table(document: Any, rows: list[list[str]]) -> Any:
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    return table


def _docx(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WORD_HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]


def test_docx_letterhead_table_is_prose_and_rows_are_counted_from_the_task_table() -> None:
    document = docx.Document()
    _word_table(
        document,
        [
            ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["Số: 12/KH-SKHCN", "Quảng Ngãi, ngày 15 tháng 9 năm 2025"],
        ],
    )
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Kiểm tra đo lường năm 2026 và đến năm 2027")
    _word_table(
        document,
        [
            WORD_HEADER,
            ["I", "Kiểm tra", "", "", ""],
            ["1", "Kiểm tra cân bán lẻ", "Văn phòng Sở", "", "Quý II"],
        ],
    )
    plan = read_plan_bytes(_docx(document), "ke-hoach.docx")
    assert (plan.metadata.code, plan.metadata.issued) == ("12/KH-SKHCN", date(2025, 9, 15))
    assert plan.metadata.title == "Kiểm tra đo lường năm 2026 và đến năm 2027"
    assert [(t.code, t.line) for t in plan.tasks] == [("I.1", 3)]


def test_docx_appendix_split_into_two_tables_with_the_header_repeated() -> None:
    document = docx.Document()
    _word_table(
        document,
        [WORD_HEADER, ["I", "Kiểm tra", "", "", ""], ["1", "Kiểm tra cân", "Văn phòng Sở", "", "Quý II"]],
    )
    document.add_paragraph("(tiếp theo)")
    _word_table(document, [WORD_HEADER, ["2", "Kiểm tra xăng dầu", "Thanh tra Sở", "", "Quý III"]])
    plan = read_plan_bytes(_docx(document), "ke-hoach.docx")
    assert [(t.code, t.line) for t in plan.tasks] == [("I.1", 3), ("I.2", 5)]
    assert plan.skipped == (SkippedRow(4, SKIP_REPEATED_HEADER),)


def test_docx_vertically_merged_lead_applies_to_each_row_and_cell_paragraphs_are_separate_units() -> None:
    document = docx.Document()
    table = _word_table(
        document,
        [
            WORD_HEADER,
            ["1", "Kiểm tra cân", "", "Sở Công Thương", "Quý II"],
            ["2", "Kiểm tra xăng dầu", "", "", "Quý III"],
        ],
    )
    merged = table.cell(1, 2).merge(table.cell(2, 2))
    merged.text = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
    coordinating = table.cell(2, 3)
    coordinating.text = "Công an tỉnh"
    coordinating.add_paragraph("Sở Y tế")
    plan = read_plan_bytes(_docx(document), "ke-hoach.docx")
    lead = (UnitRef("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"),)
    assert [t.lead_units for t in plan.tasks] == [lead, lead]
    assert plan.tasks[1].coordinating_units == (UnitRef("Công an tỉnh"), UnitRef("Sở Y tế"))


def test_xlsx_first_sheet_with_a_header_is_used_and_far_stray_cells_cost_nothing() -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Hướng dẫn"
    notes.append(["Điền nhiệm vụ vào trang sau"])
    sheet = workbook.create_sheet("Nhiệm vụ")
    sheet.append(["KẾ HOẠCH"])
    sheet.append(["Kiểm tra đo lường năm 2026"])
    sheet.append(WORD_HEADER)
    sheet.append(["I", "Kiểm tra", None, None, None])
    sheet.append([1, "Kiểm tra cân", "Văn phòng Sở", None, datetime(2026, 6, 30)])
    sheet.cell(row=1_048_576, column=16_384, value="ô lạc")
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = read_plan_bytes(buffer.getvalue(), "ke-hoach.xlsx")
    assert plan.metadata.title == "Kiểm tra đo lường năm 2026"
    assert [(t.code, t.line, t.time_text) for t in plan.tasks] == [("I.1", 5, "30/06/2026")]
    assert plan.skipped == ()
