"""The schedule language: reading the free-text time of a task ("Quý IV năm 2025", "1 lần/năm (Quý II hàng
năm)", "Sau khi Trung ương ban hành Đề án") into schedules.

The text is normalised to NFC, folded (lower case, no diacritics, one kind of dash) so that "Quý",
"Quí", "quy" and "QUÝ" read alike, and scanned once with a single regular expression into tokens:
points in time (a date, a month, a quarter, a half, a year, with or without a year), markers of a
cycle (hàng năm, hằng quý, thường xuyên …) and event triggers (sau khi …). The tokens of each clause
(split at ";" and at the end of a sentence) are then combined: a point without a year in a yearly
clause is the day of that yearly cycle ("Quý II hàng năm" → 30/06 every year), otherwise it is a
single deadline.

A list of cycles ("hằng tháng, hằng quý") gives a schedule each; a day followed by "năm sau" is a yearly
duty due the year after each year of the plan; "đột xuất khi có yêu cầu" is an event beside any cycle,
and timing left to another document ("theo kế hoạch", "theo chương trình riêng của UBND tỉnh") is an
event too, whose dates an admin records, unless the clause gives its time.

What is not clear is not guessed: a clause with an impossible date, month or quarter ("30/2", "tháng
13", "Quý 5") or a range that runs backwards ("2028-2026") gives no schedule at all, and a cycle that
follows an event ("Sau khi … ban hành Đề án, thực hiện hằng năm") waits for the event, so only the
event is kept.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeAlias

from locales.text import CITATION, NEXT_YEAR, WORD_END, WORD_START, YEAR, fold
from scheduler.timing.periods import Period, PeriodKind
from scheduler.timing.schedules import Monthly, Once, OnEvent, Ongoing, ParsedTime, Quarterly, Schedule, Yearly

__all__ = ["parse_time_text"]


_SPACES = re.compile(r"\s+")
# A bullet at the start of a line begins a new clause; a hyphen before a number does not (it is a range
# that was wrapped onto the next line of a table cell).
_BULLET = re.compile(r"(?:^|\n)[ \t]*[-+•*\u2013][ \t]*(?=[^\W\d_])")
_CLAUSE_END = re.compile(r"[;!?]|\.(?=\s|$)")

# ---- the token grammar, on folded text -------------------------------------------------------------

_QUARTER = r"(?:iv|i{1,3}|[1-4])"
# Short names for the word boundaries, which nearly every pattern below starts or ends with.
_START = WORD_START
_STOP = WORD_END
_NUMBER = r"(?:[0-9]{1,3}(?![0-9])|(?:mot|hai|ba|bon)(?=\s))"
# An attached year: "/2026", "-2027", " năm 2025", ", năm 2026".
_WITH_YEAR = rf"(?:\s*(?:[/,-]\s*)?(?:nam\s+)?(?P<y>{YEAR})(?![0-9]))?"
# Words that follow "quy" when it is not a quarter: quy định, quy hoạch, quy chế …
_NOT_QUARTER = r"(?!\s+(?:dinh|che|hoach|trinh|chuan|mo|pham|tac|luat|uoc|doi|cach|nap|ket|tu)" + _STOP + ")"
_NO_NUMBER_AFTER = r"(?!\s*[0-9])"
# "2 đợt trong quý III/2026" counts within one quarter; it is not a quarterly cycle.
_NOT_A_PERIOD_AFTER = r"(?!\s*(?:[0-9]|(?:iv|i{1,3})" + _STOP + "))"
# "hằng tháng, hằng quý", "hằng quý, 6 tháng, năm": a list of report cycles, each a schedule of its own
# (the list's tail is read item by item in `_listed_cycles`).
_CYCLES_AFTER_QUARTER = (
    r"(?P<tail>(?:\s*(?:,|va|hoac)\s*(?:(?:hang|moi)\s+)?(?:(?:6|sau)\s+thang|ca\s+nam|nam)"
    + _STOP
    + _NO_NUMBER_AFTER
    + ")*)"
)
_CYCLES_AFTER_MONTH = (
    r"(?P<tail>(?:\s*(?:,|va|hoac)\s*(?:(?:hang|moi)\s+)?(?:qu[iy]|(?:6|sau)\s+thang|ca\s+nam|nam)"
    + _STOP
    + _NO_NUMBER_AFTER
    + ")*)"
)
_LISTED_CYCLE = re.compile(_START + r"(?P<c>(?:6|sau)\s+thang|(?:ca\s+)?nam|qu[iy])" + _STOP)
_COUNTED = r"(?:lan|dot|lop|khoa|cuoc|buoi|hoi\s+nghi|hoi\s+thao|chuyen\s+de|dien\s+dan|bao\s+cao)"

# The start of a period with its number ("năm 2026", "quý III/2026", "tháng 9", "giai đoạn 2026-2028").
_PERIOD_AHEAD = (
    r"(?:(?:nam\s+)?[0-9]|qu[iy]\s*(?:[0-9]|(?:iv|i{1,3})" + _STOP + r")|q\.?\s?[1-4]|thang\s*[0-9]"
    r"|(?:6|sau)\s+thang\s+(?:dau|cuoi)|nua\s+(?:dau|cuoi)|giua\s+nam|giai\s+doan|ngay\s+[0-9]|nam\s+hoc)"
)
# "năm học": a word that "năm" (year) is not read in ("cuối năm học" is not the end of a calendar year).
_NOT_SCHOOL = r"(?!\s+hoc" + _STOP + ")"

# Order matters: at one position the first alternative that matches wins, so longer forms come first.
_ALTERNATIVES: tuple[tuple[str, str], ...] = (
    # A document reference and its date ("số 40/KH-UBND ngày 09 tháng 9 năm 2025") is no deadline.
    ("docref", CITATION.pattern),
    # Ad hoc work ("đột xuất khi có dấu hiệu vi phạm") recurs without notice: ongoing, not an event.
    (
        "adhoc",
        _START + r"(?:(?:sau\s+)?khi\s+(?:co\s+)?(?:dau\s+hieu|phat\s+hien|can\s+thiet|can|phan\s+anh"
        r"|vi\s+pham|xay\s+ra|khieu\s+nai|to\s+cao|su\s+co)|dot\s+xuat)" + _STOP,
    ),
    # "Trước khi kết thúc năm 2026" is a deadline, not an event: "trước khi" is passed over, and the
    # period after it is read as usual (it is due at its end).
    ("before_end", _START + r"truoc\s+khi(?=\s+(?:ket\s+thuc|het)\s+" + _PERIOD_AHEAD + ")"),
    ("event", _START + r"(?P<kw>(?:sau\s+)?khi|theo\s+(?:yeu\s+cau|chi\s+dao))" + _STOP),
    # "Ít nhất 1 lần/năm", "01 lớp/năm", "2 đợt/năm", "1 báo cáo/quý"
    (
        "count",
        _START + r"(?:(?:it\s+nhat|toi\s+thieu|khong\s+it\s+hon)\s+)?(?P<n>" + _NUMBER + r")\s*"
        r"(?:[a-z]{1,12}(?:\s+[a-z]{1,12}){0,2}\s*)?/\s*(?P<per>nam|qu[iy]|thang|6\s+thang)" + _STOP,
    ),
    # "2 lần trong năm", "1 lần mỗi năm"
    (
        "count_words",
        _START + r"(?P<n>" + _NUMBER + r")\s*" + _COUNTED + r"\s+(?:moi|mot|trong|hang)\s+"
        r"(?P<per>nam|qu[iy]|thang)" + _STOP + _NOT_A_PERIOD_AFTER,
    ),
    # "mỗi năm 1 lần", "hằng năm tổ chức ít nhất 02 lớp"
    (
        "count_after",
        _START
        + r"(?:hang|moi|mot)\s+(?P<per>nam|qu[iy]|thang)\s+(?:[a-z]{1,8}\s+){0,4}?(?P<n>"
        + _NUMBER
        + r")\s*"
        + _COUNTED
        + _STOP,
    ),
    # "Trong vòng 30 ngày kể từ ngày Kế hoạch được ban hành": counted from the issue date.
    (
        "after_issue",
        _START + r"(?:trong(?:\s+vong|\s+thoi\s+han)?|cham\s+nhat|sau)\s+"
        r"(?P<n>[0-9]{1,3})\s+(?P<unit>ngay|tuan|thang)\s+(?:ke\s+tu|tinh\s+tu|sau)\s+(?:ngay\s+)?"
        r"(?:(?:ke\s+hoach|van\s+ban|quyet\s+dinh)(?:\s+nay)?\s+)?"
        r"(?:duoc\s+)?(?:ban\s+hanh|ky)" + _STOP,
    ),
    # "6 tháng/lần", "1 năm một lần", "quý/lần"
    (
        "interval",
        _START
        + r"(?:(?P<n>[0-9]{1,2}|mot|ba|sau)\s+)?(?P<unit>nam|thang|qu[iy])\s*(?:/\s*|\s+(?:mot|1)\s+)lan"
        + _STOP,
    ),
    (
        "semi",
        _START
        + r"(?:dinh\s+ky|bao\s+cao|so\s+ket|hang|moi|tung)\s+(?:6|sau)\s+thang(?!\s+(?:dau|cuoi))"
        + _STOP
        + r"(?:\s*(?:,|va)\s*(?:ca\s+)?nam"
        + _STOP
        + _NO_NUMBER_AFTER
        + ")?",
    ),
    ("semi_list", _START + r"(?:6|sau)\s+thang\s*(?:,|va)\s*(?:ca\s+)?nam" + _STOP + _NO_NUMBER_AFTER),
    (
        "quarterly",
        _START
        + r"(?:dinh\s+ky\s+)?(?:hang|moi|tung|theo)\s+qu[iy]"
        + _STOP
        + _NOT_QUARTER
        + r"(?!\s*"
        + _QUARTER
        + _STOP
        + ")"
        + _CYCLES_AFTER_QUARTER,
    ),
    (
        "monthly",
        _START + r"(?:dinh\s+ky\s+)?(?:hang|moi|tung|theo)\s+thang" + _STOP + _NO_NUMBER_AFTER + _CYCLES_AFTER_MONTH,
    ),
    (
        "yearly",
        _START + r"(?:dinh\s+ky\s+)?(?:(?:hang|moi|tung)\s+nam|thuong\s+nien)" + _STOP + rf"(?!\s*{YEAR})",
    ),
    (
        "next_years",
        _START + r"(?:va\s+)?(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau\s+do|sau|ke\s+tiep|tiep)" + _STOP,
    ),
    ("from_on", _START + r"tro\s+di" + _STOP),
    (
        "ongoing",
        _START + r"(?:thuong\s+xuyen|lien\s+tuc|hang\s+ngay|moi\s+ngay|hang\s+tuan|moi\s+tuan|trong\s+suot"
        r"|suot\s+(?:giai\s+doan|qua\s+trinh|thoi\s+gian|nam)|ca\s+giai\s+doan)" + _STOP,
    ),
    # Timing left to another document ("theo kế hoạch", "theo chương trình riêng của UBND tỉnh") waits
    # for that document's dates, unless the same clause gives its time ("Hàng năm (theo kế hoạch)").
    (
        "deferred",
        _START + r"theo\s+(?:ke\s+hoach|chuong\s+trinh|lo\s+trinh|tien\s+do|de\s+an)" + _STOP,
    ),
    # Work that follows standing rules, or simply goes on, is ongoing under the same condition.
    ("as_planned", _START + r"(?:theo\s+quy\s+dinh|tiep\s+tuc\s+thuc\s+hien)" + _STOP),
    # "trước ngày 20 tháng 01 năm sau": the day falls in the year after the one it reports on.
    ("next_year", _START + NEXT_YEAR),
    ("periodic", _START + r"dinh\s+ky" + _STOP),
    # "Quý I - Quý III/2026", "Quý III-IV/2026"
    (
        "quarter_range",
        _START
        + r"qu[iy]\s*(?P<a>"
        + _QUARTER
        + r")"
        + _STOP
        + r"\s*(?:-|den|toi)\s*(?:qu[iy]\s*)?(?P<b>"
        + _QUARTER
        + r")"
        + _STOP
        + _WITH_YEAR,
    ),
    # "Quý I, II/2026", "Quý II và Quý IV năm 2026"
    (
        "quarter_list",
        _START
        + r"qu[iy]\s*(?P<list>"
        + _QUARTER
        + _STOP
        + r"(?:\s*(?:,|va|&)\s*(?:qu[iy]\s*)?"
        + _QUARTER
        + _STOP
        + r")+)"
        + _WITH_YEAR,
    ),
    ("quarter", _START + r"(?:qu[iy]\s*|q\.?\s?(?=[1-4]))(?P<q>" + _QUARTER + r")" + _STOP + _WITH_YEAR),
    # "Quý 5/2026" is a typo, not May: no part of it is read, and its clause is unreadable.
    ("not_a_quarter", _START + r"qu[iy]\s*[0-9]+(?:\s*[/-]\s*[0-9]+)?"),
    ("half", _START + r"(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)(?P<nam>\s+nam)?" + _STOP + _WITH_YEAR),
    # "Năm học 2025-2026": a Vietnamese school year ends on 31/05 of its second year.
    (
        "school_year",
        _START + rf"(?:(?P<w>dau|giua|cuoi|het|trong|ca)\s+)?nam\s+hoc\s*(?P<a>{YEAR})\s*(?:[/-]|den|toi)\s*"
        rf"(?P<b>{YEAR})(?![0-9])",
    ),
    ("midyear", _START + r"giua\s+nam" + _STOP + _NOT_SCHOOL + _WITH_YEAR),
    ("year_part", _START + r"(?P<w>cuoi|het|trong|ca|dau)\s+nam" + _STOP + _NOT_SCHOOL + _WITH_YEAR),
    (
        "date",
        r"(?<![0-9a-z/.])(?:ngay\s+)?(?P<d>[0-9]{1,2})\s*(?P<s>[/.-])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*"
        rf"(?P<y>{YEAR})(?![0-9])",
    ),
    (
        "date_words",
        _START + r"ngay\s+(?P<d>[0-9]{1,2})\s+thang\s+(?P<m>[0-9]{1,2})"
        rf"(?:\s*,?\s*nam\s+(?P<y>{YEAR}))?(?![0-9])",
    ),
    (
        "month_range",
        _START + r"thang\s*(?P<a>[0-9]{1,2})\s*(?:-|den|toi)\s*(?:thang\s*)?(?P<b>[0-9]{1,2})(?![0-9])" + _WITH_YEAR,
    ),
    ("month", _START + r"thang\s*(?P<m>[0-9]{1,2})(?![0-9])" + _WITH_YEAR),
    ("month_short", _START + rf"t(?P<m>[0-9]{{1,2}})\s*[/-]\s*(?P<y>{YEAR})(?![0-9])"),
    (
        "month_year",
        rf"(?<![0-9a-z/.])(?P<m>[0-9]{{1,2}})\s*[/-]\s*(?P<y>{YEAR})(?![0-9]|\s*[/-]\s*[0-9a-z])",
    ),
    (
        "day_month",
        r"(?<![0-9a-z/.])(?:ngay\s+)?(?<![0-9/.])(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})(?![0-9]|\s*/)",
    ),
    ("year", rf"(?<![0-9a-z/.])(?:nam\s+)?(?P<y>{YEAR})(?![0-9]|\s*/\s*[0-9a-z]|-[a-z])"),
)


def _compile(alternatives: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One pattern for all alternatives, so a text is scanned once; inner groups are prefixed by their
    alternative's name to keep group names unique.

    Every alternative starts a word, so the engine is told so up front: it then skips the middle of
    words and the spaces between them without trying each alternative there (about five times faster).
    """
    parts = []
    for name, pattern in alternatives:
        # The shared word start below makes each alternative's own one redundant, and costly when
        # repeated for every alternative at every word.
        inner = pattern.removeprefix(_START).replace("(?P<", f"(?P<{name}_").replace("(?P=", f"(?P={name}_")
        parts.append(f"(?P<{name}>{inner})")
    return re.compile(_START + "(?=[0-9a-z])(?:" + "|".join(parts) + ")")


