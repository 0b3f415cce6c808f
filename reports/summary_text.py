"""A summary as the one chat message (the neutral markup of domain/markup.py, user text escaped), as
plain text for the command line, and as the `summary --json` contract.

A message must fit the platform (4096 characters on Telegram, 2000 on Zalo; counted on the markup, which
is never shorter than what the platform counts). It is first written in full; when too long, the titles
and quoted replies are shortened, then the task lines are grouped by section and state, then by state
over the whole plan, then left out (the counts, blocked, late and silent units always stay; the files
have the detail).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.dates import short_day
from domain.markup import escape
from domain.status import BLOCKED_ICON, STATE_ICONS, STATE_WORDS, OccurrenceState
from locales import N_
from locales.catalogs import Translate, translator
from models.progress import ReportStatus
from reports.summary import STATE_ORDER, ReportView, SectionBlock, Summary, SummaryItem, TargetView
from reports.wording import is_button_label, plan_name, task_counts
from scheduler.timing.periods import period_label

__all__ = [
    "CARRIED_OVER",
    "carried_words",
    "contribution_words",
    "format_rate",
    "report_numbers",
    "short_title",
    "state_word",
    "status_words",
    "summary_json",
    "summary_message",
    "units_done_words",
]

PLAN_WIDE = N_("Plan-wide duties")
TARGET_ICON = "🎯"
SILENT_ICON = "📭"
LATE_ICON = "⏰"


def summary_json(summary: Summary) -> dict[str, Any]:
    """The public shape of `nhacviec summary --json`; outside checks rely on it, keep it exact.

    Status words are always the Vietnamese ones reports use, whatever the language of the command.
    """
    vi = translator("vi")
    return {
        "period": {
            "label": period_label(summary.period, "vi"),
            "start": summary.period.start.isoformat(),
            "end": summary.period.end.isoformat(),
        },
        "counts": {vi(STATE_WORDS[state]): summary.counts.get(state, 0) for state in STATE_ORDER},
        "late": [item.code for item in summary.late],
        "blocked": [{"task": b.code, "unit": b.unit, "reason": b.reason} for b in summary.blocked],
        "not_reported": list(summary.not_reported),
        "on_time_rate": summary.on_time_rate,
        "previous_on_time_rate": summary.previous_on_time_rate,
    }


# ---- pieces shared with the files -------------------------------------------------------------------


def short_title(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def state_word(_: Translate, state: OccurrenceState) -> str:
    return _(STATE_WORDS[state])


def item_icon(item: SummaryItem) -> str:
    return BLOCKED_ICON if item.blocked else STATE_ICONS[item.state]


# A coordinating unit's report speaks for its part only, never for the task.
CONTRIBUTION_WORDS = {
    ReportStatus.DONE: N_("done with its coordinating part"),
    ReportStatus.IN_PROGRESS: N_("in progress"),
    ReportStatus.BLOCKED: N_("blocked"),
    ReportStatus.NOT_STARTED: N_("not started"),
}


CARRIED_OVER = N_("carried over from an earlier period")


def carried_words(_: Translate, due: date) -> str:
    """ "chuyển từ kỳ trước: hạn 31/12/2025": an earlier period's deadline still open in this one."""
    return _("carried over from an earlier period: due {date}").format(date=short_day(due))


def units_done_words(_: Translate, units_done: tuple[int, int]) -> str:
    """ "2/3 đơn vị chủ trì đã xong": of a task several units lead, how many reported their part done."""
    done, total = units_done
    return _("{done}/{total} lead units done").format(done=done, total=total)


def status_words(
    _: Translate,
    words: Mapping[ReportStatus, str],
    status: ReportStatus | None,
    percent: int | None,
    reason: str | None,
    esc: Callable[[str], str] = escape,
) -> str:
    """A report's status in `words` (msgids), its percent unless done, its reason when blocked."""
    said = _(words[status]) if status is not None else ""
    if percent is not None and status != ReportStatus.DONE:
        said += f", {percent} %"
    if status == ReportStatus.BLOCKED and reason:
        said += ": " + esc(reason)
    return said


def contribution_words(
    _: Translate,
    unit: str,
    status: ReportStatus | None,
    percent: int | None,
    reason: str | None,
    esc: Callable[[str], str] = escape,
) -> str:
    """ "phối hợp: Trung tâm Kỹ thuật — đã xong phần phối hợp" (`unit` and the reason escaped with `esc`)."""
    words = status_words(_, CONTRIBUTION_WORDS, status, percent, reason, esc)
    return _("coordinating: {unit} — {words}").format(unit=esc(unit), words=words)


def format_rate(rate: float) -> str:
    return f"{round(rate * 100)} %"


def report_numbers(report: ReportView) -> str:
    """The figures a report gives: "1/1", "90 %"."""
    parts = []
    if report.done_count is not None and report.target_count is not None:
        parts.append(f"{report.done_count}/{report.target_count}")
    elif report.percent is not None:
        parts.append(f"{report.percent} %")
    return ", ".join(parts)


