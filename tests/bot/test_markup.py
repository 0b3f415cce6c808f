"""The neutral markup (domain/markup.py): what the core's texts may hold, and what refuses anything else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.markup import Mark, MarkupError, Run, _plainly_valid, escape, parse, plain, tokens, validate
from domain.messages import Button, Outgoing
from domain.payloads import Choice, ChoiceKind, encode


def test_what_people_wrote_is_escaped() -> None:
    assert escape("vướng <b>kinh phí</b> & thủ tục") == "vướng &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục"


def test_quotes_and_apostrophes_stay_as_typed() -> None:
    assert escape('Quyết định "1322/QĐ-TTg" của Sở KH\'CN') == 'Quyết định "1322/QĐ-TTg" của Sở KH\'CN'


@given(st.text())
def test_escaped_text_is_markup_that_shows_exactly_that_text(text: str) -> None:
    assert plain(escape(text)) == text


def test_runs_carry_their_marks() -> None:
    assert parse("❌ <b>I.1</b> — <i>quá <code>62</code> ngày</i>") == (
        Run("❌ "),
        Run("I.1", frozenset({Mark.BOLD})),
        Run(" — "),
        Run("quá ", frozenset({Mark.ITALIC})),
        Run("62", frozenset({Mark.ITALIC, Mark.CODE})),
        Run(" ngày", frozenset({Mark.ITALIC})),
    )


def test_a_link_run_carries_its_address_unescaped() -> None:
    markup = 'Xem <a href="https://skhcn.quangngai.gov.vn/tim?ma=II.3&amp;nam=2026">II.3</a>.'
    assert parse(markup) == (
        Run("Xem "),
        Run("II.3", frozenset({Mark.LINK}), "https://skhcn.quangngai.gov.vn/tim?ma=II.3&nam=2026"),
        Run("."),
    )


def test_entities_become_characters_once() -> None:
    assert parse("Sở KH&amp;CN &lt;Quảng Ngãi&gt; gõ &amp;lt; là &quot;nhỏ hơn&quot;") == (
        Run('Sở KH&CN <Quảng Ngãi> gõ &lt; là "nhỏ hơn"'),
    )


def test_plain_text_drops_marks_and_shows_a_links_address() -> None:
    markup = '<b>Kế hoạch</b>: xem <a href="https://skhcn.quangngai.gov.vn/ke-hoach">Kế hoạch số 12/KH-SKHCN</a>.'
    assert plain(markup) == "Kế hoạch: xem Kế hoạch số 12/KH-SKHCN (https://skhcn.quangngai.gov.vn/ke-hoach)."


def test_plain_text_shows_an_address_once_when_it_is_the_links_words() -> None:
    assert plain('<a href="https://zalo.me/s/nhacviec">https://zalo.me/s/nhacviec</a>') == "https://zalo.me/s/nhacviec"


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("Tiến độ <50%", "unknown or malformed tag at 8"),
        ("<p>Báo cáo</p>", "unknown or malformed tag at 0"),
        ('<b class="x">II.3</b>', "unknown or malformed tag at 0"),
        ("<B>II.3</B>", "unknown or malformed tag at 0"),
        ("Sở KH&CN", "bare & at 5"),
        ("&#x27;trình&#x27;", "bare & at 0"),
        ("đạt > 50%", "bare > at 4"),
        ("<b>II.3", "unclosed <b>"),
        ("II.3</b>", "unbalanced </b> at 4"),
        ("<b><i>II.3</b></i>", "unbalanced </b> at 10"),
        ("<b>đã <b>xong</b></b>", "<b> inside <b> at 6"),
        ("<code>a <b>b</b></code>", "<b> inside <code> at 8"),
        ('<a href="">II.3</a>', "a link without an address at 0"),
        ('<a href="https://x.vn/?a=1&b=2">II.3</a>', "bare & in a link's address at 0"),
    ],
)
def test_anything_else_is_refused_saying_what_and_where(markup: str, problem: str) -> None:
    with pytest.raises(MarkupError, match=f"^{re.escape(problem)}"):
        validate(markup)


# Pieces that make markup valid or not, in any order: tags, entities, bare characters, Vietnamese text.
_PIECES = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<code>",
        "</code>",
        '<a href="https://x.vn/?a=1&amp;b=2">',
        '<a href=" ">',
        '<a href="https://x.vn/?a=1&b=2">',
        "</a>",
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&",
        "<",
        ">",
        "&#39;",
        "<B>",
        "<a>",
        "đạt 50%",
        "II.3",
        " ",
        "\n",
        "❌",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_quick_check_accepts_exactly_what_the_reader_reads(markup: str) -> None:
    try:
        list(tokens(markup))
        readable = True
    except MarkupError:
        readable = False
    try:
        validate(markup)
        accepted = True
    except MarkupError:
        accepted = False
    assert accepted == readable
    assert _plainly_valid(markup) == readable


def test_valid_markup_is_returned_as_it_is() -> None:
    markup = '🔔 <b>II.3</b> — <a href="https://t.me/nhacviec_bot?start=AB12&amp;x=1">mời</a> &quot;ok&quot;'
    assert validate(markup) is markup


def test_a_message_with_malformed_text_cannot_be_made() -> None:
    with pytest.raises(MarkupError, match="unclosed <b>"):
        Outgoing(chat_id="7001", text="<b>Nguyễn Thị Lan")
    with pytest.raises(MarkupError, match="bare &"):
        Outgoing(chat_id="7001", text="Sở KH&CN")


def test_a_button_takes_only_a_payload_the_core_makes_or_a_link() -> None:
    undo = encode(Choice(ChoiceKind.UNDO, (12,)))
    assert Button("↩️ Hoàn tác", undo).payload == "undo:12"
    assert Button("Mở kế hoạch", url="https://skhcn.quangngai.gov.vn/ke-hoach").url is not None
    for payload in ("done:12", "undo:0", "sum:docx:" + "x" * 60):
        with pytest.raises(ValueError, match=re.escape("is not a payload domain.payloads makes")):
            Button("Xong", payload)
    with pytest.raises(ValueError, match="a payload or a url, not both or neither"):
        Button("Xong")
    with pytest.raises(ValueError, match="is not a link"):
        Button("Mở", url="javascript:alert(1)")
