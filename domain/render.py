"""Shared pieces of what the bot says: escaping, dates, days left, fitting a platform's length."""

from __future__ import annotations

import html
from datetime import date
from functools import lru_cache

from domain.dates import day_with_weekday
from domain.messages import Platform
from locales.catalogs import Translate

# Characters per message (Telegram counts after entity parsing; Zalo's limit is on the raw text).
MESSAGE_LIMITS = {Platform.TELEGRAM: 4096, Platform.ZALO: 2000}


def esc(text: str) -> str:
    """User text shown with HTML parse mode must not be read as markup."""
    return html.escape(text, quote=False)


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    # Babel formats a date in ~30 µs; a /tasks list has dozens, and there are only so many deadlines.
    return day_with_weekday(day, locale)


def due_phrase(_: Translate, due: date, today: date, locale: str) -> str:
    days = (due - today).days
    when = _day(due, locale)
    if days > 0:
        return _("due {date}, {days} days left").format(date=when, days=days)
    if days == 0:
        return _("due today, {date}").format(date=when)
    return _("due {date}, {days} days overdue").format(date=when, days=-days)


def fit(text: str, limit: int) -> list[str]:
    """Splits at line boundaries so every part fits `limit`; a single overlong line is cut."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts
