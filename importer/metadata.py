"""What a plan says about itself (number, title, issuing body, date, horizon), read from its prose.

Only the plan's own marks count: the appendix caption "(Kèm theo Kế hoạch số … ngày … của …)", a
"Số: …" line, a "<place>, ngày …" line and the title. Numbers and dates of the documents a plan cites
("Thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9 năm 2025 …") are never taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from importer.document import PlanMetadata
from importer.units import normalize_text

# Patterns over Vietnamese administrative wording (data).
_MARKUP = re.compile(r"^[\s#*_>]+|[\s*_]+$")
_TITLE_MARK = "kế hoạch"
_CAPTION = re.compile(r"^\(?\s*(?:ban hành\s+)?kèm theo\b", re.IGNORECASE)
# A document number: digits, then a "/"-separated symbol such as "12/KH-SKHCN" or "123/2025/NĐ-CP".
_NUMBER = r"(\d[\w&.\-]*/[\w&./\-]*[\w&])"
_CAPTION_NUMBER = re.compile(rf"\bsố\s*:?\s*{_NUMBER}", re.IGNORECASE)
_NUMBER_LINE = re.compile(rf"^số\s*:?\s*{_NUMBER}", re.IGNORECASE)
_DATE_SLASH = re.compile(r"\bngày\s*(\d{1,2})?\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b", re.IGNORECASE)
_DATE_WORDS = re.compile(r"\bngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})\b", re.IGNORECASE)
# "Quảng Ngãi, ngày 15 tháng 9 năm 2025", possibly after the number on the same line.
_PLACE_DATE = re.compile(r"^(?:số\s*:?\s*\S*\s+)?[^\W\d_][^\d,;:()]{0,40},\s*(ngày\b.*)$", re.IGNORECASE)
_CAPTION_BODY = re.compile(r"\bcủa\s+([^()]+?)\s*\)?\s*\.?\s*$", re.IGNORECASE)
_ISSUER = re.compile(r"(?:^|[,;:]\s*)([^\W\d_][^\d,;:()]{2,120}?)\s+ban hành\s+kế hoạch\b", re.IGNORECASE)
_HORIZON = re.compile(r"\bđến năm\s+(\d{4})\b", re.IGNORECASE)


def _clean(line: str) -> str:
    return _MARKUP.sub("", normalize_text(line))


def _date_in(text: str) -> date | None:
    """The first date written as "ngày D/M/YYYY" or "ngày D tháng M năm YYYY"; a blank day means the 1st."""
    for pattern in (_DATE_SLASH, _DATE_WORDS):
        match = pattern.search(text)
        if match is None:
            continue
        day, month, year = match.groups()
        if month is None:
            return None
        try:
            return date(int(year), int(month), int(day) if day else 1)
        except ValueError:
            return None
    return None


def _title(lines: Sequence[str]) -> str | None:
    for index, line in enumerate(lines[:-1]):
        if line.casefold() == _TITLE_MARK:
            return lines[index + 1]
    return lines[0] if lines else None


def _horizon(title: str | None) -> int | None:
    if title is None:
        return None
    years = [int(year) for year in _HORIZON.findall(title)]
    return max(years) if years else None


def extract_metadata(prose: Sequence[str]) -> PlanMetadata:
    """Metadata from the prose lines or paragraphs before the task table (appendix caption included)."""
    lines = [line for line in (_clean(raw) for raw in prose) if line]
    caption = next((line for line in lines if _CAPTION.match(line)), None)

    code: str | None = None
    issued: date | None = None
    issuing_body: str | None = None
    if caption is not None:
        number = _CAPTION_NUMBER.search(caption)
        code = number.group(1) if number else None
        issued = _date_in(caption)
        body = _CAPTION_BODY.search(caption)
        issuing_body = body.group(1).strip() if body else None

    if code is None:
        code = next((match.group(1) for line in lines if (match := _NUMBER_LINE.match(line))), None)
    if issued is None:
        issued = next(
            (found for line in lines if (match := _PLACE_DATE.match(line)) and (found := _date_in(match.group(1)))),
            None,
        )
    if issuing_body is None:
        issuing_body = next((match.group(1).strip() for line in lines if (match := _ISSUER.search(line))), None)

    title = _title(lines)
    return PlanMetadata(
        code=code,
        title=title,
        issuing_body=issuing_body,
        issued=issued,
        horizon_year=_horizon(title),
    )