_TOKEN = _compile(_ALTERNATIVES)
_PREFIX = re.compile(r"(?<![0-9a-z])(?P<p>bat\s+dau\s+tu|ke\s+tu|tu|truoc|den\s+het|den|toi|cho\s+den)\s*$")
_PREFIX_KIND = {"truoc": "before", "den": "to", "toi": "to", "cho": "to"}
_RANGE_GAP = re.compile(r"\s*(?:-|~|den(?:\s+het)?|toi|cho\s+den)\s*")
_LIST_GAP = re.compile(r"\s*(?:,|va|hoac|&|,\s*va|,\s*hoac)\s*")
_ATTACHED_GAP = re.compile(r"[\s,]*")
# Between a dated point and the yearly cycle it begins: "và", "rồi", ", sau đó", "và sau đó thực hiện".
_THEN = r"(?:sau\s+do|tiep\s+theo|ke\s+tiep|(?:tu\s+do\s+)?ve\s+sau)"
_THEN_GAP = re.compile(
    r"\s*,?\s*(?:(?:va|roi)(?:\s*,?\s*" + _THEN + ")?|" + _THEN + r")\s*,?\s*(?:(?:thuc\s+hien|lap\s+lai)\s+)?"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_NUMBER = re.compile(r"(?<![a-z])" + _QUARTER + _STOP)
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6}
_MAX_COUNT = 366
_SCHOOL_YEAR_END = (5, 31)  # month, day: the Vietnamese school year ends on 31 May

