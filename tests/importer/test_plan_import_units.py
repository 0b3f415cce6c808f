"""Unit cells split into unit names; unit names that probably mean the same unit."""

from __future__ import annotations

import random
import unicodedata

import pytest

from importer import units
from importer.document import NearDuplicate, UnitKind, UnitRef
from importer.read import read_plan_bytes
from importer.units import find_near_duplicates, near_duplicate, split_units
from models.registry import unit_key

CHUYEN = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"
CHUYEN_DUNG = "Trung tâm Chuyển đổi số và Đổi mới sáng tạo"
BCVT_SHORT = "Phòng Bưu chính viễn thông và CDS"
BCVT_LONG = "Phòng Bưu chính viễn thông và Chuyển đổi số"


def test_comma_inside_a_group_name_keeps_it_one_group_unit() -> None:
    assert split_units("Các phòng, đơn vị trực thuộc Sở") == (
        UnitRef("Các phòng, đơn vị trực thuộc Sở", UnitKind.GROUP),
    )


def test_comma_and_semicolon_separate_units() -> None:
    assert split_units("Văn phòng Sở, Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng") == (
        UnitRef("Văn phòng Sở"),
        UnitRef("Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng"),
    )
    assert split_units(f"{CHUYEN}; {BCVT_SHORT}") == (UnitRef(CHUYEN), UnitRef(BCVT_SHORT))


def test_lowercase_pieces_belong_to_the_previous_name() -> None:
    assert split_units("UBND các huyện, thị xã, thành phố; Sở Tài chính") == (
        UnitRef("UBND các huyện, thị xã, thành phố"),
        UnitRef("Sở Tài chính"),
    )


@pytest.mark.parametrize("cell", ["", "   ", "-", "–", "—", "x", "X", " - "])
def test_dash_x_or_empty_means_no_unit(cell: str) -> None:
    assert split_units(cell) == ()


def test_trailing_dots_are_dropped_and_spelling_is_kept() -> None:
    assert split_units("Sở Y tế, Công an TỈNH.") == (UnitRef("Sở Y tế"), UnitRef("Công an TỈNH"))


def test_duplicates_in_one_cell_are_dropped_by_normalised_key() -> None:
    assert split_units("Văn phòng Sở; VĂN PHÒNG  SỞ; Văn phòng Sở.") == (UnitRef("Văn phòng Sở"),)


@pytest.mark.parametrize(
    "name",
    ["Các sở, ban, ngành", "Tất cả các phòng", "Toàn bộ đơn vị sự nghiệp", "các phòng chuyên môn"],
)
def test_group_names(name: str) -> None:
    assert split_units(name) == (UnitRef(name, UnitKind.GROUP),)


def test_a_name_wrapped_over_two_lines_of_a_cell_is_one_name() -> None:
    assert split_units("Phòng Quản lý Tiêu chuẩn Đo lường Chất\nlượng\nVăn phòng Sở") == (
        UnitRef("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"),
        UnitRef("Văn phòng Sở"),
    )


def test_unit_key_is_nfc_casefolded_single_spaced() -> None:
    assert unit_key("  Văn  phòng\tSỞ ") == "văn phòng sở"
    assert unit_key(unicodedata.normalize("NFD", "Sở Tài chính")) == "sở tài chính"


