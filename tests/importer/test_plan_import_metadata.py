"""What a plan says about itself, read from its prose."""

from __future__ import annotations

from datetime import date

from importer.document import PlanMetadata
from importer.metadata import extract_metadata

LETTERHEAD = [
    "UBND TỈNH QUẢNG NGÃI",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "Số: 12/KH-SKHCN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Quảng Ngãi, ngày 15 tháng 9 năm 2025",
    "KẾ HOẠCH",
    "Kiểm tra nhà nước về đo lường, chất lượng giai đoạn 2026 - 2028 đến năm 2028",
    "Thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9 năm 2025 của UBND tỉnh, Sở Khoa học và Công nghệ "
    "ban hành kế hoạch kiểm tra như sau:",
]


def test_letterhead_number_place_date_title_and_issuer() -> None:
    assert extract_metadata(LETTERHEAD) == PlanMetadata(
        code="12/KH-SKHCN",
        title="Kiểm tra nhà nước về đo lường, chất lượng giai đoạn 2026 - 2028 đến năm 2028",
        issuing_body="Sở Khoa học và Công nghệ",
        issued=date(2025, 9, 15),
        horizon_year=2028,
    )


def test_caption_wins_over_the_letterhead_and_cited_plans() -> None:
    lines = [
        *LETTERHEAD,
        "Phụ lục",
        "(Kèm theo Kế hoạch số 15/KH-SKHCN ngày 20/10/2025 của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi)",
    ]
    metadata = extract_metadata(lines)
    assert metadata.code == "15/KH-SKHCN"
    assert metadata.issued == date(2025, 10, 20)
    assert metadata.issuing_body == "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"


def test_blank_day_in_the_caption_means_the_first_of_the_month_and_blank_number_means_none() -> None:
    metadata = extract_metadata(["(Kèm theo Kế hoạch số /KH-SKHCN ngày /9/2025 của Sở Khoa học và Công nghệ)"])
    assert metadata.code is None
    assert metadata.issued == date(2025, 9, 1)
    assert metadata.issuing_body == "Sở Khoa học và Công nghệ"


def test_caption_date_in_words_with_blank_day() -> None:
    metadata = extract_metadata(["(Ban hành kèm theo Kế hoạch số 7/KH-STC ngày    tháng 11 năm 2025 của Sở Tài chính)"])
    assert (metadata.code, metadata.issued, metadata.issuing_body) == (
        "7/KH-STC",
        date(2025, 11, 1),
        "Sở Tài chính",
    )


def test_blank_number_line_and_blank_day_place_date() -> None:
    metadata = extract_metadata(["Số:     /KH-SKHCN", "Quảng Ngãi, ngày     tháng 12 năm 2025", "KẾ HOẠCH", "Tên"])
    assert metadata.code is None
    assert metadata.issued == date(2025, 12, 1)


def test_numbers_and_dates_of_cited_documents_are_not_taken() -> None:
    metadata = extract_metadata(
        [
            "Thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9 năm 2025 của UBND tỉnh về triển khai "
            "Quyết định số 1703/QĐ-TTg ngày 31/12/2024 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai",
        ]
    )
    assert metadata.code is None
    assert metadata.issued is None
    assert metadata.issuing_body is None


def test_title_without_a_ke_hoach_line_is_the_first_prose_line() -> None:
    metadata = extract_metadata(["", "  Kế hoạch chuyển đổi số năm 2026 đến năm 2027 và đến năm 2030  ", "khác"])
    assert metadata.title == "Kế hoạch chuyển đổi số năm 2026 đến năm 2027 và đến năm 2030"
    assert metadata.horizon_year == 2030


def test_markdown_emphasis_around_ke_hoach_is_ignored() -> None:
    assert extract_metadata(["**KẾ HOẠCH**", "Phát triển tài sản trí tuệ"]).title == "Phát triển tài sản trí tuệ"


def test_impossible_dates_and_empty_prose_give_nothing() -> None:
    assert extract_metadata(["(Kèm theo Kế hoạch số 3/KH-SKHCN ngày 31/2/2025 của Sở KH&CN)"]).issued is None
    assert extract_metadata([]) == PlanMetadata()
    assert extract_metadata(["", "   "]) == PlanMetadata()