# ---- tokens ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Point:
    start: int
    end: int
    clause: int
    kind: PeriodKind
    index: int | None  # as in Period; the month for a date
    day: int | None
    year: int | None  # None when the text gives none ("Quý II hàng năm")
    prefix: str = ""  # "from", "to", "before" or ""
    range_start_year: int | None = None  # set when the point ends a range ("2026 - 2028")
    from_on: bool = False  # followed by "trở đi" or "và các năm tiếp theo"
    following: bool = False  # followed by "năm sau": due in the year after the one it reports on


@dataclass(slots=True)
class _Marker:
    start: int
    end: int
    clause: int
    # yearly, semi, quarterly, monthly, ongoing, adhoc, as_planned, deferred, periodic, next_years, from_on,
    # next_year, ignored, or invalid: an impossible date, month or quarter ("30/2", "tháng 13", "Quý 5") or a reversed range,
    # which makes its whole clause unreadable rather than being dropped from it
    kind: str
    count: int | None = None


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    clause: int


@dataclass(slots=True)
class _AfterIssue:
    start: int
    end: int
    clause: int
    number: int
    unit: str  # ngay, tuan or thang


_Token: TypeAlias = _Point | _Marker | _Trigger | _AfterIssue

# Markers that end an event's clause: "Sau khi có hướng dẫn của Bộ, thực hiện hằng năm".
_EVENT_STOPS = frozenset({"yearly", "semi", "quarterly", "monthly", "ongoing", "adhoc", "periodic", "next_years"})
_YEARLY_KINDS = frozenset({"yearly", "semi", "next_years"})
_OTHER_CYCLES = frozenset({"quarterly", "monthly", "ongoing", "adhoc"})