def rate_sentence(_: Translate, summary: Summary, locale: str) -> str:
    if summary.on_time_rate is None:
        return _("On-time rate: no deadline of this period is due or done yet.")
    rate = format_rate(summary.on_time_rate)
    if summary.previous is None:
        return _("On-time rate: {rate}.").format(rate=rate)
    previous_label = period_label(summary.previous, locale)
    if summary.previous_on_time_rate is None:
        return _("On-time rate: {rate} ({previous}: no deadline was due).").format(rate=rate, previous=previous_label)
    points = round(summary.on_time_rate * 100) - round(summary.previous_on_time_rate * 100)
    if points > 0:
        change = _("up {points} points").format(points=points)
    elif points < 0:
        change = _("down {points} points").format(points=-points)
    else:
        change = _("unchanged")
    return _("On-time rate: {rate} ({previous}: {previous_rate}, {change}).").format(
        rate=rate, previous=previous_label, previous_rate=format_rate(summary.previous_on_time_rate), change=change
    )


def scope_words(_: Translate, summary: Summary) -> str:
    return summary.unit.name if summary.unit is not None else _("the whole plan")


# ---- the message ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detail:
    title: int  # characters of a task's title (0: none)
    note: int  # characters of a quoted reply (0: none)
    section: int  # characters of a section's title
    lines: str  # "tasks": one line each; "sections": grouped per section; "plan": grouped; "none"
    targets: str  # "full", "short" or "none"
    listed: int  # how many codes / units / blocked tasks are named before "and N more"


_LEVELS = (
    _Detail(90, 70, 90, "tasks", "full", 1000),
    _Detail(60, 45, 60, "tasks", "full", 1000),
    _Detail(40, 30, 40, "tasks", "short", 1000),
    _Detail(0, 0, 30, "tasks", "short", 1000),
    _Detail(0, 0, 0, "sections", "short", 1000),
    _Detail(0, 0, 0, "plan", "none", 1000),
    _Detail(0, 0, 0, "none", "none", 1000),
    _Detail(0, 0, 0, "none", "none", 15),
)
_SHORT_FROM = 4  # the first level of the short version


