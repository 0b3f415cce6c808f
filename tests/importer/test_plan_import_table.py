"""Reading the task table: columns, sections, tasks, continuation rows, skipped rows, markup."""

from __future__ import annotations

import unicodedata

from importer.document import PlanDocument, SectionRow, SkippedRow, UnitKind, UnitRef
from importer.read import read_plan_bytes
from importer.table import (
    SKIP_BAD_NUMBER,
    SKIP_NO_CONTENT,
    SKIP_NO_NUMBER,
    SKIP_OUTSIDE_TABLE,
    SKIP_REPEATED_HEADER,
    SKIP_SECTION_WITH_DETAILS,
    Role,
    classify_heading,
)

HEADER = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"
PHONG = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"


def _read(*lines: str, name: str = "ke-hoach.txt") -> PlanDocument:
    return read_plan_bytes("\n".join(lines).encode("utf-8"), name)


def test_columns_in_another_order_with_other_heading_words_and_an_extra_column() -> None:
    document = _read(
        "Phụ lục",
        "Số TT\tThời hạn hoàn thành\tĐơn vị chủ trì\tTên nhiệm vụ\tĐơn vị phối hợp\tSản phẩm dự kiến",
        "I\t\t\tTuyên truyền, phổ biến pháp luật\t\t",
        "1\tQuý IV năm 2025\tVăn phòng Sở\tTổ chức hội nghị tập huấn\tSở Tư pháp\tBáo cáo kết quả hội nghị",
        "2\tHàng năm\tThanh tra Sở\tKiểm tra việc chấp hành pháp luật\t\t",
    )
    first, second = document.tasks
    assert (first.code, first.content, first.time_text) == (
        "I.1",
        "Tổ chức hội nghị tập huấn",
        "Quý IV năm 2025",
    )
    assert first.lead_units == (UnitRef("Văn phòng Sở"),)
    assert first.coordinating_units == (UnitRef("Sở Tư pháp"),)
    assert first.extra == {"Sản phẩm dự kiến": "Báo cáo kết quả hội nghị"}
    # An empty extra cell is left out, not kept as "".
    assert second.extra == {}
    assert document.sections == (SectionRow("I", "Tuyên truyền, phổ biến pháp luật", None, 0, 3),)


def test_several_extra_columns_keep_their_headings_as_written() -> None:
    document = _read(
        "STT\tNội dung thực hiện\tKết quả\tĐơn vị chủ trì\tTiến độ\tNguồn   kinh phí",
        "1\tXây dựng cơ sở dữ liệu đo lường\tCơ sở dữ liệu\tPhòng Quản lý TĐC\tNăm 2026\tNgân sách tỉnh",
    )
    task = document.tasks[0]
    assert task.extra == {"Kết quả": "Cơ sở dữ liệu", "Nguồn kinh phí": "Ngân sách tỉnh"}
    assert task.time_text == "Năm 2026"
    assert task.coordinating_units == ()


def test_headings_are_recognised_without_case_or_diacritics() -> None:
    assert classify_heading("STT") is Role.NUMBER
    assert classify_heading("Số TT") is Role.NUMBER
    assert classify_heading("NOI DUNG THUC HIEN") is Role.CONTENT
    assert classify_heading("Nhiệm vụ") is Role.CONTENT
    assert classify_heading("Tên nhiệm vụ") is Role.CONTENT
    assert classify_heading("don vi chu tri") is Role.LEAD
    assert classify_heading("CƠ QUAN CHỦ TRÌ") is Role.LEAD
    assert classify_heading("Đơn vị phối hợp") is Role.COORDINATING
    assert classify_heading("TIẾN ĐỘ") is Role.TIME
    assert classify_heading("Thời gian\nthực hiện") is Role.TIME
    assert classify_heading("<b>Thời hạn</b>") is Role.TIME
    assert classify_heading("Sản phẩm dự kiến") is None
    assert classify_heading("Ghi chú") is None


def test_nested_sections_and_their_parents() -> None:
    document = _read(
        HEADER,
        "III\tPhát triển nguồn nhân lực\t\t\t",
        "III.1\tĐào tạo công chức\t\t\t",
        "III.1.1\tĐào tạo cấp tỉnh\t\t\t",
        "1\tMở lớp tập huấn nghiệp vụ\tVăn phòng Sở\t\tQuý II năm 2026",
        "2\tCử công chức dự khóa đào tạo\tVăn phòng Sở\t\tHàng năm",
        "IV.2.1\tMột mục con không có mục cha trực tiếp\t\t\t",
        "VII.1\tMục con không có mục cha\t\t\t",
    )
    assert [(s.code, s.parent) for s in document.sections] == [
        ("III", None),
        ("III.1", "III"),
        ("III.1.1", "III.1"),
        ("IV.2.1", None),
        ("VII.1", None),
    ]
    assert [(t.code, t.section) for t in document.tasks] == [
        ("III.1.1.1", "III.1.1"),
        ("III.1.1.2", "III.1.1"),
    ]


