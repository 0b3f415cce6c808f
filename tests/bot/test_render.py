"""Fitting messages into a platform's length, and escaping what people wrote."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from domain.messages import Platform
from domain.render import MESSAGE_LIMITS, due_phrase, esc, fit
from locales.catalogs import translator

LINES = [
    "❌ <b>I.1</b> — chưa thực hiện · hạn Thứ Ba, 30/09/2025, quá 62 ngày",
    "🕒 <b>II.3</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "⏸️ <b>VI.1</b> — chờ sự kiện: Sau khi Trung ương ban hành Đề án",
]


def test_the_platform_limits() -> None:
    assert MESSAGE_LIMITS == {Platform.TELEGRAM: 4096, Platform.ZALO: 2000}


def test_a_short_message_is_one_part() -> None:
    text = "\n".join(LINES)
    assert fit(text, 2000) == [text]


def test_an_empty_message_is_one_empty_part() -> None:
    assert fit("", 2000) == [""]


def test_parts_break_at_line_boundaries() -> None:
    text = "\n".join(LINES)
    limit = len(LINES[0]) + 1 + len(LINES[1])
    assert fit(text, limit) == [LINES[0] + "\n" + LINES[1], LINES[2]]


def test_a_line_of_exactly_the_limit_fits() -> None:
    assert fit(LINES[0], len(LINES[0])) == [LINES[0]]


def test_a_single_overlong_line_is_cut() -> None:
    line = "vướng kinh phí " * 10
    assert fit(line, 60) == [line[:60], line[60:120], line[120:]]
    assert fit("ngắn\n" + line, 60) == ["ngắn", line[:60], line[60:120], line[120:]]


@given(
    st.lists(st.text(alphabet="aăâđ áà<b>\u0300", max_size=80), max_size=40), st.integers(min_value=1, max_value=200)
)
def test_every_part_fits_and_nothing_is_lost(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    parts = fit(text, limit)
    assert all(len(part) <= limit for part in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_user_text_is_escaped_for_html() -> None:
    assert esc("vướng <b>kinh phí</b> & thủ tục") == "vướng &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục"
    assert esc('Quyết định "1322/QĐ-TTg"') == 'Quyết định "1322/QĐ-TTg"'


def test_days_left_and_overdue() -> None:
    _ = translator("vi")
    today = date(2025, 12, 1)
    assert due_phrase(_, date(2025, 12, 31), today, "vi") == "hạn Thứ Tư, 31/12/2025, còn 30 ngày"
    assert due_phrase(_, today, today, "vi") == "hạn hôm nay, Thứ Hai, 01/12/2025"
    assert due_phrase(_, date(2025, 9, 30), today, "vi") == "hạn Thứ Ba, 30/09/2025, quá 62 ngày"
