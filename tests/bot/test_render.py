"""What messages share: each platform's length, and days left or overdue.

(Escaping is tests/bot/test_markup.py; splitting a long message, each platform's renderer's tests.)
"""

from __future__ import annotations

from datetime import date

from domain.messages import Platform
from domain.render import MESSAGE_LIMITS, due_phrase
from locales.catalogs import translator


def test_the_platform_limits() -> None:
    assert MESSAGE_LIMITS == {Platform.TELEGRAM: 4096, Platform.ZALO: 2000}


def test_days_left_and_overdue() -> None:
    _ = translator("vi")
    today = date(2025, 12, 1)
    assert due_phrase(_, date(2025, 12, 31), today, "vi") == "hạn Thứ Tư, 31/12/2025, còn 30 ngày"
    assert due_phrase(_, today, today, "vi") == "hạn hôm nay, Thứ Hai, 01/12/2025"
    assert due_phrase(_, date(2025, 9, 30), today, "vi") == "hạn Thứ Ba, 30/09/2025, quá 62 ngày"