def test_a_dotted_section_falls_back_to_the_nearest_existing_prefix() -> None:
    document = _read(
        HEADER,
        "IV\tĐầu tư ngân sách\t\t\t",
        "IV.2.1\tTrang thiết bị đo lường\t\t\t",
        "1\tMua sắm chuẩn đo lường\tVăn phòng Sở\t\tNăm 2026",
    )
    assert [(s.code, s.parent) for s in document.sections] == [("IV", None), ("IV.2.1", "IV")]
    assert document.tasks[0].code == "IV.2.1.1"


def test_task_numbers_with_a_trailing_dot_or_a_sub_number() -> None:
    document = _read(
        HEADER,
        "II.\tRà soát văn bản\t\t\t",
        "1.\tRà soát văn bản quy phạm pháp luật\t" + PHONG + "\t\tThường xuyên",
        "1.2\tĐề xuất sửa đổi, bổ sung\t" + PHONG + "\t\tQuý IV năm 2025",
    )
    assert document.sections[0].code == "II"
    assert [(t.code, t.number) for t in document.tasks] == [("II.1", "1."), ("II.1.2", "1.2")]


def test_tasks_before_any_section_are_coded_by_their_number_alone() -> None:
    document = _read(
        HEADER,
        "1\tBáo cáo kết quả thực hiện kế hoạch\tCác phòng, đơn vị trực thuộc Sở\t\tTrước ngày 15/11 hàng năm",
        "V\tKiểm tra\t\t\t",
        "1\tKiểm tra hàng đóng gói sẵn\t" + PHONG + "\t\tQuý III hàng năm",
    )
    assert [(t.code, t.section) for t in document.tasks] == [("1", ""), ("V.1", "V")]


def test_section_title_typed_in_the_number_cell_opens_a_section() -> None:
    document = _read(
        HEADER,
        "II. Rà soát, hoàn thiện văn bản pháp luật\t\t\t\t",
        "1\tRà soát văn bản\t" + PHONG + "\t\tThường xuyên",
    )
    assert document.sections == (SectionRow("II", "Rà soát, hoàn thiện văn bản pháp luật", None, 0, 2),)
    assert document.tasks[0].code == "II.1"


def test_continuation_rows_join_every_column_across_blank_lines_and_comments() -> None:
    document = _read(
        HEADER,
        "V\tKiểm tra\t\t\t",
        "1\tKiểm tra đo lường đối với hàng đóng gói sẵn\tPhòng Quản lý Tiêu chuẩn\tTrung tâm Kỹ thuật\tQuý II",
        "",
        "# trang 2",
        "\tlưu thông trên thị trường.\tĐo lường Chất lượng\ttiêu chuẩn đo lường chất lượng\thàng năm",
        "\t(kiểm tra đột xuất khi có dấu hiệu vi phạm)\t\t\t",
    )
    task = document.tasks[0]
    assert task.content == (
        "Kiểm tra đo lường đối với hàng đóng gói sẵn lưu thông trên thị trường. "
        "(kiểm tra đột xuất khi có dấu hiệu vi phạm)"
    )
    assert task.lead_units == (UnitRef("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"),)
    assert task.coordinating_units == (UnitRef("Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng"),)
    assert task.time_text == "Quý II hàng năm"
    assert document.skipped == ()


def test_continuation_extends_extra_columns_too() -> None:
    document = _read(
        "TT\tNội dung\tCơ quan chủ trì\tSản phẩm dự kiến",
        "1\tXây dựng kế hoạch\tVăn phòng Sở\tKế hoạch được",
        "\t\t\tphê duyệt",
    )
    assert document.tasks[0].extra == {"Sản phẩm dự kiến": "Kế hoạch được phê duyệt"}


def test_skipped_rows_report_their_line_and_reason() -> None:
    document = _read(
        "KẾ HOẠCH",  # 1
        "Kiểm tra chất lượng hàng hóa năm 2026",  # 2
        HEADER,  # 3
        "I\tKiểm tra\t\t\t",  # 4
        "\tdòng không có số ngay sau mục\t\t\t",  # 5
        "1\tKiểm tra hàng hóa\t" + PHONG + "\t\tQuý I",  # 6
        "Ghi chú: dòng văn bản lọt vào giữa bảng",  # 7
        "\tdòng không có số sau dòng bị bỏ qua\t\t\t",  # 8
        "a)\tNội dung đánh số bằng chữ\t" + PHONG + "\t\tQuý II",  # 9
        "II\tMục có đơn vị\t" + PHONG + "\t\t",  # 10
        "2\t\t" + PHONG + "\t\tQuý III",  # 11
        "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",  # 12
        "# một chú thích không phải nhiệm vụ",  # 13
        "3\tKiểm tra đột xuất\t" + PHONG + "\t\tĐột xuất",  # 14
    )
    assert document.skipped == (
        SkippedRow(5, SKIP_NO_NUMBER),
        SkippedRow(7, SKIP_OUTSIDE_TABLE),
        SkippedRow(8, SKIP_NO_NUMBER),
        SkippedRow(9, SKIP_BAD_NUMBER, {"number": "a)"}),
        SkippedRow(10, SKIP_SECTION_WITH_DETAILS, {"number": "II"}),
        SkippedRow(11, SKIP_NO_CONTENT, {"number": "2"}),
        SkippedRow(12, SKIP_REPEATED_HEADER),
    )
    # Row 10 was not a section, so tasks after it stay in section I.
    assert [t.code for t in document.tasks] == ["I.1", "I.3"]