@pytest.mark.parametrize(
    ("name", "other", "why"),
    [
        (CHUYEN, CHUYEN_DUNG, "diacritics"),
        ("Sở Tai chinh", "Sở Tài chính", "diacritics"),
        (
            "Phong Quan ly Tieu chuan Do luong Chat luong",
            "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
            "diacritics",
        ),
        (BCVT_SHORT, BCVT_LONG, "abbreviation"),
        (BCVT_LONG, BCVT_SHORT, "abbreviation"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ", "abbreviation"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "abbreviation"),
        ("Phòng Quản lý TĐC", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "abbreviation"),
        (
            "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
            "Phòng Quản lý Tiêu chuẩn Đo lường và Chất lượng",
            "spelling",
        ),
        (
            "Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng",
            "Trung tâm Kỹ thuật tiêu chẩn đo lường chất lượng",
            "spelling",
        ),
    ],
)
def test_near_duplicate_names(name: str, other: str, why: str) -> None:
    assert near_duplicate(name, other) == why


@pytest.mark.parametrize(
    ("name", "other"),
    [
        # Only case differs: the same unit, not a pair to confirm.
        (
            "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng",
            "Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng",
        ),
        # The abbreviation expands, but the rest of the names differ.
        (BCVT_SHORT, CHUYEN),
        ("Sở KH&CN", "Sở Khoa học và Đầu tư"),
        ("Phòng Kế hoạch Tài chính", "Phòng Kế hoạch Tổng hợp"),
        ("Văn phòng Sở", "Thanh tra Sở"),
        # Different numbers are different units, however alike.
        ("Trường THCS số 1", "Trường THCS số 2"),
        ("Đội Quản lý thị trường số 3", "Đội Quản lý thị trường số 8"),
    ],
)
def test_not_near_duplicates(name: str, other: str) -> None:
    assert near_duplicate(name, other) is None


def test_document_lists_near_duplicates_across_tasks_in_order_of_appearance() -> None:
    text = "\n".join(
        [
            "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
            f"1\tXây dựng cơ sở dữ liệu\t{BCVT_SHORT}\t{CHUYEN}\tNăm 2026",
            f"2\tChuyển đổi số trong doanh nghiệp\t{BCVT_LONG}\t{CHUYEN_DUNG}, {CHUYEN.upper()}\tHàng năm",
        ]
    )
    document = read_plan_bytes(text.encode("utf-8"), "plan.txt")
    assert document.near_duplicates == (
        NearDuplicate(BCVT_SHORT, BCVT_LONG, "abbreviation"),
        NearDuplicate(CHUYEN, CHUYEN_DUNG, "diacritics"),
    )


def _filler(count: int) -> list[str]:
    # Distinct names far from each other and from the names under test.
    return [f"Đơn vị hành chính {index:04d}" for index in range(count)]


def test_up_to_300_names_every_pair_is_compared() -> None:
    found = find_near_duplicates(["UBND tỉnh", *_filler(297), "Ủy ban nhân dân tỉnh"])
    assert found == (NearDuplicate("UBND tỉnh", "Ủy ban nhân dân tỉnh", "abbreviation"),)


def test_beyond_300_names_only_names_sharing_their_first_word_are_compared() -> None:
    names = ["UBND tỉnh", CHUYEN, *_filler(300), "Ủy ban nhân dân tỉnh", CHUYEN_DUNG]
    assert find_near_duplicates(names) == (NearDuplicate(CHUYEN, CHUYEN_DUNG, "diacritics"),)


def _phong_names(count: int) -> list[str]:
    """`count` distinct "Phòng …" names, as a big plan's unit columns hold them, with a few slips."""
    rng = random.Random(24)
    words = ["Quản lý", "Kế hoạch", "Tài chính", "Văn hóa", "Thông tin", "Khoa học", "Công nghệ", "Đo lường"]
    words += ["Tiêu chuẩn", "Chất lượng", "Sở hữu", "trí tuệ", "Hành chính", "Tổng hợp", "Pháp chế", "Thanh tra"]
    names = {"Phòng " + " ".join(rng.sample(words, rng.randrange(2, 6))) + f" khu vực {n}" for n in range(count)}
    slips = ["Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Phòng Quan ly Tieu chuan Do luong Chat luong"]
    return [*sorted(names)[:count], *slips]


def test_many_names_sharing_a_first_word_are_not_compared_pair_by_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    names = _phong_names(600)
    calls = []
    original = units._compare

    def counted(a: units._Name, b: units._Name) -> str | None:
        calls.append(1)
        return original(a, b)

    monkeypatch.setattr(units, "_compare", counted)
    found = find_near_duplicates(names)
    assert found == (
        NearDuplicate(
            "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Phòng Quan ly Tieu chuan Do luong Chat luong", "diacritics"
        ),
    )
    assert len(calls) < len(names) * 10  # all pairs would be 180,901


def test_the_pairs_skipped_are_pairs_that_could_not_be_alike() -> None:
    names = [*_phong_names(120), "Phòng KH&CN", "Phòng Khoa học và Công nghệ", "Phòng Khoa hoc Cong nghe khu vuc 3"]
    every_pair = [
        NearDuplicate(names[i], names[j], why)
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if (why := near_duplicate(names[i], names[j])) is not None
    ]
    assert find_near_duplicates(names) == tuple(every_pair)
