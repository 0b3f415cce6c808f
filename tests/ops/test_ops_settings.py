"""The operations settings (HTTP server, webhook, logs) as the Dockerfile, compose file and systemd
unit rely on them: names, defaults, and one clear line when the webhook has no secret."""

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from nhacviec.settings import Settings

OPS_VARIABLES = ("HTTP_HOST", "HTTP_PORT", "WEBHOOK_URL", "WEBHOOK_SECRET", "LOG_FORMAT", "LOG_LEVEL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in OPS_VARIABLES:
        monkeypatch.delenv(f"NHACVIEC_{name}", raising=False)
    return monkeypatch


def test_defaults_poll_telegram_and_serve_health_on_loopback(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8081)
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert (settings.log_format, settings.log_level) == ("text", "INFO")


def test_environment_names(clean_env: pytest.MonkeyPatch) -> None:
    for name, value in {
        "HTTP_HOST": "0.0.0.0",
        "HTTP_PORT": "9090",
        "WEBHOOK_URL": "https://nhacviec.skhcn.quangngai.gov.vn/",
        "WEBHOOK_SECRET": "Bi-mat_2026",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "debug",
    }.items():
        clean_env.setenv(f"NHACVIEC_{name}", value)
    settings = Settings()
    assert (settings.http_host, settings.http_port) == ("0.0.0.0", 9090)
    assert settings.webhook_url == "https://nhacviec.skhcn.quangngai.gov.vn"  # no trailing slash
    assert settings.webhook_secret is not None and settings.webhook_secret.get_secret_value() == "Bi-mat_2026"
    assert (settings.log_format, settings.log_level) == ("json", "DEBUG")


def test_a_webhook_without_a_secret_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NHACVIEC_WEBHOOK_URL", "https://nhacviec.skhcn.quangngai.gov.vn")
    with pytest.raises(ValidationError, match="webhook_secret is required when webhook_url is set"):
        Settings()


def test_a_malformed_secret_is_refused_without_showing_it(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NHACVIEC_WEBHOOK_URL", "https://nhacviec.skhcn.quangngai.gov.vn")
    clean_env.setenv("NHACVIEC_WEBHOOK_SECRET", "mật khẩu sở")
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert "webhook_secret" in str(raised.value)
    assert "mật khẩu" not in str(raised.value)


def test_unknown_log_format_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NHACVIEC_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="log_format"):
        Settings()


def test_run_with_a_webhook_and_no_secret_says_so_in_one_line(tmp_path: Path) -> None:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")}
    environment |= {"NHACVIEC_WEBHOOK_URL": "https://nhacviec.skhcn.quangngai.gov.vn"}
    result = subprocess.run(
        [sys.executable, "-m", "nhacviec", "--db", f"sqlite:///{tmp_path}/x.db", "run"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "Lỗi: Cấu hình không hợp lệ: NHACVIEC_WEBHOOK_SECRET; hãy kiểm tra biến môi trường hoặc tệp .env."
    )


def test_a_webhook_url_is_https_or_this_machine(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NHACVIEC_WEBHOOK_SECRET", "Bi-mat_2026")
    for accepted in ("https://nhacviec.skhcn.quangngai.gov.vn", "http://127.0.0.1:8081", "http://localhost:9000/"):
        clean_env.setenv("NHACVIEC_WEBHOOK_URL", accepted)
        assert Settings().webhook_url == accepted.rstrip("/")
    for refused in ("http://nhacviec.skhcn.quangngai.gov.vn", "nhacviec.skhcn.quangngai.gov.vn", "ftp://127.0.0.1"):
        clean_env.setenv("NHACVIEC_WEBHOOK_URL", refused)
        with pytest.raises(ValidationError, match="webhook_url must be an https:// URL"):
            Settings()