def _number(word: str) -> int:
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


def _quarter(word: str) -> int:
    return _ROMAN[word] if word in _ROMAN else int(word)


def _year(match: re.Match[str], group: str) -> int | None:
    value = match.group(group) if group in _TOKEN.groupindex else None
    return None if value is None else int(value)


def _cycle_marker(unit: str, number: int, start: int, end: int, clause: int) -> _Marker:
    """The marker for "N <unit>" read as a cycle: 1 năm, 6 tháng, 3 tháng or 1 quý, 1 tháng."""
    if unit == "nam" and number == 1:
        kind = "yearly"
    elif unit == "thang" and number == 6:
        kind = "semi"
    elif (unit == "thang" and number == 3) or (unit in ("quy", "qui") and number == 1):
        kind = "quarterly"
    elif unit == "thang" and number == 1:
        kind = "monthly"
    else:
        kind = "ignored"  # "2 năm/lần" has no schedule kind; the task then needs a date
    return _Marker(start, end, clause, kind)


def _counted_marker(per: str, number: int, start: int, end: int, clause: int) -> _Marker:
    count = number if 1 <= number <= _MAX_COUNT else None
    if per == "nam":
        return _Marker(start, end, clause, "yearly", count)
    if per.startswith("6"):
        return _Marker(start, end, clause, "semi", count)
    return _Marker(start, end, clause, "monthly" if per == "thang" else "quarterly")


_LISTED_KIND = {"nam": "yearly", "ca nam": "yearly", "quy": "quarterly", "qui": "quarterly"}


def _listed_cycles(match: re.Match[str], name: str, clause: int) -> list[_Token]:
    """The cycles listed after "hằng quý" or "hằng tháng" ("…, 6 tháng và năm"), a marker each."""
    start = match.start(f"{name}_tail")
    markers: list[_Token] = []
    for item in _LISTED_CYCLE.finditer(match.string, start, match.end(f"{name}_tail")):
        word = " ".join(item.group("c").split())
        markers.append(_Marker(item.start(), item.end(), clause, _LISTED_KIND.get(word, "semi")))
    return markers


def _valid_day(month: int, day: int, year: int | None) -> bool:
    # A day without a year may be 29/02: it is read against a leap year.
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000 if year is None else year, month)[1]


