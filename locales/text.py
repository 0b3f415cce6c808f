"""Vietnamese text helpers shared by the parsers: folding, and the patterns they all need on folded text.

The parsers read Vietnamese written every way people write it ("Quý", "Quí", "quy", "QUÝ"; "Đã xong",
"da xong"). They match their patterns against the text *folded*: lower case, without diacritics, "đ"
as "d". `fold` maps one character to one, so a position found in the folded text is the same position
in the original, from which the words are quoted as written (with their diacritics and capitals).
`strip_diacritics` is for comparison keys only, where positions do not matter.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CITATION", "NEXT_YEAR", "WORD_END", "WORD_START", "YEAR", "fold", "strip_diacritics"]

# The dashes that Word, web pages and phone keyboards put where a hyphen is meant.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_FULL_WIDTH_PERCENT = "\uff05"


def _fold_table(punctuation: bool) -> str:
    """Maps each letter to its lower-case base letter, one character to one (and with `punctuation`, each
    dash to "-" and "％" to "%").

    A string indexed by code point is faster in `str.translate` than a dict; a character past its end
    is kept as it is.
    """
    table: dict[int, str] = {}
    for code in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        lower = char.lower()
        if len(lower) == 1:
            base = unicodedata.normalize("NFD", lower)[0]
            if base != char:
                table[code] = base
    table[ord("đ")] = table[ord("Đ")] = "d"  # đ has no decomposition
    if punctuation:
        for dash in _DASHES:
            table[ord(dash)] = "-"
        table[ord(_FULL_WIDTH_PERCENT)] = "%"
    return "".join(table.get(code, chr(code)) for code in range(max(table) + 1))


_FOLD = _fold_table(punctuation=True)
_FOLD_LETTERS = _fold_table(punctuation=False)


def fold(text: str, *, punctuation: bool = True) -> str:
    """`text` in lower case without diacritics ("Quý IV" → "quy iv", "Đã" → "da"), exactly as long as `text`.

    Only letters change (Latin letters with or without diacritics, the ones Vietnamese is written in);
    other characters are kept, so `fold(text)[i]` stands for `text[i]`. With `punctuation` (the
    default) the dashes ‐ ‑ ‒ – — ― − also become "-" and the full-width "％" becomes "%". Give it NFC
    text: a combining mark of decomposed text is kept, as a character of its own.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD if punctuation else _FOLD_LETTERS)


def strip_diacritics(text: str) -> str:
    """`text` without diacritics ("đ" becomes "d"), case kept, for comparing names; positions may shift."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# ---- patterns over folded text -------------------------------------------------------------------------

# A word starts where no letter or digit precedes, and ends where none follows.
WORD_START = r"(?<![0-9a-z])"
WORD_END = r"(?![0-9a-z])"
# A year a plan can speak of: 1900–2099.
YEAR = r"(?:19|20)[0-9]{2}"
# The year after the one a duty reports on: "trước ngày 20/01 năm sau", "trước 15/01 của năm kế tiếp".
NEXT_YEAR = r"(?:cua\s+)?nam\s+(?:sau|ke\s+tiep|tiep\s+theo|toi)" + WORD_END
# A cited document and its date: "số 40/KH-UBND ngày 09 tháng 9 năm 2025", "12/2026/NĐ-CP ngày
# 01/02/2026". Neither its number nor its date is a deadline, so parsers consume it whole; the date's
# year is any four digits, so that even a mistyped one is not left behind to be read.
CITATION = re.compile(
    WORD_START + r"(?:so\s+)?[0-9]+(?:/[0-9]{4})?[/-][a-z&]+(?:[/-][a-z&]+)+"
    r"(?:\s+ngay\s+(?:[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{4}|[0-9]{1,2}\s+thang\s+[0-9]{1,2}"
    r"\s+nam\s+[0-9]{4}))?"
)
