"""The one place settings are read: environment variables `NHACVIEC_*` and an optional `.env` file."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from locales.catalogs import SUPPORTED
from scheduler.dispatch_settings import DispatchSettings
from scheduler.report_drafts import MAX_WORKING_DAYS

DEFAULT_DB_URL = "sqlite:///./data/nhacviec.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NHACVIEC_", env_file=".env", env_file_encoding="utf-8", extra="ignore", env_nested_delimiter="__"
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
    timezone: str = "Asia/Ho_Chi_Minh"
    # Without a Telegram token, `run` serves the sandbox and its web chat page here.
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8080
    dispatch: DispatchSettings = DispatchSettings()
    locale: str = "vi"
    # The monitor gets the summary and the .docx draft this many working days before each plan-wide
    # report deadline (0: on the deadline's day).
    report_draft_working_days: int = Field(default=5, ge=0, le=MAX_WORKING_DAYS)

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

    @property
    def telegram_base_file_url(self) -> str | None:
        """Files are served under …/file/bot<token>/ next to …/bot<token>/, as on Telegram."""
        if self.telegram_base_url is None or not self.telegram_base_url.endswith("/bot"):
            return None
        return self.telegram_base_url[: -len("bot")] + "file/bot"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
