"""The durable outbox: every message to send is a row, and these are the only ways a row moves.

    pending ──claim──▶ sending (lease_until, leased_by) ──mark_sent──▶ sent
       ▲                  │  ├──mark_retry (attempts left)──▶ pending, due later (backoff with jitter)
       │                  │  ├──mark_retry (no attempts left) / mark_failed / mark_blocked──▶ failed
       └──recover_expired / release (a crashed or stopping dispatcher's rows)
    pending ──claim, the recipient blocked the bot or is paused──▶ held ──release_held──▶ pending (or failed: stale)

Held rows are set aside in the claim itself, so that a thousand rows for people who blocked the bot
or paused their reminders neither go out nor hold up anybody's next reminder. They go out when the
person can take them again (unblocked, the pause over): on the first working day from then, at the
time of day they were due — unless they are older than the stale limit by then (a reminder days old
has been overtaken by the next step): those are failed with a note, visible in `nhacviec outbox`.

A row is marked sent only with the platform's message id, i.e. once the platform acknowledged it;
`attempts` counts the sends that got an answer (a crash in the middle of a send does not count, so
a dispatcher killed again and again never exhausts anybody's attempts).

Claiming. Who is due is decided in the query (`due_at <= now ORDER BY due_at, id LIMIT n`), never
by filtering a fetched batch. On PostgreSQL any number of dispatchers claim at once: the due rows are
locked with `FOR UPDATE SKIP LOCKED` and leased in the same statement, so two dispatchers never get
the same row. SQLite has no SKIP LOCKED (and one writer at a time anyway): there a dispatcher first
holds the `dispatcher_lease` row (`acquire_dispatcher_lease`), renewed while it works, and only the
holder claims. In both cases a row's own lease (`lease_until`) is renewed while its dispatcher holds
it; a row whose lease ran out belongs to a dispatcher that died and becomes due again.

Every function takes `now` from the caller (the injected clock); none reads the time itself.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from domain.delivery import record_blocked
from domain.markup import escape, validate
from domain.messages import Attachment, Button, ChatKind, Keyboard, Platform
from locales import N_
from locales.catalogs import translator
from models import Member, Membership, PlatformAccount, Prompt, Role, Unit, questions
from models.accounts import member_accounts
from models.db import session_scope
from models.reminders import DispatcherLease, OutboxMessage, OutboxState
from scheduler.timing.calendar_overrides import load_calendar

OUTBOX_LEASE = "outbox"  # the dispatcher_lease row SQLite dispatchers take turns on
MAX_ERROR = 500  # characters of an error kept in last_error

BLOCKED_NOTICE = N_(
    "{name} ({unit}) has blocked the bot and no longer receives reminders. "
    "Please ask them to unblock it, or name someone else to receive the unit's reminders."
)

# Why a row is held (its last_error while held): shown by `nhacviec outbox`, in English like every error.
HELD_BLOCKED = "held: the person has blocked the bot"
HELD_PAUSED = "held: the person has paused reminders"
HELD_NO_SENDER = "held: no dispatcher running has a sender for this platform (is it configured?)"
DROPPED_STALE = "dropped: held until it was {hours:g} hours overdue"

_table: sa.Table = OutboxMessage.__table__  # type: ignore[attr-defined]
_lease_table: sa.Table = DispatcherLease.__table__  # type: ignore[attr-defined]


# ---- backoff ------------------------------------------------------------------------------------


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before attempt `attempt + 1`, after `attempt` failed sends (1, 2, …).

    Exponential (`base`, 2×base, 4×base… up to `cap`) with "equal jitter": a random point in the
    upper half, so dispatchers that failed together do not all come back at the same instant, and
    the wait still grows with every failure.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 60))
    return ceiling / 2 + rng.random() * ceiling / 2


# ---- enqueue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enqueued:
    message: OutboxMessage
    created: bool  # False: a row with this idempotency key was already there (it is returned as is)


def buttons_to_json(rows: Keyboard) -> list[list[dict[str, str]]]:
    """Rows of buttons as the outbox stores them: `[[{"label": …, "payload": …} | {"label": …, "url": …}, …], …]`."""
    stored: list[list[dict[str, str]]] = []
    for row in rows:
        if row:
            stored.append(
                [
                    {"label": b.label, "payload": b.payload}
                    if b.payload is not None
                    else {"label": b.label, "url": b.url or ""}
                    for b in row
                ]
            )
    return stored


def buttons_from_json(stored: object) -> Keyboard:
    """The rows `buttons_to_json` stored, as `Button`s again; ValueError for anything else (a row written
    some other way: a button with other keys, a payload `domain.payloads` would not make)."""
    if not isinstance(stored, list):
        raise ValueError(f"stored buttons are a list of rows, not {type(stored).__name__}")
    rows: list[tuple[Button, ...]] = []
    for row in stored:
        if not isinstance(row, list):
            raise ValueError(f"a stored row of buttons is a list, not {type(row).__name__}")
        buttons: list[Button] = []
        for item in row:
            if not isinstance(item, dict) or not all(isinstance(v, str) for v in item.values()):
                raise ValueError(f"a stored button is an object of strings, not {item!r}")
            if set(item) == {"label", "payload"}:
                buttons.append(Button(item["label"], item["payload"]))
            elif set(item) == {"label", "url"}:
                buttons.append(Button(item["label"], url=item["url"]))
            else:
                raise ValueError(f"a stored button has a label and a payload or a url, not {sorted(item)}")
        if buttons:
            rows.append(tuple(buttons))
    return tuple(rows)


def enqueue(
    session: Session,
    *,
    key: str,
    platform: str,
    chat_id: str,
    chat_kind: ChatKind,
    text: str,
    due_at: datetime,
    now: datetime,
    buttons: Keyboard = (),
    member_id: int | None = None,
    reason: Mapping[str, Any] | None = None,
    attachment: Attachment | None = None,
) -> Enqueued:
    """Queue a message in the caller's transaction; idempotent by `key` (a second call changes nothing).

    `chat_kind` is what the caller knows of the chat (a unit's bound group, a person's private chat):
    the dispatcher paces the row by it.

    `reason` says why (e.g. `{"occurrence": 12, "kind": "lead", "step": "-7"}`); a `"prompt_id"` in it
    is linked to the platform's message id once sent, so a reply to the reminder finds its occurrence.

    `text` is the neutral markup (domain/markup.py), refused here when malformed. With an `attachment`
    the row is a file and `text` its caption. Each platform's sender renders the row within its limits
    (a caption longer than Telegram's goes partly in messages after the file); a text that is a message
    of its own is best queued as a row of its own, so that a retry never repeats what already arrived.
    """
    if not key or len(key) > 200:
        raise ValueError("the idempotency key must be 1–200 characters")
    validate(text)
    if attachment is not None and (
        not 0 < len(attachment.filename) <= 200 or len(attachment.mime_type) > 120 or not attachment.content
    ):
        raise ValueError("a file needs a name (1–200 characters), a type (≤ 120) and some content")
    values = {
        "idempotency_key": key,
        "platform": platform,
        "chat_id": chat_id,
        "chat_kind": ChatKind(chat_kind).value,
        "member_id": member_id,
        "text": text,
        "buttons": buttons_to_json(buttons),
        "reason": dict(reason or {}),
        "due_at": due_at,
        "state": OutboxState.PENDING.value,
        "attempts": 0,
        "created_at": now,
        "attachment_filename": attachment.filename if attachment is not None else None,
        "attachment_mime_type": attachment.mime_type if attachment is not None else None,
        "attachment_content": attachment.content if attachment is not None else None,
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(_table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(_table.c.id)
    )
    # RETURNING, not rowcount: PostgreSQL's driver reports no rowcount for an INSERT that returns rows.
    created = session.execute(statement).first() is not None
    message = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
    return Enqueued(message, created)


# ---- claiming -----------------------------------------------------------------------------------


def _is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def claim(
    engine: Engine,
    *,
    holder: str,
    now: datetime,
    lease_seconds: float,
    limit: int,
    platforms: Collection[str],
    exclude_chats: Mapping[str, Collection[str]] | None = None,
    today: date | None = None,
) -> list[OutboxMessage]:
    """Lease up to `limit` due rows to `holder`, the earliest due first, and return them in that order.

    `exclude_chats` (platform → chat ids) leaves out chats the dispatcher already holds messages for,
    so a chat held back by its own limit never fills a claim that other chats are waiting behind.
    With `today` (the local date), due rows for people who blocked the bot or are paused that day are
    set aside (held) in the same transaction first. On SQLite, call only while holding the dispatcher lease.
    """
    if limit < 1 or not platforms:
        return []
    m = OutboxMessage
    due = select(m.id).where(
        col(m.state) == OutboxState.PENDING, col(m.due_at) <= now, col(m.platform).in_(list(platforms))
    )
    for platform, chats in (exclude_chats or {}).items():
        if chats:
            due = due.where(sa.not_(sa.and_(col(m.platform) == platform, col(m.chat_id).in_(list(chats)))))
    # One worker at a time per chat: a chat another dispatcher is sending to is left to it, so that
    # the chat's messages keep their order and its own limit is counted in one place.
    other = sa.alias(_table, "other")
    due = due.where(
        ~sa.exists().where(
            other.c.state == OutboxState.SENDING.value,
            other.c.platform == col(m.platform),
            other.c.chat_id == col(m.chat_id),
            other.c.leased_by != holder,
        )
    )
    due = due.order_by(col(m.due_at), col(m.id)).limit(limit)
    if _is_postgresql(engine):
        due = due.with_for_update(skip_locked=True)
    chosen = due.cte("due")
    statement = (
        sa.update(m)
        .where(col(m.id).in_(select(chosen.c.id)), col(m.state) == OutboxState.PENDING)
        .values(state=OutboxState.SENDING, lease_until=now + timedelta(seconds=lease_seconds), leased_by=holder)
        .returning(m)
        .execution_options(synchronize_session=False)
    )
    with session_scope(engine) as session:
        if _is_postgresql(engine):
            # Claims take turns (for the length of one short transaction): two at once could each
            # take a row of the same chat, each seeing the other's row not yet sending.
            session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('nhacviec.claim:' || current_schema()))"))
        if today is not None:
            set_aside(session, now=now, today=today, platforms=platforms)
        rows = list(session.execute(statement).scalars().all())
    rows.sort(key=lambda row: (row.due_at, row.id or 0))
    return rows


def _blocked_chat() -> sa.ColumnElement[bool]:
    a = PlatformAccount
    return sa.exists().where(
        col(a.platform) == col(OutboxMessage.platform),
        col(a.private_chat_id) == col(OutboxMessage.chat_id),
        col(a.blocked_at).is_not(None),
    )


def _paused_member(today: date) -> sa.ColumnElement[bool]:
    return col(OutboxMessage.member_id).in_(select(Member.id).where(col(Member.paused_until) >= today))


def set_aside(session: Session, *, now: datetime, today: date, platforms: Collection[str]) -> int:
    """Due pending rows whose recipient blocked the bot, or is paused `today`, become held; returns how many."""
    m = OutboxMessage
    due = sa.update(m).where(
        col(m.state) == OutboxState.PENDING, col(m.due_at) <= now, col(m.platform).in_(list(platforms))
    )
    held = 0
    for reason, why in ((_blocked_chat(), HELD_BLOCKED), (_paused_member(today), HELD_PAUSED)):
        statement = due.where(reason).values(state=OutboxState.HELD, last_error=why, lease_until=None, leased_by=None)
        held += int(session.execute(statement.execution_options(synchronize_session=False)).rowcount)  # type: ignore[attr-defined]
    return held


def hold_unsendable(engine: Engine, *, now: datetime, platforms: Collection[str], grace_seconds: float) -> int:
    """Pending rows of a platform not in `platforms` (those the caller has senders for), due more than
    `grace_seconds` ago, become held with the reason — visible in `nhacviec outbox` instead of waiting
    unseen. A dispatcher that has the platform's sender releases them (`release_held`). Returns how many."""
    m = OutboxMessage
    statement = (
        sa.update(m)
        .where(
            col(m.state) == OutboxState.PENDING,
            col(m.due_at) <= now - timedelta(seconds=grace_seconds),
            col(m.platform).not_in(list(platforms)),
        )
        .values(state=OutboxState.HELD, last_error=HELD_NO_SENDER, lease_until=None, leased_by=None)
        .execution_options(synchronize_session=False)
    )
    with session_scope(engine) as session:
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def release_held(
    engine: Engine, *, now: datetime, tz: tzinfo, stale_seconds: float, platforms: Collection[str]
) -> tuple[int, int]:
    """Held rows whose recipient can take them again go back to pending — due on the first working day
    from now at the local time of day they were due (now, if that time has passed today) — or, older
    than `stale_seconds`, are failed with a note. Returns (released, dropped)."""
    m = OutboxMessage
    today = now.astimezone(tz).date()
    ready = select(m).where(
        col(m.state) == OutboxState.HELD,
        col(m.platform).in_(list(platforms)),
        sa.not_(_blocked_chat()),
        sa.not_(_paused_member(today)),
    )
    released = dropped = 0
    with session_scope(engine) as session:
        rows = session.exec(ready.order_by(col(m.id)).limit(1000)).all()
        if not rows:
            return 0, 0
        calendar = load_calendar(session)
        day = today
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        for row in rows:
            if (now - row.due_at).total_seconds() > stale_seconds:
                row.state = OutboxState.FAILED
                row.last_error = DROPPED_STALE.format(hours=stale_seconds / 3600)
                dropped += 1
            else:
                local_time: time = row.due_at.astimezone(tz).timetz().replace(tzinfo=None)
                row.due_at = max(now, datetime.combine(day, local_time, tzinfo=tz))
                row.state = OutboxState.PENDING
                row.last_error = None
                released += 1
            session.add(row)
    return released, dropped


def renew(engine: Engine, *, holder: str, now: datetime, lease_seconds: float) -> int:
    """Extend the leases of every row `holder` is sending; returns how many."""
    statement = (
        sa.update(OutboxMessage)
        .where(col(OutboxMessage.leased_by) == holder, col(OutboxMessage.state) == OutboxState.SENDING)
        .values(lease_until=now + timedelta(seconds=lease_seconds))
    )
    with session_scope(engine) as session:
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def recover_expired(engine: Engine, *, now: datetime, platforms: Collection[str] | None = None) -> int:
    """Rows whose lease ran out (their dispatcher died) become due again; returns how many."""
    statement = sa.update(OutboxMessage).where(
        col(OutboxMessage.state) == OutboxState.SENDING, col(OutboxMessage.lease_until) < now
    )
    if platforms is not None:
        statement = statement.where(col(OutboxMessage.platform).in_(list(platforms)))
    statement = statement.values(state=OutboxState.PENDING, lease_until=None, leased_by=None)
    with session_scope(engine) as session:
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def release(engine: Engine, *, holder: str, ids: Collection[int] | None = None) -> int:
    """Give rows back unsent (a dispatcher stopping, or restarting under the same name after a crash)."""
    statement = sa.update(OutboxMessage).where(
        col(OutboxMessage.leased_by) == holder, col(OutboxMessage.state) == OutboxState.SENDING
    )
    if ids is not None:
        if not ids:
            return 0
        statement = statement.where(col(OutboxMessage.id).in_(list(ids)))
    statement = statement.values(state=OutboxState.PENDING, lease_until=None, leased_by=None)
    with session_scope(engine) as session:
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def acquire_dispatcher_lease(
    engine: Engine, *, holder: str, now: datetime, lease_seconds: float, name: str = OUTBOX_LEASE
) -> bool:
    """Take or renew the one-dispatcher-at-a-time lease (SQLite). Each step is a single atomic statement."""
    until = now + timedelta(seconds=lease_seconds)
    lease = DispatcherLease
    take = (
        sa.update(lease)
        .where(col(lease.name) == name, sa.or_(col(lease.holder) == holder, col(lease.lease_until) < now))
        .values(holder=holder, lease_until=until)
    )
    with session_scope(engine) as session:
        if session.execute(take).rowcount == 1:  # type: ignore[attr-defined]
            return True
        insert = postgresql.insert if _is_postgresql(engine) else sqlite.insert
        created = session.execute(
            insert(_lease_table)
            .values(name=name, holder=holder, lease_until=until)
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(_lease_table.c.name)
        )
        return created.first() is not None


def release_dispatcher_lease(engine: Engine, *, holder: str, now: datetime, name: str = OUTBOX_LEASE) -> bool:
    """Let another dispatcher take over at once (on a clean stop)."""
    statement = (
        sa.update(DispatcherLease)
        .where(col(DispatcherLease.name) == name, col(DispatcherLease.holder) == holder)
        .values(lease_until=now)
    )
    with session_scope(engine) as session:
        return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def dispatcher_lease(engine: Engine, name: str = OUTBOX_LEASE) -> DispatcherLease | None:
    """Who holds the one-dispatcher lease, and until when."""
    with session_scope(engine) as session:
        return session.get(DispatcherLease, name)


# ---- results ------------------------------------------------------------------------------------


def _clip(error: str) -> str:
    error = " ".join(error.split())
    return error if len(error) <= MAX_ERROR else error[: MAX_ERROR - 1] + "…"


def mark_sent(engine: Engine, message: OutboxMessage, *, platform_message_id: str, now: datetime) -> bool:
    """The platform acknowledged the message with this id. Returns False if it was already marked sent.

    Recorded even if the lease was lost meanwhile: the message did arrive, so it must not go again.
    """
    return mark_sent_many(engine, [(message, platform_message_id)], now=now)[0]


def mark_sent_many(engine: Engine, acknowledged: Sequence[tuple[OutboxMessage, str]], *, now: datetime) -> list[bool]:
    """`mark_sent` for several rows in one transaction (one commit instead of one per message)."""
    results: list[bool] = []
    with session_scope(engine) as session:
        for message, platform_message_id in acknowledged:
            statement = (
                sa.update(OutboxMessage)
                .where(col(OutboxMessage.id) == message.id, col(OutboxMessage.state) != OutboxState.SENT)
                .values(
                    state=OutboxState.SENT,
                    platform_message_id=platform_message_id,
                    sent_at=now,
                    lease_until=None,
                    last_error=None,
                    failing_since=None,
                    attempts=OutboxMessage.attempts + 1,
                )
            )
            done = bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]
            prompt_id = message.reason.get("prompt_id")
            if done and isinstance(prompt_id, int):
                prompt = session.get(Prompt, prompt_id)
                if prompt is not None and prompt.message_id is None:
                    prompt.message_id = platform_message_id
                    session.add(prompt)
            if done:
                # Now in the chat: its buttons are the chat's open question (a typed number picks one).
                questions.offer(
                    session,
                    platform=message.platform,
                    chat_id=message.chat_id,
                    rows=[
                        [(b.label, b.payload) for b in row if b.payload is not None]
                        for row in buttons_from_json(message.buttons)
                    ],
                    now=now,
                    message_id=platform_message_id,
                    outbox_id=message.id,
                )
            results.append(done)
    return results


