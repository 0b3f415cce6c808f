from tests.helpers import cli, snapshot


def lines(result_stdout: str) -> list[str]:
    return [" ".join(line.split()) for line in result_stdout.splitlines()]


def test_recording_an_event_gives_its_tasks_a_deadline(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(
        db_url,
        "event",
        "record",
        "Trung ương ban hành Đề án hội nhập quốc tế về TĐC",
        "--tasks",
        "III.3,VI.1",
        "--date",
        "2026-03-02",
        "--due-in",
        "90d",
    )
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "Đã ghi nhận.",
        "Sự kiện 1: Trung ương ban hành Đề án hội nhập quốc tế về TĐC",
        "diễn ra ngày 02/03/2026; hạn sau đó 90 ngày: Chủ Nhật, 31/05/2026",
        "nhiệm vụ: III.3, VI.1",
    ]
    occurrences = cli(db_url, "plan", "occurrences", "--task", "VI.1").stdout
    assert lines(occurrences) == ["VI.1 Chủ Nhật, 31/05/2026 hạn Ngày 31/05/2026"]


def test_span_defaults_to_the_plans_and_accepts_months(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    default = cli(db_url, "event", "record", "Bộ ban hành hướng dẫn", "--tasks", "IV.2", "--date", "2026-01-05")
    assert "hạn sau đó 90 ngày: Chủ Nhật, 05/04/2026" in " ".join(default.stdout.split())
    months = cli(
        db_url,
        "event",
        "record",
        "Trung ương ban hành chủ trương",
        "--tasks",
        "II.2",
        "--date",
        "2026-01-05",
        "--due-in",
        "2 tháng",
    )
    assert "hạn sau đó 60 ngày" in months.stdout


def test_correcting_an_event_moves_its_deadline_and_keeps_the_old_one_archived(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    cli(db_url, "event", "record", "Đề án được ban hành", "--tasks", "VI.1", "--date", "2026-03-02", "--due-in", "90d")
    result = cli(db_url, "event", "correct", "1", "--date", "2026-04-01")
    assert result.exit_code == 0, result.output
    assert "diễn ra ngày 01/04/2026; hạn sau đó 90 ngày: Thứ Ba, 30/06/2026" in " ".join(result.stdout.split())
    assert lines(cli(db_url, "plan", "occurrences", "--task", "VI.1").stdout) == [
        "VI.1 Thứ Ba, 30/06/2026 hạn Ngày 30/06/2026"
    ]
    event_rows = [row for row in snapshot(db_url)["occurrence"] if "'event'" in row]
    assert len(event_rows) == 2


def test_event_list(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert cli(db_url, "event", "list").stdout == "Chưa ghi nhận sự kiện nào.\n"
    cli(db_url, "event", "record", "Đề án được ban hành", "--tasks", "VI.1", "--date", "2026-03-02")
    assert lines(cli(db_url, "event", "list").stdout)[0] == "Sự kiện 1: Đề án được ban hành"


def _refused(db_url: str, *args: str) -> str:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "event", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert snapshot(db_url) == before
    return result.stderr.strip()


def test_unknown_task_is_refused(db_url: str) -> None:
    message = _refused(db_url, "record", "Đề án", "--tasks", "VI.9", "--date", "2026-03-02")
    assert message == "Lỗi: Kế hoạch không có nhiệm vụ VI.9."


def test_task_with_a_date_is_not_waiting_for_an_event(db_url: str) -> None:
    message = _refused(db_url, "record", "Đề án", "--tasks", "I.1", "--date", "2026-03-02")
    assert message == "Lỗi: Nhiệm vụ I.1 không chờ sự kiện nào (thời gian của nhiệm vụ: Quý III năm 2025)."


def test_bad_date_and_span_are_refused(db_url: str) -> None:
    assert _refused(db_url, "record", "Đề án", "--tasks", "VI.1", "--date", "2/3/26").startswith(
        "Lỗi: Ngày không hợp lệ 2/3/26"
    )
    assert _refused(db_url, "record", "Đề án", "--tasks", "VI.1", "--date", "2026-03-02", "--due-in", "sớm") == (
        "Lỗi: Khoảng thời gian không hợp lệ sớm: hãy viết như 90d, 12w hoặc 3m."
    )


def test_correcting_an_unknown_event(db_url: str) -> None:
    assert _refused(db_url, "correct", "7", "--date", "2026-04-01") == (
        "Lỗi: Không có sự kiện số 7. Xem danh sách bằng lệnh: nhacviec event list"
    )


def test_correcting_one_event_keeps_another_events_deadline_on_the_same_day(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    cli(db_url, "event", "record", "Đề án được ban hành", "--tasks", "VI.1", "--date", "2026-03-02", "--due-in", "90d")
    cli(
        db_url,
        "event",
        "record",
        "Bộ hướng dẫn thực hiện",
        "--tasks",
        "VI.1",
        "--date",
        "2026-03-02",
        "--due-in",
        "90d",
    )
    cli(db_url, "event", "correct", "1", "--due-in", "30d")
    assert lines(cli(db_url, "plan", "occurrences", "--task", "VI.1").stdout) == [
        "VI.1 Thứ Tư, 01/04/2026 hạn Ngày 01/04/2026",
        "VI.1 Chủ Nhật, 31/05/2026 hạn Ngày 31/05/2026",
    ]


def test_import_lists_the_tasks_waiting_for_an_event_until_it_is_recorded(db_url: str) -> None:
    waiting = "Nhiệm vụ chờ sự kiện bên ngoài (ghi nhận bằng lệnh nhacviec event record): "
    first = cli(db_url, "plan", "import", "--bundled")
    # V.2's inspections follow a plan another authority approves: its dates are an event too.
    assert waiting + "II.2, III.3, IV.2, V.2, VI.1" in lines(first.stdout)

    cli(db_url, "event", "record", "Trung ương ban hành Đề án", "--tasks", "III.3,VI.1", "--date", "2026-03-02")
    again = cli(db_url, "plan", "import", "--bundled")

    assert waiting + "II.2, IV.2, V.2" in lines(again.stdout)
