"""The 20 time texts of the Quảng Ngãi plan's appendix (Kế hoạch thực hiện 40/KH-UBND), pinned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import nhacviec
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import Once, OnEvent, Ongoing, Schedule, Yearly

ISSUED = date(2025, 9, 1)
HORIZON = 2030
QUARTER_IV_PLAN = "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch"
ONCE_Q4_2025_THEN_ONGOING: tuple[Schedule, ...] = (Once(date(2025, 12, 31)), Ongoing())
EVERY_YEAR_END = (Yearly(12, 31, 2025, 2030, None),)
ONE_A_YEAR = (Yearly(12, 31, 2025, 2030, 1),)

# (task, time text as in the appendix, with continuation lines joined, expected schedules)
APPENDIX: list[tuple[str, str, tuple[Schedule, ...]]] = [
    ("I.1", "Quý III năm 2025", (Once(date(2025, 9, 30)),)),
    (
        "I.2",
        "Đa dạng các hình thức tuyên truyền: tuyên truyền trên báo chí, internet, trên mạng xã hội (zalo, "
        "facebook...), sổ tay, infographic... Thực hiện thường xuyên",
        (Ongoing(),),
    ),
    # 30/06/2025 is before the issue date, so the first one is 2026's.
    ("I.3", "1 lần/năm (Quý II hàng năm)", (Yearly(6, 30, 2026, 2030, 1),)),
    ("I.4", "Tuyên truyền thường xuyên với nhiều hình thức", (Ongoing(),)),
    ("II.1", "Thường xuyên", (Ongoing(),)),
    (
        "II.2",
        "Ngay sau khi trung ương ban hành chủ trương, chính sách",
        (OnEvent("sau khi trung ương ban hành chủ trương, chính sách"),),
    ),
    ("II.3", QUARTER_IV_PLAN, ONCE_Q4_2025_THEN_ONGOING),
    ("II.4", QUARTER_IV_PLAN, ONCE_Q4_2025_THEN_ONGOING),
    ("II.5", QUARTER_IV_PLAN, ONCE_Q4_2025_THEN_ONGOING),
    (
        "III.1",
        "Quý IV/2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch",
        ONCE_Q4_2025_THEN_ONGOING,
    ),
    ("III.2", "Hàng năm", EVERY_YEAR_END),
    ("III.3", "Sau khi Đề án của Trung ương ban hành", (OnEvent("Sau khi Đề án của Trung ương ban hành"),)),
    ("III.4", "01 lớp/năm", ONE_A_YEAR),
    ("IV.1", "Hàng năm", EVERY_YEAR_END),
    (
        "IV.2",
        "Thực hiện sau khi có hướng dẫn cụ thể của Bộ KH&CN",
        (OnEvent("sau khi có hướng dẫn cụ thể của Bộ KH&CN"),),
    ),
    (
        "V.1",
        "Ban hành kế hoạch trong quý I hàng năm; Tổ chức kiểm tra theo kế hoạch và đột xuất.",
        (Yearly(3, 31, 2026, 2030, None), Ongoing()),
    ),
    # Ad hoc inspection "khi có dấu hiệu vi phạm" is not an outside event; the dates of a plan that another
    # authority approves are (an admin records them), beside the ongoing ad hoc work.
    (
        "V.2",
        "Theo kế hoạch được cấp có thẩm quyền phê duyệt hoặc đột xuất khi có dấu hiệu vi phạm",
        (OnEvent("Theo kế hoạch được cấp có thẩm quyền phê duyệt"), Ongoing()),
    ),
    ("V.3", "Ít nhất 1 lần/năm", ONE_A_YEAR),
    ("VI.1", "Sau khi Trung ương ban hành Đề án", (OnEvent("Sau khi Trung ương ban hành Đề án"),)),
    ("VI.2", "1 lần/năm", ONE_A_YEAR),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, expected) for _, text, expected in APPENDIX],
    ids=[row[0] for row in APPENDIX],
)
def test_appendix_time_text(text: str, expected: tuple[Schedule, ...]) -> None:
    parsed = parse_time_text(text, ISSUED, HORIZON)

    assert parsed.schedules == expected
    assert parsed.needs_date is False
    assert parsed.text == text


def test_a_continuation_line_joined_with_a_line_break_reads_the_same() -> None:
    text = "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể\ntheo Kế hoạch"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == ONCE_Q4_2025_THEN_ONGOING


def test_a_word_broken_across_lines_in_v1_still_reads_as_yearly_and_ongoing() -> None:
    text = "Ban hành kế hoạch trong quý I hàng năm; Tổ chức kiểm\ntra theo kế hoạch và đột xuất."

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (Yearly(3, 31, 2026, 2030, None), Ongoing())


def test_the_first_line_of_ii3_alone_is_only_the_sub_plan_deadline() -> None:
    text = "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (Once(date(2025, 12, 31)),)


def test_the_bodys_reporting_cycle_is_yearly_on_15_november() -> None:
    text = "định kỳ trước ngày 15/11 hàng năm báo cáo tiến độ, kết quả thực hiện"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (Yearly(11, 15, 2025, 2030, None),)


def test_the_plan_file_holds_exactly_these_time_texts() -> None:
    """Guards the table above against drifting from the document it pins."""
    plan = Path(nhacviec.__file__).parent / "plans" / "quang-ngai-skhcn-tdc-2025.txt"
    rows = [line.split("\t") for line in plan.read_text(encoding="utf-8").splitlines()]
    first_lines = [row[-1] for row in rows if len(row) == 5 and row[0].isdigit()]

    assert len(first_lines) == len(APPENDIX) == 20
    for cell, (_, text, _) in zip(first_lines, APPENDIX, strict=True):
        assert text.startswith(cell)
