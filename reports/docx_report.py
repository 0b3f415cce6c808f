"""The summary as a draft administrative report (.docx) in the layout of Nghị định 30/2020/NĐ-CP.

Page A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman throughout (body 14,
header block 13, "Nơi nhận" 12 and 11, as the decree sets them); page numbers centred at the top from
the second page. Parts, top to bottom: the issuing body (and the body above it) beside the Quốc hiệu and
Tiêu ngữ; "Số: …/BC-…" beside the place and date (left for the clerk); "BÁO CÁO" and its subject; the
body by parts (results by the plan's sections, what is late or blocked and why, proposals); "Nơi nhận"
and the signer; then the appendix table (TT, nhiệm vụ, cơ quan chủ trì, thời hạn, kết quả thực hiện,
tình trạng), one row per task of the period under a row per section.

Every fact comes from the summary; what the data does not hold (the number, the date, the signer, the
recipients, further proposals) is left as dotted lines for the person who finishes the draft. The
document is Vietnamese whatever the chat's language: the decree prescribes its words.

The paragraphs and rows are written as WordprocessingML text and parsed once: python-docx adds a table
row in time proportional to the table, and a 10,000-task plan must still give its report in a second.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from domain.status import STATE_WORDS, OccurrenceState
from locales.catalogs import translator
from reports.summary import ReportView, Summary, SummaryItem
from reports.summary_text import (
    CARRIED_OVER,
    PLAN_WIDE,
    carried_words,
    contribution_words,
    format_rate,
    report_numbers,
    short_title,
    units_done_words,
)
from reports.wording import (
    capitalised,
    font_safe,
    plan_name,
    reason_words,
    report_text,
    report_words,
    task_count_words,
)
from scheduler.timing.periods import period_label

__all__ = ["FONT", "MARGINS_MM", "ReportMeta", "build_docx", "report_meta"]

FONT = "Times New Roman"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_MM = (210, 297)
BODY_PT, HEAD_PT, TABLE_PT = 14, 12, 13
BODY_STYLE, CELL_STYLE, CELL_CENTER_STYLE = "NDBody", "NDCell", "NDCellCenter"
DOTS = "…………"
SHORT_DOTS = "……"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TABLE_HEADINGS = ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Kết quả thực hiện", "Tình trạng")
# Twentieths of a point (1 mm = 56.7): 165 mm between the margins of a portrait page, 252 mm on the
# appendix's landscape pages.
_TEXT_WIDTH = 9355
_HEADER_COLUMNS = (3900, 5455)
_COLUMNS = (737, 5103, 2268, 1588, 3062, 1531)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class ReportMeta:
    """What the report's header and signature say; None leaves dotted lines for the clerk."""

    parent_body: str | None = None  # cơ quan chủ quản: "UBND TỈNH QUẢNG NGÃI"
    issuing_body: str | None = None  # "Sở Khoa học và Công nghệ"
    symbol: str | None = None  # "BC-SKHCN"
    place: str | None = None  # "Quảng Ngãi"
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: tuple[str, ...] = ()


_PLACE = re.compile(r"\b(tỉnh|thành phố)\s+((?:[A-ZĐ][^\s,.;:()]*)(?:\s+[A-ZĐ][^\s,.;:()]*)*)")


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word.lower() not in {"và", "&"} and word[0].isalpha()).upper()


def report_meta(summary: Summary) -> ReportMeta:
    """What the plan itself tells about the header: the issuing body, its symbol and the place."""
    body = summary.plan.issuing_body
    places = _PLACE.findall(summary.plan.title)
    kind, place = places[-1] if places else (None, None)
    parent = None
    if body and place and body.split()[0].lower() == "sở":
        # A Sở (provincial department) works under the province's People's Committee.
        parent = f"UBND {kind} {place}".upper()
    return ReportMeta(
        parent_body=parent,
        issuing_body=body,
        symbol=f"BC-{_initials(body)}" if body else None,
        place=place,
    )


