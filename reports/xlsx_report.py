"""The summary as a spreadsheet (.xlsx): the report's appendix table, one row per task of the period,
with filters on the header, the header frozen, column widths set and text wrapped; a second sheet
holds the counts and rates. Vietnamese, like the report.

Written in openpyxl's write-only mode: a 10,000-task plan takes a second, not ten.
"""

from __future__ import annotations

import io
from copy import copy
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.status import STATE_WORDS
from locales.catalogs import translator
from reports.summary import STATE_ORDER, Summary, SummaryItem
from reports.summary_text import CARRIED_OVER, PLAN_WIDE, format_rate
from reports.wording import (
    PLAN_WIDE_DUTIES,
    TABLE_TASKS,
    capitalised,
    font_safe,
    plan_name,
    reason_words,
    report_text,
    task_counts,
)
from scheduler.timing.periods import period_label

__all__ = ["COLUMNS", "build_xlsx"]

# (heading, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("TT", 9),
    ("Nhóm nhiệm vụ", 14),
    ("Nhiệm vụ", 60),
    ("Cơ quan chủ trì", 30),
    ("Thời hạn", 13),
    ("Kỳ báo cáo", 11),
    ("Kết quả thực hiện", 45),
    ("Ngày báo cáo", 13),
    ("Tình trạng", 24),
    ("Vướng mắc", 30),
)
_HEAD_FONT = Font(name="Times New Roman", bold=True)
_FONT = Font(name="Times New Roman")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_vi = translator("vi")
DATE_FORMAT = "dd/mm/yyyy"


def _cell(sheet: Worksheet, value: object, *, head: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=font_safe(value) if isinstance(value, str) else value)
    cell.font = _HEAD_FONT if head else _FONT
    cell.alignment = _HEAD_ALIGN if head else _WRAP
    if head:
        cell.fill = _HEAD_FILL
    return cell


class _Cells:
    """Data cells styled by copying a template's style array: setting font and alignment cell by cell
    through openpyxl's style proxies took most of the time of a 10,000-row table."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        text = _cell(sheet, None)
        day = _cell(sheet, None)
        day.number_format = DATE_FORMAT
        self.text_style, self.date_style = text._style, day._style

    def __call__(self, value: object) -> WriteOnlyCell:
        # Only what the report font shows: no emoji a unit typed.
        cell = WriteOnlyCell(self.sheet, value=font_safe(value) if isinstance(value, str) else value)
        cell._style = copy(self.date_style if isinstance(value, date) else self.text_style)
        return cell


def _row(item: SummaryItem, section: str) -> list[object]:
    latest = item.latest
    return [
        item.code,
        section,
        item.content,
        "; ".join(item.lead_units),
        item.due if item.due is not None and not item.checkin else (None if item.due else "Chờ sự kiện"),
        item.due if item.checkin else (capitalised(_vi(CARRIED_OVER)) if item.carried else None),
        capitalised(report_text(latest)) if latest else None,
        latest.on if latest else None,
        _vi(STATE_WORDS[item.state]),
        (reason_words(latest.reason) if latest.reason else "") if item.blocked and latest else None,
    ]


def build_xlsx(summary: Summary) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    rows = sum(len(section.items) for section in summary.sections)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"
    sheet.append([_cell(sheet, heading, head=True) for heading, _width in COLUMNS])
    cell = _Cells(sheet)
    for section in summary.sections:
        name = section.code or _vi(PLAN_WIDE)
        for item in section.items:
            sheet.append([cell(value) for value in _row(item, name)])

    facts = book.create_sheet("Tổng hợp")
    facts.column_dimensions["A"].width = 40
    facts.column_dimensions["B"].width = 16
    label = period_label(summary.period, "vi")
    scope = summary.unit.name if summary.unit is not None else _vi("the whole plan")
    table_rows, duties = task_counts(summary.items)
    lines: list[tuple[object, object]] = [
        ("Kế hoạch", plan_name(summary.plan, full=True)),
        ("Kỳ", label),
        ("Phạm vi", scope),
        ("Số liệu tính đến", summary.today),
        ("Tổng số nhiệm vụ trong kỳ", rows),
        (capitalised(TABLE_TASKS), table_rows),
        (capitalised(PLAN_WIDE_DUTIES), duties),
    ]
    lines += [(_vi(STATE_WORDS[state]), summary.counts.get(state, 0)) for state in STATE_ORDER]
    lines += [
        ("Có vướng mắc", len(summary.blocked)),
        ("Quá hạn", len(summary.late)),
        ("Tỷ lệ hoàn thành đúng hạn", format_rate(summary.on_time_rate) if summary.on_time_rate is not None else "-"),
    ]
    if summary.previous is not None:
        previous = summary.previous_on_time_rate
        lines.append(
            (
                f"Tỷ lệ đúng hạn {period_label(summary.previous, 'vi')}",
                format_rate(previous) if previous is not None else "-",
            )
        )
    lines.append(("Đơn vị chưa báo cáo", "; ".join(summary.not_reported) or "-"))
    for key, value in lines:
        value_cell = _cell(facts, value)
        if hasattr(value, "isoformat"):
            value_cell.number_format = DATE_FORMAT
        facts.append([_cell(facts, key, head=True), value_cell])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
