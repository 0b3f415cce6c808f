"""Shared pieces of what the bot says: dates, days left, how long a platform's message may be.

Escaping what people wrote is `domain.markup.escape`; splitting a long message is each platform's
renderer's job (bot/platforms/*/render.py).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from domain.dates import day_with_weekday
from domain.messages import Platform
from locales.catalogs import Translate

# Characters per message (Telegram counts after entity parsing; Zalo's limit is on the raw text): how
# long a summary is written for each; a longer message is split by the platform's renderer.
MESSAGE_LIMITS = {Platform.TELEGRAM: 4096, Platform.ZALO: 2000}


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