def _token(match: re.Match[str], clause: int, original: str) -> _Token | list[_Token] | None:
    name = match.lastgroup
    assert name is not None  # every alternative is a named group
    start, end = match.span()

    def group(inner: str) -> str:
        return match.group(f"{name}_{inner}")

    if name in ("docref", "before_end"):
        return None
    if name == "not_a_quarter":
        return _Marker(start, end, clause, "invalid")  # "Quý 5/2026" is a typo, not May
    if name == "adhoc":
        return _Marker(start, end, clause, "adhoc")
    if name == "event":
        keyword_end = match.end(f"{name}_kw")
        # "khí" (gas) folds to "khi": only an undotted "khi" in the original is the conjunction.
        if group("kw").endswith("khi") and original[keyword_end - 3 : keyword_end].lower() != "khi":
            return None
        return _Trigger(start, end, clause)
    if name in ("count", "count_words", "count_after"):
        return _counted_marker(group("per"), _number(group("n")), start, end, clause)
    if name == "after_issue":
        return _AfterIssue(start, end, clause, int(group("n")), group("unit"))
    if name == "interval":
        number = 1 if group("n") is None else _number(group("n"))
        return _cycle_marker(group("unit"), number, start, end, clause)
    if name in ("semi", "semi_list"):
        return _Marker(start, end, clause, "semi")
    if name in ("quarterly", "monthly"):
        return [_Marker(start, match.start(f"{name}_tail"), clause, name), *_listed_cycles(match, name, clause)]
    if name in ("yearly", "next_years", "from_on", "ongoing", "as_planned", "deferred", "periodic", "next_year"):
        return _Marker(start, end, clause, name)
    year = _year(match, f"{name}_y")
    if name == "quarter":
        return _Point(start, end, clause, "quarter", _quarter(group("q")), None, year)
    if name == "quarter_list":
        quarters = _QUARTER_NUMBER.findall(group("list"))
        return [_Point(start, end, clause, "quarter", _quarter(word), None, year) for word in quarters]
    if name == "quarter_range":
        first, last = _quarter(group("a")), _quarter(group("b"))
        point = _Point(start, end, clause, "quarter", last, None, year)
        if year is not None:
            point.range_start_year = year if first <= last else year - 1
        return point
    if name == "half":
        if year is None and group("nam") is None:
            return None  # "nửa đầu tháng" is not a half-year
        return _Point(start, end, clause, "half", 1 if group("h") == "dau" else 2, None, year)
    if name == "midyear":
        return _Point(start, end, clause, "half", 1, None, year)
    if name == "year_part":
        # "đầu năm" is read as its first quarter; "cuối năm", "hết năm", "trong năm" as the year.
        if group("w") == "dau":
            return _Point(start, end, clause, "quarter", 1, None, year)
        return _Point(start, end, clause, "year", None, None, year)
    if name in ("date", "date_words", "day_month"):
        month, day = int(group("m")), int(group("d"))
        if _valid_day(month, day, year):
            return _Point(start, end, clause, "date", month, day, year)
        if name == "day_month" and not match.group().startswith("ngay") and not (1 <= month <= 12 and 1 <= day <= 31):
            return None  # "đạt 40/63 xã" is a fraction, not a day; "30/2" is a day that does not exist
        return _Marker(start, end, clause, "invalid")
    if name == "month_range":
        first, last = int(group("a")), int(group("b"))
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return _Marker(start, end, clause, "invalid")
        point = _Point(start, end, clause, "month", last, None, year)
        if year is not None:
            point.range_start_year = year if first <= last else year - 1
        return point
    if name in ("month", "month_short", "month_year"):
        month = int(group("m"))
        if 1 <= month <= 12:
            return _Point(start, end, clause, "month", month, None, year)
        # "tháng 13", "T13/2026" are impossible months; a bare "13/2026" is a number ("Thông tư 13/2026").
        return None if name == "month_year" else _Marker(start, end, clause, "invalid")
    if name == "school_year":
        first, last = int(group("a")), int(group("b"))
        # Only the end of a school year is a deadline; its start ("đầu năm học") or a span that is not one
        # school year ("2025-2027", "2026-2025") is not guessed.
        if last != first + 1 or match.group(f"{name}_w") in ("dau", "giua"):
            return _Marker(start, end, clause, "invalid")
        point = _Point(start, end, clause, "date", _SCHOOL_YEAR_END[0], _SCHOOL_YEAR_END[1], last)
        point.range_start_year = first
        return point
    return _Point(start, end, clause, "year", None, None, year)


def _period_due(kind: PeriodKind, index: int | None, day: int | None, before: bool, year: int) -> date:
    """The deadline of a period in `year`: its end, or the day before it for "trước quý …".

    "trước ngày D" is due on D itself, as plans mean it; 29/02 falls on 28/02 in a common year.
    """
    if kind == "date":
        assert index is not None and day is not None  # a date has both
        return date(year, index, min(day, calendar.monthrange(year, index)[1]))
    period = Period(kind, year, index)
    return period.start - timedelta(days=1) if before else period.end


def _due(point: _Point, year: int) -> date:
    return _period_due(point.kind, point.index, point.day, point.prefix == "before", year)


# ---- combining tokens --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NextOnce:
    """A single deadline whose year the text does not give: the next one on or after the issue date."""

    kind: PeriodKind
    index: int | None
    day: int | None
    before: bool


@dataclass(frozen=True, slots=True)
class _YearlyAt:
    """A yearly schedule before the issue date fixes its first year."""

    month: int
    day: int
    from_bound: int | None
    until_bound: int | None
    count: int | None
    for_previous_year: bool = False


@dataclass(frozen=True, slots=True)
class _FromIssue:
    """A single deadline a number of days or months after the issue date."""

    days: int
    months: int


_Proto: TypeAlias = Once | _NextOnce | _YearlyAt | _FromIssue | Quarterly | Monthly | Ongoing | OnEvent
# The recurring schedules, whose first date depends on when they start.
_CYCLES = (_YearlyAt, Quarterly, Monthly)


