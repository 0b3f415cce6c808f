"""The period a summary covers, as people write it: "2026", "quý 4/2025", "tháng 11/2026", "6 tháng đầu
năm 2026" (with or without diacritics), and the short tokens the summary's buttons carry ("q4/2025").

With no period the summary covers the current reporting cycle: the period of the plan's reporting duty
(a year for "trước ngày 15/11 hàng năm") that holds today.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from scheduler.timing.periods import Period, PeriodKind

__all__ = [
    "PeriodError",
    "PeriodRequest",
    "current_period",
    "parse_period",
    "period_token",
    "previous_period",
    "split_request",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(ValueError):
    """The text names a period that does not exist or cannot be read ("quý 5/2025", "tháng 13")."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one, so positions match the original."""
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(out)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Vietnamese words first, then English ones ("quarter 4/2025", "month 11/2026", "first half of 2026").
_SEP = r"\s*(?:[/\-.]|\s+nam\s+|\s+of\s+|\s)\s*"
_YEAR = r"(\d{4})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("half", re.compile(r"\b6\s*thang\s+(dau|cuoi)\s+(?:nam\s+)?" + _YEAR + r"\b")),
    ("half", re.compile(r"\b(first|second)\s+half\s+(?:of\s+)?(?:year\s+)?" + _YEAR + r"\b")),
    ("half", re.compile(r"\bh([12])\s*/\s*" + _YEAR + r"\b")),
    ("quarter", re.compile(r"\b(?:quarter|quy|qui|q)\s*(\d{1,2}|iv|iii|ii|i)" + _SEP + _YEAR + r"\b")),
    ("month", re.compile(r"\b(?:thang|month|t)\s*(\d{1,2})" + _SEP + _YEAR + r"\b")),
    ("month", re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*" + _YEAR + r"\b")),
    ("year", re.compile(r"\b(?:nam\s+|year\s+)?" + _YEAR + r"\b")),
)
_HALVES = {"dau": 1, "cuoi": 2, "first": 1, "second": 2}
_UNIT_TOKEN = re.compile(r"(?:^|\s)#(\d{1,9})\b")


def _period(kind: str, groups: tuple[str, ...]) -> Period | None:
    try:
        if kind == "year":
            year = int(groups[0])
            return Period("year", year) if FIRST_YEAR <= year <= LAST_YEAR else None
        first, year_text = groups
        year = int(year_text)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        if kind == "half":
            index = _HALVES.get(first) or int(first)
            return Period("half", year, index)
        index = _ROMAN[first] if first in _ROMAN else int(first)
        return Period("quarter" if kind == "quarter" else "month", year, index)
    except ValueError:  # quý 5, tháng 13
        return None


@dataclass(frozen=True)
class PeriodRequest:
    """What `/summary ARGS` asks for: a period (None: the current cycle) and a unit's name or number."""

    period: Period | None
    unit_text: str  # empty: no unit named
    unit_id: int | None = None  # "#5" in a button's payload


def split_request(text: str) -> PeriodRequest:
    """Finds a period anywhere in `text`; the rest names a unit. Raises PeriodError when the text holds
    numbers that are not a period ("quý 5/2025", "2026 abc 7")."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    unit_id = None
    token = _UNIT_TOKEN.search(text)
    if token is not None:
        unit_id = int(token.group(1))
        text = " ".join((text[: token.start()] + " " + text[token.end() :]).split())
    folded = _fold(text)
    period = None
    for kind, pattern in _PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        period = _period(kind, match.groups())
        if period is None:
            raise PeriodError(text[match.start() : match.end()].strip() or text)
        text = text[: match.start()] + " " + text[match.end() :]
        break
    rest = " ".join(text.split())
    if any(char.isdigit() for char in rest):
        # Unit names have no digits: a number left over is a period that could not be read.
        raise PeriodError(rest)
    return PeriodRequest(period, rest, unit_id)


def parse_period(text: str) -> Period | None:
    """A period on its own (`--period`); None for an empty text. Raises PeriodError otherwise."""
    if not text.strip():
        return None
    request = split_request(text)
    if request.period is None or request.unit_text or request.unit_id is not None:
        raise PeriodError(text.strip())
    return request.period


def current_period(today: date, kind: PeriodKind) -> Period:
    """The period of `kind` that holds `today` (a "date" cycle falls back to the quarter)."""
    if kind == "year":
        return Period("year", today.year)
    if kind == "half":
        return Period("half", today.year, (today.month + 5) // 6)
    if kind == "month":
        return Period.month_of(today)
    return Period.quarter_of(today)


def previous_period(period: Period) -> Period | None:
    """The period of the same kind just before; None before the first year we accept."""
    if period.kind == "year":
        year, index = period.year - 1, None
    elif period.kind == "date":
        return None
    else:
        assert period.index is not None
        last = {"month": 12, "quarter": 4, "half": 2}[period.kind]
        year, index = (period.year - 1, last) if period.index == 1 else (period.year, period.index - 1)
    if year < FIRST_YEAR:
        return None
    return Period(period.kind, year, index)


def period_token(period: Period) -> str:
    """A short ASCII form that `split_request` reads back, for button payloads (≤ 64 bytes)."""
    if period.kind == "year":
        return str(period.year)
    prefix = {"quarter": "q", "month": "t", "half": "h"}.get(period.kind)
    if prefix is None:
        raise ValueError(f"no token for {period!r}")
    return f"{prefix}{period.index}/{period.year}"
