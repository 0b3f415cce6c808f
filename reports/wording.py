"""The words of the official documents (.docx, .xlsx): a report's status in the plan's words, a unit's own
words only where they add to it, the plan's name as officials write it, and only characters the report
font shows.

A reply is stored as written ("dang lam 50%", or the label of the button pressed, "✅ Đã hoàn thành"); a
document the head of department signs says "Đang thực hiện, đạt 50%". What a unit wrote is quoted only
when it says more than its status and figures (a reason, a product: «đã trình dự thảo kế hoạch»). A reply
typed without diacritics is restored only when every word of it has one certain reading in a progress
reply (the phrase tables below); otherwise it is quoted as typed and marked «…» (nguyên văn).

Pure functions of plain values: no database, no document library.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from domain.status_buttons import STATUS_LABELS
from locales import N_
from locales.catalogs import SUPPORTED, translator
from locales.text import CITATION, fold
from models.progress import ReportStatus
from reports.summary import PlanFact, ReportView, SummaryItem

__all__ = [
    "AS_TYPED",
    "PLAN_WIDE_DUTIES",
    "STATUS_WORDS",
    "TABLE_TASKS",
    "ReportWords",
    "Restored",
    "capitalised",
    "font_safe",
    "is_button_label",
    "plan_name",
    "reason_words",
    "report_text",
    "report_words",
    "restore_diacritics",
    "task_count_words",
    "task_counts",
]

# By the status value (the progress language's statuses are the report statuses).
STATUS_WORDS: dict[str, str] = {
    ReportStatus.DONE.value: N_("done"),
    ReportStatus.IN_PROGRESS.value: N_("in progress"),
    ReportStatus.BLOCKED.value: N_("blocked"),
    ReportStatus.NOT_STARTED.value: N_("not started"),
}
# The documents are Vietnamese whatever the reader's language (Nghị định 30/2020/NĐ-CP prescribes it).
AS_TYPED = "(nguyên văn)"
_vi = translator("vi")


# ---- characters the report font shows -------------------------------------------------------------

# What Times New Roman shows (and Liberation Serif, which LibreOffice puts in its place): Latin with the
# Vietnamese letters, Greek, Cyrillic, the usual punctuation, ₫ € № ™, arrows and a few maths signs. An
# emoji, a variation selector or a pictograph would print as a blank box, or as nothing.
_NOT_IN_FONT = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u036f\u0386-\u03ce\u0400-\u045f\u1e00-\u1e9b\u1ea0-\u1ef9"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2032\u2033\u2039\u203a"
    "\u20ab\u20ac\u2116\u2122\u2190-\u2195\u2212\u2248\u2260\u2264\u2265]"
)
_SPACES = re.compile(" {2,}")


def _replace(match: re.Match[str]) -> str:
    # An exotic space still separates words; anything else goes.
    return " " if match.group().isspace() else ""


def font_safe(text: str) -> str:
    """`text` without the characters the report font cannot show ("✅ Đã hoàn thành" → "Đã hoàn thành");
    text that has none is returned as it is."""
    if _NOT_IN_FONT.search(text) is None:
        return text
    cleaned = _NOT_IN_FONT.sub(_replace, unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", cleaned).strip(" ")


# ---- button presses --------------------------------------------------------------------------------


@cache
def _button_labels() -> frozenset[str]:
    return frozenset(translator(locale)(label) for locale in SUPPORTED for _status, label, _icon in STATUS_LABELS)


def is_button_label(note: str) -> bool:
    """Whether a report's note is the label of a status button (in any language the bot speaks): a button
    press is stored with its label as the note, and it is a status, never text to quote."""
    return note in _button_labels()


# ---- restoring diacritics --------------------------------------------------------------------------

# Phrases of a progress reply typed without diacritics, each with its one reading there. A word that can
# be read several ways ("da": đã, dạ, da; "dang": đang, đăng; "so": Sở, số) is listed only inside the
# phrases that decide it. Status phrases say nothing beyond the status and figures.
_STATUS_PHRASES: dict[str, str] = {
    "da xong": "đã xong",
    "xong roi": "xong rồi",
    "da xong roi": "đã xong rồi",
    "xong": "xong",
    "da hoan thanh": "đã hoàn thành",
    "hoan thanh": "hoàn thành",
    "hoan thanh roi": "hoàn thành rồi",
    "da lam xong": "đã làm xong",
    "lam xong": "làm xong",
    "dang lam": "đang làm",
    "dang thuc hien": "đang thực hiện",
    "dang trien khai": "đang triển khai",
    "dang tien hanh": "đang tiến hành",
    "da thuc hien": "đã thực hiện",
    "da trien khai": "đã triển khai",
    "dang tiep tuc": "đang tiếp tục",
    "tiep tuc": "tiếp tục",
    "thuc hien": "thực hiện",
    "trien khai": "triển khai",
    "chua bat dau": "chưa bắt đầu",
    "chua trien khai": "chưa triển khai",
    "chua thuc hien": "chưa thực hiện",
    "chua xong": "chưa xong",
    "sap xong": "sắp xong",
    "gan xong": "gần xong",
    "dat": "đạt",
    "duoc": "được",
    "tien do": "tiến độ",
    "phan tram": "phần trăm",
    "vuong": "vướng",
    "vuong mac": "vướng mắc",
    "co vuong mac": "có vướng mắc",
    "bi vuong": "bị vướng",
    "ok": "ok",
    "done": "done",
    "finished": "finished",
    "completed": "completed",
}
# Phrases that carry information (a product, a reason), with their one reading in a progress reply.
_PHRASES: dict[str, str] = {
    "da trinh": "đã trình",
    "dang trinh": "đang trình",
    "da gui": "đã gửi",
    "dang gui": "đang gửi",
    "da ban hanh": "đã ban hành",
    "ban hanh": "ban hành",
    "da ky": "đã ký",
    "da phe duyet": "đã phê duyệt",
    "phe duyet": "phê duyệt",
    "da to chuc": "đã tổ chức",
    "to chuc": "tổ chức",
    "dang to chuc": "đang tổ chức",
    "dang tong hop": "đang tổng hợp",
    "tong hop": "tổng hợp",
    "dang soan": "đang soạn",
    "dang soan thao": "đang soạn thảo",
    "soan thao": "soạn thảo",
    "dang xay dung": "đang xây dựng",
    "da xay dung": "đã xây dựng",
    "xay dung": "xây dựng",
    "dang hoan thien": "đang hoàn thiện",
    "hoan thien": "hoàn thiện",
    "dang ra soat": "đang rà soát",
    "ra soat": "rà soát",
    "dang kiem tra": "đang kiểm tra",
    "da kiem tra": "đã kiểm tra",
    "kiem tra": "kiểm tra",
    "dang cho": "đang chờ",
    "cho phe duyet": "chờ phê duyệt",
    "cho y kien": "chờ ý kiến",
    "xin y kien": "xin ý kiến",
    "y kien": "ý kiến",
    "du thao": "dự thảo",
    "ke hoach": "kế hoạch",
    "bao cao": "báo cáo",
    "to trinh": "tờ trình",
    "de cuong": "đề cương",
    "van ban": "văn bản",
    "lanh dao so": "lãnh đạo Sở",
    "giam doc so": "Giám đốc Sở",
    "ubnd tinh": "UBND tỉnh",
    "ubnd": "UBND",
    "hoi nghi": "hội nghị",
    "tap huan": "tập huấn",
    "lop tap huan": "lớp tập huấn",
    "tuyen truyen": "tuyên truyền",
    "tin bai": "tin bài",
    "doanh nghiep": "doanh nghiệp",
    "co so": "cơ sở",
    "cong chuc": "công chức",
    "vien chuc": "viên chức",
    "khao sat": "khảo sát",
    "chua co": "chưa có",
    "chua duoc": "chưa được",
    "thieu": "thiếu",
    "kho khan": "khó khăn",
    "kinh phi": "kinh phí",
    "ngan sach": "ngân sách",
    "du toan": "dự toán",
    "bo tri": "bố trí",
    "phan bo": "phân bổ",
    "nhan luc": "nhân lực",
    "nhan su": "nhân sự",
    "can bo": "cán bộ",
    "huong dan": "hướng dẫn",
    "huong dan cua bo": "hướng dẫn của Bộ",
    "chi dao": "chỉ đạo",
    "thiet bi": "thiết bị",
    "nam": "năm",
}
_READINGS: dict[str, tuple[str, bool]] = {  # phrase → (its reading, whether it carries information)
    **{phrase: (reading, False) for phrase, reading in _STATUS_PHRASES.items()},
    **{phrase: (reading, True) for phrase, reading in _PHRASES.items()},
}
_LONGEST = max(phrase.count(" ") + 1 for phrase in _READINGS)
# A word of folded text (lower case, no diacritics, as long as the text); figures are not words.
_WORD = re.compile("[a-z]+")


@dataclass(frozen=True, slots=True)
class Restored:
    text: str  # the reply in proper Vietnamese, or as typed when its reading is not certain
    as_typed: bool  # typed without diacritics and not restored: quote it marked «…» (nguyên văn)
    informative: bool  # says more than a status and figures


@lru_cache(maxsize=65536)
def restore_diacritics(text: str) -> Restored:
    """`text` in proper Vietnamese: as it is when typed with diacritics; restored phrase by phrase when typed
    without and every word has one certain reading ("dang lam 50%" → "đang làm 50%"); else as typed."""
    text = " ".join(text.split())
    folded = fold(text)
    words = [match.span() for match in _WORD.finditer(folded)]
    spans: list[tuple[int, int, str]] = []  # each phrase read, and its reading
    unread = carries = False  # a word no phrase reads; a phrase that carries information
    index = 0
    while index < len(words):
        # The longest phrase of words one space apart that starts here.
        last = index
        while last + 1 < min(len(words), index + _LONGEST) and words[last + 1][0] == words[last][1] + 1:
            last += 1
        for end in range(last, index - 1, -1):
            found = _READINGS.get(folded[words[index][0] : words[end][1]])
            if found is not None:
                spans.append((words[index][0], words[end][1], found[0]))
                carries = carries or found[1]
                index = end + 1
                break
        else:
            unread = True
            index += 1
    informative = unread or carries
    if not text.isascii() or not spans:
        # Typed with diacritics (nothing to restore), or nothing read: as it is.
        return Restored(text, as_typed=text.isascii() and unread, informative=informative)
    if unread:
        return Restored(text, as_typed=True, informative=informative)
    parts: list[str] = []
    position = 0
    for start, end, reading in spans:
        parts.append(text[position:start])
        parts.append(_cased(text[start:end], reading))
        position = end
    parts.append(text[position:])
    return Restored("".join(parts), as_typed=False, informative=informative)


def _cased(typed: str, reading: str) -> str:
    """The reading in the case it was typed: "DA XONG" → "ĐÃ XONG", "Dang lam" → "Đang làm"."""
    if len(typed) > 1 and typed.isupper():
        return reading.upper()
    if typed[:1].isupper():
        return reading[:1].upper() + reading[1:]
    return reading


def _quoted(text: str) -> str:
    restored = restore_diacritics(font_safe(text))
    return f"«{restored.text}» {AS_TYPED}" if restored.as_typed else f"«{restored.text}»"


# ---- a report in the documents' words ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportWords:
    status: str  # "đang thực hiện, đạt 50%" (lower case: capitalise it where a line starts)
    quote: str | None  # «…», the unit's words where they add to the status; marked when kept as typed
    reason: str | None  # what blocks it, restored, or «…» (nguyên văn)


def _figures(report: ReportView) -> str | None:
    if report.done_count is not None and report.target_count is not None:
        return f"{report.done_count}/{report.target_count}"
    if report.percent is not None:
        return f"{report.percent}%"
    return None


def report_words(report: ReportView) -> ReportWords:
    """What a report says, in the plan's words: "đang thực hiện, đạt 50%", the unit's own words only when
    they add information, and the reason of a blocker. A button press is a status and nothing more."""
    figures = _figures(report)
    status = _vi(STATUS_WORDS[report.status])
    if report.status == ReportStatus.BLOCKED and figures is not None:
        status = f"{_vi(STATUS_WORDS[ReportStatus.IN_PROGRESS])}, đạt {figures}, {status}"
    elif report.status == ReportStatus.IN_PROGRESS and figures is not None:
        status += f", đạt {figures}"
    elif report.status == ReportStatus.DONE and report.done_count is not None:
        status += f" ({figures})"
    if is_button_label(report.note):
        return ReportWords(status, None, None)
    note = font_safe(report.note)
    quote = _quoted(note) if note and restore_diacritics(note).informative else None
    return ReportWords(status, quote, reason_words(report.reason) if report.reason else None)


def reason_words(reason: str) -> str:
    """A blocker's reason as the unit gave it: restored ("kinh phi" → "kinh phí"), or «…» (nguyên văn)."""
    restored = restore_diacritics(font_safe(reason))
    return f"«{restored.text}» {AS_TYPED}" if restored.as_typed else restored.text