def mark_retry(
    engine: Engine,
    message: OutboxMessage,
    *,
    holder: str,
    error: str,
    now: datetime,
    horizon_seconds: float,
    backoff: Callable[[int], float],
    retry_after: float | None = None,
) -> OutboxState | None:
    """A send that may work later. Counts an attempt and puts the row back, due after `backoff(attempts)`
    seconds — until `horizon_seconds` after the first failure of this run (`failing_since`): the last
    attempt is made at the horizon and, failing too, fails the row. A horizon, not a count of attempts,
    because what a row must survive is an outage of some length (an hour of 5xx must not exhaust it).
    With `retry_after` (the platform said when), the row is due then and no attempt is counted: it is
    not the message's fault.

    Returns the new state, or None when the row is no longer this holder's (its lease was taken over).
    """
    with session_scope(engine) as session:
        row = session.get(OutboxMessage, message.id, with_for_update=True)
        if row is None or row.state != OutboxState.SENDING or row.leased_by != holder:
            return None
        row.last_error = _clip(error)
        row.lease_until = None
        if retry_after is not None:
            row.state = OutboxState.PENDING
            row.due_at = max(row.due_at, now + timedelta(seconds=retry_after))
        else:
            row.attempts += 1
            since = row.failing_since or now
            row.failing_since = since
            give_up_at = since + timedelta(seconds=horizon_seconds)
            if now >= give_up_at:
                row.state = OutboxState.FAILED  # leased_by stays: who gave up on it
            else:
                row.state = OutboxState.PENDING
                row.due_at = min(now + timedelta(seconds=backoff(row.attempts)), give_up_at)
        if row.state == OutboxState.PENDING:
            row.leased_by = None
        session.add(row)
        return row.state


