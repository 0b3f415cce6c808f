from typer.testing import CliRunner

from models import db
from nhacviec import __version__
from nhacviec.cli import build_app, main
from tests.helpers import cli


def test_version() -> None:
    result = CliRunner().invoke(build_app("vi"), ["version"])
    assert result.stdout == f"nhacviec {__version__}\n"


def test_help_is_vietnamese_by_default() -> None:
    result = CliRunner().invoke(build_app("vi"), ["--help"])
    assert "Danh mục nhiệm vụ của kế hoạch." in result.stdout


def test_help_in_english_with_lang_en() -> None:
    result = CliRunner().invoke(build_app("en"), ["--help"])
    assert "The plan's task registry." in result.stdout


def test_main_reads_lang_before_building_help(capsys: object) -> None:
    import pytest

    with pytest.raises(SystemExit):
        main(["--lang", "en", "plan", "--help"])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Import a plan document" in out


def test_unknown_language_is_refused() -> None:
    result = CliRunner().invoke(build_app("vi"), ["--lang", "fr", "version"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Lỗi: Ngôn ngữ không hỗ trợ fr: hãy dùng vi hoặc en."


def test_db_upgrade_reports_the_revision(db_url: str) -> None:
    result = cli(db_url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({db.head_revision()})."


def test_unreachable_database_is_one_line_without_password() -> None:
    result = CliRunner().invoke(build_app("vi"), ["--db", "postgresql://admin:bimat@127.0.0.1:1/x", "plan", "list"])
    assert result.exit_code == 2
    assert "bimat" not in result.output
    assert result.stderr.startswith("Lỗi: Không dùng được cơ sở dữ liệu postgresql+psycopg://admin:***@127.0.0.1:1/x")
