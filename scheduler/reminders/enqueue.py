"""Queues due reminders: reads the facts, asks the policy (scheduler.reminders.policy), writes one ledger row
per step and recipient, and one outbox message per chat and send time (a digest when several steps
meet there).

Safe to run again and from several processes at once: each step's ledger row is inserted first with
ON CONFLICT DO NOTHING, and a step whose row someone else inserted is skipped, so nobody queues it
twice; an outbox message still pending for the same chat and send time takes the new steps in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from domain.markup import validate
from domain.messages import ChatKind
from domain.replies import create_prompt
from domain.standings import reported
from locales.catalogs import DEFAULT_LOCALE
from models import (
    CalendarOverride,
    CalendarOverrideKind,
    ChatBinding,
    Member,
    Membership,
    Occurrence,
    OutboxMessage,
    OutboxState,
    PlatformAccount,
    ReminderKind,
    ReminderPolicy,
    ReminderStep,
    Role,
    Task,
    TaskOrigin,
    TaskUnit,
    Unit,
    UnitKind,
    UnitRole,
)
from models.accounts import AccountFacts, delivery_account
from scheduler.delivery.outbox import buttons_to_json
from scheduler.reminders.policy import (
    VIETNAM,
    Answer,
    Audience,
    Delivery,
    DueReminder,
    OccurrenceFacts,
    PlannedReminder,
    PolicyBook,
    StepKey,
    UnitFacts,
    catch_up,
    plan_due_reminders,
    reach_days,
)
from scheduler.reminders.text import ReminderItem, render_reminders
from scheduler.timing.calendar import WorkingCalendar
from scheduler.timing.periods import Period, period_label
from scheduler.timing.planning import period_of

__all__ = ["CATCH_UP_DAYS", "EnqueueResult", "enqueue_due", "next_due_at", "preview_reminders"]

# After an outage, occurrences whose last step is older than this are not looked at any more: the
# summary shows them late; a burst of month-old nudges would help nobody.
CATCH_UP_DAYS = 45
CHUNK = 5000  # bound parameters per IN list (SQLite and PostgreSQL both cap them)
# Who may answer a step with a reply or a button (the monitor's notes are for information).
ANSWERABLE = {ReminderKind.LEAD, ReminderKind.OBLIGATION, ReminderKind.CHECKIN, ReminderKind.OVERDUE}

_STEPS = SQLModel.metadata.tables["reminder_step"]
# A ledger row's step key (scheduler.reminders.policy.StepKey), as columns.
_STEP_KEY = (
    col(ReminderStep.occurrence_id),
    col(ReminderStep.unit_id),
    col(ReminderStep.kind),
    col(ReminderStep.step),
)
_OUTBOX = SQLModel.metadata.tables["outbox_message"]


@dataclass(frozen=True)
class EnqueueResult:
    steps: int = 0  # ledger rows written (one per step and recipient)
    messages: int = 0  # outbox messages created
    merged: int = 0  # pending outbox messages that took more steps in
    prompts: int = 0
    skipped: int = 0  # steps another run had already queued for that recipient
    waiting: int = 0  # steps due but held until office hours
    no_recipient: int = 0  # steps due for a unit nobody can receive them in (all paused, no chat …)


@dataclass(frozen=True)
class Recipient:
    platform: str
    chat_id: str
    member_id: int | None  # None for a group chat
    locale: str
    kind: ChatKind  # a unit's bound chat is a group; a member's account, their private chat

    @property
    def address(self) -> str:
        return f"{self.platform}:{self.chat_id}"


@dataclass(frozen=True)
class Details:
    """What a reminder's text needs beyond the policy's facts."""

    content: str
    period: Period
    lead_units: tuple[str, ...]
    unit_names: dict[int, str] = field(default_factory=dict)
    reasons: dict[int | None, str | None] = field(default_factory=dict)


@dataclass
class Loaded:
    facts: list[OccurrenceFacts]
    details: dict[int, Details]


# ---- reading the facts ---------------------------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@lru_cache(maxsize=16)
def _calendar(overrides: tuple[tuple[date, str, str], ...]) -> WorkingCalendar:
    return WorkingCalendar(
        extra_days_off={day: reason for day, kind, reason in overrides if kind == CalendarOverrideKind.DAY_OFF},
        extra_workdays=[day for day, kind, _reason in overrides if kind == CalendarOverrideKind.WORKDAY],
    )


def load_working_calendar(session: Session) -> WorkingCalendar:
    """The admin's calendar (as scheduler.timing.calendar_overrides.load_calendar), built once per set of overrides:
    the scheduler asks at every wake-up, and building a year's holidays is the slow part."""
    rows = session.execute(
        sa.select(col(CalendarOverride.day), col(CalendarOverride.kind), col(CalendarOverride.reason))
    ).all()
    return _calendar(tuple(sorted((day, str(kind), reason) for day, kind, reason in rows)))


