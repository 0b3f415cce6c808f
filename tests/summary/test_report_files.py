"""The report files of the year: the .docx in the layout of Nghị định 30/2020/NĐ-CP (checked in its
structure, and converted by LibreOffice to PDF and to a picture), the .xlsx table and the chart."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from PIL import Image

from models import db
from reports.chart import build_chart
from reports.docx_report import DOTS, FONT, QUOC_HIEU, TABLE_HEADINGS, TIEU_NGU, build_docx
from reports.summary import Summary
from reports.summary_chat import SummaryView, make_summary, resolve_view
from reports.summary_facts import newest_plan_id
from reports.xlsx_report import COLUMNS, build_xlsx
from tests.summary.office import docx_to_pdf, office_tools, pdf_text
from tests.summary.scenario import TODAY, TZ, build

PERIODS = {"year": "", "quarter": "quý 4/2025", "unit": "2026 Văn phòng Sở", "coordinated": "quý 2/2026"}


@pytest.fixture(scope="module")
def summaries(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Summary]]:
    path = tmp_path_factory.mktemp("files") / "year.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    build(url)
    engine = db.make_engine(url)
    result: dict[str, Summary] = {}
    with db.session_scope(engine) as session:
        plan_id = newest_plan_id(session)
        assert plan_id is not None
        for name, args in PERIODS.items():
            view: SummaryView = resolve_view(session, plan_id=plan_id, args=args, today=TODAY, allowed_units=None)
            result[name] = make_summary(session, view, today=TODAY, tz=TZ, chart=True)
    engine.dispose()
    yield result


def docx_of(summary: Summary) -> DocumentType:
    return Document(io.BytesIO(build_docx(summary)))


def texts(document: DocumentType) -> list[str]:
    """Every paragraph's text in document order, inside tables too."""
    body = document.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def style_value(style: Any, attribute: str) -> Any:
    """A font attribute as a style gives it, through its base styles."""
    while style is not None:
        value = getattr(style.font, attribute)
        if value is not None:
            return value
        style = style.base_style
    return None


def fonts(paragraphs: Iterable[Paragraph]) -> set[tuple[str | None, float]]:
    """(font name, size in points) of every run with text, as the run, its style and Normal give them."""
    found = set()
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if run.text:
                size = run.font.size or style_value(paragraph.style, "size")
                name = run.font.name or style_value(paragraph.style, "name")
                found.add((name, size.pt))
    return found


def all_paragraphs(document: DocumentType) -> Iterator[Paragraph]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_the_report_has_the_parts_of_a_decree_30_report(summaries: dict[str, Summary]) -> None:
    document = docx_of(summaries["year"])
    lines = [line for line in texts(document) if line]
    assert lines[:8] == [
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: …………/BC-SKHCN",
        QUOC_HIEU,
        TIEU_NGU,
        "Quảng Ngãi, ngày …… tháng …… năm ……",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9"
        " năm 2025 của UBND tỉnh, năm 2026",
    ]
    assert lines[8].startswith("Thực hiện Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND")
    assert lines[8].endswith(
        "Sở Khoa học và Công nghệ báo cáo kết quả thực hiện năm 2026 (số liệu tính đến ngày 10/11/2026) như sau:"
    )
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. NHIỆM VỤ CHẬM TIẾN ĐỘ, VƯỚNG MẮC VÀ NGUYÊN NHÂN",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "Phụ lục",
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026",
    ):
        assert heading in lines
    # Facts from the data, in the body.
    assert (
        "Trong năm 2026 (số liệu tính đến ngày 10/11/2026), có 20 nhiệm vụ đến kỳ thực hiện hoặc báo cáo (19 nhiệm vụ tại Phụ lục Kế hoạch và 1 nghĩa vụ chung của kế hoạch), trong đó: 4 nhiệm vụ hoàn thành đúng hạn; 1 nhiệm vụ hoàn thành quá hạn; 7 nhiệm vụ đang thực hiện (trong hạn); 3 nhiệm vụ đang thực hiện quá hạn; 2 nhiệm vụ chưa thực hiện; 3 nhiệm vụ chờ sự kiện."
        in lines
    )
    assert "Tỷ lệ hoàn thành đúng hạn: 100 % (năm 2025: 55 %)." in lines
    assert "- Nhiệm vụ IV.1 (Văn phòng Sở): kinh phí." in lines  # its 2025 deadline, still blocked, speaks for it
    assert (
        "- Nhiệm vụ V.3 (Đẩy mạnh công tác khảo sát chất lượng sản phẩm, hàng hóa để thông tin tới các cơ quan có…),"
        " chuyển từ kỳ trước: hạn 31/12/2025: chưa thực hiện; chưa có báo cáo." in lines
    )
    assert "Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Phòng Bưu chính viễn thông và CDS." in lines
    assert (
        "- Nhiệm vụ III.1: chỉ tiêu 100% công chức cấp tỉnh; 95% công chức cấp xã; số liệu báo cáo: 80 % — «đã tập huấn cho 100% công chức cấp tỉnh, 80% công chức cấp xã»."
        in lines
    )
    # What the data does not hold is left for the clerk.
    assert "- Lưu: VT, …………." in lines
    assert lines.count(DOTS * 3) == 2  # the signer's title and name


