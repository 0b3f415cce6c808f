"""The registry of chat platforms (nhacviec/platforms.py): which run for which tokens, what the log must
never show, and each platform's own start failures. Pure: no network, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.platforms import telegram, zalo
from bot.platforms.zalo.api import ZaloApiError
from locales.catalogs import translator
from nhacviec.platforms import PLATFORMS, configured, sandboxed
from nhacviec.service import log_secrets
from nhacviec.settings import Settings

TELEGRAM_TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
ZALO_TOKEN = "1459232241454765289:QlDcGzXbTmVrLpNsKwYh"


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("TELEGRAM_TOKEN", "ZALO_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(f"NHACVIEC_{name}", raising=False)


def names(settings: Settings) -> list[str]:
    return [platform.name for platform in configured(settings, sandbox=sandboxed(settings))]


def test_the_registry_lists_telegram_then_zalo() -> None:
    assert [platform.name for platform in PLATFORMS] == ["telegram", "zalo"]


def test_without_any_token_the_sandbox_stands_in_for_every_platform() -> None:
    settings = Settings()
    assert sandboxed(settings)
    assert names(settings) == ["telegram", "zalo"]


def test_a_zalo_token_alone_runs_zalo_alone() -> None:
    settings = Settings(zalo_token=ZALO_TOKEN)
    assert not sandboxed(settings)
    assert names(settings) == ["zalo"]


def test_a_telegram_token_alone_runs_telegram_alone() -> None:
    assert names(Settings(telegram_token=TELEGRAM_TOKEN)) == ["telegram"]


def test_both_tokens_run_both() -> None:
    assert names(Settings(telegram_token=TELEGRAM_TOKEN, zalo_token=ZALO_TOKEN)) == ["telegram", "zalo"]


def test_the_log_never_shows_either_token_nor_the_sandboxs_stand_ins() -> None:
    secrets = log_secrets(Settings(telegram_token=TELEGRAM_TOKEN, zalo_token=ZALO_TOKEN))
    assert {TELEGRAM_TOKEN, ZALO_TOKEN, telegram.SANDBOX_TOKEN, zalo.SANDBOX_TOKEN} <= set(secrets)


def test_zalo_refusing_the_token_at_start_is_one_line_naming_the_setting() -> None:
    error = ZaloApiError("getMe", 401, "Unauthorized")
    message = zalo.PLATFORM.start_failure(translator("vi"), error, Settings(zalo_token=ZALO_TOKEN))
    assert message == "Zalo từ chối token của bot: hãy kiểm tra NHACVIEC_ZALO_TOKEN."


def test_another_refusal_of_zalo_at_start_says_what_zalo_said() -> None:
    error = ZaloApiError("setWebhook", 400, "Bad Request: invalid url")
    message = zalo.PLATFORM.start_failure(translator("en"), error, Settings(zalo_token=ZALO_TOKEN))
    assert message == "Zalo refused to start the bot: 400 Bad Request: invalid url"


def test_an_error_of_another_kind_is_not_zalos_to_name() -> None:
    assert zalo.PLATFORM.start_failure(translator("vi"), OSError(98, "in use"), Settings()) is None
