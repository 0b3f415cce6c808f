"""The words of the official documents, as pure functions: restoring diacritics only where the reading is
certain, a report in the plan's words, the plan's name, and characters the report font shows."""

from __future__ import annotations

from datetime import date

import pytest

from models.progress import ReportStatus
from reports.summary import PlanFact, ReportView
from reports.wording import font_safe, is_button_label, plan_name, report_text, restore_diacritics

# (typed, what the document quotes, quoted as typed and marked, says more than a status and figures)
RESTORED = [
    ("dang lam 50%", "đang làm 50%", False, False),
    ("Da xong", "Đã xong", False, False),
    ("DA XONG ROI", "ĐÃ XONG RỒI", False, False),
    ("xong roi, dat 100%", "xong rồi, đạt 100%", False, False),
    ("80 phan tram", "80 phần trăm", False, False),
    ("da trinh du thao ke hoach, dat 70%", "đã trình dự thảo kế hoạch, đạt 70%", False, True),
    ("vuong kinh phi, chua duoc bo tri du toan", "vướng kinh phí, chưa được bố trí dự toán", False, True),
    ("da trinh lanh dao so", "đã trình lãnh đạo Sở", False, True),
    ("dang cho UBND tinh phe duyet", "đang chờ UBND tỉnh phê duyệt", False, True),
    # "so" alone is số, sổ or Sở; "da" alone is đã, dạ or da: kept as typed.
    ("dang lam bao cao gui so 50%", "dang lam bao cao gui so 50%", True, True),
    ("da, em bao cao xong roi a", "da, em bao cao xong roi a", True, True),
    ("dang soan ke hoach dao tao cho can bo xa", "dang soan ke hoach dao tao cho can bo xa", True, True),
    # Typed with diacritics: quoted as written; informative or not by the same phrases.
    ("đang làm 50%", "đang làm 50%", False, False),
    ("đã ban hành kế hoạch", "đã ban hành kế hoạch", False, True),
    ("đang tuyên truyền, đã đăng 3 tin bài", "đang tuyên truyền, đã đăng 3 tin bài", False, True),
    ("50%", "50%", False, False),
    ("ok", "ok", False, False),
]


@pytest.mark.parametrize(("typed", "restored", "as_typed", "informative"), RESTORED)
def test_diacritics_are_restored_only_where_the_reading_is_certain(
    typed: str, restored: str, as_typed: bool, informative: bool
) -> None:
    reading = restore_diacritics(typed)
    assert (reading.text, reading.as_typed, reading.informative) == (restored, as_typed, informative)


def _report(
    status: ReportStatus,
    note: str,
    *,
    percent: int | None = None,
    reason: str | None = None,
    counts: tuple[int, int] | None = None,
) -> ReportView:
    done, target = counts if counts else (None, None)
    return ReportView(status, note, date(2025, 12, 1), "Văn phòng Sở", percent, reason, done, target)


REPORTS = [
    (_report(ReportStatus.DONE, "✅ Đã hoàn thành"), "đã hoàn thành"),
    (_report(ReportStatus.IN_PROGRESS, "⏳ Đang thực hiện"), "đang thực hiện"),
    (_report(ReportStatus.BLOCKED, "⚠️ Có vướng mắc"), "có vướng mắc"),
    (_report(ReportStatus.DONE, "✅ Done"), "đã hoàn thành"),  # pressed by someone who reads English
    (_report(ReportStatus.IN_PROGRESS, "dang lam 50%", percent=50), "đang thực hiện, đạt 50%"),
    (_report(ReportStatus.DONE, "xong roi 👍"), "đã hoàn thành"),
    (_report(ReportStatus.DONE, "đã tổ chức 1/1 lớp", counts=(1, 1)), "đã hoàn thành (1/1): «đã tổ chức 1/1 lớp»"),
    (
        _report(ReportStatus.IN_PROGRESS, "da trinh du thao ke hoach, dat 70%", percent=70),
        "đang thực hiện, đạt 70%: «đã trình dự thảo kế hoạch, đạt 70%»",
    ),
    (
        _report(ReportStatus.IN_PROGRESS, "dang soan ke hoach dao tao cho can bo xa"),
        "đang thực hiện: «dang soan ke hoach dao tao cho can bo xa» (nguyên văn)",
    ),
    (_report(ReportStatus.BLOCKED, "vuong kinh phi", reason="kinh phi"), "có vướng mắc: «vướng kinh phí»"),
    (
        _report(ReportStatus.BLOCKED, "đạt 30%, vướng mặt bằng", percent=30, reason="mặt bằng"),
        "đang thực hiện, đạt 30%, có vướng mắc: «đạt 30%, vướng mặt bằng»",
    ),
    (_report(ReportStatus.NOT_STARTED, "chua bat dau"), "chưa bắt đầu"),
]