def _link(tokens: list[_Token], folded: str, clause_starts: list[int]) -> list[_Token]:
    """Reads the words between tokens: prefixes (từ, đến, trước), ranges, lists and "trở đi"."""
    previous: _Token | None = None
    for token in tokens:
        if isinstance(token, _Point):
            same_clause = previous is not None and previous.clause == token.clause
            gap_start = previous.end if previous is not None and same_clause else clause_starts[token.clause]
            prefix = _PREFIX.search(folded, gap_start, token.start)
            if prefix is not None:
                word = prefix.group("p").split()[0]
                token.prefix = _PREFIX_KIND.get(word, "from")
        previous = token

    linked: list[_Token] = []
    for token in tokens:
        last = linked[-1] if linked else None
        if last is None or last.clause != token.clause:
            linked.append(token)
            continue
        gap = folded[last.end : token.start]
        if isinstance(last, _Point) and isinstance(token, _Point) and _RANGE_GAP.fullmatch(gap):
            linked[-1] = _join_range(last, token)
            continue
        if (
            isinstance(last, _Point)
            and isinstance(token, _Marker)
            and token.kind == "next_year"
            and last.year is None
            and _ATTACHED_GAP.fullmatch(gap)
        ):
            last.following = True  # "trước 15/01 của năm kế tiếp"
        if (
            isinstance(last, _Point)
            and isinstance(token, _Marker)
            and (
                (token.kind in ("next_years", "from_on") and _ATTACHED_GAP.fullmatch(gap))
                # "Trước 15/12/2025 và hằng năm": the dated day is the first of the yearly cycle.
                or (token.kind == "yearly" and last.year is not None and _THEN_GAP.fullmatch(gap))
            )
        ):
            last.from_on = True
        linked.append(token)

    # "Quý II và Quý IV năm 2026": an item of a list takes its year from the next one.
    for index in range(len(linked) - 2, -1, -1):
        first, second = linked[index], linked[index + 1]
        if (
            isinstance(first, _Point)
            and isinstance(second, _Point)
            and first.year is None
            and second.year is not None
            and first.clause == second.clause
            and _LIST_GAP.fullmatch(folded, first.end, second.start)
        ):
            first.year = second.year
    return linked


def _join_range(first: _Point, last: _Point) -> _Point | _Marker:
    """One point for "first – last": due at the end of `last`, remembering the year it starts in.

    A range that ends before its first part does ("Giai đoạn 2028-2026") is not guessed at: it is invalid.
    """
    if first.year is not None and last.year is not None and _due(first, first.year) > _due(last, last.year):
        return _Marker(first.start, last.end, last.clause, "invalid")
    if last.year is None and first.year is not None:
        last.year = first.year if _due(last, first.year) >= _due(first, first.year) else first.year + 1
    if first.range_start_year is not None:
        start_year: int | None = first.range_start_year
    elif first.year is not None:
        start_year = first.year
    elif last.year is not None:
        start_year = last.year if _due(first, last.year) <= _due(last, last.year) else last.year - 1
    else:
        start_year = None
    last.start, last.prefix = first.start, ""
    if start_year is not None:
        last.range_start_year = start_year
    return last


_ON_REQUEST = re.compile(_START + r"yeu\s+cau" + _STOP)
# "Tổ chức kiểm tra theo kế hoạch và [đột xuất]": a conjunction at either end is not the event's.
_OUTER_AND = re.compile(r"^(?:và|hoặc|va|hoac)\s+|\s+(?:và|hoặc|va|hoac)$", re.IGNORECASE)


def _trim_event(text: str) -> str:
    text = _OUTER_AND.sub("", text.strip(" .,;:!?-(")).strip(" .,;:!?-(")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(" .,;:!?-(")
    return text


def _event_end(tokens: list[_Token], after: int, folded: str, clause_end: int) -> int:
    """Where the words of an event starting before `tokens[after]` end: at the end of the clause, or
    before the next cycle marker in it (and the comma that leads to it)."""
    for later in tokens[after:]:
        if later.start >= clause_end:
            break
        if isinstance(later, _Marker) and later.kind in _EVENT_STOPS:
            comma = folded.rfind(",", tokens[after - 1].end if after else 0, later.start)
            return comma if comma != -1 else later.start
    return clause_end


@dataclass(frozen=True, slots=True)
class _Event:
    start: int
    event: OnEvent
    gates: bool  # whether the cycles after it wait for it ("Sau khi …, thực hiện hằng năm")


def _resolve_events(
    tokens: list[_Token], folded: str, original: str, clause_ends: list[int]
) -> tuple[list[_Token], list[_Event]]:
    """Turns each event trigger into the event's words, which run to the end of the clause or to the
    next cycle marker; dates and references inside them belong to the event, not to the schedule."""
    kept: list[_Token] = []
    events: list[_Event] = []
    skip_until = -1
    for index, token in enumerate(tokens):
        if token.start < skip_until:
            continue
        if not isinstance(token, _Trigger):
            kept.append(token)
            continue
        before = kept[-1] if kept else None
        if folded.endswith("trong ", 0, token.start):
            continue  # "trong khi" is "while"
        start = token.start
        if (
            isinstance(before, _Marker)
            and before.kind == "adhoc"
            and before.clause == token.clause
            and folded.endswith("dot xuat", 0, before.end)
            and not folded[before.end : token.start].strip()
        ):
            # "đột xuất khi có yêu cầu": on request, an event beside any cycle, not ad hoc work.
            start = kept.pop().start
        clause_end = clause_ends[token.clause] if token.clause < len(clause_ends) else len(folded)
        end = _event_end(tokens, index + 1, folded, clause_end)
        text = _trim_event(original[start:end])
        # A request ("khi cấp có thẩm quyền yêu cầu") can come at any time; cycles beside it do not wait.
        events.append(_Event(start, OnEvent(text), _ON_REQUEST.search(folded, start, end) is None))
        skip_until = end
    return kept, events


@dataclass(frozen=True, slots=True)
class _Clause:
    """Where a clause is: its bounds in the text, and the text itself (NFC and folded)."""

    start: int
    end: int
    original: str
    folded: str


