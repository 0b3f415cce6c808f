"""The summary as a picture (.png): the tasks' states per section, and the on-time rate by period.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global state), so it is
safe in the bot's threads. Labels are Vietnamese, like the report; DejaVu Sans, which matplotlib ships,
has every Vietnamese letter.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from domain.status import STATE_WORDS, OccurrenceState
from locales.catalogs import translator
from reports.summary import STATE_ORDER, Summary
from reports.summary_text import PLAN_WIDE
from scheduler.timing.periods import period_label

__all__ = ["STATE_COLOURS", "build_chart"]

STATE_COLOURS: dict[OccurrenceState, str] = {
    OccurrenceState.DONE_ON_TIME: "#2e7d32",
    OccurrenceState.DONE_LATE: "#81c784",
    OccurrenceState.IN_PROGRESS: "#1e88e5",
    OccurrenceState.IN_PROGRESS_LATE: "#fb8c00",
    OccurrenceState.NOT_DONE: "#e53935",
    OccurrenceState.NOT_DUE: "#bdbdbd",
    OccurrenceState.WAITING_EVENT: "#8e24aa",
}
MAX_SECTIONS = 30  # more sections than this are summed into the last bar: a picture, not a table


def build_chart(summary: Summary) -> bytes:
    vi = translator("vi")
    figure = Figure(figsize=(11, 5.5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    states_axes, rate_axes = figure.subplots(1, 2, width_ratios=(3, 2))
    label = period_label(summary.period, "vi")
    scope = summary.unit.name if summary.unit is not None else vi("the whole plan")
    figure.suptitle(f"Tình hình thực hiện kế hoạch — {label} ({scope})", fontsize=13)

    sections = list(summary.sections)
    names = [section.code or vi(PLAN_WIDE) for section in sections]
    counts = [
        [sum(1 for item in section.items if item.state == state) for section in sections] for state in STATE_ORDER
    ]
    if len(sections) > MAX_SECTIONS:
        names = [*names[: MAX_SECTIONS - 1], f"+{len(sections) - MAX_SECTIONS + 1}"]
        counts = [[*row[: MAX_SECTIONS - 1], sum(row[MAX_SECTIONS - 1 :])] for row in counts]
    positions = list(range(len(names)))
    left = [0] * len(names)
    for state, row in zip(STATE_ORDER, counts, strict=True):
        if any(row):
            states_axes.barh(positions, row, left=left, color=STATE_COLOURS[state], label=f"{vi(STATE_WORDS[state])}")
            left = [a + b for a, b in zip(left, row, strict=True)]
    states_axes.set_yticks(positions, names)
    states_axes.invert_yaxis()
    states_axes.set_xlabel("Số nhiệm vụ")
    states_axes.set_title("Tình trạng nhiệm vụ theo nhóm", fontsize=11)
    states_axes.xaxis.get_major_locator().set_params(integer=True)
    if names and any(left):
        states_axes.legend(loc="lower right", fontsize=8, framealpha=0.9)
    else:
        states_axes.text(
            0.5, 0.5, "Không có nhiệm vụ trong kỳ", ha="center", va="center", transform=states_axes.transAxes
        )

    history = list(summary.rate_history) or [(summary.period, summary.on_time_rate)]
    if summary.previous is not None and not summary.rate_history:
        history.insert(0, (summary.previous, summary.previous_on_time_rate))
    while len(history) > 1 and history[0][1] is None:
        history.pop(0)  # periods before anything was due (before the plan) say nothing
    labels = [period_label(period, "vi") for period, _rate in history]
    values = [rate * 100 if rate is not None else 0 for _period, rate in history]
    bars = rate_axes.bar(labels, values, color="#1e88e5")
    for bar, (_period, rate) in zip(bars, history, strict=True):
        text = f"{round(rate * 100)} %" if rate is not None else "chưa có"
        rate_axes.annotate(
            text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=9
        )
    rate_axes.set_ylim(0, 110)
    rate_axes.set_ylabel("%")
    rate_axes.set_title("Tỷ lệ hoàn thành đúng hạn theo kỳ", fontsize=11)
    rate_axes.tick_params(axis="x", labelsize=8, labelrotation=15)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
