"""Telegram rendering: the neutral markup as Telegram HTML within Telegram's limits, counted as Telegram
counts (the text shown, in UTF-16 code units), split at paragraphs, lines, words — never inside a tag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.platforms.telegram.limits import BUTTONS_LIMIT, CALLBACK_DATA_BYTES, TelegramLimits
from bot.platforms.telegram.render import Part, keyboard, render, split, split_caption, utf16_length
from domain.markup import escape, parse, validate
from domain.messages import Button
from domain.payloads import MAX_PAYLOAD_BYTES, Choice, ChoiceKind, encode
from models import ReportStatus


def shown(markup: str) -> str:
    """The text Telegram shows for the markup (tags left out, entities as characters)."""
    return "".join(run.text for run in parse(markup))


# ---- what fits ---------------------------------------------------------------------------------------


def test_a_message_that_fits_goes_as_written() -> None:
    markup = "🔔 Nhắc hạn nhiệm vụ <b>II.3</b> — Sở KH&amp;CN &lt;Quảng Ngãi&gt;, «đạt 70%»"
    assert split(markup, 4096) == [markup]


def test_length_is_counted_on_the_text_shown_in_utf16_code_units() -> None:
    # 4094 letters and an emoji (two UTF-16 code units) show 4096: one message, however long the tags.
    fits = '<b><a href="https://skhcn.quangngai.gov.vn/ke-hoach">' + "a" * 4094 + "</a></b>📄"
    assert utf16_length("📄") == 2 and len(fits) > 4096
    assert split(fits, 4096) == [fits]
    assert len(split(fits + "b", 4096)) == 2


def test_entities_count_as_one_character() -> None:
    assert split("&amp;" * 10, 10) == ["&amp;" * 10]
    assert split("&amp;" * 11, 10) == ["&amp;" * 10, "&amp;"]


def test_a_message_showing_nothing_is_no_message() -> None:
    assert split("", 4096) == []
    assert split("<b> </b>\n\n", 4096) == []


# ---- where it is cut ---------------------------------------------------------------------------------


def test_a_long_text_is_cut_at_a_blank_line_first() -> None:
    markup = "<b>Quý IV/2025</b>\nII.3 đã xong\n\nII.4 đang làm\nII.5 vướng"
    assert split(markup, 30) == ["<b>Quý IV/2025</b>\nII.3 đã xong", "II.4 đang làm\nII.5 vướng"]


def test_paragraphs_that_fit_together_stay_together() -> None:
    paragraphs = ["Việc một.", "Việc hai.", "Việc ba.", "Việc bốn."]
    assert split("\n\n".join(paragraphs), 20) == ["Việc một.\n\nViệc hai.", "Việc ba.\n\nViệc bốn."]


def test_a_paragraph_too_long_is_cut_at_line_ends() -> None:
    markup = "❌ <b>I.1</b> — quá 62 ngày\n🕒 <b>II.3</b> — còn 30 ngày\n🕒 <b>II.4</b> — còn 30 ngày"
    assert split(markup, 50) == [
        "❌ <b>I.1</b> — quá 62 ngày\n🕒 <b>II.3</b> — còn 30 ngày",
        "🕒 <b>II.4</b> — còn 30 ngày",
    ]


def test_a_line_too_long_is_cut_between_words() -> None:
    assert split("đã trình lãnh đạo Sở phê duyệt", 12) == ["đã trình", "lãnh đạo Sở", "phê duyệt"]


def test_only_a_word_longer_than_a_message_is_cut_inside_and_never_inside_an_entity() -> None:
    assert split("Mã: KH&amp;CN-2026-0001", 6) == ["Mã:", "KH&amp;CN-", "2026-0", "001"]


def test_an_emoji_is_never_cut_in_half() -> None:
    assert split("📄📄📄", 3) == ["📄", "📄", "📄"]


def test_a_mark_across_a_cut_is_closed_before_it_and_opened_again_after() -> None:
    markup = "<b>Nhắc việc <i>II.3\n\nhạn 31/12/2025</i> gấp</b>"
    assert split(markup, 20) == ["<b>Nhắc việc <i>II.3</i></b>", "<b><i>hạn 31/12/2025</i> gấp</b>"]


def test_a_link_across_a_cut_keeps_its_address_on_both_sides() -> None:
    markup = 'Xem <a href="https://skhcn.quangngai.gov.vn/tim?ma=II.3&amp;nam=2026">kế hoạch số 12/KH-SKHCN</a>'
    assert split(markup, 16) == [
        'Xem <a href="https://skhcn.quangngai.gov.vn/tim?ma=II.3&amp;nam=2026">kế hoạch số</a>',
        '<a href="https://skhcn.quangngai.gov.vn/tim?ma=II.3&amp;nam=2026">12/KH-SKHCN</a>',
    ]


def test_a_mark_closed_right_at_a_cut_is_closed_there() -> None:
    assert split("<b>II.3</b>\n\n<b>II.4</b>", 5) == ["<b>II.3</b>", "<b>II.4</b>"]


PIECES = st.sampled_from(
    ["đã", " ", "\n", "\n\n", "xong", "<b>II.3</b>", "<i>hạn</i>", "&amp;", "📄", "<code>1322/QĐ</code>", "Sở"]
)


@given(st.lists(PIECES, max_size=60), st.integers(min_value=2, max_value=40), st.booleans())
def test_every_part_fits_is_markup_and_nothing_but_white_space_is_lost(
    pieces: list[str], limit: int, linked: bool
) -> None:
    markup = "".join(pieces)
    markup = f'<a href="https://skhcn.quangngai.gov.vn/?a=1&amp;b=2">{markup}</a>' if linked else markup
    parts = split(markup, limit)
    assert all(validate(part) and utf16_length(shown(part)) <= limit for part in parts)
    assert "".join("".join(shown(part).split()) for part in parts) == "".join(shown(markup).split())


# ---- a file and its caption ---------------------------------------------------------------------------


def test_a_caption_that_fits_goes_with_the_document() -> None:
    assert render("📄 Dự thảo báo cáo — <b>Năm 2025</b> (.docx)", document=True) == [
        Part("📄 Dự thảo báo cáo — <b>Năm 2025</b> (.docx)", document=True)
    ]


def test_a_long_caption_goes_partly_with_the_document_and_the_rest_as_messages() -> None:
    limits = TelegramLimits(text=40, caption=20)
    markup = "<b>Dự thảo báo cáo</b>\n\nHạn: 15/11/2025.\nCòn 3 ngày làm việc.\n\nChi tiết trong tệp."
    assert render(markup, document=True, limits=limits) == [
        Part("<b>Dự thảo báo cáo</b>", document=True),
        Part("Hạn: 15/11/2025.\nCòn 3 ngày làm việc."),
        Part("Chi tiết trong tệp."),
    ]


def test_a_caption_is_counted_as_telegram_counts_it() -> None:
    fits = "<i>📄" + "a" * 1022 + "</i>"
    assert split_caption(fits, TelegramLimits()) == (fits, [])
    caption, rest = split_caption(fits + " b", TelegramLimits())
    assert (caption, rest) == ("<i>📄" + "a" * 1022 + "</i>", ["b"])


def test_a_document_without_text_has_no_caption() -> None:
    assert render("", document=True) == [Part("", document=True)]


# ---- buttons ------------------------------------------------------------------------------------------


def test_buttons_become_an_inline_keyboard_row_by_row() -> None:
    done = encode(Choice(ChoiceKind.PROMPT, (41,), ReportStatus.DONE))
    blocked = encode(Choice(ChoiceKind.PROMPT, (41,), ReportStatus.BLOCKED))
    markup = keyboard(
        (
            (Button("✅ Đã hoàn thành", done), Button("⚠️ Có vướng mắc", blocked)),
            (Button("Kế hoạch", url="https://skhcn.quangngai.gov.vn/ke-hoach"),),
        )
    )
    assert markup is not None
    assert [[(b.text, b.callback_data, b.url) for b in row] for row in markup.inline_keyboard] == [
        [("✅ Đã hoàn thành", "rp:41:done", None), ("⚠️ Có vướng mắc", "rp:41:blocked", None)],
        [("Kế hoạch", None, "https://skhcn.quangngai.gov.vn/ke-hoach")],
    ]


def test_no_buttons_no_keyboard() -> None:
    assert keyboard(()) is None


def test_more_buttons_than_telegram_shows_are_refused() -> None:
    rows = tuple((Button(f"Báo cáo {n}", encode(Choice(ChoiceKind.OPEN_CHOICES, (n,)))),) for n in range(1, 102))
    with pytest.raises(ValueError, match=f"at most {BUTTONS_LIMIT} buttons"):
        keyboard(rows)


def test_every_payload_the_core_makes_fits_telegrams_callback_data() -> None:
    assert MAX_PAYLOAD_BYTES <= CALLBACK_DATA_BYTES == 64


def test_escaped_user_text_reaches_telegram_as_typed() -> None:
    typed = "vướng <b>kinh phí</b> & thủ tục"
    [part] = split(escape(typed), 4096)
    assert part == "vướng &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục" and shown(part) == typed