# ---- WordprocessingML text ---------------------------------------------------------------------------


def _x(text: str) -> str:
    # Only what the report font shows (no emoji a unit typed), which is also what XML allows.
    return escape(font_safe(text))


@dataclass(frozen=True)
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    size: int | None = None
    underline: bool = False

    def xml(self) -> str:
        props = ""
        if self.bold:
            props += "<w:b/><w:bCs/>"
        if self.italic:
            props += "<w:i/><w:iCs/>"
        if self.underline:
            props += '<w:u w:val="single"/>'
        if self.size is not None:
            props += f'<w:sz w:val="{self.size * 2}"/><w:szCs w:val="{self.size * 2}"/>'
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{_x(self.text)}</w:t></w:r>'


def _p(
    runs: str | _Run | Sequence[_Run],
    *,
    align: str = "both",
    size: int | None = None,
    bold: bool = False,
    italic: bool = False,
    first_line: int = 0,
    before: int = 0,
    after: int = 120,
    keep_next: bool = False,
    rule: bool = False,
    rule_indent: int = 0,
    page_break: bool = False,
) -> str:
    """A paragraph; sizes in points, spacing in twentieths of a point. `rule`: a short line under it (as
    the decree draws under the issuing body, the Tiêu ngữ and the subject)."""
    if isinstance(runs, str):
        runs = [_Run(runs, bold, italic, size)]
    elif isinstance(runs, _Run):
        runs = [runs]
    props = ""
    if keep_next:
        props += "<w:keepNext/>"
    if page_break:
        props += "<w:pageBreakBefore/>"
    if rule:
        props += '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    props += f'<w:spacing w:before="{before}" w:after="{after}" w:line="264" w:lineRule="auto"/>'
    if first_line or rule_indent:
        props += f'<w:ind w:left="{rule_indent}" w:right="{rule_indent}" w:firstLine="{first_line}"/>'
    props += f'<w:jc w:val="{align}"/>'
    if size is not None:
        # The paragraph mark's size: what an empty paragraph (a rule, a blank line) is as high as.
        props += f'<w:rPr><w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>'
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(r.xml() for r in runs if r.text)}</w:p>"


def _styled(style: str, text: str, *, keep_next: bool = False) -> str:
    """A paragraph in one of the report's styles (see `_add_styles`): thousands of rows and lines stay small
    when their looks are said once, in the style."""
    props = f'<w:pStyle w:val="{style}"/>' + ("<w:keepNext/>" if keep_next else "")
    run = f'<w:r><w:t xml:space="preserve">{_x(text)}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"


def _body(text: str, *, keep_next: bool = False) -> str:
    """A body paragraph: 14 pt, justified, the first line indented 1 cm, 6 pt after."""
    return _styled(BODY_STYLE, text, keep_next=keep_next)


