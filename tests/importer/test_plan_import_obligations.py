"""Plan-wide reporting duties found in a plan's body (`importer.obligations.find_obligations`)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importer.document import ObligationProposal
from importer.obligations import find_obligations
from importer.read import read_plan, read_plan_bytes
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import Monthly, Once, Quarterly, Yearly
from tests.importer.plan_import_files import SEED_PATH, docx_bytes, seed_plan

PHONG_TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
SEED_DUTY = (
    "Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách "
    "nhiệm cụ thể đến từng bộ phận/công chức thuộc phạm vi quản lý; định kỳ trước ngày 15/11 hàng năm báo cáo "
    "tiến độ, kết quả thực hiện, các khó khăn vướng mắc gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng để "
    "tổng hợp, báo cáo lãnh đạo Sở."
)
SEED_PROPOSAL = ObligationProposal(
    sentence=SEED_DUTY,
    time_text="định kỳ trước ngày 15/11 hàng năm",
    reporters="Các phòng, đơn vị trực thuộc Sở",
    recipient=PHONG_TDC,
)
SEED_III_3 = (
    "3. Phòng Tiêu chuẩn Đo lường Chất lượng chủ trì theo dõi, kiểm tra, đôn đốc việc thực hiện kế hoạch, "
    "định kỳ tổng hợp báo cáo Giám đốc và báo cáo Ủy ban nhân dân tỉnh theo quy định./."
)
SKHCN = "Sở Khoa học và Công nghệ"


def _one(line: str) -> ObligationProposal | None:
    found = find_obligations([line])
    assert len(found) <= 1
    return found[0] if found else None


# ---- the seed plan ---------------------------------------------------------------------------------------


def test_seed_plan_has_exactly_the_yearly_report_to_the_tdc_department() -> None:
    assert read_plan(SEED_PATH).obligations == (SEED_PROPOSAL,)


def test_seed_plan_as_word_document_has_the_same_duty() -> None:
    assert read_plan_bytes(docx_bytes(seed_plan()), "ke-hoach.docx").obligations == (SEED_PROPOSAL,)


def test_seed_duty_time_is_15_november_every_year() -> None:
    parsed = parse_time_text(SEED_PROPOSAL.time_text, date(2025, 9, 15), 2030)
    assert parsed.schedules == (Yearly(11, 15, 2025, 2030, None),)


def test_seed_periodic_summary_without_cycle_or_date_is_not_proposed() -> None:
    # "định kỳ … theo quy định" says the work recurs but gives neither a cycle nor a date.
    assert find_obligations([SEED_III_3]) == ()


def test_seed_budget_item_is_not_proposed() -> None:
    budget = (
        "2. Văn phòng Sở tham mưu: bố trí kinh phí trong dự toán ngân sách năm 2025 được cấp có thẩm quyền giao "
        "đối với những nhiệm vụ của năm 2025; phối hợp với Sở Tài chính trình cấp có thẩm quyền cân đối và bố "
        "trí ngân sách hằng năm cho hoạt động tiêu chuẩn đo lường chất lượng."
    )
    assert find_obligations([budget]) == ()


def test_seed_citation_and_title_are_not_proposed() -> None:
    prose = [
        "KẾ HOẠCH",
        "Thực hiện chế độ báo cáo định kỳ hằng năm về tiêu chuẩn, đo lường, chất lượng đến năm 2030",
        "Thực hiện Kế hoạch số 40/KH-UBND ngày 09 tháng 9 năm 2025 của UBND tỉnh về chế độ báo cáo hằng quý, "
        "Sở Khoa học và Công nghệ ban hành kế hoạch thực hiện, cụ thể như sau:",
    ]
    assert find_obligations(prose) == ()


# ---- sentences from other plans -------------------------------------------------------------------------

PROPOSED = [
    pytest.param(
        "2. UBND các huyện, thị xã, thành phố định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) "
        "báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh.",
        "định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12)",
        "UBND các huyện, thị xã, thành phố",
        SKHCN,
        id="ubnd-huyen-6-months-and-year",
    ),
    pytest.param(
        "Định kỳ hằng quý (trước ngày 25 của tháng cuối quý), các phòng chuyên môn báo cáo tình hình thực hiện "
        "gửi Văn phòng Sở.",
        "Định kỳ hằng quý (trước ngày 25 của tháng cuối quý)",
        "các phòng chuyên môn",
        "Văn phòng Sở",
        id="quarterly-phrase-opens-the-sentence",
    ),
    pytest.param(
        "Trước ngày 20/6 và 20/12 hằng năm, các sở, ban, ngành báo cáo kết quả thực hiện Kế hoạch gửi Sở Khoa "
        "học và Công nghệ (qua Chi cục Tiêu chuẩn Đo lường Chất lượng) để tổng hợp.",
        "Trước ngày 20/6 và 20/12 hằng năm",
        "các sở, ban, ngành",
        SKHCN,
        id="two-days-a-year-sent-via-a-department",
    ),
    pytest.param(
        "UBND cac huyen dinh ky hang quy bao cao ket qua ve So Khoa hoc va Cong nghe truoc ngay 20 cua thang cuoi quy.",
        "dinh ky hang quy, truoc ngay 20 cua thang cuoi quy",
        "UBND cac huyen",
        "So Khoa hoc va Cong nghe",
        id="quarterly-without-diacritics",
    ),
    pytest.param(
        "1. Cac phong, don vi truc thuoc So can cu cac nhiem vu duoc giao chu tri tai Ke hoach nay; dinh ky "
        "truoc ngay 15/11 hang nam bao cao tien do gui Phong Quan ly Tieu chuan Do luong Chat luong de tong hop.",
        "dinh ky truoc ngay 15/11 hang nam",
        "Cac phong, don vi truc thuoc So",
        "Phong Quan ly Tieu chuan Do luong Chat luong",
        id="seed-style-without-diacritics",
    ),
    pytest.param(
        "Phong Kinh te va Ha tang bao cao ket qua dinh ky 6 thang, nam gui UBND huyen truoc ngay 10/6 va 10/12.",
        "dinh ky 6 thang, nam, truoc ngay 10/6 va 10/12",
        "Phong Kinh te va Ha tang",
        "UBND huyen",
        id="phong-6-months-and-year-without-diacritics",
    ),
    pytest.param(
        "Thủ trưởng các phòng, đơn vị trực thuộc Sở chịu trách nhiệm báo cáo hằng quý, 6 tháng và năm về Văn phòng Sở.",
        "hằng quý, 6 tháng và năm",
        "Thủ trưởng các phòng, đơn vị trực thuộc Sở",
        "Văn phòng Sở",
        id="quarter-half-and-year-list",
    ),
    pytest.param(
        "Sở Khoa học và Công nghệ là cơ quan thường trực, có trách nhiệm tổng hợp, báo cáo UBND tỉnh hằng năm "
        "(trước ngày 15/12).",
        "hằng năm (trước ngày 15/12)",
        SKHCN,
        "UBND tỉnh",
        id="so-reports-to-the-province-directly",
    ),
    pytest.param(
        "Văn phòng Sở chủ trì thực hiện chế độ báo cáo định kỳ hằng năm theo quy định.",
        "định kỳ hằng năm",
        "Văn phòng Sở",
        None,
        id="yearly-without-a-date-is-still-yearly",
    ),
    pytest.param(
        "4. Đề nghị UBND các huyện báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15/12/2025.",
        "trước ngày 15/12/2025",
        "UBND các huyện",
        SKHCN,
        id="one-dated-report-asked-of-districts",
    ),
    pytest.param(
        "Các đơn vị báo cáo Sở Nội vụ hằng tháng (trước ngày 20 hằng tháng).",
        "hằng tháng (trước ngày 20 hằng tháng)",
        "Các đơn vị",
        "Sở Nội vụ",
        id="monthly",
    ),
    pytest.param(
        "- Các phòng, đơn vị chủ động rà soát, định kỳ hằng năm (chậm nhất ngày 30/11) báo cáo lãnh đạo Sở kết "
        "quả thực hiện.",
        "định kỳ hằng năm (chậm nhất ngày 30/11)",
        "Các phòng, đơn vị",
        "lãnh đạo Sở",
        id="bullet-item-reports-to-the-leaders",
    ),
    pytest.param(
        "Căn cứ nhiệm vụ được giao, các đơn vị báo cáo kết quả trước ngày 15/11 hằng năm.",
        "trước ngày 15/11 hằng năm",
        "các đơn vị",
        None,
        id="subject-after-an-opening-phrase",
    ),
    pytest.param(
        "Chế độ báo cáo: các đơn vị báo cáo hằng quý về Văn phòng Sở.",
        "hằng quý",
        "các đơn vị",
        "Văn phòng Sở",
        id="subject-after-a-colon",
    ),
    pytest.param(
        "Sở Khoa học và Công nghệ tổng hợp, báo cáo Bộ Khoa học và Công nghệ trước ngày 20 tháng 01 năm sau.",
        "trước ngày 20 tháng 01 năm sau",
        SKHCN,
        "Bộ Khoa học và Công nghệ",
        id="yearly-report-due-the-next-january",
    ),
    pytest.param(
        "Các phòng, đơn vị báo cáo kết quả thực hiện hằng năm gửi Văn phòng Sở trước 15/01 của năm kế tiếp.",
        "hằng năm, trước 15/01 của năm kế tiếp",
        "Các phòng, đơn vị",
        "Văn phòng Sở",
        id="yearly-report-due-in-the-following-year",
    ),
]


@pytest.mark.parametrize(("line", "time_text", "reporters", "recipient"), PROPOSED)
def test_reporting_duty_is_proposed_with_its_time_reporters_and_recipient(
    line: str, time_text: str, reporters: str | None, recipient: str | None
) -> None:
    sentence = line.split(" ", 1)[1] if line[:2] in ("1.", "2.", "4.", "- ") else line
    assert _one(line) == ObligationProposal(sentence, time_text, reporters, recipient)


@pytest.mark.parametrize(("line", "time_text", "reporters", "recipient"), PROPOSED)
def test_proposed_time_text_reads_as_a_dated_schedule(
    line: str, time_text: str, reporters: str | None, recipient: str | None
) -> None:
    schedules = parse_time_text(time_text, date(2025, 9, 15), 2030).schedules
    assert schedules
    assert all(isinstance(schedule, Once | Yearly | Quarterly | Monthly) for schedule in schedules)


NOT_PROPOSED = [
    pytest.param("a) Các đơn vị tổ chức tập huấn hằng năm và báo cáo kết quả về Sở.", id="cycle-of-other-work"),
    pytest.param("Sở Tài chính tham mưu bố trí ngân sách hằng năm, báo cáo UBND tỉnh theo quy định.", id="budget"),
    pytest.param("Các phòng báo cáo đột xuất theo yêu cầu của Giám đốc Sở.", id="ad-hoc-report"),
    pytest.param("Phòng Quản lý Công nghệ theo dõi, đôn đốc và định kỳ báo cáo Giám đốc Sở.", id="periodic-no-cycle"),
    pytest.param("Báo cáo số 15/BC-SKHCN ngày 10/3/2025 của Sở đã đánh giá kết quả hằng năm.", id="cited-report"),
    pytest.param("Các đơn vị gửi báo cáo trong 6 tháng kể từ ngày Kế hoạch được ban hành.", id="within-six-months"),
    pytest.param(
        "Căn cứ Thông tư số 15/2023/TT-BKHCN ngày 01/10/2023 quy định chế độ báo cáo định kỳ hằng năm;",
        id="legal-basis",
    ),
    pytest.param("Các phòng, đơn vị tổ chức kiểm tra trước ngày 15/11 hằng năm.", id="dated-work-without-report"),
    pytest.param("(Kèm theo Kế hoạch số 12/KH-SKHCN về chế độ báo cáo hằng năm)", id="appendix-caption"),
    pytest.param("III. CHẾ ĐỘ BÁO CÁO HẰNG NĂM", id="heading-in-capitals"),
]


@pytest.mark.parametrize("line", NOT_PROPOSED)
def test_sentence_without_a_dated_reporting_duty_is_not_proposed(line: str) -> None:
    assert find_obligations([line]) == ()


# ---- how sentences are cut and quoted -------------------------------------------------------------------


def test_numbered_item_is_quoted_whole_without_its_number() -> None:
    item = "3. Chế độ báo cáo. Các đơn vị báo cáo hằng quý về Văn phòng Sở."
    assert _one(item) == ObligationProposal(
        "Chế độ báo cáo. Các đơn vị báo cáo hằng quý về Văn phòng Sở.", "hằng quý", "Các đơn vị", "Văn phòng Sở"
    )


def test_unnumbered_paragraph_quotes_only_the_sentence_with_the_duty() -> None:
    paragraph = "Kế hoạch được phổ biến đến các đơn vị. Các đơn vị báo cáo hằng quý về Văn phòng Sở."
    found = _one(paragraph)
    assert found is not None
    assert found.sentence == "Các đơn vị báo cáo hằng quý về Văn phòng Sở."


def test_abbreviation_with_a_dot_does_not_end_the_sentence() -> None:
    paragraph = "Kế hoạch được phổ biến. UBND TP. Quảng Ngãi báo cáo hằng quý về Sở."
    found = _one(paragraph)
    assert found is not None
    assert found.sentence == "UBND TP. Quảng Ngãi báo cáo hằng quý về Sở."


def test_hard_wrapped_lines_of_one_item_are_joined() -> None:
    lines = [
        "1. Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách",
        "nhiệm cụ thể đến từng bộ phận/công chức thuộc phạm vi quản lý; định kỳ trước ngày 15/11 hàng năm báo cáo",
        "tiến độ, kết quả thực hiện, các khó khăn vướng mắc gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng để",
        "tổng hợp, báo cáo lãnh đạo Sở.",
    ]
    assert find_obligations(lines) == (SEED_PROPOSAL,)


def test_sentence_is_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Các đơn vị  báo cáo\thằng quý về Văn phòng Sở.")
    assert _one(decomposed) == ObligationProposal(
        "Các đơn vị báo cáo hằng quý về Văn phòng Sở.", "hằng quý", "Các đơn vị", "Văn phòng Sở"
    )


def test_end_of_document_mark_is_dropped_from_the_sentence() -> None:
    found = _one("Các đơn vị báo cáo hằng quý về Văn phòng Sở./.")
    assert found is not None
    assert found.sentence == "Các đơn vị báo cáo hằng quý về Văn phòng Sở."


def test_two_reporting_clauses_of_one_sentence_make_one_proposal() -> None:
    line = "Các đơn vị báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12 hằng năm gửi Sở Nội vụ."
    assert _one(line) == ObligationProposal(
        line, "trước ngày 15/6, trước ngày 15/12 hằng năm", "Các đơn vị", "Sở Nội vụ"
    )


def test_duty_repeated_in_the_text_is_proposed_once() -> None:
    line = "Các đơn vị báo cáo hằng quý về Văn phòng Sở."
    assert len(find_obligations([line, "", line])) == 1


def test_duties_are_proposed_in_the_order_of_the_text() -> None:
    first = "Các đơn vị báo cáo hằng quý về Văn phòng Sở."
    second = "Văn phòng Sở báo cáo Giám đốc Sở trước ngày 15/12 hằng năm."
    assert [found.sentence for found in find_obligations([second, "", first])] == [second, first]


def test_many_labels_in_a_row_are_read_without_running_out_of_stack() -> None:
    found = _one("Chế độ báo cáo hằng quý: " + "báo cáo: " * 2000)
    assert found is not None
    assert (found.time_text, found.reporters) == ("hằng quý", None)


def test_empty_prose_has_no_duty() -> None:
    assert find_obligations([]) == ()


# ---- robustness and speed -------------------------------------------------------------------------------

_PIECES = [
    "báo cáo",
    "bao cao",
    "BÁO CÁO",
    "định kỳ",
    "hằng năm",
    "hang quy",
    "trước ngày",
    "15/11",
    "31/2",
    "99/99/2099",
    "và",
    ",",
    ";",
    ".",
    "./.",
    "(",
    ")",
    ":",
    "gửi",
    "về",
    "Sở",
    "UBND tỉnh",
    "1.",
    "a)",
    "-",
    "6 tháng",
    "năm",
    "ngày",
    "của tháng cuối quý",
    "số 40/KH-UBND ngày 09 tháng 9 năm 2025",
    "Các phòng, đơn vị",
    "KẾ HOẠCH",
    "\n",
    "Căn cứ",
    "Đề nghị",
]
_LINE = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=8))
def test_any_prose_gives_proposals_whose_time_reads_as_dated(prose: list[str]) -> None:
    for found in find_obligations(prose):
        schedules = parse_time_text(found.time_text, date(2025, 9, 15), 2030).schedules
        assert schedules
        assert all(isinstance(schedule, Once | Yearly | Quarterly | Monthly) for schedule in schedules)


def _long_prose(lines: int, run: int) -> list[str]:
    """The seed's body (a real plan's prose, one duty in about 40 lines) repeated, each line distinct in each
    run so that no run is helped by what an earlier one cached."""
    body = SEED_PATH.read_text(encoding="utf-8").split("\nPhụ lục")[0].splitlines()
    return [f"{line} {run}-{index}" if (line := body[index % len(body)]) else "" for index in range(lines)]


def test_ten_thousand_lines_find_every_duty() -> None:
    # Speed is measured by bench/, never asserted here; this pins that a long body loses no duty.
    prose = _long_prose(10_000, 0)
    found = find_obligations(prose)
    assert len(found) == sum(1 for line in prose if "trước ngày 15/11 hàng năm báo cáo" in line)


def test_a_report_due_the_next_january_is_a_yearly_duty_for_each_year_of_the_plan() -> None:
    line = "Sở Khoa học và Công nghệ tổng hợp, báo cáo Bộ Khoa học và Công nghệ trước 15/01 của năm kế tiếp."

    time_text = _one(line).time_text

    assert parse_time_text(time_text, date(2025, 9, 15), 2030).schedules == (
        Yearly(1, 15, 2026, 2031, None, for_previous_year=True),
    )