class _Writer:
    def __init__(self, summary: Summary, _: Translate, locale: str, as_markup: bool) -> None:
        self.summary = summary
        self._ = _
        self.locale = locale
        self.as_markup = as_markup
        self.items = summary.items
        self.task_counts = task_counts(self.items)  # the head is written once per level of detail tried

    def esc(self, text: str) -> str:
        return escape(text) if self.as_markup else text

    def bold(self, text: str) -> str:
        return f"<b>{text}</b>" if self.as_markup else text

    def listed(self, names: Sequence[str], limit: int, separator: str, more: str) -> str:
        shown = separator.join(self.esc(name) for name in names[:limit])
        if len(names) > limit:
            shown += " " + self._(more).format(count=len(names) - limit)
        return shown

    def head(self, detail: _Detail) -> Iterator[str]:
        _, s = self._, self.summary
        yield "📊 " + self.bold(_("Plan progress — {period}").format(period=period_label(s.period, self.locale)))
        yield _("{plan} · {scope} · as of {date}").format(
            plan=self.esc(plan_name(s.plan)), scope=self.esc(scope_words(_, s)), date=short_day(s.today)
        )
        items = self.items
        if not items:
            yield _("No task falls in this period.")
            return
        rows, duties = self.task_counts
        if duties:
            yield _("Tasks in the period: {count} (plan's table: {rows}, plan-wide duties: {duties})").format(
                count=len(items), rows=rows, duties=duties
            )
        else:
            yield _("Tasks in the period: {count} (all in the plan's table)").format(count=len(items))
        for state in STATE_ORDER:
            if s.counts.get(state):
                yield f"{STATE_ICONS[state]} {_(STATE_WORDS[state])}: {s.counts[state]}"
        yield rate_sentence(_, s, self.locale)
        if s.blocked:
            yield ""
            yield f"{BLOCKED_ICON} " + self.bold(_("Blocked ({count}):").format(count=len(s.blocked)))
            for entry in s.blocked[: detail.listed]:
                reason = self.esc(short_title(entry.reason, 120)) if entry.reason else _("no reason given")
                yield f"• {self.bold(self.esc(entry.code))} ({self.esc(entry.unit)}): {reason}"
            if len(s.blocked) > detail.listed:
                yield _("and {count} more").format(count=len(s.blocked) - detail.listed)
        if s.late:
            codes = [item.code for item in s.late]
            yield ""
            yield (
                f"{LATE_ICON} "
                + self.bold(_("Overdue ({count}):").format(count=len(codes)))
                + " "
                + self.listed(codes, detail.listed, ", ", N_("and {count} more"))
            )
        if s.not_reported:
            yield ""
            yield (
                f"{SILENT_ICON} "
                + self.bold(_("Not reported in this period ({count}):").format(count=len(s.not_reported)))
                + " "
                + self.listed(s.not_reported, detail.listed, "; ", N_("and {count} more units"))
            )
        if s.needs_date:
            yield _("Tasks that need a date: {codes}").format(codes=", ".join(s.needs_date))

    def section_heading(self, section: SectionBlock, limit: int) -> str:
        if section.code is None:
            return self.bold(self._(PLAN_WIDE))
        if limit <= 0:
            return self.bold(self.esc(section.code))
        return self.bold(self.esc(f"{section.code}. {short_title(section.title, limit)}"))

    def item_line(self, item: SummaryItem, detail: _Detail) -> str:
        _ = self._
        line = f"{item_icon(item)} {self.bold(self.esc(item.code))}"
        if detail.title:
            line += " " + self.esc(short_title(item.content, detail.title))
        extra: list[str] = []
        if item.state == OccurrenceState.WAITING_EVENT:
            if detail.note and item.event:
                extra.append(_("waiting for: {event}").format(event=self.esc(short_title(item.event, detail.note))))
        else:
            if item.carried and item.due is not None:
                extra.append(carried_words(_, item.due))
            elif (
                item.due is not None
                and not item.checkin
                and item.state
                not in (
                    OccurrenceState.DONE_ON_TIME,
                    OccurrenceState.DONE_LATE,
                )
            ):
                extra.append(_("due {date}").format(date=short_day(item.due)))
            if item.units_done is not None:
                extra.append(units_done_words(_, item.units_done))
            if item.latest is not None and detail.note and not is_button_label(item.latest.note):
                extra.append(f"«{self.esc(short_title(item.latest.note, detail.note))}» ({item.latest.on:%d/%m})")
            elif item.latest is None and item.late:
                extra.append(_("no report"))
        if extra:
            line += " — " + " · ".join(extra)
        if detail.note:
            for c in item.contributions:
                line += "\n    " + contribution_words(_, c.unit or "", c.status, c.percent, c.reason, self.esc)
        return line

    def grouped(self, items: Sequence[SummaryItem]) -> str:
        groups: dict[str, list[str]] = {}
        for item in items:
            groups.setdefault(item_icon(item), []).append(self.esc(item.code))
        order = [BLOCKED_ICON, *(STATE_ICONS[s] for s in STATE_ORDER)]
        return " · ".join(f"{icon} {', '.join(groups[icon])}" for icon in order if icon in groups)

    def body(self, detail: _Detail) -> Iterator[str]:
        s = self.summary
        if detail.lines == "tasks":
            for section in s.sections:
                yield ""
                yield self.section_heading(section, detail.section)
                yield from (self.item_line(item, detail) for item in section.items)
        elif detail.lines == "sections":
            yield ""
            for section in s.sections:
                yield f"{self.section_heading(section, 0)}: {self.grouped(section.items)}"
        elif detail.lines == "plan" and self.items:
            yield ""
            yield self.grouped(s.items)
        if detail.targets != "none" and s.targets:
            yield ""
            yield f"{TARGET_ICON} " + self.bold(self._("Plan targets"))
            yield from (self.target_line(target, detail) for target in s.targets)

    def target_line(self, target: TargetView, detail: _Detail) -> str:
        _ = self._
        wanted = "; ".join(self.esc(t) for t in target.targets)
        line = f"• {self.bold(self.esc(target.code))}: {wanted} — "
        report = target.reported
        if report is None:
            return line + _("no figures reported yet")
        reported = report_numbers(report)
        if detail.targets == "full":
            reported += f" «{self.esc(short_title(report.note, max(detail.note, 40)))}»"
        return line + _("reported: {figures}").format(figures=reported)


def summary_message(
    summary: Summary,
    _: Translate,
    locale: str,
    *,
    limit: int | None = None,
    short: bool = False,
    as_markup: bool = True,
    footer: bool = False,
) -> str:
    """The summary in one message of at most `limit` characters (None: no limit, full detail)."""
    writer = _Writer(summary, _, locale, as_markup)
    # Staff get the short version: grouped lines, no targets.
    levels = [replace(level, targets="none") for level in _LEVELS[_SHORT_FROM:]] if short else _LEVELS
    text = ""
    for detail in levels:
        lines: list[str] = []
        size = -1
        footer_lines = ["", _("The full detail is in the files below.")] if footer and writer.items else []
        for line in itertools.chain(writer.head(detail), writer.body(detail), footer_lines):
            lines.append(line)
            size += len(line) + 1
            if limit is not None and size > limit:
                break  # this level is too long: stop writing it
        text = "\n".join(lines)
        if limit is None or len(text) <= limit:
            return text
    # Still too long (thousands of blocked tasks): cut at a line boundary.
    assert limit is not None
    cut = text[: limit - 1]
    return cut[: cut.rfind("\n")] + "\n…" if "\n" in cut else cut + "…"
