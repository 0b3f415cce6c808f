"""Reading a typed choice: the number alone, with a word before it or punctuation after, picks; anything
more is a message. No database, no bot."""

from __future__ import annotations

import pytest

from bot.choice_numbers import typed_number

PICKS = [
    ("2", 2),
    ("số 2", 2),
    ("Số 2", 2),
    ("2.", 2),
    ("chọn 2", 2),
    ("Chọn số 2", 2),
    ("CHỌN SỐ 3", 3),
    ("chon so 3", 3),
    ("so 1", 1),
    ("Lựa chọn 1", 1),
    ("  2  ", 2),
    ("2!", 2),
    ("2 .", 2),
    ("số 2, ", 2),
    ("(2)", 2),
    ("#3", 3),
    ("02", 2),
    ("2 ạ", 2),
    ("Chọn số 2 nhé.", 2),
    ("số 1 nha", 1),
    ("２", 2),  # full-width, from an IME
    ("Số ２。", 2),
    ("option 2", 2),
    ("choose 3", 3),
    ("12", 12),
    ("0", 0),  # a number, out of any range: answered with the range, not read as a report
]

MESSAGES = [
    "",
    "xong",
    "số",
    "chọn",
    "2 việc",
    "2/3",
    "50%",
    "2,5",
    "1.5",
    "2 3",
    "2026",  # a year: four digits are never a choice
    "đã xong 2",
    "xong 2 nội dung",
    "số 2 xong rồi",
    "chọn 2 và 3",
    "-2",
    "2 nhé xong",
]


@pytest.mark.parametrize(("text", "number"), PICKS)
def test_a_typed_choice_is_its_number(text: str, number: int) -> None:
    assert typed_number(text) == number


@pytest.mark.parametrize("text", MESSAGES)
def test_anything_more_than_a_number_is_a_message(text: str) -> None:
    assert typed_number(text) is None


def test_decomposed_diacritics_read_the_same() -> None:
    # "số" typed as s + o + combining circumflex + combining acute (some keyboards send NFD).
    assert typed_number("so\u0302\u0301 2") == 2
