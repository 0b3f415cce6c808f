from pathlib import Path

from tests.helpers import cli, seed_text, snapshot

SEED_DUTY = (
    "Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách "
    "nhiệm cụ thể đến từng bộ phận/công chức thuộc phạm vi quản lý; định kỳ trước ngày 15/11 hàng năm báo cáo "
    "tiến độ, kết quả thực hiện, các khó khăn vướng mắc gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng để "
    "tổng hợp, báo cáo lãnh đạo Sở."
)


def test_bundled_plan_accepts_its_reporting_duty(db_url: str) -> None:
    result = cli(db_url, "plan", "import", "--bundled")
    assert "Đã nhận nghĩa vụ chung của kế hoạch thành nhiệm vụ BC.1." in result.stdout
    assert cli(db_url, "plan", "obligations").stdout.splitlines() == [
        "1. [đã thành nhiệm vụ BC.1] định kỳ trước ngày 15/11 hàng năm",
        "   " + SEED_DUTY,
    ]


def test_the_duty_binds_every_unit_but_the_one_that_compiles(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    shown = cli(db_url, "plan", "show").stdout.splitlines()
    duty = shown.index("Nghĩa vụ chung của kế hoạch")
    assert shown[duty + 2] == (
        "      Chủ trì: Trung tâm Chuyên đổi số và Đổi mới sáng tạo; Văn phòng Sở; "
        "Phòng Bưu chính viễn thông và CDS; Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"
    )


def test_the_duty_is_due_every_15_november(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    dues = [line.split()[3] for line in cli(db_url, "plan", "occurrences", "--task", "BC.1").stdout.splitlines()]
    assert dues == ["15/11/2025", "15/11/2026", "15/11/2027", "15/11/2028", "15/11/2029", "15/11/2030"]


def test_another_plan_proposes_and_waits_for_the_admin(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach-khac.txt"
    path.write_text(seed_text(), encoding="utf-8")
    result = cli(db_url, "plan", "import", str(path))
    assert (
        "Tìm thấy nghĩa vụ chung trong văn bản (định kỳ trước ngày 15/11 hàng năm); "
        "để xác nhận: nhacviec plan obligations --accept"
    ) in result.stdout
    assert cli(db_url, "plan", "occurrences", "--task", "BC.1").stdout.startswith("Chưa có thời hạn nào")
    accepted = cli(db_url, "plan", "obligations", "--accept")
    assert accepted.stdout.splitlines()[0] == "Đã nhận nghĩa vụ chung của kế hoạch thành nhiệm vụ BC.1."
    assert len(cli(db_url, "plan", "occurrences", "--task", "BC.1").stdout.splitlines()) == 6


def test_reimport_neither_archives_nor_duplicates_the_duty(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    cli(db_url, "plan", "import", "--bundled")
    assert snapshot(db_url) == before


def test_accepting_an_unknown_proposal(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "plan", "obligations", "--accept", "--id", "5")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Không có đề xuất nghĩa vụ số 5. Xem danh sách bằng lệnh: nhacviec plan obligations"
    )