def requeue_failed(session: Session, *, ids: Collection[int] | None = None) -> list[int]:
    """`nhacviec outbox retry`: failed rows (all, or those of `ids`) are due again at once, with a fresh
    retry horizon — once whatever made them fail is fixed. In the caller's transaction; returns the ids."""
    m = OutboxMessage
    statement = sa.update(m).where(col(m.state) == OutboxState.FAILED)
    if ids is not None:
        statement = statement.where(col(m.id).in_(list(ids)))
    # due_at stays: a failed row was due when it failed, so it is due at once (on any clock).
    statement = statement.values(
        state=OutboxState.PENDING, failing_since=None, lease_until=None, leased_by=None
    ).returning(_table.c.id)
    return sorted(int(row_id) for row_id in session.execute(statement).scalars().all())


def mark_failed(engine: Engine, message: OutboxMessage, *, holder: str, error: str, now: datetime) -> bool:
    """A send that can never work (the platform refused the message itself): failed, shown to admins."""
    statement = (
        sa.update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == message.id,
            col(OutboxMessage.state) == OutboxState.SENDING,
            col(OutboxMessage.leased_by) == holder,
        )
        .values(
            state=OutboxState.FAILED,
            last_error=_clip(error),
            lease_until=None,
            attempts=OutboxMessage.attempts + 1,
        )
    )
    with session_scope(engine) as session:
        return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def fail_chat(engine: Engine, message: OutboxMessage, *, holder: str, error: str, now: datetime) -> list[int]:
    """The platform says the row's chat does not exist (a group the bot was removed from, a deleted
    chat): the row fails, and so do the chat's other rows not yet sent — pending, or claimed by this
    holder — so that they neither go one by one to the same refusal nor hold up other chats.
    `nhacviec outbox retry` brings them back. Returns the ids failed."""
    m = OutboxMessage
    statement = (
        sa.update(m)
        .where(
            col(m.platform) == message.platform,
            col(m.chat_id) == message.chat_id,
            sa.or_(
                col(m.state) == OutboxState.PENDING,
                sa.and_(col(m.state) == OutboxState.SENDING, col(m.leased_by) == holder),
            ),
        )
        .values(state=OutboxState.FAILED, last_error=_clip(error), lease_until=None)
        .returning(_table.c.id)
    )
    with session_scope(engine) as session:
        return sorted(int(row_id) for row_id in session.execute(statement).scalars().all())


