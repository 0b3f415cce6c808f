"""Logging for `nhacviec run`: one line per event, as text or JSON, never a secret.

The secrets filter sits on the handler, so it sees every record that handler writes, from any logger
at any level — httpx's "HTTP Request: POST https://api.telegram.org/bot<token>/…" included — and
replaces each configured secret (as written and URL-encoded) with `<redacted>`. Records reach it
already formatted, so a secret passed as an argument is caught as well as one in the message.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal, TextIO
from urllib.parse import quote

REDACTED = "<redacted>"
# Libraries whose INFO lines are one per HTTP request: noise at INFO, kept at DEBUG (redacted).
CHATTY = ("httpx", "httpcore", "apscheduler", "aiohttp.access")


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's message, exception and stack text; lets the record through."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        # Longest first: a secret that contains another is replaced whole.
        self.secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad arguments: the handler reports that itself, without the record
            return True
        redacted = self.redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _when(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextLines(logging.Formatter):
    """`2026-03-02T01:30:00.000Z INFO bot.platforms.telegram.transport: message`, a traceback folded onto the same line."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_when(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = _exception_text(self, record)
        if extra:
            line += " | " + extra
        return line.replace("\r", "").replace("\n", " ⏎ ")


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": _when(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        extra = _exception_text(self, record)
        if extra:
            entry["exception"] = extra
        return json.dumps(entry, ensure_ascii=False)


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    if record.exc_info and not record.exc_text:
        record.exc_text = formatter.formatException(record.exc_info)
    parts = [record.exc_text or "", formatter.formatStack(record.stack_info) if record.stack_info else ""]
    return "\n".join(part for part in parts if part)


def make_handler(
    stream: TextIO, *, secrets: Iterable[str], log_format: Literal["text", "json"] = "text"
) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(secrets))
    handler.setFormatter(JsonLines() if log_format == "json" else TextLines())
    return handler


def configure(
    *,
    secrets: Iterable[str],
    log_format: Literal["text", "json"] = "text",
    level: str = "INFO",
    stream: TextIO | None = None,
    root: logging.Logger | None = None,
) -> logging.Handler:
    """Installs the one handler on the root logger (replacing any there) and returns it."""
    root = root or logging.getLogger()
    handler = make_handler(stream or sys.stderr, secrets=secrets, log_format=log_format)
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
    return handler


__all__ = ["REDACTED", "JsonLines", "RedactSecrets", "TextLines", "configure", "make_handler"]