def test_skip_reasons_format_with_their_params() -> None:
    assert SKIP_BAD_NUMBER.format(number="a)").startswith("“a)”")
    assert SKIP_SECTION_WITH_DETAILS.format(number="II").startswith("section II")
    assert SKIP_NO_CONTENT.format(number="2") == "task 2 has no content"


def test_lines_before_the_header_are_prose_even_with_tabs() -> None:
    document = _read(
        "Sở Khoa học và Công nghệ\tCộng hòa xã hội chủ nghĩa Việt Nam",
        HEADER,
        "1\tXây dựng kế hoạch\t" + PHONG + "\t\tQuý IV năm 2025",
    )
    assert document.skipped == ()
    assert [t.code for t in document.tasks] == ["1"]


def test_markup_is_removed_and_the_emphasised_part_is_the_target_note() -> None:
    document = _read(
        HEADER,
        "1\t<b>Đào tạo</b> công chức<br>cấp xã <em>(phấn đấu 95% công chức được tập huấn)</em>.\t"
        "<b>Văn phòng Sở</b>\t\t<i>Hàng năm</i>",
    )
    task = document.tasks[0]
    assert task.content == "Đào tạo công chức cấp xã (phấn đấu 95% công chức được tập huấn)."
    assert task.target_note == "phấn đấu 95% công chức được tập huấn"
    assert task.lead_units == (UnitRef("Văn phòng Sở"),)
    assert task.time_text == "Hàng năm"


def test_an_italic_part_split_by_a_page_break_is_one_note() -> None:
    document = _read(
        HEADER,
        "1\tTập huấn nghiệp vụ (<i>phấn đấu 100% công chức\tVăn phòng Sở\t\tHàng năm",
        "\tcấp tỉnh được tập huấn</i>)\t\t\t",
    )
    assert document.tasks[0].target_note == "phấn đấu 100% công chức cấp tỉnh được tập huấn"


def test_text_is_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Tuyên truyền   pháp luật\u00a0về đo lường")
    document = _read(HEADER, f"1\t  {decomposed} \tVăn phòng Sở\t\tHàng năm")
    content = document.tasks[0].content
    assert content == "Tuyên truyền pháp luật về đo lường"
    assert unicodedata.is_normalized("NFC", content)


def test_line_breaks_in_a_unit_cell_separate_units() -> None:
    # A Word or Excel cell listing one unit a line (here written with <br>), with and without bullets.
    document = _read(HEADER, "1\tPhối hợp kiểm tra\tSở Công Thương<br>- Sở Y tế<br>+ Công an tỉnh\t\tQuý I")
    assert document.tasks[0].lead_units == (
        UnitRef("Sở Công Thương"),
        UnitRef("Sở Y tế"),
        UnitRef("Công an tỉnh"),
    )


def test_group_units_in_a_table() -> None:
    document = _read(HEADER, "1\tBáo cáo tiến độ\tTất cả các phòng, đơn vị\tToàn bộ công chức\tHàng năm")
    task = document.tasks[0]
    assert task.lead_units == (UnitRef("Tất cả các phòng, đơn vị", UnitKind.GROUP),)
    assert task.coordinating_units == (UnitRef("Toàn bộ công chức", UnitKind.GROUP),)


def test_target_note_keeps_parentheses_that_are_not_one_wrapping_pair() -> None:
    document = _read(
        HEADER,
        "1\tTập huấn <i>(cấp tỉnh) và (cấp xã)</i>\tVăn phòng Sở\t\tHàng năm",
        "2\tTập huấn <i>(phấn đấu (ít nhất) 2 lớp)</i>\tVăn phòng Sở\t\tHàng năm",
    )
    assert [t.target_note for t in document.tasks] == ["(cấp tỉnh) và (cấp xã)", "phấn đấu (ít nhất) 2 lớp"]


def test_a_long_text_in_the_number_column_is_shortened_in_the_skip_reason() -> None:
    number = "Ghi chú: các nhiệm vụ dưới đây do các phòng tự bố trí kinh phí"
    document = _read(HEADER, f"{number}\tx\t\t\t", "1\tRà soát quy trình\tVăn phòng Sở\t\tQuý I/2026")
    assert document.skipped == (SkippedRow(2, SKIP_BAD_NUMBER, {"number": "Ghi chú: các nhiệm vụ dưới đây do các p…"}),)