def load_policies(session: Session) -> PolicyBook:
    return PolicyBook.from_rows(session.exec(select(ReminderPolicy)).all())


def load_facts(
    session: Session,
    *,
    due_from: date | None = None,
    due_to: date | None = None,
    occurrence_ids: Sequence[int] | None = None,
    plan_id: int | None = None,
    answers: bool = True,
    deliveries: bool = True,
) -> Loaded:
    """Live occurrences (not archived, of live tasks) with their units and, unless `answers` is false,
    each unit's latest report with a status; unless `deliveries` is false, the steps that reached each
    unit (without them the policy plans as if every step were delivered when planned)."""
    conditions: list[Any] = [col(Occurrence.archived_at).is_(None), col(Task.archived_at).is_(None)]
    if due_from is not None:
        conditions.append(col(Occurrence.due) >= due_from)
    if due_to is not None:
        conditions.append(col(Occurrence.due) <= due_to)
    if plan_id is not None:
        conditions.append(col(Task.plan_id) == plan_id)
    query = (
        sa.select(
            col(Occurrence.id),
            col(Occurrence.task_id),
            col(Occurrence.due),
            col(Occurrence.checkin),
            col(Occurrence.period_kind),
            col(Occurrence.period_year),
            col(Occurrence.period_index),
            col(Task.plan_id),
            col(Task.code),
            col(Task.position),
            col(Task.origin),
            col(Task.content),
        )
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(*conditions)
        .order_by(col(Occurrence.due), col(Task.position), col(Occurrence.id))
    )
    if occurrence_ids is not None:
        rows = [
            row
            for chunk in _chunks(list(occurrence_ids))
            for row in session.execute(query.where(col(Occurrence.id).in_(chunk))).all()
        ]
    else:
        rows = list(session.execute(query).all())
    task_ids = sorted({row[1] for row in rows})
    units: dict[int, list[UnitFacts]] = defaultdict(list)
    for chunk in _chunks(task_ids):
        for task_id, unit_id, role, position, name, kind in session.execute(
            sa.select(
                col(TaskUnit.task_id),
                col(TaskUnit.unit_id),
                col(TaskUnit.role),
                col(TaskUnit.position),
                col(Unit.name),
                col(Unit.kind),
            )
            .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
            .where(col(TaskUnit.task_id).in_(chunk))
            .order_by(col(TaskUnit.task_id), col(TaskUnit.role).desc(), col(TaskUnit.position))
        ):
            units[task_id].append(UnitFacts(unit_id, name, UnitRole(role), position, kind == UnitKind.GROUP.value))
    latest: dict[int, dict[int | None, Answer]] = defaultdict(dict)
    if answers:
        # Each unit's newest report, through the read every view of an occurrence's state shares.
        for occurrence_id, item in reported(session, [row[0] for row in rows], VIETNAM).items():
            for report in item.reports:
                latest[occurrence_id][report.unit_id] = Answer(
                    report.unit_id, report.status, report.at, report.reason, report.role
                )
    delivered = _delivered(session, [row[0] for row in rows]) if deliveries else None
    facts: list[OccurrenceFacts] = []
    details: dict[int, Details] = {}
    for (
        occurrence_id,
        task_id,
        due,
        checkin,
        period_kind,
        period_year,
        period_index,
        plan,
        code,
        position,
        origin,
        content,
    ) in rows:
        task_units = tuple(units.get(task_id, ()))
        found = latest.get(occurrence_id, {})
        facts.append(
            OccurrenceFacts(
                occurrence_id=occurrence_id,
                plan_id=plan,
                task_id=task_id,
                task_code=code,
                due=due,
                checkin=checkin,
                obligation=origin == TaskOrigin.OBLIGATION.value,
                units=task_units,
                answers=tuple(found.values()),
                task_position=position,
                delivered=None if delivered is None else tuple(delivered.get(occurrence_id, ())),
            )
        )
        details[occurrence_id] = Details(
            content=content,
            period=period_of(period_kind, period_year, period_index, due),
            lead_units=tuple(unit.name for unit in task_units if unit.role == UnitRole.LEAD),
            unit_names={unit.unit_id: unit.name for unit in task_units},
            reasons={unit_id: answer.reason for unit_id, answer in found.items()},
        )
    return Loaded(facts, details)