def _clause_schedules(tokens: list[_Token], unreadable: set[int], clause: _Clause) -> list[tuple[int, _Proto]]:
    """The schedules of one clause, each with its position in the text (to keep the text's order); none
    when the clause is in `unreadable`."""
    if tokens[0].clause in unreadable:
        return []
    points = [token for token in tokens if isinstance(token, _Point)]
    markers = [token for token in tokens if isinstance(token, _Marker)]
    kinds = {marker.kind for marker in markers}
    other_cycles = bool(kinds & _OTHER_CYCLES)
    as_planned = bool(kinds & {"as_planned", "deferred"})
    has_yearless = any(point.year is None for point in points)
    # "Định kỳ" alone says only that the work recurs; with a day and no year it is a yearly day.
    yearly = bool(kinds & _YEARLY_KINDS) or ("periodic" in kinds and has_yearless and not other_cycles)
    found: list[tuple[int, _Proto]] = []
    anchors: dict[tuple[int, int], int] = {}
    # Days of the year after the one reported on ("trước 20/01 năm sau"): a yearly duty with or without
    # "hằng năm", for each year of the plan.
    following: dict[tuple[int, int], int] = {}
    from_bound: int | None = None
    until_bound: int | None = None
    for point in points:
        if point.year is None:
            if point.following:
                anchor = _due(point, 2000)
                following.setdefault((anchor.month, anchor.day), point.start)
            elif yearly:
                anchor = _due(point, 2000)  # a leap year, so 29/02 survives
                anchors.setdefault((anchor.month, anchor.day), point.start)
            elif not other_cycles:
                before = point.prefix == "before"
                found.append((point.start, _NextOnce(point.kind, point.index, point.day, before)))
            # With "hằng quý" or "hằng tháng", days without a year only refine that cycle.
            continue
        due = _due(point, point.year)
        if yearly or other_cycles or as_planned:
            # Around a cycle, a span of years bounds the cycle rather than being a deadline.
            if point.range_start_year is not None:
                from_bound, until_bound = point.range_start_year, due.year
                continue
            if point.prefix == "from" or point.from_on:
                # "Trước quý I/2026 và hằng năm" first falls due on 31/12/2025.
                from_bound = due.year if point.from_on else point.year
                if yearly and point.from_on and point.kind != "year":
                    # "Quý II/2026 và các năm tiếp theo": that quarter is the day of every year.
                    anchors.setdefault((due.month, due.day), point.start)
                continue
            if point.prefix == "to":
                until_bound = due.year
                continue
        elif point.range_start_year is None and (point.prefix == "from" or point.from_on):
            # "Từ năm 2026" with no end and no cycle: work that starts then and goes on.
            found.append((point.start, Ongoing()))
            continue
        found.append((point.start, Once(due, point.kind)))

    if yearly or following:
        yearly_markers = [marker for marker in markers if marker.kind in _YEARLY_KINDS]
        position = min([marker.start for marker in yearly_markers] + list(anchors.values()), default=0)
        if anchors:
            month_days = list(anchors.items())
        elif following:
            month_days = []  # "hằng năm … trước 20/01 năm sau" is that day only
        elif "semi" in kinds:
            month_days = [((6, 30), position), ((12, 31), position)]
        else:
            month_days = [((12, 31), position)]
        count = _count_per_day(yearly_markers, len(month_days) + len(following))
        for (month, day), at in month_days:
            found.append((at, _YearlyAt(month, day, from_bound, until_bound, count)))
        for (month, day), at in following.items():
            found.append((at, _YearlyAt(month, day, from_bound, until_bound, count, for_previous_year=True)))

    for token in tokens:
        if isinstance(token, _AfterIssue):
            if token.unit == "thang":
                found.append((token.start, _FromIssue(0, token.number)))
            else:
                found.append((token.start, _FromIssue(token.number * (7 if token.unit == "tuan" else 1), 0)))
    for marker in markers:
        if marker.kind == "quarterly":
            found.append((marker.start, Quarterly()))
        elif marker.kind == "monthly":
            found.append((marker.start, Monthly()))
        elif marker.kind in ("ongoing", "adhoc"):
            found.append((marker.start, Ongoing()))
        elif marker.kind == "periodic" and not points and len(markers) == 1:
            found.append((marker.start, Ongoing()))  # "Báo cáo định kỳ": recurring, cycle unstated
    if as_planned:
        deferred = next(
            (
                index
                for index, token in enumerate(tokens)
                if isinstance(token, _Marker) and token.kind == "deferred" and not _issued_here(token, clause.folded)
            ),
            None,
        )
        gives_time = "ongoing" in kinds or any(not isinstance(proto, Ongoing) for _, proto in found)
        if deferred is not None and not gives_time:
            # "Thực hiện … theo Kế hoạch": the dates are another document's; an admin records them.
            found.append((clause.start, _deferred_event(tokens, deferred, clause)))
        elif not found:
            found.append((min(m.start for m in markers if m.kind in ("as_planned", "deferred")), Ongoing()))
    return found


_ISSUING = r"(?:ban\s+hanh|xay\s+dung|lap|soan\s+thao|trinh)\s+"


def _issued_here(marker: _Marker, folded: str) -> bool:
    """Whether the document that "theo kế hoạch" defers to is one the text itself has issued ("Quý IV/2025
    ban hành kế hoạch. Thực hiện … theo Kế hoạch"): the work then goes on under it, as ongoing work."""
    noun = folded[marker.start : marker.end].split(maxsplit=1)[1]
    return re.search(_START + _ISSUING + noun.replace(" ", r"\s+") + _STOP, folded[: marker.start]) is not None


def _deferred_event(tokens: list[_Token], index: int, clause: _Clause) -> OnEvent:
    """The words of work whose timing another document sets: from the start of its clause (or the end of
    the cycle before it, "đột xuất hoặc theo kế hoạch") to the next cycle marker or the clause's end."""
    start = clause.start
    for token in tokens[:index]:
        if isinstance(token, _Marker) and token.kind in _EVENT_STOPS:
            start = token.end
    end = _event_end(tokens, index + 1, clause.folded, clause.end)
    return OnEvent(_trim_event(clause.original[start:end]))


