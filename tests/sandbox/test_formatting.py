"""Kiểm tra HTML theo cách Telegram đọc (parse_mode=HTML), cắt khoảng trắng, tự nhận thực thể, dựng lại HTML an toàn."""

from __future__ import annotations

import unicodedata

import pytest

from sandbox.formatting import (
    EntityParseError,
    FormattedText,
    add_detected,
    detect_entities,
    entities_to_html,
    parse_html,
    trim,
    utf16_length,
)


def test_the_in_dam_va_nghieng_tieng_viet() -> None:
    parsed = parse_html("<b>Nhắc hạn</b> nhiệm vụ <i>II.3</i> — còn 7 ngày")
    assert parsed.text == "Nhắc hạn nhiệm vụ II.3 — còn 7 ngày"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 8},
        {"type": "italic", "offset": 18, "length": 4},
    ]


def test_moi_the_telegram_cho_phep() -> None:
    source = (
        "<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins><s>g</s><strike>h</strike><del>i</del>"
        '<a href="https://example.vn/x">j</a><code>k</code><pre>l</pre><tg-spoiler>m</tg-spoiler>'
        '<span class="tg-spoiler">n</span><blockquote>o</blockquote><blockquote expandable>p</blockquote>'
    )
    parsed = parse_html(source)
    assert parsed.text == "abcdefghijklmnop"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "text_link",
        "code",
        "pre",
        "spoiler",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
    ]
    assert parsed.entities[9]["url"] == "https://example.vn/x"


def test_offset_tinh_theo_utf16() -> None:
    # An emoji outside the BMP takes two UTF-16 units, as the Bot API counts them.
    parsed = parse_html("🔔 <b>Hạn</b>")
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 3}]
    assert utf16_length("🔔") == 2


def test_ky_tu_thoat_html() -> None:
    parsed = parse_html("&lt;b&gt; &amp; &quot;trích&quot; &#7879; &#x1EC7; &lt")
    assert parsed.text == '<b> & "trích" ệ ệ <'


def test_pre_co_ngon_ngu() -> None:
    parsed = parse_html('<pre><code class="language-python">print(1)</code></pre>')
    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 8, "language": "python"}]
    plain = parse_html("<pre><code>x</code></pre>")
    assert [e["type"] for e in plain.entities] == ["pre", "code"]


def test_lien_ket_duoc_kiem_tra_nhu_telegram() -> None:
    assert parse_html("<a>telegram.org</a>").entities == [
        {"type": "text_link", "offset": 0, "length": 12, "url": "http://telegram.org/"}
    ]
    # A link Telegram cannot use is dropped, the text stays.
    dropped = parse_html('<a href="javascript:alert(1)">bấm</a>')
    assert dropped == FormattedText("bấm", [])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # Facts from TDLib's own tests of parse_html (byte offsets count UTF-8 bytes).
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", 'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
        ("&#xDFDF;", "Text contains invalid Unicode characters after decoding HTML entities"),
        # What the product could get wrong.
        ("Tiến độ < 50%", 'Unsupported start tag "" at byte offset 13'),
        ("<b>Báo cáo", "Can't find end tag corresponding to start tag b"),
        ("<div>Báo cáo</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_loi_phan_tich_giong_tdlib(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value).startswith(message)


def test_dau_va_don_doc_bi_tu_choi_khi_nghiem_ngat() -> None:
    with pytest.raises(EntityParseError, match=r'Unescaped "&" at byte offset 8'):
        parse_html("Phòng R&D")
    # Telegram itself keeps it as text; the lenient mode does the same.
    assert parse_html("Phòng R&D &laquo;", strict_ampersand=False).text == "Phòng R&D &laquo;"


def test_the_ket_thuc_rut_gon_va_the_rong() -> None:
    assert parse_html("<i>a</>").entities == [{"type": "italic", "offset": 0, "length": 1}]
    assert parse_html("x<b></b>").entities == []


def test_cat_khoang_trang_dau_cuoi_va_doi_thuc_the() -> None:
    trimmed = trim(parse_html("\n  <b> Nhắc </b>\n"))
    assert trimmed.text == "Nhắc"
    assert trimmed.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert trim(parse_html("<i> </i>")) == FormattedText("", [])


def test_tu_nhan_lenh_nhac_ten_the_va_lien_ket() -> None:
    text = "/tasks@nhacviec_bot hỏi @an_nguyen về #TĐC tại https://t.me/nhacviec_bot?start=abc."
    found = {(e["type"], text[e["offset"] : e["offset"] + e["length"]]) for e in detect_entities(text)}
    assert found == {
        ("bot_command", "/tasks@nhacviec_bot"),
        ("mention", "@an_nguyen"),
        ("hashtag", "#TĐC"),
        ("url", "https://t.me/nhacviec_bot?start=abc"),
    }


@pytest.mark.parametrize("text", ["a/b", "1/2025", "/", "x@y", "#123", "email@host"])
def test_khong_nhan_nham(text: str) -> None:
    assert [e for e in detect_entities(text) if e["type"] in ("bot_command", "mention", "hashtag")] == []


def test_lenh_co_tham_so_deep_link() -> None:
    assert detect_entities("/start INV-abc_123") == [{"type": "bot_command", "offset": 0, "length": 6}]


def test_khong_tu_nhan_trong_code_va_lien_ket() -> None:
    formatted = add_detected(parse_html('<code>/tasks</code> <a href="https://a.vn">/help</a> /summary'))
    commands = [e for e in formatted.entities if e["type"] == "bot_command"]
    assert commands == [{"type": "bot_command", "offset": 13, "length": 8}]


def test_dung_lai_html_an_toan() -> None:
    parsed = add_detected(parse_html('<b>Hạn &lt;script&gt;</b> <a href="https://a.vn/?q=&quot;x&quot;">mở</a> /tasks'))
    rendered = entities_to_html(parsed.text, parsed.entities)
    assert rendered == (
        "<b>Hạn &lt;script&gt;</b> "
        '<a href="https://a.vn/?q=&quot;x&quot;" target="_blank" rel="noopener noreferrer">mở</a> '
        '<span class="command" data-command="/tasks">/tasks</span>'
    )


def test_dung_lai_html_long_nhau_va_bo_thuc_the_cat_cheo() -> None:
    nested = parse_html("<b>a<i>b</i>c</b>")
    assert entities_to_html(nested.text, nested.entities) == "<b>a<i>b</i>c</b>"
    crossing = [{"type": "bold", "offset": 0, "length": 2}, {"type": "italic", "offset": 1, "length": 2}]
    assert entities_to_html("<>&", crossing) == "<b>&lt;&gt;</b>&amp;"
    tg_link = [{"type": "text_link", "offset": 0, "length": 1, "url": "tg://user?id=1"}]
    assert entities_to_html("x", tg_link) == '<span class="link">x</span>'


def test_van_ban_tieng_viet_giu_nguyen_dang_chuan_hoa() -> None:
    text = unicodedata.normalize("NFC", "Đã hoàn thành đúng hạn")
    assert parse_html(text).text == text
    decomposed = unicodedata.normalize("NFD", text)
    # The sandbox passes text through as sent, like Telegram; the product must normalise what it reads.
    assert parse_html(decomposed).text == decomposed
