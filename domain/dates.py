"""Dates as Vietnamese offices write them: "Thứ Tư, 31/12/2025"."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date


def day_with_weekday(day: date, locale: str) -> str:
    return format_date(day, "EEEE, dd/MM/yyyy", locale=locale)


def short_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")
