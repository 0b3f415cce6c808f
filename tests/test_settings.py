import pytest
from pydantic import ValidationError

from nhacviec.settings import DEFAULT_DB_URL, Settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("DB_URL", "TELEGRAM_TOKEN", "ZALO_TOKEN", "TIMEZONE", "LOCALE"):
        monkeypatch.delenv(f"NHACVIEC_{name}", raising=False)
    settings = Settings()
    assert settings.db_url == DEFAULT_DB_URL == "sqlite:///./data/nhacviec.db"
    assert settings.telegram_token is None
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.locale == "vi"


def test_env_prefix_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NHACVIEC_ZALO_TOKEN=zalo-secret\n", encoding="utf-8")  # type: ignore[operator]
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "123456:ABC-secret")
    settings = Settings()
    assert settings.telegram_token is not None
    assert settings.telegram_token.get_secret_value() == "123456:ABC-secret"
    assert settings.zalo_token is not None and settings.zalo_token.get_secret_value() == "zalo-secret"


def test_tokens_never_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "123456:ABC-secret")
    settings = Settings()
    assert "ABC-secret" not in repr(settings)
    assert "ABC-secret" not in str(settings.model_dump())


def test_unknown_timezone_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TIMEZONE", "Asia/Hanoi_Typo")
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "123456:ABC-secret")
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert "ABC-secret" not in str(raised.value)


def test_report_draft_working_days_default_env_and_bounds(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("NHACVIEC_REPORT_DRAFT_WORKING_DAYS", raising=False)
    assert Settings().report_draft_working_days == 5
    for value, expected in (("0", 0), ("10", 10), ("30", 30)):
        monkeypatch.setenv("NHACVIEC_REPORT_DRAFT_WORKING_DAYS", value)
        assert Settings().report_draft_working_days == expected
    for bad in ("-1", "31", "năm"):
        monkeypatch.setenv("NHACVIEC_REPORT_DRAFT_WORKING_DAYS", bad)
        with pytest.raises(ValidationError, match="report_draft_working_days"):
            Settings()


def test_a_platform_added_later_takes_its_send_limits_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("NHACVIEC_DISPATCH__EXTRA_PLATFORMS__VIBER__OVERALL_PER_SECOND", "10")
    monkeypatch.setenv("NHACVIEC_DISPATCH__EXTRA_PLATFORMS__VIBER__GROUP_PER_MINUTE", "12")
    limits = Settings().dispatch.limits_for("viber")
    assert (limits.overall_per_second, limits.private_per_second, limits.group_per_minute) == (10.0, 1.0, 12)
