"""Queues the monitor's draft report before each plan-wide report deadline (scheduler/reminders/report_drafts.py
says when): the whole plan's summary of the duty's period as a chat message, then the .docx draft.

Per monitor with a chat, two outbox rows keyed by (occurrence, member, part): a second wake-up, a
restart or another process never queues them twice, and a monitor who joins later still gets the
draft as long as the deadline has not passed. With no monitor to send to, nothing is recorded: the
draft stays due until someone can receive it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col

from domain.dates import day_with_weekday
from domain.markup import escape as esc
from domain.messages import Attachment, Platform
from domain.render import MESSAGE_LIMITS
from locales import N_
from locales.catalogs import DEFAULT_LOCALE, translator
from models import Occurrence, OutboxMessage, Task, TaskOrigin
from reports.periods import current_period
from reports.summary import Summary
from reports.summary_chat import SummaryView, file_name, make_summary, render_file
from reports.summary_facts import cycle_kind
from reports.summary_text import summary_message
from scheduler.delivery.outbox import enqueue
from scheduler.reminders.enqueue import Recipient, load_policies, load_recipients, load_working_calendar
from scheduler.reminders.policy import VIETNAM
from scheduler.reminders.report_drafts import DraftDeadline, DueDraft, plan_drafts
from scheduler.timing.periods import Period, period_label
from scheduler.timing.planning import period_of

__all__ = ["DOCX_MIME", "DraftResult", "draft_keys", "draft_text", "enqueue_drafts", "load_deadlines"]

log = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DRAFT_TITLE = N_("📝 Draft report on the plan's implementation — {period}")
DRAFT_DUE = N_("Report deadline: {date} ({left}).")
DAYS_LEFT = N_("{days} working days left")
ONE_DAY_LEFT = N_("1 working day left")
DUE_TODAY = N_("Report deadline: today, {date}.")
DRAFT_FOLLOWS = N_("The .docx draft follows this message: please review and complete it before it is signed.")
DRAFT_CAPTION = N_("📄 Draft report — {period} (.docx)")


@dataclass(frozen=True)
class DraftResult:
    messages: int = 0  # outbox rows created by this call
    no_monitor: int = 0  # drafts due with nobody to send them to (they stay due)
    next_at: datetime | None = None  # the next draft's moment, for the scheduler's wake-up


def load_deadlines(session: Session, today: date) -> list[DraftDeadline]:
    """The plan-wide report deadlines from `today` on, one per plan and day (two duties due the same day
    make one draft), with each plan's send hour."""
    rows = session.execute(
        sa.select(col(Occurrence.id), col(Occurrence.due), col(Task.plan_id), col(Task.id))
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(
            col(Task.origin) == TaskOrigin.OBLIGATION.value,
            col(Task.archived_at).is_(None),
            col(Occurrence.archived_at).is_(None),
            col(Occurrence.checkin).is_(False),
            col(Occurrence.due) >= today,
        )
        .order_by(col(Occurrence.due), col(Occurrence.id))
    ).all()
    book = load_policies(session)
    deadlines: dict[tuple[int, date], DraftDeadline] = {}
    for occurrence_id, due, plan_id, task_id in rows:
        if (plan_id, due) not in deadlines:
            send_at = book.rules_for(plan_id, task_id, None).send_at
            deadlines[(plan_id, due)] = DraftDeadline(occurrence_id, plan_id, due, send_at)
    return list(deadlines.values())


def draft_keys(occurrence_id: int, member_id: int | None) -> tuple[str, str]:
    """The idempotency keys of the message and of the file."""
    base = f"draft:{occurrence_id}:m{member_id}"
    return f"{base}:text", f"{base}:docx"


def _period(session: Session, deadline: DraftDeadline) -> Period:
    """The period the duty reports on: the occurrence's own, or the plan's cycle holding the deadline
    when the occurrence only has its date."""
    row = session.execute(
        sa.select(col(Occurrence.period_kind), col(Occurrence.period_year), col(Occurrence.period_index)).where(
            col(Occurrence.id) == deadline.occurrence_id
        )
    ).one()
    period = period_of(row[0], row[1], row[2], deadline.due)
    if period.kind == "date":
        return current_period(deadline.due, cycle_kind(session, deadline.plan_id))
    return period


