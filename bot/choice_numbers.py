"""Reading a typed choice: "2", "số 2", "2.", "chọn 2", "Chọn số 2 ạ" → 2. Pure: text in, number out.

Where choices are shown numbered (always on Zalo, which has no buttons; people type numbers on Telegram
too), the answer is the number alone, maybe with a word before it and punctuation or a polite particle
after. Anything more ("2 việc", "2/3", "50%", "năm 2026") is not a choice but a message, read as usual.
"""

from __future__ import annotations

import re
import unicodedata

# The words people put before the number, Vietnamese with or without diacritics, and English.
_PICK = r"(?:(?:lựa\s+)?chọn|(?:lua\s+)?chon|choose|pick|option)"
_NUMBER_WORD = r"(?:số|so|number)"
# Up to three digits: a year or a figure ("2026", "1500") is something else. Full-width digits come
# from Vietnamese and CJK input methods.
_DIGITS = r"(?P<digits>[0-9０-９]{1,3})"
# What may follow: punctuation (ASCII and full-width) and the polite particles of a short answer.
_AFTER = r"[\s.,;:!?…)）．。]*(?:(?:ạ|nhé|nhe|nha)[\s.,;:!?…)）．。]*)?"
TYPED_CHOICE = re.compile(
    rf"^\s*(?:{_PICK}\s*)?(?:{_NUMBER_WORD}\s*)?[#(（]?\s*{_DIGITS}{_AFTER}$",
    re.IGNORECASE,
)


def typed_number(text: str) -> int | None:
    """The number `text` answers with, or None when it is not just a number (then it is a message)."""
    match = TYPED_CHOICE.match(unicodedata.normalize("NFC", text))
    if match is None:
        return None
    # int() reads full-width digits as they are; leading zeros ("02") are the same choice.
    return int(match.group("digits"))


__all__ = ["TYPED_CHOICE", "typed_number"]
