"""The schedule language on realistic time texts, written as Vietnamese plans write them."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from scheduler.timing.periods import Period, expand
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import Monthly, Once, OnEvent, Ongoing, Quarterly, Schedule, Yearly

ISSUED = date(2025, 9, 1)
HORIZON = 2030


def once(iso: str) -> Once:
    return Once(date.fromisoformat(iso))


def yearly(month_day: str, from_year: int, count: int | None = None, until: int | None = HORIZON) -> Yearly:
    month, day = (int(part) for part in month_day.split("-"))
    return Yearly(month, day, from_year, until, count)


# A yearly report due early in the following year: one for each year of the plan, 2025's to 2030's.
def next_year(month_day: str) -> Yearly:
    month, day = (int(part) for part in month_day.split("-"))
    return Yearly(month, day, ISSUED.year + 1, HORIZON + 1, None, for_previous_year=True)


EVERY_YEAR_END = (yearly("12-31", 2025),)
HALF_YEARS = (yearly("06-30", 2026), yearly("12-31", 2025))

CASES: list[tuple[str, tuple[Schedule, ...]]] = [
    # -- single deadlines: a period is due on its last day
    ("Quý III/2026", (once("2026-09-30"),)),
    ("Quí I-2027", (once("2027-03-31"),)),
    ("Quý IV năm 2025", (once("2025-12-31"),)),
    ("quý 3/2026", (once("2026-09-30"),)),
    ("Q3/2026", (once("2026-09-30"),)),
    ("Quy 2/2026", (once("2026-06-30"),)),
    ("QUÝ IV/2025", (once("2025-12-31"),)),
    ("Quý 4-2025", (once("2025-12-31"),)),
    ("Hoàn thành trong Quý II năm 2026", (once("2026-06-30"),)),
    ("Tháng 9/2026", (once("2026-09-30"),)),
    ("tháng 09 năm 2026", (once("2026-09-30"),)),
    ("T9/2026", (once("2026-09-30"),)),
    ("Trong tháng 10/2025", (once("2025-10-31"),)),
    ("08/2027", (once("2027-08-31"),)),
    ("Tháng 02/2028", (once("2028-02-29"),)),
    ("Năm 2026", (once("2026-12-31"),)),
    ("Trong năm 2026", (once("2026-12-31"),)),
    ("cuối năm 2026", (once("2026-12-31"),)),
    ("Hết năm 2027", (once("2027-12-31"),)),
    ("Đến năm 2030", (once("2030-12-31"),)),
    ("6 tháng đầu năm 2026", (once("2026-06-30"),)),
    ("6 tháng cuối năm 2026", (once("2026-12-31"),)),
    ("Nửa đầu năm 2027", (once("2027-06-30"),)),
    ("Giữa năm 2026", (once("2026-06-30"),)),
    ("Đầu năm 2026", (once("2026-03-31"),)),
    ("31/12/2026", (once("2026-12-31"),)),
    ("31.12.2026", (once("2026-12-31"),)),
    ("31-12-2026", (once("2026-12-31"),)),
    ("ngày 15/11/2026", (once("2026-11-15"),)),
    ("trước ngày 30/6/2026", (once("2026-06-30"),)),
    ("Trước ngày 15 tháng 11 năm 2026", (once("2026-11-15"),)),
    ("Chậm nhất ngày 31/3/2026", (once("2026-03-31"),)),
    ("Trước 30/11/2025", (once("2025-11-30"),)),
    # "trước" a whole period is due when the period before it ends
    ("Trước năm 2027", (once("2026-12-31"),)),
    ("trước quý III/2026", (once("2026-06-30"),)),
    # "trước khi kết thúc" a period is its end, not an event
    ("Trước khi kết thúc năm 2026", (once("2026-12-31"),)),
    ("trước khi kết thúc Quý III/2026", (once("2026-09-30"),)),
    ("Trước khi hết năm 2027", (once("2027-12-31"),)),
    # -- a school year ends on 31/05 of its second year
    ("Năm học 2025-2026", (once("2026-05-31"),)),
    ("năm học 2026-2027", (once("2027-05-31"),)),
    ("Cuối năm học 2025 – 2026", (once("2026-05-31"),)),
    # -- ranges are due at their end
    ("Quý I - Quý III/2026", (once("2026-09-30"),)),
    ("Quý I/2026 - Quý III/2026", (once("2026-09-30"),)),
    ("Quý III-IV/2026", (once("2026-12-31"),)),
    ("Quý IV/2025 - Quý I/2026", (once("2026-03-31"),)),
    ("Giai đoạn 2026-2028", (once("2028-12-31"),)),
    ("Giai đoạn 2021 – 2030", (once("2030-12-31"),)),
    ("2026 - 2027", (once("2027-12-31"),)),
    ("Năm 2025 - 2026", (once("2026-12-31"),)),
    ("năm 2026 - năm 2027", (once("2027-12-31"),)),
    ("từ 2026 đến 2028", (once("2028-12-31"),)),
    ("Từ năm 2026 đến năm 2030", (once("2030-12-31"),)),
    ("Từ Quý I/2026 đến Quý IV/2027", (once("2027-12-31"),)),
    ("Tháng 3-6/2026", (once("2026-06-30"),)),
    ("Từ tháng 3/2026 đến tháng 6/2026", (once("2026-06-30"),)),
    ("Tháng 10/2025 - tháng 3", (once("2026-03-31"),)),
    # -- several deadlines
    ("Quý I,II/2026", (once("2026-03-31"), once("2026-06-30"))),
    ("Quý II và Quý IV năm 2026", (once("2026-06-30"), once("2026-12-31"))),
    ("Quý IV năm 2025 và Quý I năm 2026", (once("2025-12-31"), once("2026-03-31"))),
    ("Năm 2026, 2027", (once("2026-12-31"), once("2027-12-31"))),
    (
        "Năm 2025: xây dựng kế hoạch; Năm 2026-2030: triển khai thực hiện",
        (once("2025-12-31"), once("2030-12-31")),
    ),
    # -- no year given: the next one on or after the issue date
    ("Quý IV", (once("2025-12-31"),)),
    ("Tháng 10", (once("2025-10-31"),)),
    ("Trước ngày 30/11", (once("2025-11-30"),)),
    ("Trước ngày 30/6", (once("2026-06-30"),)),
    # -- counted from the issue date
    ("Trong vòng 30 ngày kể từ ngày Kế hoạch được ban hành", (once("2025-10-01"),)),
    ("Trong 03 tháng kể từ ngày ký", (once("2025-12-01"),)),
    ("Chậm nhất 2 tuần kể từ ngày ban hành", (once("2025-09-15"),)),
    # -- yearly
    ("Hàng năm", EVERY_YEAR_END),
    ("Hằng năm", EVERY_YEAR_END),
    ("hang nam", EVERY_YEAR_END),
    ("HÀNG NĂM", EVERY_YEAR_END),
    ("Định kỳ hàng năm", EVERY_YEAR_END),
    ("Thường niên", EVERY_YEAR_END),
    ("Mỗi năm 1 lần", (yearly("12-31", 2025, count=1),)),
    ("1 lần/năm", (yearly("12-31", 2025, count=1),)),
    ("Tối thiểu 02 lần/năm", (yearly("12-31", 2025, count=2),)),
    ("2 đợt/năm", (yearly("12-31", 2025, count=2),)),
    ("2 lần trong năm", (yearly("12-31", 2025, count=2),)),
    ("Hằng năm tổ chức 2 đợt", (yearly("12-31", 2025, count=2),)),
    ("Quý II hàng năm", (yearly("06-30", 2026),)),
    ("trong quý I hàng năm", (yearly("03-31", 2026),)),
    ("Quý IV hằng năm", (yearly("12-31", 2025),)),
    ("tháng 10 hằng năm", (yearly("10-31", 2025),)),
    ("Trước ngày 15/11 hằng năm", (yearly("11-15", 2025),)),
    ("Trước ngày 20 tháng 12 hằng năm", (yearly("12-20", 2025),)),
    ("Hằng năm, trước ngày 15/12", (yearly("12-15", 2025),)),
    ("Hằng năm (trước 31/3)", (yearly("03-31", 2026),)),
    ("Tháng 6 và tháng 12 hằng năm", (yearly("06-30", 2026), yearly("12-31", 2025))),
    ("Quý I và quý III hàng năm", (yearly("03-31", 2026), yearly("09-30", 2025))),
    ("2 lần/năm vào quý II và quý IV", (yearly("06-30", 2026, count=1), yearly("12-31", 2025, count=1))),
    ("Hằng năm, báo cáo trước ngày 15/11 và 15/5", (yearly("11-15", 2025), yearly("05-15", 2026))),
    ("Hàng năm, từ năm 2027", (yearly("12-31", 2027),)),
    ("Quý IV hằng năm (bắt đầu từ năm 2026)", (yearly("12-31", 2026),)),
    ("Hàng năm đến năm 2028", (yearly("12-31", 2025, until=2028),)),
    ("Hàng năm, giai đoạn 2026 - 2028", (yearly("12-31", 2026, until=2028),)),
    ("Giai đoạn 2026-2030, mỗi năm tổ chức ít nhất 01 lớp", (yearly("12-31", 2026, count=1),)),
    ("Năm 2026 và các năm tiếp theo", (yearly("12-31", 2026),)),
    # a dated first deadline, then the same day every year
    ("Trước 15/12/2025 và hằng năm", (yearly("12-15", 2025),)),
    ("Trước ngày 15/12/2025, sau đó hằng năm", (yearly("12-15", 2025),)),
    ("Quý II/2026 và sau đó thực hiện hằng năm", (yearly("06-30", 2026),)),
    # -- twice a year
    ("định kỳ 6 tháng", HALF_YEARS),
    ("6 tháng/lần", HALF_YEARS),
    ("Báo cáo định kỳ 6 tháng và hàng năm", HALF_YEARS),
    ("báo cáo 6 tháng trước ngày 20/6 và 20/12", (yearly("06-20", 2026), yearly("12-20", 2025))),
    # -- quarterly and monthly
    ("báo cáo hằng quý", (Quarterly(),)),
    ("Định kỳ hàng quý", (Quarterly(),)),
    ("1 lần/quý", (Quarterly(),)),
    # -- a list of report cycles: each one its own schedule
    ("Hằng quý, 6 tháng, năm", (Quarterly(), *HALF_YEARS)),
    ("Báo cáo định kỳ hàng quý, 6 tháng và cả năm", (Quarterly(), *HALF_YEARS)),
    ("hằng tháng, hằng quý", (Monthly(), Quarterly())),
    ("Báo cáo hằng tháng, hằng quý và hằng năm", (Monthly(), Quarterly(), yearly("12-31", 2025))),
    ("hằng quý, năm", (Quarterly(), yearly("12-31", 2025))),
    ("Định kỳ hằng tháng và 6 tháng", (Monthly(), *HALF_YEARS)),
    ("Hàng quý (trước ngày 15/3, 15/6, 15/9, 15/12)", (Quarterly(),)),
    ("hàng tháng", (Monthly(),)),
    ("Mỗi tháng", (Monthly(),)),
    ("Hàng tháng, trước ngày 25", (Monthly(),)),
    # -- ongoing
    ("Thường xuyên", (Ongoing(),)),
    ("thuong xuyen", (Ongoing(),)),
    ("Liên tục", (Ongoing(),)),
    ("Hằng ngày", (Ongoing(),)),
    ("Hàng tuần", (Ongoing(),)),
    ("Đột xuất", (Ongoing(),)),
    ("Theo quy định", (Ongoing(),)),
    ("Báo cáo định kỳ", (Ongoing(),)),
    ("Cả giai đoạn", (Ongoing(),)),
    ("Suốt giai đoạn 2026-2030", (Ongoing(),)),
    ("Từ năm 2026", (Ongoing(),)),
    ("Từ năm 2026 trở đi", (Ongoing(),)),
    ("Tổ chức kiểm tra đột xuất", (Ongoing(),)),
    # -- events
    ("Khi có yêu cầu", (OnEvent("Khi có yêu cầu"),)),
    ("khi có văn bản hướng dẫn", (OnEvent("khi có văn bản hướng dẫn"),)),
    ("Theo yêu cầu của UBND tỉnh", (OnEvent("Theo yêu cầu của UBND tỉnh"),)),
    ("Theo chỉ đạo của UBND tỉnh", (OnEvent("Theo chỉ đạo của UBND tỉnh"),)),
    ("sau khi duoc phe duyet", (OnEvent("sau khi duoc phe duyet"),)),
    ("Sau khi Trung ương ban hành Đề án.", (OnEvent("Sau khi Trung ương ban hành Đề án"),)),
    ("Sau khi kết thúc năm 2026", (OnEvent("Sau khi kết thúc năm 2026"),)),
    ("Khi có kết quả kiểm tra", (OnEvent("Khi có kết quả kiểm tra"),)),
    (
        "Sau khi Quyết định số 1322/QĐ-TTg ngày 31/08/2020 được sửa đổi",
        (OnEvent("Sau khi Quyết định số 1322/QĐ-TTg ngày 31/08/2020 được sửa đổi"),),
    ),
    # -- mixtures
    # A cycle after an event starts with the event: only the event is kept (its deadline comes when it is
    # recorded), rather than yearly deadlines from 2025 that the event may not have reached.
    ("Sau khi có hướng dẫn của Bộ, thực hiện hằng năm", (OnEvent("Sau khi có hướng dẫn của Bộ"),)),
    ("Sau khi Trung ương ban hành Đề án, thực hiện hằng năm", (OnEvent("Sau khi Trung ương ban hành Đề án"),)),
    ("Sau khi có hướng dẫn của Bộ; báo cáo hằng quý", (OnEvent("Sau khi có hướng dẫn của Bộ"),)),
    ("Hằng năm; sau khi có hướng dẫn của Bộ", (yearly("12-31", 2025), OnEvent("sau khi có hướng dẫn của Bộ"))),
    ("Quý IV/2025 ban hành kế hoạch; hàng năm tổ chức kiểm tra", (once("2025-12-31"), yearly("12-31", 2025))),
    ("Năm 2025 xây dựng kế hoạch, hàng năm tổ chức thực hiện", (once("2025-12-31"), yearly("12-31", 2025))),
    (
        "- Quý IV/2025: ban hành kế hoạch\n- Hàng năm: tổ chức thực hiện",
        (once("2025-12-31"), yearly("12-31", 2025)),
    ),
    ("Quý IV năm 2025\nThực hiện thường xuyên", (once("2025-12-31"), Ongoing())),
    ("Hàng năm; thường xuyên", (yearly("12-31", 2025), Ongoing())),
    ("Thường xuyên, hàng năm", (Ongoing(), yearly("12-31", 2025))),
    ("Thường xuyên; khi có yêu cầu", (Ongoing(), OnEvent("khi có yêu cầu"))),
    ("Quý II/2026 và các năm tiếp theo", (yearly("06-30", 2026),)),
    # -- timing left to another document waits for its dates, unless the clause gives the time
    ("Theo chương trình riêng của UBND tỉnh", (OnEvent("Theo chương trình riêng của UBND tỉnh"),)),
    ("theo lộ trình được duyệt", (OnEvent("theo lộ trình được duyệt"),)),
    ("Theo lộ trình", (OnEvent("Theo lộ trình"),)),
    ("theo kế hoạch", (OnEvent("theo kế hoạch"),)),
    ("Theo tiến độ dự án", (OnEvent("Theo tiến độ dự án"),)),
    ("Theo Đề án được phê duyệt", (OnEvent("Theo Đề án được phê duyệt"),)),
    (
        "Thực hiện theo Kế hoạch số 12/KH-UBND ngày 01/02/2026",
        (OnEvent("Thực hiện theo Kế hoạch số 12/KH-UBND ngày 01/02/2026"),),
    ),
    ("Theo kế hoạch, đến năm 2030", (OnEvent("Theo kế hoạch, đến năm 2030"),)),
    (
        "Tổ chức kiểm tra theo kế hoạch và đột xuất",
        (OnEvent("Tổ chức kiểm tra theo kế hoạch"), Ongoing()),
    ),
    ("Theo kế hoạch; báo cáo hằng quý", (OnEvent("Theo kế hoạch"), Quarterly())),
    (
        "Xây dựng chương trình trong năm 2026; thực hiện theo kế hoạch",
        (once("2026-12-31"), OnEvent("thực hiện theo kế hoạch")),
    ),
    # ... but work "theo Kế hoạch" that the text itself issues goes on under it
    ("Quý IV/2025 ban hành kế hoạch. Thực hiện theo Kế hoạch", (once("2025-12-31"), Ongoing())),
    ("Ban hành kế hoạch trong quý I hằng năm; kiểm tra theo kế hoạch", (yearly("03-31", 2026), Ongoing())),
    ("Xây dựng lộ trình năm 2026, thực hiện theo lộ trình", (once("2026-12-31"),)),
    ("Tiếp tục thực hiện", (Ongoing(),)),
    ("Thực hiện thường xuyên theo kế hoạch", (Ongoing(),)),
    ("Hàng năm (theo kế hoạch được phê duyệt)", EVERY_YEAR_END),
    ("Quý IV/2025, theo kế hoạch", (once("2025-12-31"),)),
    ("Tiếp tục thực hiện trong năm 2026", (once("2026-12-31"),)),
    ("Trước ngày 15/11 theo kế hoạch", (once("2025-11-15"),)),
    # -- a request beside a cycle is an event of its own, and the cycle does not wait for it
    (
        "Hằng năm hoặc đột xuất khi có yêu cầu",
        (yearly("12-31", 2025), OnEvent("đột xuất khi có yêu cầu")),
    ),
    ("Hằng quý hoặc khi cấp có thẩm quyền yêu cầu", (Quarterly(), OnEvent("khi cấp có thẩm quyền yêu cầu"))),
    (
        "Báo cáo 6 tháng và hằng năm; đột xuất theo yêu cầu",
        (*HALF_YEARS, OnEvent("đột xuất theo yêu cầu")),
    ),
    ("Đột xuất khi có yêu cầu; báo cáo hằng quý", (OnEvent("Đột xuất khi có yêu cầu"), Quarterly())),
    (
        "Trước ngày 15/12 hằng năm và đột xuất khi có yêu cầu",
        (yearly("12-15", 2025), OnEvent("đột xuất khi có yêu cầu")),
    ),
    # -- a yearly report due in the following year, with or without "hằng năm"
    ("gửi Bộ trước ngày 20 tháng 01 năm sau", (next_year("01-20"),)),
    ("trước 15/01 của năm kế tiếp", (next_year("01-15"),)),
    ("Báo cáo hằng năm gửi Bộ KH&CN trước ngày 20/01 năm sau", (next_year("01-20"),)),
    ("Hằng năm, trước ngày 31/01 của năm tiếp theo", (next_year("01-31"),)),
    ("Báo cáo kết quả năm trong tháng 1 năm sau", (next_year("01-31"),)),
    ("Quý I năm sau", (next_year("03-31"),)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_time_text(text: str, expected: tuple[Schedule, ...]) -> None:
    parsed = parse_time_text(text, ISSUED, HORIZON)

    assert parsed.schedules == expected
    assert parsed.needs_date is False


def test_the_table_is_large_and_has_no_repeats() -> None:
    texts = [text for text, _ in CASES]

    assert len(texts) >= 80
    assert len(set(texts)) == len(texts)


UNREADABLE = [
    "",
    "   ",
    "Tùy tình hình thực tế",
    "Chưa xác định",
    "Trong 30 ngày làm việc kể từ ngày ký",
    "2 năm/lần",
    "30/02/2026",
    "29/02/2027",
    "Quý 5/2026",
    "tháng 13/2026",
    ";;; ... ---",
    # an impossible day or month is not dropped from its clause: the clause is unreadable
    "30/2 hằng năm",
    "Trước ngày 31/4 hằng năm",
    "Tháng 13 hằng năm",
    "Quý 5 hằng năm",
    "31/06/2026, hằng năm",
    # a range that runs backwards, or a school year that is not one, is not guessed
    "Giai đoạn 2028-2026",
    "Quý I/2026 - Quý III/2025",
    "Từ năm 2028 đến năm 2026",
    "Năm học 2025-2027",
    "Đầu năm học 2025-2026",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_an_unreadable_text_is_kept_and_flagged(text: str) -> None:
    parsed = parse_time_text(text, ISSUED, HORIZON)

    assert parsed == type(parsed)(text=text, needs_date=True, schedules=())


# -- how the text is written does not matter


@pytest.mark.parametrize(
    "text",
    [
        "Quý IV năm 2025",
        "quy IV nam 2025",
        "QUÝ IV NĂM 2025",
        "Quí IV năm 2025",
        "Qúy IV năm 2025",
        "  Quý   IV\n năm\t2025  ",
        "(Quý IV năm 2025).",
        "Quý 4 năm 2025",
        "Quý IV / 2025",
    ],
)
def test_spelling_case_spacing_and_punctuation_do_not_change_the_reading(text: str) -> None:
    assert parse_time_text(text, ISSUED, HORIZON).schedules == (once("2025-12-31"),)


def test_decomposed_unicode_reads_like_composed() -> None:
    composed = "Ban hành kế hoạch trong quý I hằng năm; kiểm tra thường xuyên"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed

    parsed = parse_time_text(decomposed, ISSUED, HORIZON)

    assert parsed.schedules == (yearly("03-31", 2026), Ongoing())
    assert parsed.text == decomposed  # the raw text is kept as given


def test_an_event_is_quoted_in_nfc_with_its_capitals() -> None:
    text = unicodedata.normalize("NFD", "Sau khi Bộ KH&CN ban hành Thông tư")

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (OnEvent("Sau khi Bộ KH&CN ban hành Thông tư"),)


# -- the words that look alike after folding


def test_khi_with_a_diacritic_is_gas_not_when() -> None:
    assert parse_time_text("Kiểm tra các trạm khí tượng hàng năm", ISSUED, HORIZON).schedules == EVERY_YEAR_END


def test_quy_dinh_is_a_regulation_not_a_quarter() -> None:
    assert parse_time_text("Báo cáo theo quy định", ISSUED, HORIZON).schedules == (Ongoing(),)


def test_trong_khi_is_while_not_an_event() -> None:
    assert parse_time_text("Trong khi chờ hướng dẫn, thực hiện thường xuyên", ISSUED, HORIZON).schedules == (Ongoing(),)


def test_a_count_within_a_dated_quarter_is_not_a_quarterly_cycle() -> None:
    assert parse_time_text("Tổ chức 2 đợt trong quý III/2026", ISSUED, HORIZON).schedules == (once("2026-09-30"),)


def test_ad_hoc_when_a_violation_shows_is_ongoing_not_an_event() -> None:
    text = "Kiểm tra đột xuất khi có dấu hiệu vi phạm"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (Ongoing(),)


def test_ad_hoc_on_request_is_an_event() -> None:
    text = "Kiểm tra đột xuất khi có yêu cầu"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (OnEvent("đột xuất khi có yêu cầu"),)


def test_a_reference_date_inside_an_event_is_not_a_deadline() -> None:
    parsed = parse_time_text("Sau khi Nghị định số 12/2026/NĐ-CP có hiệu lực", ISSUED, HORIZON)

    assert parsed.schedules == (OnEvent("Sau khi Nghị định số 12/2026/NĐ-CP có hiệu lực"),)


# -- the issue date and the horizon


def test_yearly_starts_in_the_issue_year_when_its_day_is_still_ahead() -> None:
    assert parse_time_text("Quý III hằng năm", date(2025, 9, 30), 2030).schedules == (yearly("09-30", 2025),)
    assert parse_time_text("Quý III hằng năm", date(2025, 10, 1), 2030).schedules == (yearly("09-30", 2026),)


def test_without_a_horizon_yearly_has_no_end() -> None:
    assert parse_time_text("Hàng năm", ISSUED, None).schedules == (yearly("12-31", 2025, until=None),)


def test_a_stated_end_year_is_kept_without_a_horizon_and_capped_by_one() -> None:
    text = "Hàng năm đến năm 2032"

    assert parse_time_text(text, ISSUED, None).schedules == (yearly("12-31", 2025, until=2032),)
    assert parse_time_text(text, ISSUED, 2030).schedules == (yearly("12-31", 2025, until=2030),)


def test_yearly_on_29_february_is_kept_as_29_february() -> None:
    assert parse_time_text("Trước ngày 29/02 hằng năm", ISSUED, HORIZON).schedules == (yearly("02-29", 2026),)


def test_a_day_without_a_year_before_the_issue_date_is_next_years() -> None:
    assert parse_time_text("Trước ngày 15/8", ISSUED, HORIZON).schedules == (once("2026-08-15"),)


def test_a_repeated_yearly_day_is_one_schedule_that_keeps_the_count() -> None:
    parsed = parse_time_text("Hàng năm; ít nhất 1 lần/năm", ISSUED, HORIZON)

    assert parsed.schedules == (yearly("12-31", 2025, count=1),)


def test_an_impossible_date_leaves_only_its_own_clause_unread() -> None:
    parsed = parse_time_text("Quý II/2026; trước ngày 30/2/2026 hằng năm", ISSUED, HORIZON)

    assert parsed.schedules == (once("2026-06-30"),)
    assert parsed.needs_date is False


def test_an_impossible_date_makes_an_event_in_its_clause_unreadable_too() -> None:
    assert parse_time_text("30/2/2026, sau khi có hướng dẫn", ISSUED, HORIZON).needs_date is True


def test_an_impossible_date_inside_an_event_is_part_of_the_event() -> None:
    text = "Sau khi Quyết định ngày 30/2/2026 có hiệu lực"

    assert parse_time_text(text, ISSUED, HORIZON).schedules == (OnEvent(text),)


def test_a_fraction_is_not_an_impossible_date() -> None:
    assert parse_time_text("Hằng năm, phấn đấu đạt 40/63 xã", ISSUED, HORIZON).schedules == EVERY_YEAR_END


def test_a_deadline_after_an_event_is_kept() -> None:
    parsed = parse_time_text("Sau khi có hướng dẫn của Bộ; hoàn thành trong Quý II/2026", ISSUED, HORIZON)

    assert parsed.schedules == (OnEvent("Sau khi có hướng dẫn của Bộ"), once("2026-06-30"))


def test_a_dated_point_and_a_yearly_cycle_without_a_linking_word_stay_apart() -> None:
    parsed = parse_time_text("Quý II/2026, hằng năm", ISSUED, HORIZON)

    assert parsed.schedules == (once("2026-06-30"), yearly("12-31", 2025))


def test_before_a_quarter_and_yearly_starts_in_the_year_it_falls_due() -> None:
    assert parse_time_text("Trước quý I/2026 và hằng năm", ISSUED, HORIZON).schedules == (yearly("12-31", 2025),)


def test_the_same_deadline_twice_is_one_schedule() -> None:
    assert parse_time_text("Quý IV/2025; trước 31/12/2025", ISSUED, HORIZON).schedules == (once("2025-12-31"),)


def test_a_yearly_report_due_next_year_answers_for_each_year_of_the_plan() -> None:
    parsed = parse_time_text("Báo cáo hằng năm gửi Bộ trước ngày 20/01 năm sau", ISSUED, HORIZON)

    occurrences = expand(parsed.schedules, ISSUED, HORIZON)
    assert [(o.due, o.period) for o in occurrences] == [
        (date(year + 1, 1, 20), Period("year", year)) for year in range(2025, 2031)
    ]


def test_a_yearly_report_due_next_year_starts_with_the_stated_first_year() -> None:
    parsed = parse_time_text("Hằng năm, từ năm 2027, trước 15/01 năm sau", ISSUED, HORIZON)

    assert parsed.schedules == (Yearly(1, 15, 2028, 2031, None, for_previous_year=True),)


def test_a_following_year_without_a_day_is_no_schedule() -> None:
    assert parse_time_text("Năm sau", ISSUED, HORIZON).needs_date is True
