"""Zalo's settings (`NHACVIEC_ZALO_*`) and limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.platforms.zalo.limits import ZaloLimits
from nhacviec.settings import Settings
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.ratelimit import ZALO_LIMITS


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("TELEGRAM_TOKEN", "ZALO_TOKEN", "ZALO_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "ZALO_TEXT_LIMIT"):
        monkeypatch.delenv(f"NHACVIEC_{name}", raising=False)


def test_zalo_defaults() -> None:
    settings = Settings()
    assert (
        settings.zalo_base_url,
        settings.zalo_poll_timeout_seconds,
        settings.zalo_request_timeout_seconds,
        settings.zalo_text_limit,
        settings.zalo_retry_after_seconds,
        settings.zalo_update_retention_days,
    ) == ("https://bot-api.zaloplatforms.com/bot", 30, 15.0, 2000, 30.0, 7)


def test_the_send_rates_are_the_dispatchers_zalo_limits() -> None:
    assert DispatchSettings().limits_for("zalo") == ZALO_LIMITS == ZaloLimits().rates
    assert (ZALO_LIMITS.overall_per_second, ZALO_LIMITS.private_per_second, ZALO_LIMITS.group_per_minute) == (
        5.0,
        0.5,
        20,
    )


@pytest.mark.parametrize("url", ["https://bot-api.zapps.me/bot", "http://127.0.0.1:8080/bot"])
def test_another_bot_api_server_may_be_set(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("NHACVIEC_ZALO_BASE_URL", url)
    assert Settings().zalo_base_url == url


def test_the_token_never_travels_over_plain_http_to_another_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_ZALO_BASE_URL", "http://bot-api.zapps.me/bot")
    with pytest.raises(ValidationError, match="zalo_base_url must be an https:// URL"):
        Settings()


def test_a_zalo_webhook_needs_a_secret_of_eight_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_ZALO_TOKEN", "1459232241454765289:QlDcGzXbTmVrLpNsKwYh")
    monkeypatch.setenv("NHACVIEC_WEBHOOK_URL", "https://nhacviec.skhcn.quangngai.gov.vn")
    monkeypatch.setenv("NHACVIEC_WEBHOOK_SECRET", "bimat07")
    with pytest.raises(ValidationError, match="Zalo's setWebhook needs at least 8 characters") as raised:
        Settings()
    assert "bimat07" not in str(raised.value)


def test_a_short_secret_is_fine_with_telegram_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    monkeypatch.setenv("NHACVIEC_WEBHOOK_URL", "https://nhacviec.skhcn.quangngai.gov.vn")
    monkeypatch.setenv("NHACVIEC_WEBHOOK_SECRET", "bimat07")
    assert Settings().webhook_secret is not None


def test_without_any_token_the_sandboxs_zalo_webhook_needs_eight_characters_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NHACVIEC_WEBHOOK_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("NHACVIEC_WEBHOOK_SECRET", "bimat07")
    with pytest.raises(ValidationError, match="Zalo's setWebhook needs at least 8 characters"):
        Settings()


@pytest.mark.parametrize("value", ["199", "2001"])
def test_the_text_limit_stays_within_zalos(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("NHACVIEC_ZALO_TEXT_LIMIT", value)
    with pytest.raises(ValidationError):
        Settings()


def test_zalo_limits_refuse_more_than_zalo_takes() -> None:
    with pytest.raises(ValueError, match="a Zalo message holds 1–2000 characters, not 2500"):
        ZaloLimits(text=2500)