def draft_text(summary: Summary, draft: DueDraft, locale: str, limit: int) -> str:
    """The chat message: a short header saying what this is and how long is left, then the summary,
    all within `limit` characters."""
    _ = translator(locale)
    left = draft.working_days_left
    when = day_with_weekday(draft.deadline.due, locale)
    if left == 0:
        due_line = _(DUE_TODAY).format(date=when)
    else:
        left_words = _(ONE_DAY_LEFT) if left == 1 else _(DAYS_LEFT).format(days=left)
        due_line = _(DRAFT_DUE).format(date=when, left=left_words)
    header = "\n".join(
        [
            "<b>" + esc(_(DRAFT_TITLE).format(period=period_label(summary.period, locale))) + "</b>",
            esc(due_line),
            esc(_(DRAFT_FOLLOWS)),
        ]
    )
    body = summary_message(summary, _, locale, limit=max(0, limit - len(header) - 2))
    return f"{header}\n\n{body}"


def _limit(platform: str) -> int:
    try:
        return MESSAGE_LIMITS[Platform(platform)]
    except (ValueError, KeyError):
        return min(MESSAGE_LIMITS.values())


def _monitors(session: Session, today: date, default_locale: str) -> list[Recipient]:
    """One chat per monitor (the account their messages go to, models.accounts): the draft goes to a
    person once, not per platform."""
    chosen: dict[int | None, Recipient] = {}
    for recipient in load_recipients(session, (), today, default_locale).monitors:
        chosen.setdefault(recipient.member_id, recipient)
    return list(chosen.values())


def _queued_keys(session: Session, occurrence_id: int) -> set[str]:
    return set(
        session.execute(
            sa.select(col(OutboxMessage.idempotency_key)).where(
                col(OutboxMessage.idempotency_key).startswith(f"draft:{occurrence_id}:", autoescape=True)
            )
        ).scalars()
    )


def _queue_one(session: Session, draft: DueDraft, monitors: Sequence[Recipient], *, now: datetime, tz: ZoneInfo) -> int:
    deadline = draft.deadline
    queued = _queued_keys(session, deadline.occurrence_id)
    missing = [m for m in monitors if not set(draft_keys(deadline.occurrence_id, m.member_id)) <= queued]
    if not missing:
        return 0  # the usual case at a later wake-up: checked without building anything
    today = now.astimezone(tz).date()
    view = SummaryView(deadline.plan_id, _period(session, deadline), None, short=False)
    summary = make_summary(session, view, today=today, tz=tz)
    # The file is a Vietnamese administrative document whatever the monitor's chat language.
    attachment = Attachment(file_name(summary, "docx"), render_file(summary, "docx"), DOCX_MIME)
    reason = {"kind": "draft", "occurrence": deadline.occurrence_id, "plan": deadline.plan_id}
    created = 0
    for monitor in missing:
        _ = translator(monitor.locale)
        text_key, file_key = draft_keys(deadline.occurrence_id, monitor.member_id)
        # Same due time, text first: the dispatcher sends a chat's rows in (due_at, id) order.
        parts = (
            (text_key, draft_text(summary, draft, monitor.locale, _limit(monitor.platform)), None, "text"),
            (
                file_key,
                esc(_(DRAFT_CAPTION).format(period=period_label(summary.period, monitor.locale))),
                attachment,
                "docx",
            ),
        )
        for key, text, file, part in parts:
            enqueued = enqueue(
                session,
                key=key,
                platform=monitor.platform,
                chat_id=monitor.chat_id,
                chat_kind=monitor.kind,
                text=text,
                due_at=now,
                now=now,
                member_id=monitor.member_id,
                reason={**reason, "part": part},
                attachment=file,
            )
            created += 1 if enqueued.created else 0
    return created


def enqueue_drafts(
    session: Session,
    *,
    now: datetime,
    working_days_before: int,
    tz: ZoneInfo = VIETNAM,
    default_locale: str = DEFAULT_LOCALE,
) -> DraftResult:
    """Queues the drafts due at `now` for every monitor with a chat who does not have them yet.
    Flushes; the caller's transaction commits."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    today = now.astimezone(tz).date()
    deadlines = load_deadlines(session, today)
    plan = plan_drafts(deadlines, load_working_calendar(session), working_days_before, now, tz)
    if not plan.due:
        return DraftResult(next_at=plan.next_at)
    monitors = _monitors(session, today, default_locale)
    if not monitors:
        for draft in plan.due:
            log.warning(
                "the draft report for the deadline %s (occurrence %s) is due, but no monitor has a chat: "
                "it goes out once one joins, until the deadline",
                draft.deadline.due.isoformat(),
                draft.deadline.occurrence_id,
            )
        return DraftResult(no_monitor=len(plan.due), next_at=plan.next_at)
    created = sum(_queue_one(session, draft, monitors, now=now, tz=tz) for draft in plan.due)
    session.flush()
    return DraftResult(messages=created, next_at=plan.next_at)
