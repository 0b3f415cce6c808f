"""Issue 23, as users found the command line: options after the command, read-only commands that
create nothing, and system errors in the chosen language."""

from pathlib import Path

import pytest

from models import db
from nhacviec.cli import main
from tests.helpers import cli, snapshot

READ_ONLY = [["plan", "show"], ["units", "list"], ["summary"], ["outbox"]]


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_db_and_lang_may_follow_the_command(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, err = run_main(capsys, "units", "list", "--db", db_url, "--lang", "en")
    assert (code, err) == (0, "")
    assert out == "No units yet: they come with the plan import.\n"


def test_db_given_with_an_equals_sign_after_the_command(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, _err = run_main(capsys, "units", "list", f"--db={db_url}")
    assert code == 0
    assert out == "Chưa có đơn vị nào: đơn vị được tạo khi nhập kế hoạch.\n"


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_do_not_create_a_missing_database(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "chua-co" / "nhacviec.db"
    result = cli(f"sqlite:///{path}", *args)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: Chưa có cơ sở dữ liệu tại {path}: hãy nhập kế hoạch (nhacviec plan import) hoặc chạy "
        "nhacviec db upgrade.\n"
    )
    assert not path.parent.exists()


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_ask_for_an_upgrade_of_an_old_schema(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "cu.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, "0003")
    engine.dispose()
    result = cli(f"sqlite:///{path}", *args)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: Cơ sở dữ liệu sqlite:///{path} có cấu trúc cũ (phiên bản 0003, chương trình cần "
        f"{db.head_revision()}): hãy chạy nhacviec db upgrade.\n"
    )
    engine = db.make_engine(f"sqlite:///{path}")
    assert db.current_revision(engine) == "0003"
    engine.dispose()


def test_read_only_command_on_an_empty_postgresql_schema_asks_for_an_upgrade(pg_schema_url: str) -> None:
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    url = pg_schema_url.replace(schema, schema + "_leer")
    admin = db.make_engine(pg_schema_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}_leer"')
    try:
        result = cli(url, "units", "list")
        assert result.exit_code == 2
        assert "chưa có bảng nào: hãy chạy nhacviec db upgrade." in result.stderr
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}_leer" CASCADE')
        admin.dispose()


def test_read_only_command_leaves_the_database_as_it_was(db_url: str) -> None:
    before = snapshot(db_url)
    assert cli(db_url, "units", "list").exit_code == 0
    assert snapshot(db_url) == before


def bundled(db_url: str) -> str:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    return db_url


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", "Lỗi: Không ghi được {path}: tệp hoặc thư mục không tồn tại\n"),
        ("en", "Error: Cannot write {path}: the file or folder does not exist\n"),
    ],
)
def test_a_file_that_cannot_be_written_is_explained_in_the_chosen_language(
    tmp_path: Path, sqlite_template: Path, lang: str, expected: str
) -> None:
    import shutil

    shutil.copyfile(sqlite_template, tmp_path / "n.db")
    url = bundled(f"sqlite:///{tmp_path / 'n.db'}")
    target = tmp_path / "khong-co" / "bao-cao.docx"
    result = cli(url, "--lang", lang, "summary", "--docx", str(target))
    assert result.exit_code == 2
    assert result.stderr == expected.format(path=target)


def test_invite_takes_the_unit_as_summary_does(db_url: str) -> None:
    bundled(db_url)
    result = cli(db_url, "invite", "create", "--unit", "Văn phòng", "--role", "staff")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("Cho Văn phòng Sở, vai trò công chức, viên chức, dùng được 1 lần,")


def test_a_part_of_a_name_that_fits_several_units_lists_them(db_url: str) -> None:
    bundled(db_url)
    before = snapshot(db_url)
    result = cli(db_url, "invite", "create", "--unit", "Trung tâm", "--role", "staff")
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: «Trung tâm» khớp với nhiều đơn vị: Trung tâm Chuyên đổi số và Đổi mới sáng tạo; "
        "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng. Hãy viết rõ hơn tên đơn vị.\n"
    )
    assert snapshot(db_url) == before


def test_units_are_found_without_diacritics_in_policy_and_merge(db_url: str) -> None:
    bundled(db_url)
    result = cli(db_url, "reminders", "policy", "--unit", "van phong so", "--lead-days", "7,1")
    assert result.exit_code == 0, result.output
    assert "đơn vị Văn phòng Sở" in result.stdout


@pytest.mark.parametrize(("uses", "words"), [("1", "1 use"), ("5", "5 uses")])
def test_invite_uses_in_english_agree_with_the_number(db_url: str, uses: str, words: str) -> None:
    bundled(db_url)
    result = cli(
        db_url, "--lang", "en", "invite", "create", "--unit", "Văn phòng Sở", "--role", "staff", "--uses", uses
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(f"For Văn phòng Sở, role staff, {words}, valid until ")