def _count_per_day(markers: list[_Marker], days: int) -> int | None:
    """The count target of each yearly day: "2 lần/năm" over two days is once on each."""
    for marker in markers:
        if marker.count is None:
            continue
        if marker.kind == "semi" or days == 1:
            return marker.count  # "1 lần/6 tháng" counts per half-year, i.e. per day
        return marker.count // days if marker.count % days == 0 else None
    return None


def _normalise(text: str) -> tuple[str, str]:
    """The text in NFC with single spaces and bullets turned into clause breaks, and its folded twin."""
    clean = _BULLET.sub("; ", unicodedata.normalize("NFC", text))
    clean = _SPACES.sub(" ", clean).strip(" ;")
    return clean, fold(clean)


@lru_cache(maxsize=8192)
def _analyse(text: str) -> tuple[_Proto, ...]:
    """Everything that does not depend on the issue date; cached because plans repeat their time texts."""
    original, folded = _normalise(text)
    clause_ends = [match.start() for match in _CLAUSE_END.finditer(folded)]
    clause_starts = [0] + [end + 1 for end in clause_ends]
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(folded):
        token = _token(match, bisect_right(clause_ends, match.start()), original)
        if isinstance(token, list):
            tokens.extend(token)
        elif token is not None:
            tokens.append(token)
    tokens, events = _resolve_events(tokens, folded, original, clause_ends)
    tokens = _link(tokens, folded, clause_starts)

    # An impossible date, month or quarter, or a reversed range, leaves its whole clause unread (an event
    # in it too): reading the rest of it would give a schedule the text does not state.
    unreadable = {token.clause for token in tokens if isinstance(token, _Marker) and token.kind == "invalid"}
    events = [event for event in events if bisect_right(clause_ends, event.start) not in unreadable]
    found: list[tuple[int, _Proto]] = [(event.start, event.event) for event in events]

    def clause_of(tokens: list[_Token]) -> list[tuple[int, _Proto]]:
        index = tokens[0].clause
        end = clause_ends[index] if index < len(clause_ends) else len(folded)
        return _clause_schedules(tokens, unreadable, _Clause(clause_starts[index], end, original, folded))

    clause_tokens: list[_Token] = []
    for token in tokens:
        if clause_tokens and clause_tokens[0].clause != token.clause:
            found.extend(clause_of(clause_tokens))
            clause_tokens = []
        clause_tokens.append(token)
    if clause_tokens:
        found.extend(clause_of(clause_tokens))
    found.sort(key=lambda item: item[0])
    # "Sau khi Trung ương ban hành Đề án, thực hiện hằng năm": a cycle after an event starts once the event
    # has happened, so its dates are not known yet; the event's deadline is set when it is recorded. A
    # request, or timing left to another document, holds nothing back.
    first_event = min((event.start for event in events if event.gates), default=len(folded))
    return tuple(proto for at, proto in found if at < first_event or not isinstance(proto, _CYCLES))


def _next_due(once: _NextOnce, issued: date) -> date:
    for year in (issued.year, issued.year + 1):
        due = _period_due(once.kind, once.index, once.day, once.before, year)
        if due >= issued:
            return due
    # "trước quý I" falls in the year before its quarter, so it may need one more year.
    return _period_due(once.kind, once.index, once.day, once.before, issued.year + 2)


def _add_months(day: date, months: int) -> date:
    """`months` calendar months after `day`, on the same day of the month or the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first_year(month: int, day: int, issued: date, from_bound: int | None) -> int:
    """The first year, not before `from_bound`, whose date is on or after the issue date."""
    year = issued.year if from_bound is None else max(issued.year, from_bound)
    last_day = calendar.monthrange(year, month)[1]
    return year if date(year, month, min(day, last_day)) >= issued else year + 1


def _finish(protos: tuple[_Proto, ...], issued: date, horizon_year: int | None) -> tuple[Schedule, ...]:
    schedules: list[Schedule] = []
    yearly_at: dict[tuple[int, int, int, int | None], int] = {}  # where each yearly day already is
    for proto in protos:
        schedule: Schedule
        if isinstance(proto, _NextOnce):
            schedule = Once(_next_due(proto, issued))
        elif isinstance(proto, _FromIssue):
            schedule = Once(_add_months(issued, proto.months) + timedelta(days=proto.days))
        elif isinstance(proto, _YearlyAt):
            until = proto.until_bound if horizon_year is None else horizon_year
            if proto.until_bound is not None and horizon_year is not None:
                until = min(proto.until_bound, horizon_year)
            if proto.for_previous_year:
                # Due the year after each year of the plan, from the issue year's (or the stated first).
                first = max(issued.year, proto.from_bound or issued.year) + 1
                until = None if until is None else until + 1
            else:
                first = _first_year(proto.month, proto.day, issued, proto.from_bound)
            schedule = Yearly(proto.month, proto.day, first, until, proto.count, proto.for_previous_year)
            key = (proto.month, proto.day, first, until)
            if key in yearly_at:
                # The same day said twice ("Hàng năm … 1 lần/năm"): one schedule, keeping the count.
                held = schedules[yearly_at[key]]
                if isinstance(held, Yearly) and held.count is None and proto.count is not None:
                    schedules[yearly_at[key]] = schedule
                continue
            yearly_at[key] = len(schedules)
        else:
            schedule = proto
        if schedule not in schedules:
            schedules.append(schedule)
    return tuple(schedules)


def parse_time_text(text: str, issued: date, horizon_year: int | None) -> ParsedTime:
    """Reads a plan's time text. A text with no readable schedule is kept, with `needs_date` set."""
    schedules = _finish(_analyse(text), issued, horizon_year)
    return ParsedTime(text=text, needs_date=not schedules, schedules=schedules)
