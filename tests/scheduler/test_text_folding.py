"""The Vietnamese text helpers the parsers share (locales.text): folding and the citation pattern."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locales.text import CITATION, WORD_END, WORD_START, YEAR, fold, strip_diacritics


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quý IV năm 2025", "quy iv nam 2025"),
        ("QUÍ I-2027", "qui i-2027"),
        ("Đã hoàn thành", "da hoan thanh"),
        ("Hằng năm · Ít nhất 1 lần/năm", "hang nam · it nhat 1 lan/nam"),
        ("Giai đoạn 2021 – 2030", "giai doan 2021 - 2030"),
        ("80％", "80%"),
        ("plain ASCII", "plain ascii"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_without_punctuation_only_letters_are_folded() -> None:
    assert fold("Báo cáo số 12/BC–UBND, 80％", punctuation=False) == "bao cao so 12/bc–ubnd, 80％"


@given(st.text())
def test_fold_maps_one_character_to_one(text: str) -> None:
    # A position found in the folded text is the same position in the original.
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(char) for char in text)
    assert len(fold(text, punctuation=False)) == len(text)


def test_every_vietnamese_letter_folds_to_an_ascii_letter() -> None:
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    for letter in letters + letters.upper():
        for tone in tones:
            char = unicodedata.normalize("NFC", letter + tone)
            if len(char) == 1:
                assert fold(char).isascii() and fold(char).islower(), char


def test_strip_diacritics_keeps_the_case() -> None:
    assert strip_diacritics("Sở Tài chính Đà Nẵng") == "So Tai chinh Da Nang"


@pytest.mark.parametrize(
    "citation",
    [
        "số 40/KH-UBND ngày 09 tháng 9 năm 2025",
        "Số 12/2026/NĐ-CP ngày 01/02/2026",
        "1322/QĐ-TTg ngày 31/08/2020",
        "số 05/BC-SKHCN",
    ],
)
def test_a_citation_is_matched_whole(citation: str) -> None:
    assert CITATION.fullmatch(fold(citation))


def test_the_word_and_year_patterns() -> None:
    word = re.compile(WORD_START + "nam" + WORD_END)
    assert word.search("hang nam") and not word.search("namdinh")
    assert re.fullmatch(YEAR, "2026") and not re.fullmatch(YEAR, "2126")