def _delivered(session: Session, occurrence_ids: Sequence[int]) -> dict[int, list[Delivery]]:
    """Per occurrence, each step's first acknowledged delivery to any of its recipients."""
    delivered: dict[int, list[Delivery]] = defaultdict(list)
    for chunk in _chunks(occurrence_ids):
        rows = session.execute(
            sa.select(*_STEP_KEY, sa.func.min(col(OutboxMessage.sent_at)))
            .join(OutboxMessage, col(OutboxMessage.id) == col(ReminderStep.outbox_id))
            .where(col(ReminderStep.occurrence_id).in_(chunk), col(OutboxMessage.state) == OutboxState.SENT.value)
            .group_by(*_STEP_KEY)
        )
        for occurrence_id, unit_id, kind, step, sent_at in rows:
            delivered[occurrence_id].append(Delivery(unit_id, ReminderKind(kind), step, sent_at))
    return delivered


def _queued(session: Session, occurrence_ids: Sequence[int]) -> set[StepKey]:
    queued: set[StepKey] = set()
    for chunk in _chunks(list(occurrence_ids)):
        rows = session.execute(sa.select(*_STEP_KEY).where(col(ReminderStep.occurrence_id).in_(chunk)))
        queued.update((occurrence_id, unit_id, str(kind), step) for occurrence_id, unit_id, kind, step in rows)
    return queued


def _window(session: Session, book: PolicyBook, today: date) -> Loaded:
    ahead, after = reach_days(book)
    return load_facts(
        session, due_from=today - timedelta(days=after + CATCH_UP_DAYS), due_to=today + timedelta(days=ahead)
    )


# ---- recipients ----------------------------------------------------------------------------------------


@dataclass
class Recipients:
    """Who receives a unit's steps today: paused members are left out, and each member is written to on
    one account (models.accounts.delivery_account), so a person on two platforms hears a step once."""

    unit: dict[int, list[Recipient]] = field(default_factory=lambda: defaultdict(list))
    leads: dict[int, list[Recipient]] = field(default_factory=lambda: defaultdict(list))
    monitors: list[Recipient] = field(default_factory=list)

    def of(self, reminder: PlannedReminder) -> list[Recipient]:
        if reminder.audience == Audience.MONITOR:
            return self.monitors
        if reminder.unit_id is None:
            return []
        if reminder.audience == Audience.UNIT_LEAD:
            return self.leads.get(reminder.unit_id, [])
        return self.unit.get(reminder.unit_id, [])


def _one_account_each(rows: Iterable[Any], default_locale: str) -> list[tuple[int | None, str, Recipient]]:
    """(unit, role, recipient) per membership row group, on the member's one delivery account; members
    the bot cannot write to on any account are left out."""
    grouped: dict[tuple[int | None, str, int], tuple[str | None, str | None, list[AccountFacts]]] = {}
    for unit_id, role, member_id, language, channel, account_id, platform, chat_id, blocked_at in rows:
        _language, _channel, accounts = grouped.setdefault((unit_id, role, member_id), (language, channel, []))
        accounts.append(AccountFacts(account_id, platform, chat_id, blocked_at is not None))
    chosen = []
    for (unit_id, role, member_id), (language, channel, accounts) in grouped.items():
        account = delivery_account(accounts, channel)
        if account is not None and account.chat_id is not None:
            locale = language or default_locale
            recipient = Recipient(account.platform, account.chat_id, member_id, locale, ChatKind.PRIVATE)
            chosen.append((unit_id, role, recipient))
    return chosen