def mark_blocked(engine: Engine, message: OutboxMessage, *, holder: str, error: str, now: datetime) -> list[int]:
    """403: the person blocked the bot. Their account is flagged (domain/delivery.record_blocked), their
    units' leads get a short note through the outbox, and the row is held (it goes out if they unblock
    the bot in time) — or failed, when the chat is nobody's account. Safe to repeat: the flag is set
    once and the notes are keyed by the account and the moment it was blocked.

    Returns the ids of the notes queued (or already there).
    """
    notes: list[int] = []
    try:
        platform = Platform(message.platform)
    except ValueError:
        platform = None
    if platform is None or not record_blocked(engine, platform, message.chat_id, now):
        mark_failed(engine, message, holder=holder, error=error, now=now)
        return notes
    with session_scope(engine) as session:
        notes = _tell_unit_leads(session, platform, message.chat_id, now)
        m = OutboxMessage
        session.execute(
            sa.update(m)
            .where(col(m.id) == message.id, col(m.state) == OutboxState.SENDING, col(m.leased_by) == holder)
            .values(
                state=OutboxState.HELD,
                last_error=_clip(f"{HELD_BLOCKED} ({error})"),
                lease_until=None,
                leased_by=None,
                attempts=m.attempts + 1,
            )
        )
    return notes


