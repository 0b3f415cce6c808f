"""What reminders say: one task's reminder as in the design's sketch, several as one digest, and the
reminders preview. Texts go through gettext in the reader's language, in the neutral markup
(domain/markup.py): plan text is escaped.

    🔔 Nhắc hạn nhiệm vụ II.3 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)
    Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg … trên địa bàn tỉnh đến năm 2030.
    Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng
    Trả lời tin nhắn này để báo cáo tiến độ, ví dụ: «đã trình dự thảo, đạt 70%».
    [✅ Đã hoàn thành] [⏳ Đang thực hiện] [⚠️ Có vướng mắc]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.dates import day_with_weekday, short_day
from domain.markup import escape as esc
from domain.messages import Keyboard
from domain.status_buttons import digest_buttons, status_buttons
from locales import N_
from locales.catalogs import Translate, translator
from models.reminders import ReminderKind
from scheduler.reminders.policy import Audience, PlannedReminder

# How much of a task's content a digest shows per task (the single reminder shows all of it).
EXCERPT_CHARS = 110

REPLY_HINT = N_("Reply to this message to report progress, e.g. «đã trình dự thảo, đạt 70%».")
KIND_WORDS = {
    ReminderKind.LEAD: N_("deadline reminder"),
    ReminderKind.COORDINATING: N_("note to a coordinating unit"),
    ReminderKind.CHECKIN: N_("progress check-in"),
    ReminderKind.OBLIGATION: N_("report reminder"),
    ReminderKind.OVERDUE: N_("overdue nudge"),
}
ESCALATION_WORDS = {
    Audience.UNIT_LEAD: N_("escalation to the unit's lead"),
    Audience.MONITOR: N_("escalation to the monitor"),
}


@dataclass(frozen=True)
class ReminderItem:
    """One step as a reader sees it: the task, its deadline, and why this message came."""

    occurrence_id: int
    kind: ReminderKind
    audience: Audience
    task_code: str
    content: str
    due: date
    lead_units: tuple[str, ...] = ()
    unit: str = ""  # the unit reminded (for escalations and blockers: the unit concerned)
    units: tuple[str, ...] = ()  # an escalation about several units of the task: all of them, `unit` first
    obligation: bool = False
    blocked: bool = False  # a blocker reported to the monitor
    period: str | None = None  # check-ins: "Quý IV/2025"
    reason: str | None = None  # blockers: what the unit wrote
    prompt_id: int | None = None  # set when the reader may answer it with a button or a reply

    @property
    def concerned(self) -> tuple[str, ...]:
        return self.units or ((self.unit,) if self.unit else ())


@dataclass(frozen=True)
class RenderedReminder:
    text: str  # the neutral markup: plan text inside is escaped
    buttons: Keyboard


def render_reminders(items: Sequence[ReminderItem], *, send_day: date, locale: str) -> RenderedReminder:
    """One message for one chat: the single reminder when there is one item, else a digest."""
    if not items:
        raise ValueError("nothing to render")
    items = _grouped(items)
    _ = translator(locale)
    if len(items) == 1:
        return _single(_, items[0], send_day, locale)
    return _digest(_, sorted(items, key=_digest_order), send_day, locale)


def _grouped(items: Sequence[ReminderItem]) -> list[ReminderItem]:
    """Escalations of one task to one reader become one item naming every unit concerned: the task is
    stated once however many of its units are late."""
    grouped: list[ReminderItem] = []
    where: dict[tuple[int, Audience], int] = {}
    for item in items:
        if item.kind != ReminderKind.ESCALATION or item.blocked:
            grouped.append(item)
            continue
        key = (item.occurrence_id, item.audience)
        if key in where:
            first = grouped[where[key]]
            grouped[where[key]] = replace(first, units=(*first.concerned, *item.concerned))
        else:
            where[key] = len(grouped)
            grouped.append(item)
    return grouped


def _digest_order(item: ReminderItem) -> tuple[int, date, str]:
    urgency = {
        ReminderKind.ESCALATION: 0,
        ReminderKind.OVERDUE: 1,
        ReminderKind.LEAD: 2,
        ReminderKind.OBLIGATION: 2,
        ReminderKind.CHECKIN: 3,
        ReminderKind.COORDINATING: 4,
    }
    return (urgency[item.kind], item.due, item.task_code)


def _lead_line(_: Translate, item: ReminderItem) -> str | None:
    if item.obligation:
        return _("Reporting unit: {unit}").format(unit=esc(item.unit)) if item.unit else None
    if item.lead_units:
        return _("Lead: {units}").format(units=esc("; ".join(item.lead_units)))
    return None


def _single(_: Translate, item: ReminderItem, send_day: date, locale: str) -> RenderedReminder:
    code, when = esc(item.task_code), day_with_weekday(item.due, locale)
    left, late = (item.due - send_day).days, (send_day - item.due).days
    unit = esc(item.unit)
    lines: list[str] = []
    footer: list[str] = [_(REPLY_HINT)]
    if item.blocked:
        lines.append(
            _("⚠️ {unit} reports a blocker on task {code} (due {date})").format(unit=unit, code=code, date=when)
        )
        if item.reason:
            lines.append(_("Reason: {reason}").format(reason=esc(item.reason)))
        lines.append(esc(item.content))
        footer = [line for line in [_lead_line(_, item)] if line]
    elif item.kind == ReminderKind.ESCALATION and item.audience == Audience.MONITOR and len(item.concerned) > 1:
        head = _(
            "⚠️ Task {code} is {days} days overdue (due {date}): {count} units have not reported despite reminders:"
        )
        lines.append(head.format(code=code, days=late, date=when, count=len(item.concerned)))
        lines += ["• " + esc(name) for name in item.concerned]
        lines.append(esc(item.content))
        footer = [line for line in [None if item.obligation else _lead_line(_, item)] if line]
    elif item.kind == ReminderKind.ESCALATION:
        unit = esc("; ".join(item.concerned))
        if item.audience == Audience.MONITOR:
            head = _("⚠️ Task {code} is {days} days overdue (due {date}): {unit} has not reported despite reminders.")
            footer = [line for line in [_lead_line(_, item)] if line]
        else:
            head = _("⚠️ Task {code} is {days} days overdue (due {date}) and {unit} has not reported.")
            footer = [_("As the unit's lead, please see to it, or reply to this message with the progress.")]
        lines += [head.format(code=code, days=late, date=when, unit=unit), esc(item.content)]
    elif item.kind == ReminderKind.OVERDUE:
        lines.append(_("🔔 Task {code} is {days} days overdue (due {date})").format(code=code, days=late, date=when))
        lines.append(esc(item.content))
        footer.insert(0, _lead_line(_, item) or "")
    elif item.kind == ReminderKind.COORDINATING:
        if left > 0:
            head = _("🔔 For coordination: task {code} is due {date} ({days} days left)")
        else:
            head = _("🔔 For coordination: task {code} is due today ({date})")
        lines += [head.format(code=code, date=when, days=left), esc(item.content)]
        footer = [line for line in [_lead_line(_, item)] if line]
        footer.append(_("Coordinating: {unit}. No reply is needed.").format(unit=unit))
    elif item.kind == ReminderKind.CHECKIN:
        head = _("🔔 Progress check-in on task {code} — {period} (until {date})")
        lines += [head.format(code=code, period=item.period or "", date=when), esc(item.content)]
        footer.insert(0, _lead_line(_, item) or "")
    else:  # a deadline ahead: the lead unit's reminder or a plan-wide duty's
        if item.kind == ReminderKind.OBLIGATION:
            head = (
                _("🔔 Report reminder {code} — {days} days left (due {date})")
                if left > 0
                else _("🔔 Report reminder {code} — due today ({date})")
            )
        else:
            head = (
                _("🔔 Deadline reminder for task {code} — {days} days left (due {date})")
                if left > 0
                else _("🔔 Deadline reminder for task {code} — due today ({date})")
            )
        lines += [head.format(code=code, days=left, date=when), esc(item.content)]
        footer.insert(0, _lead_line(_, item) or "")
    text = "\n".join(line for line in [*lines, *footer] if line)
    buttons = status_buttons(_, item.prompt_id) if item.prompt_id is not None else ()
    return RenderedReminder(text, buttons)


def _item_line(_: Translate, item: ReminderItem, send_day: date, locale: str) -> str:
    code, when = esc(item.task_code), day_with_weekday(item.due, locale)
    left, late = (item.due - send_day).days, (send_day - item.due).days
    unit = esc(item.unit)
    if item.blocked:
        if item.reason:
            return _("{code} — {unit} reports a blocker: {reason}").format(
                code=code, unit=unit, reason=esc(item.reason)
            )
        return _("{code} — {unit} reports a blocker").format(code=code, unit=unit)
    if item.kind == ReminderKind.ESCALATION and len(item.concerned) > 1:
        return _("{code} — {days} days overdue (due {date}), {count} units have not reported: {units}").format(
            code=code, days=late, date=when, count=len(item.concerned), units=esc("; ".join(item.concerned))
        )
    if item.kind == ReminderKind.ESCALATION:
        return _("{code} — {days} days overdue (due {date}), {unit} has not reported").format(
            code=code, days=late, date=when, unit=unit
        )
    if item.kind == ReminderKind.OVERDUE:
        return _("{code} — {days} days overdue (due {date})").format(code=code, days=late, date=when)
    if item.kind == ReminderKind.COORDINATING:
        if left > 0:
            return _("{code} — coordinating, due {date} ({days} days left)").format(code=code, date=when, days=left)
        return _("{code} — coordinating, due today ({date})").format(code=code, date=when)
    if item.kind == ReminderKind.CHECKIN:
        return _("{code} — progress check-in, {period} (until {date})").format(
            code=code, period=item.period or "", date=when
        )
    if left > 0:
        return _("{code} — {days} days left (due {date})").format(code=code, days=left, date=when)
    return _("{code} — due today ({date})").format(code=code, date=when)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + " …"


def _digest(_: Translate, items: Sequence[ReminderItem], send_day: date, locale: str) -> RenderedReminder:
    lines = [
        _("🔔 Reminders for {date}: {count} tasks need attention").format(
            date=day_with_weekday(send_day, locale), count=len(items)
        )
    ]
    for item in items:
        lines.append("• " + _item_line(_, item, send_day, locale))
        lines.append("   " + esc(excerpt(item.content)))
    answerable = [(item.prompt_id, item.task_code) for item in items if item.prompt_id is not None]
    if answerable:
        lines.append(_("Reply to this message to report progress (I will ask which task), or choose a task below."))
    return RenderedReminder("\n".join(lines), digest_buttons(_, answerable))


# ---- the preview ---------------------------------------------------------------------------------------


def preview_json(reminders: Sequence[PlannedReminder]) -> list[dict[str, Any]]:
    """Public contract (outside checks use it): keep the keys and shapes exactly."""
    return [
        {
            "at": reminder.at.isoformat(),
            "task": reminder.task_code,
            "unit": reminder.unit_name,
            "kind": reminder.kind.value,
            "due": reminder.due.isoformat(),
        }
        for reminder in reminders
    ]


def kind_words(_: Translate, reminder: PlannedReminder) -> str:
    if reminder.kind == ReminderKind.ESCALATION:
        if reminder.step.startswith("blocked"):
            return _("blocker reported to the monitor")
        return _(ESCALATION_WORDS[reminder.audience])
    return _(KIND_WORDS[reminder.kind])


def preview_lines(reminders: Sequence[PlannedReminder], start: date, end: date, locale: str) -> list[str]:
    _ = translator(locale)
    if not reminders:
        return [_("No reminders from {start} to {end}.").format(start=short_day(start), end=short_day(end))]
    lines = [
        _("Reminders the policy would send from {start} to {end} if nobody answered: {count}").format(
            start=short_day(start), end=short_day(end), count=len(reminders)
        )
    ]
    day: date | None = None
    for reminder in reminders:
        if reminder.at.date() != day:
            day = reminder.at.date()
            lines.append(day_with_weekday(day, locale))
        lines.append(
            "  "
            + _("{time}  {code} — {kind}: {unit} (due {date})").format(
                time=reminder.at.strftime("%H:%M"),
                code=reminder.task_code,
                kind=kind_words(_, reminder),
                unit=reminder.unit_name,
                date=short_day(reminder.due),
            )
        )
    return lines