def load_recipients(session: Session, unit_ids: Iterable[int], today: date, default_locale: str) -> Recipients:
    recipients = Recipients()
    not_paused = sa.or_(col(Member.paused_until).is_(None), col(Member.paused_until) < today)
    people = (
        sa.select(
            col(Membership.unit_id),
            col(Membership.role),
            col(Member.id),
            col(Member.language),
            col(Member.channel),
            col(PlatformAccount.id),
            col(PlatformAccount.platform),
            col(PlatformAccount.private_chat_id),
            col(PlatformAccount.blocked_at),
        )
        .join(Member, col(Member.id) == col(Membership.member_id))
        .join(PlatformAccount, col(PlatformAccount.member_id) == col(Member.id))
        .order_by(col(Member.id), col(PlatformAccount.id))
    )
    units = sorted(set(unit_ids))
    for chunk in _chunks(units):
        rows = session.execute(
            people.where(
                not_paused,
                col(Membership.unit_id).in_(chunk),
                col(Membership.role).in_([Role.STAFF.value, Role.UNIT_LEAD.value]),
            )
        )
        for unit_id, role, recipient in _one_account_each(rows, default_locale):
            assert unit_id is not None
            recipients.unit[unit_id].append(recipient)
            if role == Role.UNIT_LEAD.value:
                recipients.leads[unit_id].append(recipient)
        for unit_id, platform, chat_id in session.execute(
            sa.select(col(ChatBinding.unit_id), col(ChatBinding.platform), col(ChatBinding.chat_id))
            .where(col(ChatBinding.unit_id).in_(chunk))
            .order_by(col(ChatBinding.id))
        ):
            recipients.unit[unit_id].append(Recipient(platform, chat_id, None, default_locale, ChatKind.GROUP))
    monitors = session.execute(people.where(not_paused, col(Membership.role) == Role.MONITOR.value))
    for _unit, _role, recipient in _one_account_each(monitors, default_locale):
        if recipient not in recipients.monitors:
            recipients.monitors.append(recipient)
    return recipients


