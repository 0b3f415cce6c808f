"""The status buttons of a reminder (the sketch's three) and of a digest (a word and the task code per
task, or one "Report" button per task): the reminder text sends them, the conversation redraws a digest's
keyboard when a task's choices are opened and labels its own status buttons the same way."""

from __future__ import annotations

from collections.abc import Sequence

from domain.messages import Button, Keyboard
from domain.payloads import Choice, ChoiceKind, encode
from locales import N_
from locales.catalogs import Translate
from models.progress import ReportStatus

STATUS_LABELS = (
    (ReportStatus.DONE, N_("✅ Done"), "✅"),
    (ReportStatus.IN_PROGRESS, N_("⏳ In progress"), "⏳"),
    (ReportStatus.BLOCKED, N_("⚠️ Blocked"), "⚠️"),
)
# A digest's buttons carry a word and the task code ("Xong III.2"), never an emoji alone: without an emoji
# font "✅ III.2" and "⏳ III.2" look the same.
TASK_STATUS_LABELS = (
    (ReportStatus.DONE, N_("Done {code}")),
    (ReportStatus.IN_PROGRESS, N_("In progress {code}")),
    (ReportStatus.BLOCKED, N_("Blocked {code}")),
)
OPEN_CHOICES_LABEL = N_("Report {code}")
# Up to this many tasks a digest shows each task's three choices; past it one "Report" button per task,
# which opens that task's choices in place, so a message never carries a wall of buttons.
CHOICES_SHOWN_UP_TO = 3
REPORT_BUTTONS_PER_ROW = 2


def status_buttons(_: Translate, prompt_id: int) -> Keyboard:
    """The sketch's three buttons; their payloads are `domain.payloads` PROMPT choices."""
    return (tuple(Button(_(label), _prompt_payload(prompt_id, status)) for status, label, _icon in STATUS_LABELS),)


def _prompt_payload(prompt_id: int, status: ReportStatus) -> str:
    return encode(Choice(ChoiceKind.PROMPT, (prompt_id,), status))


def choices_payload(prompt_id: int) -> str:
    """Open that task's three choices on the message."""
    return encode(Choice(ChoiceKind.OPEN_CHOICES, (prompt_id,)))


def task_status_row(_: Translate, prompt_id: int, code: str) -> tuple[Button, ...]:
    """One task's three choices, each with a word and the code."""
    return tuple(
        Button(_(label).format(code=code), _prompt_payload(prompt_id, status)) for status, label in TASK_STATUS_LABELS
    )


def digest_buttons(_: Translate, tasks: Sequence[tuple[int, str]], opened: int | None = None) -> Keyboard:
    """The keyboard of a digest about `tasks` ((prompt id, task code), in the message's order).

    A handful of tasks get their three choices each; more get one "Report" button per task, and the
    task whose prompt is `opened` shows its three choices in that button's place."""
    if len(tasks) <= CHOICES_SHOWN_UP_TO:
        return tuple(task_status_row(_, prompt_id, code) for prompt_id, code in tasks)
    rows: list[tuple[Button, ...]] = []
    pending: list[Button] = []
    for prompt_id, code in tasks:
        if prompt_id == opened:
            if pending:
                rows.append(tuple(pending))
                pending = []
            rows.append(task_status_row(_, prompt_id, code))
            continue
        pending.append(Button(_(OPEN_CHOICES_LABEL).format(code=code), choices_payload(prompt_id)))
        if len(pending) == REPORT_BUTTONS_PER_ROW:
            rows.append(tuple(pending))
            pending = []
    if pending:
        rows.append(tuple(pending))
    return tuple(rows)