def report_text(report: ReportView) -> str:
    """A report in one phrase: "đang thực hiện, đạt 70%: «đã trình dự thảo kế hoạch, đạt 70%»", "có vướng
    mắc: kinh phí", "đã hoàn thành"."""
    words = report_words(report)
    if words.quote is not None:
        return f"{words.status}: {words.quote}"
    if words.reason is not None:
        return f"{words.status}: {words.reason}"
    return words.status


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- counting tasks ----------------------------------------------------------------------------------

TABLE_TASKS = "nhiệm vụ tại Phụ lục Kế hoạch"
PLAN_WIDE_DUTIES = "nghĩa vụ chung của kế hoạch"


def task_counts(items: Iterable[SummaryItem]) -> tuple[int, int]:
    """How many of `items` are rows of the plan's table, and how many are plan-wide duties from its body
    (BC.1: every unit reports before 15/11): "21 tasks" alone would not say which."""
    rows = duties = 0
    for item in items:
        if item.section_code is None:
            duties += 1
        else:
            rows += 1
    return rows, duties


def task_count_words(items: Iterable[SummaryItem]) -> str:
    """ "12 nhiệm vụ tại Phụ lục Kế hoạch và 1 nghĩa vụ chung của kế hoạch"."""
    rows, duties = task_counts(items)
    parts = [f"{rows} {TABLE_TASKS}"] if rows or not duties else []
    if duties:
        parts.append(f"{duties} {PLAN_WIDE_DUTIES}")
    return " và ".join(parts)