# ---- writing -------------------------------------------------------------------------------------------


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING."""
    name = session.connection().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"reminders need PostgreSQL or SQLite, not {name}")


@dataclass
class _Entry:
    due: DueReminder
    recipient: Recipient
    step_id: int


def _insert_steps(
    session: Session, rows: list[tuple[DueReminder, Recipient]], now: datetime
) -> tuple[list[_Entry], int]:
    """Writes the ledger rows; returns those this run inserted (the others were queued by someone else)."""
    insert = _insert(session)
    inserted: dict[tuple[int, str, str, str], int] = {}
    values = [
        {
            "occurrence_id": due.reminder.occurrence_id,
            "kind": due.reminder.kind.value,
            "step": due.reminder.step,
            "recipient": recipient.address,
            "unit_id": due.reminder.unit_id,
            "planned_at": due.reminder.at,
            "outbox_id": None,
            "created_at": now,
        }
        for due, recipient in rows
    ]
    for start in range(0, len(values), 500):
        statement = (
            insert(_STEPS)
            .values(values[start : start + 500])
            .on_conflict_do_nothing()
            .returning(_STEPS.c.id, _STEPS.c.occurrence_id, _STEPS.c.kind, _STEPS.c.step, _STEPS.c.recipient)
        )
        for step_id, occurrence_id, kind, step, recipient in session.execute(statement):
            inserted[(occurrence_id, kind, step, recipient)] = step_id
    entries = []
    for due, recipient in rows:
        key = (due.reminder.occurrence_id, due.reminder.kind.value, due.reminder.step, recipient.address)
        if key in inserted:
            entries.append(_Entry(due, recipient, inserted[key]))
    return entries, len(rows) - len(entries)


def _item(entry: dict[str, Any], details: Details, due: date, locale: str) -> ReminderItem:
    kind = ReminderKind(entry["kind"])
    audience = Audience(entry["audience"])
    unit_id = entry.get("unit")
    blocked = str(entry["step"]).startswith("blocked")
    return ReminderItem(
        occurrence_id=entry["occurrence"],
        kind=kind,
        audience=audience,
        task_code=entry["task"],
        content=details.content,
        due=due,
        lead_units=details.lead_units,
        unit=details.unit_names.get(unit_id, "") if unit_id is not None else "",
        obligation=bool(entry.get("obligation")),
        blocked=blocked,
        period=period_label(details.period, locale) if kind == ReminderKind.CHECKIN else None,
        reason=details.reasons.get(unit_id) if blocked else None,
        prompt_id=entry.get("prompt"),
    )


class _Writer:
    """Turns inserted ledger rows into outbox messages: one per chat and send time, merged while pending."""

    def __init__(self, session: Session, loaded: Loaded, now: datetime, tz: ZoneInfo) -> None:
        self.session = session
        self.details = dict(loaded.details)
        self.dues = {fact.occurrence_id: fact.due for fact in loaded.facts}
        self.obligations = {fact.occurrence_id for fact in loaded.facts if fact.obligation}
        self.now = now
        self.tz = tz
        self.created = self.merged = self.prompts = 0

    def _ensure_details(self, occurrence_ids: Iterable[int]) -> None:
        missing = [occurrence_id for occurrence_id in occurrence_ids if occurrence_id not in self.details]
        if missing:
            loaded = load_facts(self.session, occurrence_ids=missing, deliveries=False)
            self.details.update(loaded.details)
            self.dues.update((fact.occurrence_id, fact.due) for fact in loaded.facts)
            self.obligations.update(fact.occurrence_id for fact in loaded.facts if fact.obligation)

    def write(self, recipient: Recipient, send_at: datetime, entries: list[_Entry]) -> None:
        steps: list[dict[str, Any]] = []
        for entry in entries:
            reminder = entry.due.reminder
            prompt_id: int | None = None
            if reminder.kind in ANSWERABLE or (
                reminder.kind == ReminderKind.ESCALATION and reminder.audience == Audience.UNIT_LEAD
            ):
                prompt = create_prompt(
                    self.session,
                    occurrence_id=reminder.occurrence_id,
                    member_id=recipient.member_id,
                    platform=recipient.platform,
                    chat_id=recipient.chat_id,
                    now=self.now,
                )
                prompt_id = prompt.id
                self.prompts += 1
            steps.append(
                {
                    "occurrence": reminder.occurrence_id,
                    "task": reminder.task_code,
                    "unit": reminder.unit_id,
                    "kind": reminder.kind.value,
                    "step": reminder.step,
                    "audience": reminder.audience.value,
                    "obligation": reminder.occurrence_id in self.obligations,
                    "prompt": prompt_id,
                }
            )
        base = f"{recipient.address}:{send_at.isoformat()}"
        message, new = self._pending_or_new(recipient, base, send_at)
        old_steps = [] if new else list(message.reason.get("steps", []))
        if new:
            self.created += 1
        else:
            self.merged += 1
        everything = old_steps + steps
        self._ensure_details(entry["occurrence"] for entry in everything)
        items = [
            _item(entry, self.details[entry["occurrence"]], self.dues[entry["occurrence"]], recipient.locale)
            for entry in everything
        ]
        rendered = render_reminders(items, send_day=send_at.date(), locale=recipient.locale)
        prompt_ids = [entry["prompt"] for entry in everything if entry.get("prompt") is not None]
        reason: dict[str, Any] = {"steps": everything, "prompt_ids": prompt_ids}
        if len(prompt_ids) == 1 and len(everything) == 1:
            reason["prompt_id"] = prompt_ids[0]  # one task: a reply to the sent message answers it
        # Written here rather than through outbox.enqueue (the row grows while pending): checked the same way.
        message.text = validate(rendered.text)
        message.buttons = buttons_to_json(rendered.buttons)
        message.reason = reason
        self.session.add(message)
        self.session.flush()
        assert message.id is not None
        self.session.execute(
            sa.update(_STEPS).where(_STEPS.c.id.in_([entry.step_id for entry in entries])).values(outbox_id=message.id)
        )

    def _pending_or_new(self, recipient: Recipient, base: str, send_at: datetime) -> tuple[OutboxMessage, bool]:
        """The message still pending for this chat and send time (locked), or a new one under a fresh key."""
        insert = _insert(self.session)
        while True:
            existing = self.session.exec(
                select(OutboxMessage)
                .where(
                    sa.or_(
                        col(OutboxMessage.idempotency_key) == base,
                        col(OutboxMessage.idempotency_key).startswith(base + "#", autoescape=True),
                    )
                )
                .order_by(col(OutboxMessage.id))
                .with_for_update()
            ).all()
            pending = [message for message in existing if message.state == OutboxState.PENDING]
            if pending:
                return pending[-1], False
            key = base if not existing else f"{base}#{len(existing) + 1}"
            new_id = self.session.execute(
                insert(_OUTBOX)
                .values(
                    idempotency_key=key,
                    platform=recipient.platform,
                    chat_id=recipient.chat_id,
                    chat_kind=recipient.kind.value,
                    member_id=recipient.member_id,
                    text="",
                    buttons=[],
                    reason={},
                    due_at=send_at,
                    state=OutboxState.PENDING.value,
                    attempts=0,
                    created_at=self.now,
                )
                .on_conflict_do_nothing()
                .returning(_OUTBOX.c.id)
            ).scalar()
            if new_id is not None:
                message = self.session.get(OutboxMessage, new_id)
                assert message is not None
                return message, True
            # Another process took the key at the same moment: look again.


# ---- the entry points ----------------------------------------------------------------------------------


def _today(now: datetime, tz: ZoneInfo) -> date:
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return now.astimezone(tz).date()


def enqueue_due(
    session: Session, *, now: datetime, tz: ZoneInfo = VIETNAM, default_locale: str = DEFAULT_LOCALE
) -> EnqueueResult:
    """Queues every step due at or before `now` that is not queued yet (missed ones collapsed, see
    scheduler.reminders.policy.catch_up). Flushes; the caller's transaction commits."""
    today = _today(now, tz)
    book = load_policies(session)
    calendar = load_working_calendar(session)
    loaded = _window(session, book, today)
    queued = _queued(session, [fact.occurrence_id for fact in loaded.facts])
    plan = catch_up(loaded.facts, now, queued, book, calendar, tz)
    if not plan.due:
        return EnqueueResult(waiting=len(plan.waiting))
    unit_ids = {due.reminder.unit_id for due in plan.due if due.reminder.unit_id is not None}
    recipients = load_recipients(session, unit_ids, today, default_locale)
    rows: list[tuple[DueReminder, Recipient]] = []
    seen: set[tuple[int, str, str, str]] = set()
    no_recipient = 0
    for due in plan.due:
        chats = recipients.of(due.reminder)
        if not chats:
            no_recipient += 1
        for recipient in chats:
            key = (due.reminder.occurrence_id, due.reminder.kind.value, due.reminder.step, recipient.address)
            if key not in seen:  # one chat bound to two units of the task hears the step once
                seen.add(key)
                rows.append((due, recipient))
    # A fixed order, so two processes inserting the same rows wait for each other instead of deadlocking.
    rows.sort(
        key=lambda row: (
            row[0].reminder.occurrence_id,
            row[0].reminder.kind.value,
            row[0].reminder.step,
            row[1].address,
        )
    )
    entries, skipped = _insert_steps(session, rows, now)
    groups: dict[tuple[Recipient, datetime], list[_Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.recipient, entry.due.send_at)].append(entry)
    writer = _Writer(session, loaded, now, tz)
    for (recipient, send_at), group in sorted(groups.items(), key=lambda item: (item[0][0].address, item[0][1])):
        writer.write(recipient, send_at, group)
    session.flush()
    return EnqueueResult(
        steps=len(entries),
        messages=writer.created,
        merged=writer.merged,
        prompts=writer.prompts,
        skipped=skipped,
        waiting=len(plan.waiting),
        no_recipient=no_recipient,
    )