def chat_blocked(engine: Engine, platform: Platform, chat_id: str, now: datetime) -> list[int] | None:
    """A 403 to this chat outside the outbox (a transport's direct answer): what `mark_blocked` does for
    a row — the account flagged, its units' leads told through the outbox — without a row to hold, so
    both ways of sending treat a person who blocked the bot the same. Returns the notes queued (or
    already there), or None when the chat is nobody's account."""
    if not record_blocked(engine, platform, chat_id, now):
        return None
    with session_scope(engine) as session:
        return _tell_unit_leads(session, platform, chat_id, now)


def _tell_unit_leads(session: Session, platform: Platform, chat_id: str, now: datetime) -> list[int]:
    account = session.exec(
        select(PlatformAccount).where(
            PlatformAccount.platform == platform.value, PlatformAccount.private_chat_id == chat_id
        )
    ).first()
    if account is None or account.blocked_at is None:
        return []
    member = session.get(Member, account.member_id)
    if member is None:
        return []
    assert member.id is not None
    if member_accounts(session, [member.id])[member.id].delivery is not None:
        return []  # their messages go to their other account now: they still get reminders
    unit_ids = [
        unit_id
        for unit_id in session.exec(select(Membership.unit_id).where(Membership.member_id == member.id)).all()
        if unit_id is not None
    ]
    queued: list[int] = []
    for unit_id in sorted(set(unit_ids)):
        unit = session.get(Unit, unit_id)
        if unit is None:
            continue
        leads = session.exec(
            select(Member)
            .join(Membership, col(Membership.member_id) == col(Member.id))
            .where(Membership.unit_id == unit_id, Membership.role == Role.UNIT_LEAD, col(Member.id) != member.id)
            .order_by(col(Member.id))
        ).all()
        accounts = member_accounts(session, [lead.id for lead in leads if lead.id is not None])
        for lead in leads:
            # Each lead on the one account their messages go to.
            lead_account = accounts[lead.id].delivery if lead.id in accounts else None
            if lead_account is None or lead_account.chat_id is None:
                continue
            _ = translator(lead.language)
            text = _(BLOCKED_NOTICE).format(name=escape(member.display_name), unit=escape(unit.name))
            key = f"blocked:{account.id}:{account.blocked_at.isoformat()}:{unit_id}:{lead_account.account_id}"
            enqueued = enqueue(
                session,
                key=key[:200],
                platform=lead_account.platform,
                chat_id=lead_account.chat_id,
                chat_kind=ChatKind.PRIVATE,  # the lead's own account
                text=text,
                due_at=now,
                now=now,
                member_id=lead.id,
                reason={"kind": "blocked", "member": member.id, "unit": unit_id},
            )
            if enqueued.message.id is not None:
                queued.append(enqueued.message.id)
    return queued


