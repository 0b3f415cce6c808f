"""The one place settings are read: environment variables `NHACVIEC_*` and an optional `.env` file."""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from locales.catalogs import SUPPORTED
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.reminders.report_drafts import MAX_WORKING_DAYS

DEFAULT_DB_URL = "sqlite:///./data/nhacviec.db"
# Telegram's rule for setWebhook's secret_token; the same secret guards every platform's webhook.
WEBHOOK_SECRET_PATTERN = r"^[A-Za-z0-9_-]{1,256}$"
LOOPBACK_HTTP = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)")
# Zalo Bot API (the same default as bot/platforms/zalo/api.py, which this module does not import).
ZALO_BASE_URL = "https://bot-api.zaloplatforms.com/bot"
# Zalo's rule for setWebhook's secret_token: at least this long.
ZALO_WEBHOOK_SECRET_MIN = 8


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NHACVIEC_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_nested_delimiter="__",
        hide_input_in_errors=True,  # a rejected value may be a secret
    )

    db_url: str = DEFAULT_DB_URL
    # Tokens are secrets: pydantic masks SecretStr in repr, logs and validation errors.
    telegram_token: SecretStr | None = None
    zalo_token: SecretStr | None = None
    # For invite deep links (https://t.me/<bot>?start=<code>); the sandbox's bot has this name too.
    telegram_bot_username: str = "nhacviec_bot"
    # Another Bot API server than Telegram's (a local telegram-bot-api, or the sandbox of another
    # process), e.g. http://127.0.0.1:8081/bot; the token and the method are appended.
    telegram_base_url: str | None = None
    # Zalo Bot API: another server than Zalo's (older documentation names bot-api.zapps.me; the sandbox);
    # the token and the method are appended.
    zalo_base_url: str = ZALO_BASE_URL
    # getUpdates' long-polling wait; each request's own timeout (sendMessage, setWebhook, …).
    zalo_poll_timeout_seconds: int = Field(default=30, ge=1, le=300)
    zalo_request_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    # Characters per Zalo message (Zalo's documented maximum is 2000).
    zalo_text_limit: int = Field(default=2000, ge=200, le=2000)
    # Zalo documents no retry hint: a 429 without one holds that chat this long.
    zalo_retry_after_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Handled update ids are kept this long to recognise a redelivery.
    zalo_update_retention_days: int = Field(default=7, ge=1, le=365)
    timezone: str = "Asia/Ho_Chi_Minh"
    # Without any token, `run` serves the sandbox (Telegram's and Zalo's Bot APIs, the web chat page) here.
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8080
    dispatch: DispatchSettings = DispatchSettings()
    locale: str = "vi"
    # The monitor gets the summary and the .docx draft this many working days before each plan-wide
    # report deadline (0: on the deadline's day).
    report_draft_working_days: int = Field(default=5, ge=0, le=MAX_WORKING_DAYS)
    # The service's own HTTP server (health, readiness, metrics, webhooks), behind a reverse proxy.
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8081, ge=0, le=65535)  # 0: any free port (tests)
    # The public base URL (https://bot.example.gov.vn): each platform then posts updates to
    # <webhook_url>/webhook/<platform> (telegram, zalo) instead of being polled.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        # A typo must fail at start, not at the first reminder.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED:
            raise ValueError("locale must be 'vi' or 'en'")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("webhook_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        # Telegram posts to https only; plain http is for tests against this machine's own server.
        if not value.startswith("https://") and not LOOPBACK_HTTP.match(value):
            raise ValueError("webhook_url must be an https:// URL (http:// only for tests on this machine)")
        return value.rstrip("/")

    @field_validator("zalo_base_url")
    @classmethod
    def _zalo_url(cls, value: str) -> str:
        # The token travels in the path: never over plain http, except to this machine (the sandbox).
        if not value.startswith("https://") and not LOOPBACK_HTTP.match(value):
            raise ValueError("zalo_base_url must be an https:// URL (http:// only for a server on this machine)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # Without a secret anyone who finds the URL could post updates as any user. A field error
        # (not a model one) so the CLI's one-line message names NHACVIEC_WEBHOOK_SECRET.
        if value is None:
            if info.data.get("webhook_url") is not None:
                raise ValueError("webhook_secret is required when webhook_url is set")
            return None
        # Never echo the value: only its shape is wrong.
        if not re.match(WEBHOOK_SECRET_PATTERN, value.get_secret_value()):
            raise ValueError("webhook_secret: 1-256 characters A-Z, a-z, 0-9, _ and - only")
        # Zalo runs with its token, or in the sandbox that stands in for every platform when there is no token.
        zalo_runs = info.data.get("zalo_token") is not None or info.data.get("telegram_token") is None
        zalo_webhook = zalo_runs and info.data.get("webhook_url") is not None
        if zalo_webhook and len(value.get_secret_value()) < ZALO_WEBHOOK_SECRET_MIN:
            raise ValueError(f"webhook_secret: Zalo's setWebhook needs at least {ZALO_WEBHOOK_SECRET_MIN} characters")
        return value

    @property
    def telegram_base_file_url(self) -> str | None:
        """Files are served under …/file/bot<token>/ next to …/bot<token>/, as on Telegram."""
        if self.telegram_base_url is None or not self.telegram_base_url.endswith("/bot"):
            return None
        return self.telegram_base_url[: -len("bot")] + "file/bot"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
