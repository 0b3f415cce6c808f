import json

from tests.helpers import cli, snapshot

CDS_CENTRE = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"


def test_units_list_shows_each_unit_with_its_task_counts(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "units", "list")
    assert result.exit_code == 0, result.output
    assert "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng (đơn vị) — chủ trì 19, phối hợp 0" in result.stdout
    assert "Văn phòng Sở (đơn vị) — chủ trì 2, phối hợp 4"  # IV.1 and the duty BC.1 in result.stdout


def test_alias_resolves_to_its_unit_on_the_next_import(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "units", "alias", "add", "TT CĐS&ĐMST", CDS_CENTRE)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"«TT CĐS&ĐMST» từ nay là «{CDS_CENTRE}»."
    assert "còn gọi là: TT CĐS&ĐMST" in cli(db_url, "units", "list").stdout


def test_alias_already_taken_is_refused(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "units", "alias", "add", "văn phòng sở", CDS_CENTRE)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Lỗi: «văn phòng sở» đã là tên của đơn vị «Văn phòng Sở»."
    assert snapshot(db_url) == before


def test_unknown_unit_gets_a_pointer_to_the_list(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "units", "merge", "Phòng Không Tồn Tại", "Văn phòng Sở")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Không có đơn vị nào tên «Phòng Không Tồn Tại». Xem danh sách bằng lệnh: nhacviec units list"
    )


def test_merge_moves_tasks_and_keeps_the_old_name_as_alias(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "units", "merge", "Phòng Bưu chính viễn thông và CDS", CDS_CENTRE)
    assert result.exit_code == 0, result.output
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    i4 = next(t for t in shown["tasks"] if t["code"] == "I.4")
    assert i4["coordinating_units"] == [CDS_CENTRE]  # both were named: one link remains
    again = cli(db_url, "plan", "import", "--bundled")
    assert "không thay đổi" in again.stdout  # the old spelling now resolves through the alias