# ---- what is left -------------------------------------------------------------------------------


def next_wakeup(engine: Engine, *, platforms: Collection[str]) -> datetime | None:
    """When something next needs the dispatcher: the earliest pending due time, or the earliest lease
    of a row being sent (if that dispatcher dies, its rows come back then)."""
    m = OutboxMessage
    with session_scope(engine) as session:
        pending = session.exec(
            select(func.min(m.due_at)).where(col(m.state) == OutboxState.PENDING, col(m.platform).in_(list(platforms)))
        ).one()
        leased = session.exec(
            select(func.min(m.lease_until)).where(
                col(m.state) == OutboxState.SENDING, col(m.platform).in_(list(platforms))
            )
        ).one()
    times = [moment for moment in (pending, leased) if moment is not None]
    return min(times) if times else None


def unfinished(engine: Engine, *, platforms: Collection[str] | None = None) -> int:
    """Rows not yet sent or failed."""
    m = OutboxMessage
    query = select(func.count()).select_from(m).where(col(m.state).in_([OutboxState.PENDING, OutboxState.SENDING]))
    if platforms is not None:
        query = query.where(col(m.platform).in_(list(platforms)))
    with session_scope(engine) as session:
        return int(session.exec(query).one())


@dataclass(frozen=True)
class OutboxStats:
    counts: dict[OutboxState, int]
    no_sender: dict[str, int]  # held rows by platform, for want of a sender for it
    oldest_pending: OutboxMessage | None  # the pending row due first
    overdue: int  # pending rows already due
    recent_failures: list[OutboxMessage]