def _cell(width: int, paragraphs: str, *, span: int = 1, shade: bool = False, top: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
    align = "top" if top else "center"
    return f'<w:tc><w:tcPr>{props}<w:vAlign w:val="{align}"/></w:tcPr>{paragraphs}</w:tc>'


def _cell_text(text: str, *, bold: bool = False, align: str = "left", size: int = TABLE_PT) -> str:
    lines = text.split("\n")
    return "".join(_p(line, align=align, size=size, bold=bold, after=0) for line in lines)


def _data_cell(text: str, style: str) -> str:
    """A plain cell of the appendix: its width comes from the table's grid, its looks from the style."""
    return f"<w:tc>{''.join(_styled(style, line) for line in text.split(chr(10)))}</w:tc>"


def _table(rows: Iterable[str], widths: Sequence[int], *, borders: bool = True) -> str:
    border = "single" if borders else "nil"
    edges = "".join(
        f'<w:{edge} w:val="{border}" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _row(cells: str, *, header: bool = False, whole: bool = False) -> str:
    """`header`: repeated on every page; `whole`: never split across pages (the signature block)."""
    props = "<w:tblHeader/>" if header else ""
    props += "<w:cantSplit/>" if header or whole else ""
    return f"<w:tr><w:trPr>{props}</w:trPr>{cells}</w:tr>" if props else f"<w:tr>{cells}</w:tr>"


# ---- the parts ---------------------------------------------------------------------------------------

_vi = translator("vi")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _word(state: OccurrenceState) -> str:
    return _vi(STATE_WORDS[state])


def _period_words(summary: Summary) -> str:
    return _lower_first(period_label(summary.period, "vi"))


def _plan_name(summary: Summary) -> str:
    return plan_name(summary.plan, full=True)


def _header(summary: Summary, meta: ReportMeta) -> str:
    widths = _HEADER_COLUMNS
    left = ""
    if meta.parent_body:
        left += _p(meta.parent_body.upper(), align="center", size=HEAD_PT, after=0)
    left += _p((meta.issuing_body or DOTS).upper(), align="center", size=HEAD_PT, bold=True, after=0)
    left += _p("", align="center", size=4, after=160, rule=True, rule_indent=1250)
    left += _p(f"Số: {DOTS}/{meta.symbol or 'BC-' + DOTS}", align="center", size=13, after=0)
    right = _p(QUOC_HIEU, align="center", size=HEAD_PT, bold=True, after=0)
    right += _p(TIEU_NGU, align="center", size=13, bold=True, after=0)
    right += _p("", align="center", size=4, after=160, rule=True, rule_indent=1000)
    right += _p(
        f"{meta.place or DOTS}, ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm {SHORT_DOTS}",
        align="center",
        size=BODY_PT,
        italic=True,
        after=0,
    )
    return _table(
        [_row(_cell(widths[0], left, top=True) + _cell(widths[1], right, top=True), whole=True)], widths, borders=False
    )


def _title(summary: Summary) -> str:
    subject = f"Kết quả thực hiện {_plan_name(summary)}, {_period_words(summary)}"
    if summary.unit is not None:
        subject += f" (nhiệm vụ của {summary.unit.name})"
    return (
        _p("BÁO CÁO", align="center", size=BODY_PT, bold=True, before=360, after=0, keep_next=True)
        + _p(subject, align="center", size=BODY_PT, bold=True, after=0, keep_next=True)
        + _p("", align="center", size=4, after=240, rule=True, rule_indent=3400)
    )


def _heading(text: str) -> str:
    return _p(text, size=BODY_PT, bold=True, first_line=567, before=120, keep_next=True)


def _count_words(items: Sequence[SummaryItem]) -> str:
    counts: dict[OccurrenceState, int] = {}
    for item in items:
        counts[item.state] = counts.get(item.state, 0) + 1
    return "; ".join(f"{n} nhiệm vụ {_word(state)}" for state in OccurrenceState if (n := counts.get(state)))


def _report_words(report: ReportView) -> str:
    words = f"{report_text(report)} (báo cáo ngày {report.on:%d/%m/%Y}"
    if report.unit:
        words += f", {report.unit}"
    return words + ")"


def _results(summary: Summary) -> list[str]:
    items = summary.items
    parts = [_heading("I. KẾT QUẢ THỰC HIỆN"), _heading("1. Tình hình chung")]
    as_of = f"{summary.today:%d/%m/%Y}"
    if not items:
        parts.append(_body(f"Trong {_period_words(summary)} (số liệu tính đến ngày {as_of}) không có nhiệm vụ nào."))
        return parts
    parts.append(
        _body(
            f"Trong {_period_words(summary)} (số liệu tính đến ngày {as_of}), có {len(items)} nhiệm vụ đến kỳ thực "
            f"hiện hoặc báo cáo ({task_count_words(items)}), trong đó: {_count_words(items)}."
        )
    )
    parts.append(_body(_rate_words(summary)))
    parts.append(_heading("2. Kết quả theo nhóm nhiệm vụ"))
    for section in summary.sections:
        title = f"{section.code}. {section.title}" if section.code else _vi(PLAN_WIDE)
        parts.append(_p(title, size=BODY_PT, bold=True, italic=True, first_line=567, keep_next=True))
        parts.append(_body(f"Có {len(section.items)} nhiệm vụ: {_count_words(section.items)}."))
        silent = []
        for item in section.items:
            if item.latest is None:
                silent.append(item.code)
            else:
                parts.append(
                    _body(f"- Nhiệm vụ {item.code} ({short_title(item.content, 90)}): {_report_words(item.latest)}.")
                )
        if silent:
            parts.append(_body(f"- Chưa có báo cáo: {', '.join(silent)}."))
        parts.extend(_contributions(section.items))
    if summary.targets:
        parts.append(_heading("3. Các chỉ tiêu của Kế hoạch"))
        for target in summary.targets:
            reported = "chưa có số liệu báo cáo"
            if target.reported is not None:
                reported = f"số liệu báo cáo: {report_numbers(target.reported)}"
                quote = report_words(target.reported).quote
                reported += f" — {quote}" if quote else ""
            parts.append(_body(f"- Nhiệm vụ {target.code}: chỉ tiêu {'; '.join(target.targets)}; {reported}."))
    return parts


def _reason(reason: str | None) -> str | None:
    """A coordinating unit's reason in report words, as a lead unit's is (restored or marked as typed)."""
    return reason_words(reason) if reason else None


def _contributions(items: Sequence[SummaryItem]) -> list[str]:
    """Coordinating units' reports, each on its own line: a contribution, never the task's result."""
    return [
        _body(
            f"- Nhiệm vụ {item.code}, {contribution_words(_vi, r.unit or '', r.status, r.percent, _reason(r.reason), str)}."
        )
        for item in items
        for r in item.contributions
    ]


def _rate_words(summary: Summary) -> str:
    if summary.on_time_rate is None:
        return "Tỷ lệ hoàn thành đúng hạn: chưa có nhiệm vụ nào đến hạn hoặc hoàn thành trong kỳ."
    words = f"Tỷ lệ hoàn thành đúng hạn: {format_rate(summary.on_time_rate)}"
    if summary.previous is not None:
        previous = _lower_first(period_label(summary.previous, "vi"))
        if summary.previous_on_time_rate is None:
            words += f" ({previous}: không có nhiệm vụ đến hạn)"
        else:
            words += f" ({previous}: {format_rate(summary.previous_on_time_rate)})"
    return words + "."


def _problems(summary: Summary) -> list[str]:
    parts = [_heading("II. NHIỆM VỤ CHẬM TIẾN ĐỘ, VƯỚNG MẮC VÀ NGUYÊN NHÂN"), _heading("1. Nhiệm vụ có vướng mắc")]
    if summary.blocked:
        for entry in summary.blocked:
            reason = reason_words(entry.reason) if entry.reason else "đơn vị chưa nêu nguyên nhân"
            parts.append(_body(f"- Nhiệm vụ {entry.code} ({entry.unit}): {reason}."))
    else:
        parts.append(_body("Không có nhiệm vụ nào báo cáo vướng mắc."))
    parts.append(_heading("2. Nhiệm vụ quá hạn"))
    if summary.late:
        for item in summary.late:
            due = ""
            if item.carried and item.due is not None:
                due = ", " + carried_words(_vi, item.due)
            elif item.due is not None:
                due = f", kỳ báo cáo {item.due:%d/%m/%Y}" if item.checkin else f", hạn {item.due:%d/%m/%Y}"
            latest = _report_words(item.latest) if item.latest else "chưa có báo cáo"
            parts.append(
                _body(f"- Nhiệm vụ {item.code} ({short_title(item.content, 90)}){due}: {_word(item.state)}; {latest}.")
            )
    else:
        parts.append(_body("Không có nhiệm vụ nào quá hạn."))
    parts.append(_heading("3. Đơn vị chưa báo cáo trong kỳ"))
    if summary.not_reported:
        parts.append(_body("; ".join(summary.not_reported) + "."))
    else:
        parts.append(_body("Các đơn vị đều đã báo cáo."))
    return parts


def _proposals(summary: Summary) -> list[str]:
    parts = [_heading("III. ĐỀ XUẤT, KIẾN NGHỊ")]
    for entry in summary.blocked:
        reason = f": {reason_words(entry.reason)}" if entry.reason else ""
        parts.append(_body(f"- Xem xét, tháo gỡ vướng mắc của nhiệm vụ {entry.code} ({entry.unit}){reason}."))
    if summary.late:
        codes = ", ".join(item.code for item in summary.late)
        parts.append(_body(f"- Đề nghị các đơn vị chủ trì khẩn trương thực hiện các nhiệm vụ quá hạn: {codes}."))
    if summary.not_reported:
        parts.append(_body(f"- Đề nghị {'; '.join(summary.not_reported)} báo cáo kết quả thực hiện."))
    # The last line goes with the signature: a signature never stands alone on a page.
    parts.append(_body("- " + DOTS * 5, keep_next=True))
    return parts


def _signature(meta: ReportMeta) -> str:
    widths = (_TEXT_WIDTH // 2, _TEXT_WIDTH - _TEXT_WIDTH // 2)
    left = _p([_Run("Nơi nhận:", bold=True, italic=True, size=12)], align="left", after=0)
    recipients = list(meta.recipients) or [DOTS * 2]
    for recipient in recipients:
        left += _p(f"- {recipient};", align="left", size=11, after=0)
    left += _p(f"- Lưu: VT, {DOTS}.", align="left", size=11, after=0)
    right = _p((meta.signer_title or DOTS * 3).upper(), align="center", size=BODY_PT, bold=True, after=0)
    right += "".join(_p("", align="center", size=BODY_PT, after=0) for _line in range(4))
    right += _p(meta.signer_name or DOTS * 3, align="center", size=BODY_PT, bold=True, after=0)
    return _p("", size=BODY_PT, after=0, keep_next=True) + _table(
        [_row(_cell(widths[0], left, top=True) + _cell(widths[1], right, top=True), whole=True)], widths, borders=False
    )


def _due_words(item: SummaryItem) -> str:
    if item.due is None:
        return f"Chờ sự kiện: {item.event}" if item.event else "Chờ sự kiện"
    if item.checkin:
        return f"Kỳ báo cáo {item.due:%d/%m/%Y}"
    if item.carried:
        return f"{item.due:%d/%m/%Y}\n({_vi(CARRIED_OVER)})"
    return f"{item.due:%d/%m/%Y}"


def _result_words(item: SummaryItem) -> str:
    if item.latest is None:
        return "Chưa có báo cáo"
    words = f"{capitalised(report_text(item.latest))}\n(ngày {item.latest.on:%d/%m/%Y})"
    if item.units_done is not None:
        words += "\n" + units_done_words(_vi, item.units_done)
    return words


def _state_words(item: SummaryItem) -> str:
    words = _word(item.state)
    if item.blocked:
        reason = item.latest.reason if item.latest else None
        words += "; có vướng mắc" + (f": {reason_words(reason)}" if reason else "")
    return words


def _appendix(summary: Summary, meta: ReportMeta) -> list[str]:
    symbol = meta.symbol or "BC-" + DOTS
    parts = [
        _p("Phụ lục", align="center", size=BODY_PT, bold=True, after=0),
        _p(
            f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ {period_label(summary.period, 'vi').upper()}",
            align="center",
            size=BODY_PT,
            bold=True,
            after=0,
        ),
        _p(
            f"(Kèm theo Báo cáo số {DOTS}/{symbol} ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm {SHORT_DOTS} "
            f"của {meta.issuing_body or DOTS})",
            align="center",
            size=BODY_PT,
            italic=True,
            after=240,
        ),
    ]
    rows = [
        _row(
            "".join(
                _cell(w, _cell_text(h, bold=True, align="center"), shade=True)
                for w, h in zip(_COLUMNS, TABLE_HEADINGS, strict=True)
            ),
            header=True,
        )
    ]
    rest = sum(_COLUMNS[1:])
    for section in summary.sections:
        title = section.title if section.code else _vi(PLAN_WIDE)
        rows.append(
            _row(
                _cell(_COLUMNS[0], _cell_text(section.code or "", bold=True, align="center"))
                + _cell(rest, _cell_text(title, bold=True), span=len(_COLUMNS) - 1)
            )
        )
        for item in section.items:
            texts = (
                item.code,
                item.content,
                "; ".join(item.lead_units),
                _due_words(item),
                _result_words(item),
                _state_words(item),
            )
            styles = (CELL_CENTER_STYLE, CELL_STYLE, CELL_STYLE, CELL_CENTER_STYLE, CELL_STYLE, CELL_STYLE)
            rows.append(f"<w:tr>{''.join(_data_cell(t, st) for t, st in zip(texts, styles, strict=True))}</w:tr>")
    parts.append(_table(rows, _COLUMNS))
    return parts


def _opening(summary: Summary, meta: ReportMeta) -> str:
    who = meta.issuing_body or DOTS
    return _body(
        f"Thực hiện {_plan_name(summary)}, {who} báo cáo kết quả thực hiện {_period_words(summary)} "
        f"(số liệu tính đến ngày {summary.today:%d/%m/%Y}) như sau:"
    )


# ---- the document ------------------------------------------------------------------------------------


def _set_fonts(document: DocumentType) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(name), FONT)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.element.rPr.rFonts.set(qn("w:cs"), FONT)


def _add_styles(document: DocumentType) -> None:
    styles = document.styles
    body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.font.size = Pt(BODY_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    body.paragraph_format.space_before = Pt(0)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.1
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(TABLE_PT)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.1
    centred = styles.add_style(CELL_CENTER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    centred.base_style = cell
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def build_docx(summary: Summary, meta: ReportMeta | None = None) -> bytes:
    meta = meta or report_meta(summary)
    document = Document()
    _set_fonts(document)
    _add_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    # Page numbers centred at the top, from the second page on.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = 1
    header._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{_W}" w:instr="PAGE"><w:r><w:rPr><w:sz w:val="{BODY_PT * 2}"/></w:rPr>'
            "<w:t>2</w:t></w:r></w:fldSimple>"
        )
    )
    sect_pr = document.element.body.find(qn("w:sectPr"))
    # The report's pages end with a paragraph holding their (portrait) section; the appendix's table gets
    # landscape pages, numbered from its first.
    portrait = copy.deepcopy(sect_pr).xml
    size = sect_pr.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    title_page = sect_pr.find(qn("w:titlePg"))
    if title_page is not None:
        sect_pr.remove(title_page)
    parts = [
        _header(summary, meta),
        _title(summary),
        _opening(summary, meta),
        *_results(summary),
        *_problems(summary),
        *_proposals(summary),
        _signature(meta),
        f"<w:p><w:pPr>{portrait}</w:pPr></w:p>",
        *_appendix(summary, meta),
    ]
    # The whole document is written out and parsed once: moving a large tree into a parsed document
    # costs lxml more than parsing it (it fixes every node's namespaces one by one).
    root = document.element.xml
    start, end = root.index("<w:body>") + len("<w:body>"), root.rindex("</w:body>")
    xml = root[:start] + "".join(parts) + sect_pr.xml + root[end:]
    document.part._element = parse_xml(xml.encode("utf-8"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
