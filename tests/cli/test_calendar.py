from tests.helpers import cli, snapshot


def test_calendar_2026_lists_tet_and_the_national_days(db_url: str) -> None:
    result = cli(db_url, "calendar", "2026")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == "Ngày nghỉ năm 2026 (14 ngày):"
    assert "  Thứ Ba, 17/02/2026  Tết Nguyên Đán" in out
    assert "  Thứ Năm, 30/04/2026  Ngày Chiến thắng" in out
    assert "  Thứ Sáu, 01/05/2026  Ngày Quốc tế Lao động" in out
    assert "  Thứ Ba, 01/09/2026  Quốc khánh" in out
    assert "  Thứ Tư, 02/09/2026  Quốc khánh" in out
    assert out[-2:] == ["Ngày làm việc vào cuối tuần:", "  Thứ Bảy, 22/08/2026"]


def test_admin_day_off_appears_with_its_reason(db_url: str) -> None:
    result = cli(db_url, "calendar", "add-off", "2026-05-04", "Nghỉ bù ngày Quốc tế Lao động")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Thứ Hai, 04/05/2026 từ nay là ngày nghỉ: Nghỉ bù ngày Quốc tế Lao động\n"
    out = cli(db_url, "calendar", "2026").stdout
    assert "  Thứ Hai, 04/05/2026  Nghỉ bù ngày Quốc tế Lao động" in out.splitlines()
    assert "Do quản trị viên ghi nhận: 04/05/2026" in out


def test_admin_workday_on_a_saturday(db_url: str) -> None:
    result = cli(db_url, "calendar", "add-workday", "2026-05-09")
    assert result.stdout == "Thứ Bảy, 09/05/2026 từ nay là ngày làm việc.\n"
    out = cli(db_url, "calendar", "2026").stdout.splitlines()
    assert "  Thứ Bảy, 09/05/2026" in out


def test_removing_an_override(db_url: str) -> None:
    cli(db_url, "calendar", "add-workday", "2026-05-09")
    result = cli(db_url, "calendar", "remove", "2026-05-09")
    assert result.stdout == "Đã bỏ thay đổi của quản trị viên cho ngày Thứ Bảy, 09/05/2026.\n"
    assert "09/05/2026" not in cli(db_url, "calendar", "2026").stdout


def test_day_off_without_reason_is_refused(db_url: str) -> None:
    before = snapshot(db_url)
    result = cli(db_url, "calendar", "add-off", "2026-05-04")
    assert result.exit_code == 2
    assert result.stderr.strip() == 'Lỗi: Hãy ghi lý do của ngày nghỉ, ví dụ "Nghỉ bù Quốc khánh".'
    assert snapshot(db_url) == before


def test_unknown_action_gets_the_usage(db_url: str) -> None:
    result = cli(db_url, "calendar", "them-ngay")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Cách dùng: nhacviec calendar NĂM | add-off NGÀY LÝ_DO | add-workday NGÀY | remove NGÀY"
    )