def stats(session: Session, *, now: datetime, failures: int = 10) -> OutboxStats:
    """For `nhacviec outbox`: counts by state, the pending row due first, the latest failures."""
    m = OutboxMessage
    counts = {state: 0 for state in OutboxState}
    for state, count in session.exec(select(m.state, func.count()).group_by(m.state)).all():
        counts[OutboxState(state)] = int(count)
    no_sender = {
        str(platform): int(count)
        for platform, count in session.exec(
            select(m.platform, func.count())
            .where(col(m.state) == OutboxState.HELD, col(m.last_error) == HELD_NO_SENDER)
            .group_by(m.platform)
            .order_by(m.platform)
        ).all()
    }
    oldest = session.exec(
        select(m).where(col(m.state) == OutboxState.PENDING).order_by(col(m.due_at), col(m.id)).limit(1)
    ).first()
    overdue = session.exec(
        select(func.count()).select_from(m).where(col(m.state) == OutboxState.PENDING, col(m.due_at) <= now)
    ).one()
    failed = session.exec(
        select(m).where(col(m.state) == OutboxState.FAILED).order_by(col(m.id).desc()).limit(max(0, failures))
    ).all()
    return OutboxStats(
        counts=counts, no_sender=no_sender, oldest_pending=oldest, overdue=int(overdue), recent_failures=list(failed)
    )