def test_fonts_are_times_new_roman_13_to_14(summaries: dict[str, Summary]) -> None:
    document = docx_of(summaries["year"])
    defaults = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert {defaults.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
    assert document.styles["Normal"].font.name == FONT
    assert not any(
        run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is not None for run in document.element.body.iter(qn("w:r"))
    )
    # Body 14, the table 13, the header block 12-13 and "Nơi nhận" 12 / 11 as the decree sets them.
    assert fonts(all_paragraphs(document)) == {(FONT, 11.0), (FONT, 12.0), (FONT, 13.0), (FONT, 14.0)}
    assert {size for _name, size in fonts(document.paragraphs)} == {14.0}  # the body, outside tables
    assert {size for _name, size in fonts(document.tables[-1].rows[1].cells[0].paragraphs)} == {13.0}


def test_page_is_a4_with_the_decree_margins(summaries: dict[str, Summary]) -> None:
    document = docx_of(summaries["year"])
    report, appendix = document.sections
    assert (round(report.page_width.mm), round(report.page_height.mm)) == (210, 297)
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)  # the appendix table lies
    for section in document.sections:
        assert 20 <= round(section.top_margin.mm) <= 25
        assert 20 <= round(section.bottom_margin.mm) <= 25
        assert 30 <= round(section.left_margin.mm) <= 35
        assert 15 <= round(section.right_margin.mm) <= 20
    # Page numbers at the top, not on the first page.
    assert report.different_first_page_header_footer
    assert "PAGE" in report.header._element.xml


@pytest.mark.parametrize("name", list(PERIODS))
def test_the_appendix_has_one_row_per_task_of_the_period(summaries: dict[str, Summary], name: str) -> None:
    summary = summaries[name]
    table = docx_of(summary).tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADINGS)
    task_rows = [row for row in table.rows[1:] if len(row._tr.findall(qn("w:tc"))) == len(TABLE_HEADINGS)]
    section_rows = [row for row in table.rows[1:] if len(row._tr.findall(qn("w:tc"))) == 2]
    assert [row.cells[0].text for row in task_rows] == [item.code for item in summary.items]
    assert len(section_rows) == len(summary.sections)
    assert len(table.rows) == 1 + len(summary.items) + len(summary.sections)
    first = next(row for row in task_rows if row.cells[0].text == summary.items[0].code)
    item = summary.items[0]
    assert first.cells[1].text == item.content
    assert first.cells[2].text == "; ".join(item.lead_units)


def test_the_appendix_row_says_what_the_reports_say(summaries: dict[str, Summary]) -> None:
    table = docx_of(summaries["quarter"]).tables[-1]
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    assert rows["II.4"][3:] == [
        "31/12/2025",
        "Đã hoàn thành: «đã ban hành kế hoạch»\n(ngày 12/02/2026)",
        "hoàn thành quá hạn",
    ]
    assert rows["IV.1"][3:] == [
        "31/12/2025",
        "Có vướng mắc: «vướng kinh phí, chưa được bố trí dự toán»\n(ngày 22/12/2025)",
        "đang thực hiện quá hạn; có vướng mắc: kinh phí",
    ]
    assert rows["BC.1"][4] == "Đã hoàn thành: «đã gửi báo cáo, xong»\n(ngày 20/11/2025)\n3/4 đơn vị chủ trì đã xong"
    assert rows["II.2"][3:] == [
        "Chờ sự kiện: sau khi trung ương ban hành chủ trương, chính sách",
        "Chưa có báo cáo",
        "chờ sự kiện",
    ]


def test_a_coordinating_units_report_is_a_line_of_its_own_not_the_tasks_result(
    summaries: dict[str, Summary],
) -> None:
    # Trung tâm Kỹ thuật coordinates II.5: its "đang thực hiện" is its part, the lead unit has not reported.
    document = docx_of(summaries["coordinated"])
    assert "- Nhiệm vụ II.5, phối hợp: Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng — đang thực hiện." in [
        line for line in texts(document) if line
    ]
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in document.tables[-1].rows[1:]}
    assert rows["II.5"][3:] == ["Kỳ báo cáo 30/06/2026", "Chưa có báo cáo", "chưa thực hiện"]


def test_the_docx_converts_to_pdf_and_to_a_picture(summaries: dict[str, Summary], tmp_path: Path) -> None:
    tools = office_tools()
    pdf = docx_to_pdf(build_docx(summaries["year"]), tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([tools["pdftoppm"], "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4  # the report's pages and the appendix's
    first, last = Image.open(pages[0]), Image.open(pages[-1])
    assert first.width < first.height  # A4 upright
    assert last.width > last.height  # the appendix lies
    assert abs(first.height / first.width - 297 / 210) < 0.01
    text = pdf_text(pdf, last_page=1)
    assert QUOC_HIEU in text and "BÁO CÁO" in text


def test_the_table_has_filters_a_frozen_header_and_widths(summaries: dict[str, Summary]) -> None:
    summary = summaries["year"]
    book = load_workbook(io.BytesIO(build_xlsx(summary)))
    sheet = book["Nhiệm vụ"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{len(summary.items) + 1}"
    assert [cell.value for cell in sheet[1]] == [heading for heading, _width in COLUMNS]
    assert [sheet.column_dimensions[chr(65 + i)].width for i in range(len(COLUMNS))] == [w for _h, w in COLUMNS]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [item.code for item in summary.items]
    facts = {key: value for key, value in book["Tổng hợp"].iter_rows(values_only=True)}
    assert facts["Tỷ lệ hoàn thành đúng hạn"] == "100 %"
    assert facts["hoàn thành đúng hạn"] == 4


def test_the_chart_is_a_png(summaries: dict[str, Summary]) -> None:
    picture = Image.open(io.BytesIO(build_chart(summaries["year"])))
    assert picture.format == "PNG"
    assert picture.size[0] > 800 and picture.size[1] > 400
    assert summaries["year"].rate_history[-1][1] == 1.0