def next_due_at(session: Session, now: datetime, *, tz: ZoneInfo = VIETNAM) -> datetime | None:
    """When the next step becomes due (or held ones may go out), after `now`; None when nothing is left.
    The scheduler sets its one wake-up to this."""
    today = _today(now, tz)
    book = load_policies(session)
    calendar = load_working_calendar(session)
    ahead, after = reach_days(book)
    due_from = today - timedelta(days=after + CATCH_UP_DAYS)
    due_to = today + timedelta(days=ahead)
    while True:
        loaded = load_facts(session, due_from=due_from, due_to=due_to)
        queued = _queued(session, [fact.occurrence_id for fact in loaded.facts])
        found = catch_up(loaded.facts, now, queued, book, calendar, tz).next_at
        if found is not None:
            return found
        # Nothing within reach: jump to the next deadline further on, if there is one.
        later = session.execute(
            sa.select(sa.func.min(col(Occurrence.due)))
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(
                col(Occurrence.due) > due_to,
                col(Occurrence.archived_at).is_(None),
                col(Task.archived_at).is_(None),
            )
        ).scalar()
        if later is None:
            return None
        due_from, due_to = later, later + timedelta(days=ahead)


def preview_reminders(
    session: Session, start: date, end: date, *, plan_id: int | None = None, tz: ZoneInfo = VIETNAM
) -> list[PlannedReminder]:
    """What the policy would send from `start` to `end` (local days, both included) if nobody answered.
    Reads only."""
    book = load_policies(session)
    calendar = load_working_calendar(session)
    ahead, after = reach_days(book)
    loaded = load_facts(
        session,
        due_from=start - timedelta(days=after),
        due_to=end + timedelta(days=ahead),
        plan_id=plan_id,
        answers=False,
        deliveries=False,
    )
    return plan_due_reminders(
        loaded.facts,
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
        book,
        calendar,
        tz,
    )