def stats_lines(summary: OutboxStats, _: Callable[[str], str], tz: tzinfo) -> list[str]:
    """`nhacviec outbox` as text, in the caller's language."""

    def when(moment: datetime) -> str:
        return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y")

    counts = summary.counts
    lines = [
        _("Outbox: {pending} pending, {sending} sending, {sent} sent, {failed} failed.").format(
            pending=counts[OutboxState.PENDING],
            sending=counts[OutboxState.SENDING],
            sent=counts[OutboxState.SENT],
            failed=counts[OutboxState.FAILED],
        )
    ]
    by_people = counts[OutboxState.HELD] - sum(summary.no_sender.values())
    if by_people:
        lines.append(_("Held back (the person blocked the bot or paused reminders): {count}.").format(count=by_people))
    for platform, count in summary.no_sender.items():
        lines.append(
            _("Held back, no sender for {platform} is running (is {platform} configured?): {count}.").format(
                platform=platform, count=count
            )
        )
    oldest = summary.oldest_pending
    if oldest is None:
        lines.append(_("Nothing is waiting to be sent."))
    else:
        lines.append(_("Already due and not sent yet: {count}.").format(count=summary.overdue))
        lines.append(
            _("Oldest pending: #{id} to {chat}, due {due}, {attempts} failed attempts so far.").format(
                id=oldest.id,
                chat=f"{oldest.platform}:{oldest.chat_id}",
                due=when(oldest.due_at),
                attempts=oldest.attempts,
            )
        )
        if oldest.last_error:
            lines.append("  " + _("last error: {error}").format(error=oldest.last_error))
    if counts[OutboxState.FAILED] == 0:
        lines.append(_("No failed messages."))
    elif summary.recent_failures:
        lines.append(_("Recent failures ({count}):").format(count=len(summary.recent_failures)))
        for row in summary.recent_failures:
            lines.append(
                "  "
                + _("#{id} to {chat}, due {due}, after {attempts} attempts: {error}").format(
                    id=row.id,
                    chat=f"{row.platform}:{row.chat_id}",
                    due=when(row.due_at),
                    attempts=row.attempts,
                    error=row.last_error or "-",
                )
            )
    return lines


__all__ = [
    "BLOCKED_NOTICE",
    "DROPPED_STALE",
    "HELD_BLOCKED",
    "HELD_NO_SENDER",
    "HELD_PAUSED",
    "OUTBOX_LEASE",
    "Enqueued",
    "OutboxStats",
    "acquire_dispatcher_lease",
    "backoff_delay",
    "buttons_from_json",
    "buttons_to_json",
    "chat_blocked",
    "claim",
    "dispatcher_lease",
    "enqueue",
    "fail_chat",
    "hold_unsendable",
    "mark_blocked",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "mark_sent_many",
    "next_wakeup",
    "recover_expired",
    "release",
    "release_dispatcher_lease",
    "release_held",
    "renew",
    "requeue_failed",
    "set_aside",
    "stats",
    "stats_lines",
    "unfinished",
]
