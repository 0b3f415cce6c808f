"""The seed plan (Quảng Ngãi, Sở KH&CN, TĐC 2025) read from its text form."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from importer.document import PlanDocument, TaskRow, UnitKind, UnitRef
from importer.read import read_plan
from tests.importer.plan_import_files import SEED_PATH, seed_bytes

PHONG_TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
TT_CDS = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"
VP = "Văn phòng Sở"
BCVT = "Phòng Bưu chính viễn thông và CDS"
CAC_PHONG = "Các phòng, đơn vị trực thuộc Sở"
TT_KT_UPPER = "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"
TT_KT = "Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng"
KE_HOACH_Q4 = "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch"

SECTIONS = [
    (
        "I",
        "Tuyên truyền, nâng cao nhận thức của các cấp ủy đảng, chính "
        "quyền, nhân dân và doanh nghiệp đối với "
        "công tác tiêu chuẩn đo lường chất lượng",
        60,
    ),
    (
        "II",
        "Rà soát, xây dựng, bổ sung, hoàn thiện văn bản pháp luật "
        "trong lĩnh vực tiêu chuẩn, đo lường, chất "
        "lượng; ban hành và tổ chức thực hiện các chương trình, kế "
        "hoạch, đề án để thúc đẩy hoạt động tiêu "
        "chuẩn, đo lường, chất lượng trên địa bàn tỉnh",
        66,
    ),
    ("III", "Phát triển nguồn nhân lực trong lĩnh vực tiêu chuẩn, đo lường, chất lượng", 74),
    ("IV", "Tăng cường đầu tư ngân sách nhà nước cho công tác tiêu chuẩn, đo lường, chất lượng", 80),
    ("V", "Đẩy mạnh công tác kiểm tra trong lĩnh vực tiêu chuẩn, đo lường, chất lượng", 83),
    ("VI", "Tăng cường các hoạt động hợp tác trong lĩnh vực tiêu chuẩn, đo lường, chất lượng", 89),
]

# code, line, lead units, coordinating units, time text
TASKS: list[tuple[str, int, list[str], list[str], str]] = [
    ("I.1", 61, [PHONG_TDC], [TT_CDS], "Quý III năm 2025"),
    (
        "I.2",
        62,
        [PHONG_TDC],
        [TT_CDS],
        "Đa dạng các hình thức tuyên truyền: tuyên truyền trên báo "
        "chí, internet, trên mạng xã hội (zalo, "
        "facebook...), sổ tay, infographic... Thực hiện thường xuyên",
    ),
    ("I.3", 64, [PHONG_TDC], [VP], "1 lần/năm (Quý II hàng năm)"),
    ("I.4", 65, [PHONG_TDC], [BCVT, TT_CDS], "Tuyên truyền thường xuyên với nhiều hình thức"),
    ("II.1", 67, [PHONG_TDC], [CAC_PHONG], "Thường xuyên"),
    ("II.2", 68, [PHONG_TDC], [CAC_PHONG], "Ngay sau khi trung ương ban hành chủ trương, chính sách"),
    ("II.3", 69, [PHONG_TDC], [], KE_HOACH_Q4),
    ("II.4", 72, [PHONG_TDC], [], KE_HOACH_Q4),
    ("II.5", 73, [PHONG_TDC], [TT_KT_UPPER], KE_HOACH_Q4),
    (
        "III.1",
        75,
        [PHONG_TDC],
        [VP],
        "Quý IV/2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch",
    ),
    ("III.2", 76, [PHONG_TDC], [], "Hàng năm"),
    ("III.3", 78, [PHONG_TDC], [TT_KT_UPPER], "Sau khi Đề án của Trung ương ban hành"),
    ("III.4", 79, [PHONG_TDC], [], "01 lớp/năm"),
    ("IV.1", 81, [VP], [TT_KT], "Hàng năm"),
    ("IV.2", 82, [PHONG_TDC], [TT_CDS, BCVT], "Thực hiện sau khi có hướng dẫn cụ thể của Bộ KH&CN"),
    (
        "V.1",
        84,
        [PHONG_TDC],
        [TT_KT],
        "Ban hành kế hoạch trong quý I hàng năm; Tổ chức kiểm tra theo kế hoạch và đột xuất.",
    ),
    (
        "V.2",
        87,
        [PHONG_TDC],
        [TT_KT],
        "Theo kế hoạch được cấp có thẩm quyền phê duyệt hoặc đột xuất khi có dấu hiệu vi phạm",
    ),
    ("V.3", 88, [PHONG_TDC], [TT_KT], "Ít nhất 1 lần/năm"),
    ("VI.1", 90, [PHONG_TDC], [VP, TT_KT], "Sau khi Trung ương ban hành Đề án"),
    ("VI.2", 91, [PHONG_TDC], [VP], "1 lần/năm"),
]


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return read_plan(SEED_PATH)


def _task(document: PlanDocument, code: str) -> TaskRow:
    return next(task for task in document.tasks if task.code == code)


def _refs(names: list[str]) -> tuple[UnitRef, ...]:
    return tuple(UnitRef(name, UnitKind.GROUP if name.startswith("Các ") else UnitKind.SINGLE) for name in names)


def test_seed_has_six_sections_with_their_titles(seed: PlanDocument) -> None:
    assert [(s.code, s.title, s.line) for s in seed.sections] == SECTIONS
    assert [s.parent for s in seed.sections] == [None] * 6
    assert [s.position for s in seed.sections] == list(range(6))


def test_seed_has_nineteen_tasks_with_codes_units_and_times(seed: PlanDocument) -> None:
    got = [(t.code, t.line, t.lead_units, t.coordinating_units, t.time_text) for t in seed.tasks]
    expected = [(code, line, _refs(lead), _refs(coordinating), time) for code, line, lead, coordinating, time in TASKS]
    assert got == expected


def test_seed_tasks_know_their_section_number_and_position(seed: PlanDocument) -> None:
    assert [(t.section, t.number, t.position) for t in seed.tasks] == [
        (code.split(".")[0], code.split(".")[1], position) for position, (code, *_rest) in enumerate(TASKS)
    ]
    assert all(task.extra == {} for task in seed.tasks)


def test_the_group_of_units_is_one_group_unit(seed: PlanDocument) -> None:
    assert _task(seed, "II.1").coordinating_units == (UnitRef(CAC_PHONG, UnitKind.GROUP),)


def test_page_break_continuation_of_task_ii_3_is_merged(seed: PlanDocument) -> None:
    task = _task(seed, "II.3")
    assert task.content == (
        "Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày "
        "31/08/2020 của Thủ tướng Chính phủ phê "
        "duyệt “Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao "
        "năng suất và chất lượng sản phẩm, hàng hóa "
        "giai đoạn 2021 – 2030” trên địa bàn tính đến năm 2030."
    )
    assert task.time_text == "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch"


def test_page_break_continuation_of_task_v_1_mends_the_split_unit_name(seed: PlanDocument) -> None:
    task = _task(seed, "V.1")
    assert task.content == (
        "Tăng cường kiểm tra các đơn vị, cá nhân sản xuất, kinh "
        "doanh sản phẩm, hàng hóa trong lĩnh vực tiêu "
        "chuẩn, đo lường, chất lượng để bảo đảm đo lường chính xác và "
        "an toàn của sản phẩm, hàng hóa trong tiêu "
        "dùng, sản xuất, nhập khẩu, lưu thông trên thị trường."
    )
    assert task.lead_units == (UnitRef("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"),)
    assert task.time_text == "Ban hành kế hoạch trong quý I hàng năm; Tổ chức kiểm tra theo kế hoạch và đột xuất."


def test_italic_target_of_task_i_3_stays_in_the_content_without_tags(seed: PlanDocument) -> None:
    task = _task(seed, "I.3")
    note = (
        "thực hiện lồng ghép tuyên truyền, phổ biến Nghị quyết số "
        "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
        "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số quốc gia; các chủ trương chính "
        "sách của đảng, pháp luật của Nhà nước trong lĩnh vực tiêu chuẩn đo lường chất lượng"
    )
    assert task.target_note == note
    assert task.content == (
        "Tổ chức diễn đàn đối thoại với doanh nghiệp, tổ chức, cá "
        "nhân trong lĩnh vực tiêu chuẩn đo lường chất "
        f"lượng ({note})."
    )


def test_italic_targets_of_tasks_iii_1_and_iii_2(seed: PlanDocument) -> None:
    assert _task(seed, "III.1").target_note == (
        "phần đầu 100% công chức cấp tỉnh và 95% công chức cấp xã "
        "thực hiện nhiệm vụ quản lý nhà nước về tiêu "
        "chuẩn đo lường chất lượng được đào tạo, tập huấn nghiệp vụ "
        "quản lý nhà nước về tiêu chuẩn, đo lường, "
        "chất lượng"
    )
    assert _task(seed, "III.2").target_note == (
        "phần đầu hàng năm có khoảng 35% công chức, viên chức được "
        "tham gia các khóa đào tạo nghiệp vụ, cập nhật "
        "kiến thức"
    )
    assert _task(seed, "III.2").content.endswith(f"tổ chức ({_task(seed, 'III.2').target_note})")


def test_only_the_three_italic_tasks_have_a_target_note(seed: PlanDocument) -> None:
    assert [t.code for t in seed.tasks if t.target_note is not None] == ["I.3", "III.1", "III.2"]


def test_no_markup_and_no_stray_whitespace_left_anywhere(seed: PlanDocument) -> None:
    texts: list[str] = [s.title for s in seed.sections]
    for task in seed.tasks:
        texts += [task.content, task.time_text, task.target_note or ""]
        texts += [unit.name for unit in (*task.lead_units, *task.coordinating_units)]
    for text in texts:
        assert "<" not in text and ">" not in text
        assert text == text.strip() and "  " not in text and "\t" not in text and "\n" not in text


def test_seed_metadata(seed: PlanDocument) -> None:
    metadata = seed.metadata
    assert metadata.code is None  # "Kế hoạch số /KH-SKHCN": the plan's own number is blank
    assert metadata.title == (
        "Thực hiện Kế hoạch 40/KH-UBND ngày 09 tháng 9 năm 2025 của "
        "UBND tỉnh về triển khai thực hiện Quyết "
        "định số 1703/QĐ-TTg ngày 31/12/2024 của Thủ tướng Chính phủ "
        "ban hành Kế hoạch triển khai thực hiện Chỉ "
        "thị số 38-CT/TW ngày 30/7/2024 của Ban Bí thư về đẩy mạnh "
        "công tác tiêu chuẩn, đo lường, chất lượng "
        "quốc gia đến năm 2030 và những năm tiếp theo trên địa bàn tỉnh Quảng Ngãi"
    )
    assert metadata.issuing_body == "Sở Khoa học và Công nghệ"
    assert metadata.issued == date(2025, 9, 1)
    assert metadata.horizon_year == 2030


def test_seed_source_nothing_skipped_and_no_near_duplicates(seed: PlanDocument) -> None:
    assert seed.source_name == "quang-ngai-skhcn-tdc-2025.txt"
    assert seed.source_sha256 == hashlib.sha256(seed_bytes()).hexdigest()
    assert seed.skipped == ()
    # "Trung tâm Kỹ thuật Tiêu chuẩn…" and "…tiêu chuẩn…" differ only by case: one unit, not a pair.
    assert seed.near_duplicates == ()
