"""Zalo rendering: the core's neutral markup and buttons as plain-text messages of at most 2000 characters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.platforms.zalo.render import (
    Option,
    choice_numbers,
    plain_text,
    render,
    render_outbox,
    render_outgoing,
    reply_hint,
    split_text,
)
from domain.markup import MarkupError, escape
from domain.messages import Attachment, Button, Outgoing
from locales.catalogs import translator
from models.reminders import OutboxMessage

vi = translator("vi")
en = translator("en")

STATUS_CHOICES = [[Option("Đã hoàn thành"), Option("Đang thực hiện"), Option("Có vướng mắc")]]


# ---- markup ------------------------------------------------------------------------------------------


def test_tags_are_dropped_and_the_words_kept() -> None:
    assert (
        plain_text("<b>Nhắc việc</b>: <i>II.3</i> — hạn <code>31/12/2025</code>") == "Nhắc việc: II.3 — hạn 31/12/2025"
    )


def test_a_link_shows_its_address_after_its_words() -> None:
    markup = 'Xem <a href="https://skhcn.quangngai.gov.vn/ke-hoach">Kế hoạch số 12/KH-SKHCN</a> để biết thêm.'
    assert plain_text(markup) == ("Xem Kế hoạch số 12/KH-SKHCN (https://skhcn.quangngai.gov.vn/ke-hoach) để biết thêm.")


def test_a_link_whose_words_are_its_address_shows_it_once() -> None:
    markup = '<a href="https://zalo.me/s/nhacviec">https://zalo.me/s/nhacviec</a>'
    assert plain_text(markup) == "https://zalo.me/s/nhacviec"


def test_a_link_address_with_an_escaped_ampersand_reads_as_typed() -> None:
    markup = '<a href="https://skhcn.quangngai.gov.vn/tim?ma=II.3&amp;nam=2026">II.3</a>'
    assert plain_text(markup) == "II.3 (https://skhcn.quangngai.gov.vn/tim?ma=II.3&nam=2026)"


def test_entities_are_unescaped_once() -> None:
    # What a person wrote was escaped by the core: "&lt;" they typed is "&amp;lt;" in the markup.
    markup = "Ghi chú: «Sở KH&amp;CN &lt;Quảng Ngãi&gt; đã &quot;trình&quot;, gõ &amp;lt; là dấu nhỏ hơn»"
    assert plain_text(markup) == 'Ghi chú: «Sở KH&CN <Quảng Ngãi> đã "trình", gõ &lt; là dấu nhỏ hơn»'


def test_text_that_only_looks_like_a_tag_reads_as_typed_once_escaped() -> None:
    # The core escapes what people wrote (domain.markup.escape); unescaped, it is not the markup at all.
    typed = "Tiến độ <50% & <p> không phải thẻ"
    assert plain_text(escape(typed)) == typed
    with pytest.raises(MarkupError):
        plain_text(typed)


# ---- splitting ---------------------------------------------------------------------------------------


def test_a_short_text_is_one_message() -> None:
    assert split_text("Đã ghi nhận: II.3 — đang thực hiện, 80 %.") == ["Đã ghi nhận: II.3 — đang thực hiện, 80 %."]


def test_a_long_text_is_cut_at_a_blank_line_first() -> None:
    first = "Nhiệm vụ II.3 " + "x" * 1486  # 1500 characters
    second = "Nhiệm vụ III.1 " + "y" * 585  # 600 characters
    parts = split_text(f"{first}\n\n{second}")
    assert parts == [first, second]


def test_paragraphs_that_fit_together_stay_together() -> None:
    paragraphs = [f"• Việc {n}: " + "z" * 480 for n in range(1, 7)]  # 6 × ~490 characters
    parts = split_text("\n\n".join(paragraphs))
    assert parts == ["\n\n".join(paragraphs[:4]), "\n\n".join(paragraphs[4:])]
    assert all(len(part) <= 2000 for part in parts)


def test_a_paragraph_too_long_for_one_message_is_cut_at_line_ends() -> None:
    # 20 lines of 199 characters, no blank line: ten lines (1999 characters) fit in a message, eleven do not.
    lines = [f"{n:02}. II.{n} — đang thực hiện quá hạn, hạn 31/12/2025 ".ljust(199, "w") for n in range(1, 21)]
    assert split_text("\n".join(lines)) == ["\n".join(lines[:10]), "\n".join(lines[10:])]


def test_a_line_too_long_for_one_message_is_cut_between_words() -> None:
    words = ["báo cáo"] * 400  # 3199 characters in one line
    text = " ".join(words)
    parts = split_text(text)
    assert [len(part) for part in parts] == [1999, 1199]
    assert " ".join(parts) == text


def test_only_a_word_longer_than_a_message_is_cut_inside() -> None:
    long_word = "https://skhcn.quangngai.gov.vn/" + "a" * 2500
    parts = split_text(f"Đường dẫn: {long_word} hết.")
    assert parts == ["Đường dẫn:", long_word[:2000], long_word[2000:] + " hết."]


def test_the_limit_is_a_setting() -> None:
    assert split_text("một hai ba bốn", limit=7) == ["một hai", "ba bốn"]


# ---- numbered choices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "vietnamese", "english"),
    [
        (1, "Trả lời 1.", "Reply 1."),
        (2, "Trả lời 1 hoặc 2.", "Reply 1 or 2."),
        (3, "Trả lời 1, 2 hoặc 3.", "Reply 1, 2 or 3."),
        (4, "Trả lời 1, 2, 3 hoặc 4.", "Reply 1, 2, 3 or 4."),
    ],
)
def test_the_reply_hint_names_every_choice(count: int, vietnamese: str, english: str) -> None:
    assert (reply_hint(vi, count), reply_hint(en, count)) == (vietnamese, english)


def test_there_is_no_hint_for_no_choice() -> None:
    with pytest.raises(ValueError):
        choice_numbers(vi, 0)


def test_buttons_become_a_numbered_list_after_the_text() -> None:
    assert render(vi, "<b>II.3</b> — Tổ chức tuyên truyền về tiêu chuẩn đo lường, hạn 31/12/2025", STATUS_CHOICES) == [
        "II.3 — Tổ chức tuyên truyền về tiêu chuẩn đo lường, hạn 31/12/2025\n\n"
        "1. Đã hoàn thành\n2. Đang thực hiện\n3. Có vướng mắc\nTrả lời 1, 2 hoặc 3."
    ]


def test_choices_are_numbered_row_by_row() -> None:
    rows = [
        [Option("Xong III.2"), Option("Đang làm III.2"), Option("Vướng III.2")],
        [Option("Xong VI.1"), Option("Đang làm VI.1"), Option("Vướng VI.1")],
    ]
    assert render(vi, "Hai việc sắp đến hạn:", rows) == [
        "Hai việc sắp đến hạn:\n\n"
        "1. Xong III.2\n2. Đang làm III.2\n3. Vướng III.2\n"
        "4. Xong VI.1\n5. Đang làm VI.1\n6. Vướng VI.1\n"
        "Trả lời 1, 2, 3, 4, 5 hoặc 6."
    ]


def test_the_hint_is_in_the_recipients_language() -> None:
    assert render(en, "II.3 — due 31/12/2025", [[Option("Done"), Option("In progress")]]) == [
        "II.3 — due 31/12/2025\n\n1. Done\n2. In progress\nReply 1 or 2."
    ]


def test_a_link_button_shows_its_address_and_takes_no_number() -> None:
    rows = [[Option("Hướng dẫn", "https://skhcn.quangngai.gov.vn/huong-dan")], [Option("↩️ Hoàn tác")]]
    assert render(vi, "Đã ghi nhận: II.3 — hoàn thành.", rows) == [
        "Đã ghi nhận: II.3 — hoàn thành.\n\nHướng dẫn (https://skhcn.quangngai.gov.vn/huong-dan)\n\n"
        "1. ↩️ Hoàn tác\nTrả lời 1."
    ]


def test_a_long_message_keeps_its_list_whole_in_the_last_part() -> None:
    body = "\n\n".join(f"• II.{n}: " + "nội dung " * 60 for n in range(1, 6))  # ~2750 characters
    parts = render(vi, body, STATUS_CHOICES)
    assert len(parts) == 2
    assert all(len(part) <= 2000 for part in parts)
    assert parts[1].endswith("\n\n1. Đã hoàn thành\n2. Đang thực hiện\n3. Có vướng mắc\nTrả lời 1, 2 hoặc 3.")


# ---- files -------------------------------------------------------------------------------------------


def test_a_file_is_replaced_by_a_line_saying_where_to_get_it() -> None:
    assert render(vi, "Dự thảo báo cáo quý 4/2025", attachment="bao-cao-quy-4-2025.docx") == [
        "Dự thảo báo cáo quý 4/2025\n\n"
        "Zalo không gửi được tệp bao-cao-quy-4-2025.docx: vui lòng nhận tệp trên Telegram hoặc từ bộ phận theo dõi kế hoạch."
    ]


# ---- the core's messages -----------------------------------------------------------------------------


def test_an_answer_of_the_conversation_renders_with_its_buttons() -> None:
    outgoing = Outgoing(
        chat_id="e4ea2cd5189df1c3a88c",
        text="Báo cáo này về nhiệm vụ nào?",
        buttons=((Button("II.3 — Tuyên truyền", "pick:7:41"),), (Button("III.1 — Kiểm tra", "pick:7:42"),)),
    )
    assert render_outgoing(vi, outgoing) == [
        "Báo cáo này về nhiệm vụ nào?\n\n1. II.3 — Tuyên truyền\n2. III.1 — Kiểm tra\nTrả lời 1 hoặc 2."
    ]


def test_choices_the_text_already_numbers_are_not_listed_twice() -> None:
    # The task picker numbers its tasks with their deadlines in the text; Zalo adds only how to answer.
    outgoing = Outgoing(
        chat_id="e4ea2cd5189df1c3a88c",
        text=(
            "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
            "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
            "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày"
        ),
        buttons=((Button("1. II.4", "pick:7:41"),), (Button("2. II.3", "pick:7:42"),)),
        choices_in_text=True,
    )
    assert render_outgoing(vi, outgoing) == [
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
        "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n\n"
        "Trả lời 1 hoặc 2."
    ]


def test_new_buttons_for_an_earlier_message_go_out_as_the_list_alone() -> None:
    # Zalo cannot edit a message: "Báo cáo III.2" opens its three choices in a new message.
    outgoing = Outgoing(
        chat_id="e4ea2cd5189df1c3a88c",
        text="",
        buttons=((Button("Xong III.2", "rp:5:done"), Button("Đang làm III.2", "rp:5:in_progress")),),
        edit_message_id="82599fa32f56d00e8941",
    )
    assert render_outgoing(vi, outgoing) == ["1. Xong III.2\n2. Đang làm III.2\nTrả lời 1 hoặc 2."]


def test_an_answer_with_a_file_sends_its_caption_and_the_note() -> None:
    outgoing = Outgoing(
        chat_id="e4ea2cd5189df1c3a88c",
        text="<b>Tổng hợp năm 2026</b>",
        attachment=Attachment("tong-hop-2026.xlsx", b"PK\x03\x04", "application/vnd.ms-excel"),
    )
    assert render_outgoing(en, outgoing) == [
        "Tổng hợp năm 2026\n\n"
        "The file tong-hop-2026.xlsx cannot be sent on Zalo: please get it on Telegram or from the monitoring department."
    ]


def test_an_outbox_row_renders_its_buttons_and_link_buttons() -> None:
    row = OutboxMessage(
        idempotency_key="reminder:41:7:lead:0",
        platform="zalo",
        chat_id="e4ea2cd5189df1c3a88c",
        text="Nhắc việc: <b>II.3</b> — còn 7 ngày (hạn thứ Tư, 31/12/2025)",
        buttons=[
            [{"label": "Xong", "payload": "rp:5:done"}, {"label": "Đang làm", "payload": "rp:5:in_progress"}],
            [{"label": "Vướng", "payload": "rp:5:blocked"}],
            [{"label": "Kế hoạch", "url": "https://skhcn.quangngai.gov.vn/kh"}],
        ],
        due_at=datetime(2025, 12, 24, 1, 30, tzinfo=UTC),
        created_at=datetime(2025, 12, 24, 1, 0, tzinfo=UTC),
    )
    assert render_outbox(vi, row) == [
        "Nhắc việc: II.3 — còn 7 ngày (hạn thứ Tư, 31/12/2025)\n\n"
        "Kế hoạch (https://skhcn.quangngai.gov.vn/kh)\n\n"
        "1. Xong\n2. Đang làm\n3. Vướng\nTrả lời 1, 2 hoặc 3."
    ]


def test_a_message_with_nothing_to_show_renders_to_no_message() -> None:
    assert render(vi, "<b></b>\n\n") == []