# ---- the plan's name -----------------------------------------------------------------------------------

# A plan that implements another document is titled "Thực hiện Kế hoạch 40/KH-UBND ngày … của UBND tỉnh
# về …": named as "Kế hoạch thực hiện Kế hoạch …", it says "Kế hoạch" twice.
_IMPLEMENTS = re.compile(
    r"(?P<verb>trien khai thuc hien|thuc hien|trien khai) (?P<kind>ke hoach|quyet dinh|nghi quyet|chi thi"
    r"|chuong trinh|de an|nghi dinh|thong tu|ket luan|cong van) "
)
_NUMBER_OF = re.compile(r"(?:so )?(?P<number>[^ ]+)")
_ISSUER = re.compile(r" cua (?P<issuer>.+?)(?= ve |[,;(]|$)")
_ABOUT = " về "
TITLE_CHARS, SHORT_TITLE_CHARS = 150, 80  # a longer title is cut before its "về …" part


def _is_number(code: str) -> bool:
    """A document number ("12/KH-SKHCN", "123/2025/NĐ-CP"), not the file name a plan without one is known by."""
    return "/" in code and CITATION.fullmatch(fold(code)) is not None


def plan_name(plan: PlanFact, *, full: bool = False) -> str:
    """The plan as officials name it: "Kế hoạch số 12/KH-SKHCN" (`full`: with its date and issuer); a plan
    without a number by its title, "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số
    40/KH-UBND" (`full`: with the cited document's date and issuer)."""
    if _is_number(plan.code):
        name = f"Kế hoạch số {plan.code}"
        if full and plan.issued is not None:
            name += f" ngày {plan.issued:%d/%m/%Y}"
        if full and plan.issuing_body:
            name += f" của {plan.issuing_body}"
        return name
    title = " ".join(plan.title.split())
    folded = fold(title)
    implements = _IMPLEMENTS.match(folded)
    cited = CITATION.match(folded, implements.end()) if implements else None
    if implements is not None and cited is not None:
        number = _NUMBER_OF.match(folded, cited.start())
        assert number is not None  # the citation starts with its number
        whose = f"Kế hoạch của {plan.issuing_body}" if plan.issuing_body else "Kế hoạch"
        verb = title[: implements.end("verb")].lower()
        kind = title[implements.start("kind") : implements.end("kind")]
        name = f"{whose} {verb} {kind} số {title[number.start('number') : number.end('number')]}"
        if full:
            name += title[number.end("number") : cited.end()]
            issuer = _ISSUER.match(folded, cited.end())
            if issuer is not None:
                name += title[issuer.start() : issuer.end()]
        return name
    if _ABOUT in title and len(title) > (TITLE_CHARS if full else SHORT_TITLE_CHARS):
        title = title[: title.index(_ABOUT)]
    if folded.startswith("ke hoach"):
        return capitalised(title)
    return "Kế hoạch " + title[:1].lower() + title[1:]