@pytest.mark.parametrize(("report", "words"), REPORTS)
def test_a_report_is_stated_in_the_plans_words(report: ReportView, words: str) -> None:
    assert report_text(report) == words


def test_only_status_button_labels_are_button_presses() -> None:
    assert is_button_label("✅ Đã hoàn thành")
    assert is_button_label("⚠️ Blocked")
    assert not is_button_label("Đã hoàn thành")  # typed: a reply, read like any other


TITLE = (
    "Thực hiện Kế hoạch 40/KH-UBND ngày 09 tháng 9 năm 2025 của UBND tỉnh về triển khai thực hiện Quyết định số "
    "1703/QĐ-TTg ngày 31/12/2024 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thực hiện Chỉ thị số "
    "38-CT/TW ngày 30/7/2024 của Ban Bí thư về đẩy mạnh công tác tiêu chuẩn, đo lường, chất lượng quốc gia đến năm "
    "2030 và những năm tiếp theo trên địa bàn tỉnh Quảng Ngãi"
)
SKHCN = "Sở Khoa học và Công nghệ"
NAMES = [
    (
        PlanFact(1, "12/KH-SKHCN", TITLE, SKHCN, date(2025, 9, 15)),
        "Kế hoạch số 12/KH-SKHCN",
        "Kế hoạch số 12/KH-SKHCN ngày 15/09/2025 của Sở Khoa học và Công nghệ",
    ),
    (
        PlanFact(1, "quang-ngai-skhcn-tdc-2025", TITLE, SKHCN, None),
        "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND",
        "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9 năm 2025 của UBND tỉnh",
    ),
    (
        # A file name that starts with a year is not a document number.
        PlanFact(1, "2026-nhan-luc", "Phát triển nguồn nhân lực tiêu chuẩn đo lường chất lượng năm 2026", None, None),
        "Kế hoạch phát triển nguồn nhân lực tiêu chuẩn đo lường chất lượng năm 2026",
        "Kế hoạch phát triển nguồn nhân lực tiêu chuẩn đo lường chất lượng năm 2026",
    ),
    (
        PlanFact(1, "kh-ktra", "Kế hoạch kiểm tra nhà nước về đo lường năm 2026", None, None),
        "Kế hoạch kiểm tra nhà nước về đo lường năm 2026",
        "Kế hoạch kiểm tra nhà nước về đo lường năm 2026",
    ),
]


@pytest.mark.parametrize(("plan", "short", "full"), NAMES)
def test_the_plan_is_named_as_officials_name_it(plan: PlanFact, short: str, full: str) -> None:
    assert (plan_name(plan), plan_name(plan, full=True)) == (short, full)
    assert "Kế hoạch thực hiện Kế hoạch" not in plan_name(plan, full=True)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("✅ Đã hoàn thành", "Đã hoàn thành"),
        ("⚠️ Có vướng mắc", "Có vướng mắc"),
        ("xong rồi 👍🏻", "xong rồi"),
        ("Đã gửi\u200d báo cáo", "Đã gửi báo cáo"),
        ("Quý IV/2025 — «đạt 70%» … ₫", "Quý IV/2025 — «đạt 70%» … ₫"),
    ],
)
def test_only_characters_the_report_font_shows_are_kept(text: str, shown: str) -> None:
    assert font_safe(text) == shown
