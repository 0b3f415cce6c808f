"""The dispatcher: sends the outbox's due rows within the platforms' limits, and nothing else.

The database is the truth. APScheduler (`AsyncIOScheduler`, timezone set, `misfire_grace_time` and
`coalesce` explicit) holds exactly one job: a wake-up at the next time something needs doing,
computed from the database (the earliest pending `due_at`, or the earliest lease that may run out).
Nothing about any message lives in the scheduler, so a restart loses nothing: at start the wake-up
is rebuilt from the database, and rows a dead dispatcher was sending come back when their lease ends.

On a wake-up (or `poke()`, when something new was queued): claim due rows (see scheduler/delivery/outbox.py
for how PostgreSQL and SQLite claim), send each through the platform's `Sender` as soon as the
platform's limits allow — a chat held back by its own limit never holds up the others, and one chat's
messages go one at a time, in order — write each result as it comes, claim again, until nothing is
due; then re-arm the wake-up.

Clocks: `clock` (aware datetimes) decides what is due and dates leases — tests and the sandbox move
it; `ticker`/`sleep` (monotonic seconds) pace the rate limits, the only real waiting. The wake-up
job runs on the machine's clock, so its delay is computed on `clock` and re-armed after every pass;
whoever moves `clock` calls `poke()` (the sandbox clock's `subscribe` does it).

Entry point: `Dispatcher`. The service builds it with the platforms' senders (nhacviec/service.py
in-process, nhacviec/workers.py for a `--role worker` process and the bare `python -m nhacviec.workers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import random
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from sqlalchemy.engine import Engine

from domain.messages import ChatKind
from models.reminders import OutboxMessage, OutboxState
from scheduler.delivery import outbox, shared_budget
from scheduler.delivery.dispatch_settings import DispatchSettings, UnknownPlatformError
from scheduler.delivery.ratelimit import RateLimiter, Slot
from scheduler.delivery.senders import (
    Blocked,
    Permanent,
    RetryAfter,
    Sender,
    SendResult,
    Sent,
    Transient,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Ticker = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

WAKEUP_JOB = "outbox-wakeup"
CHAT_NOT_FOUND = "chat not found"  # Telegram's 400 for a chat that does not exist (or the bot left)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Counters:
    """What this dispatcher did since it started (for logs and the bench)."""

    sent: int = 0
    retried: int = 0  # transient failures put back with backoff
    failed: int = 0
    blocked: int = 0
    throttled: int = 0  # 429 answers
    claims: int = 0


@dataclass
class _Outcome:
    message: OutboxMessage
    result: SendResult
    keep: bool  # held in memory to go again (a short 429)


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        senders: Mapping[str, Sender],
        *,
        settings: DispatchSettings | None = None,
        clock: Clock = utc_now,
        tz: tzinfo = VIETNAM,
        ticker: Ticker = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        name: str | None = None,
        on_result: Callable[[str, SendResult], None] | None = None,
        wall: Ticker | None = None,
    ) -> None:
        """`on_result(platform, result)` hears every send's result (the service's metrics count them).

        `name` identifies this dispatcher in leases. Give a stable one only if no two running
        dispatchers share it: a dispatcher restarted under its old name takes its rows back at once
        instead of waiting for their leases to run out."""
        if not senders:
            raise ValueError("a dispatcher needs at least one sender")
        self.engine = engine
        self.senders = dict(senders)
        self.platforms = sorted(self.senders)
        self.settings = settings or DispatchSettings()
        self.clock = clock
        self.tz = tz
        self.ticker = ticker
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.holder = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.single = engine.dialect.name != "postgresql"  # SQLite: one dispatcher at a time, by lease
        # PostgreSQL: workers share each platform's overall budget through the database, on wall-clock
        # seconds (the ticker's, when a test passes its own ticker).
        self.shared = not self.single
        self.wall = wall or (time.time if ticker is time.monotonic else ticker)
        self._granted: dict[str, int] = {}
        self._granted_at: dict[str, float] = {}
        self._shared_wait: dict[str, float] = {}
        # A sender for a platform without limits is refused here, before anything is sent (raises
        # UnknownPlatformError): sending blind could get the bot banned.
        self.limiters = {
            platform: RateLimiter(self.settings.limits_for(platform), ticker=ticker, sleep=sleep)
            for platform in self.platforms
        }
        self.counters = Counters()
        self.on_result = on_result
        # On `ticker`: when this dispatcher last showed it is alive (a pass began or ended, a send came
        # back); /readyz reads it.
        self.last_tick: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._wake = asyncio.Event()
        self._passes = asyncio.Condition()
        self._pass_count = 0
        self._drain_lock = asyncio.Lock()
        self._main: asyncio.Task[None] | None = None
        self._stopping = False
        self._lost_lease = False
        self._acknowledged: list[tuple[OutboxMessage, str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    # ---- life cycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Take back this name's rows from a previous life, arm the wake-up from the database, send what is due."""
        self._loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db")
        self._stopping = False
        await self._db(outbox.release, holder=self.holder)
        self._scheduler = AsyncIOScheduler(
            timezone=self.tz,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.start()
        self._main = asyncio.create_task(self._run(), name=f"dispatcher {self.holder}")
        self.poke()

    async def stop(self) -> None:
        """Stop claiming, let sends on their way finish (up to `stop_timeout_seconds`), give back the rest."""
        self._stopping = True
        self._wake.set()
        if self._main is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._main
            self._main = None
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        if self._executor is not None:
            if self.single:
                with contextlib.suppress(Exception):
                    await self._db(outbox.release_dispatcher_lease, holder=self.holder, now=self.clock())
            self._executor.shutdown(wait=True)
            self._executor = None

    async def __aenter__(self) -> Dispatcher:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def poke(self) -> None:
        """Something new was queued (or the clock moved): look at the database now. Safe from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._wake.set()
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    async def wait_passes(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until `count` more passes over the outbox have finished (for tests and tools)."""
        async with self._passes:
            target = self._pass_count + count

            def passed() -> bool:
                return self._pass_count >= target

            await asyncio.wait_for(self._passes.wait_for(passed), timeout)

    async def run_until_done(self) -> None:
        """Run (started or not) until no row of this dispatcher's platforms is left pending or sending."""
        if self._main is None:
            await self.start()
        while await self._db(outbox.unfinished, platforms=self.platforms) > 0:
            if self._main is None or self._main.done():
                return
            await self._next_pass()

    async def _next_pass(self) -> None:
        async with self._passes:
            seen = self._pass_count

            def passed() -> bool:
                return self._pass_count > seen

            await self._passes.wait_for(passed)

    # ---- the loop -------------------------------------------------------------------------------

    def seconds_since_tick(self) -> float | None:
        """How long ago (on `ticker`) this dispatcher last ticked; None before its first pass."""
        return None if self.last_tick is None else self.ticker() - self.last_tick

    async def _run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            if self._stopping:
                break
            self.last_tick = self.ticker()
            delay: float | None = None
            try:
                await self.drain()
            except Exception:
                log.exception("outbox pass failed; trying again shortly")
                delay = min(5.0, self.settings.poll_seconds)
            if self._stopping:
                break
            try:
                await self._arm(delay)
            except Exception:
                log.exception("could not arm the outbox wake-up")
                self._arm_in(min(5.0, self.settings.poll_seconds))
            self.last_tick = self.ticker()
            async with self._passes:
                self._pass_count += 1
                self._passes.notify_all()
        async with self._passes:
            self._pass_count += 1
            self._passes.notify_all()

    async def _on_wakeup(self) -> None:
        self._wake.set()

    async def _arm(self, delay: float | None = None) -> None:
        """One wake-up job, at the next time the database says something needs doing."""
        if delay is None:
            moments = []
            upcoming = await self._db(outbox.next_wakeup, platforms=self.platforms)
            if upcoming is not None:
                moments.append(upcoming)
            if self.single:
                lease = await self._db(outbox.dispatcher_lease)
                if lease is not None and lease.holder != self.holder and lease.lease_until > self.clock():
                    moments.append(lease.lease_until)  # another dispatcher's turn ends then
            delay = self.settings.poll_seconds
            if moments:
                delay = (min(moments) - self.clock()).total_seconds()
        self._arm_in(delay)

    def _arm_in(self, seconds: float) -> None:
        if self._scheduler is None:
            return
        seconds = min(max(seconds, 0.05), self.settings.poll_seconds)
        run_date = datetime.now(self.tz) + timedelta(seconds=seconds)
        self._scheduler.add_job(
            self._on_wakeup,
            trigger="date",
            run_date=run_date,
            id=WAKEUP_JOB,
            replace_existing=True,
            misfire_grace_time=None,  # never dropped for being late: it only says "look at the database"
            coalesce=True,
            max_instances=1,
        )

    async def drain(self) -> None:
        """One pass: send everything due now (and whatever becomes due meanwhile), then return."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db")
        async with self._drain_lock:
            self._lost_lease = False
            if self.single:
                lease = partial(
                    outbox.acquire_dispatcher_lease, holder=self.holder, lease_seconds=self.settings.lease_seconds
                )
                if not await self._db(lease, now=self.clock()):
                    return  # another dispatcher is at work; the wake-up is armed for when its lease ends
            now = self.clock()
            await self._db(outbox.recover_expired, now=now, platforms=self.platforms)
            await self._db(
                outbox.release_held,
                now=now,
                tz=self.tz,
                stale_seconds=self.settings.held_stale_seconds,
                platforms=self.platforms,
            )
            # Rows no sender of ours can take: held with the reason, rather than pending unseen.
            await self._db(
                outbox.hold_unsendable,
                now=now,
                platforms=self.platforms,
                grace_seconds=self.settings.no_sender_grace_seconds,
            )
            heartbeat = asyncio.create_task(self._heartbeat(), name="outbox lease heartbeat")
            try:
                await self._send_all()
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat

    async def _heartbeat(self) -> None:
        every = self.settings.lease_seconds / 3
        while True:
            await asyncio.sleep(every)
            now = self.clock()
            try:
                if self.single and not await self._db(
                    outbox.acquire_dispatcher_lease,
                    holder=self.holder,
                    now=now,
                    lease_seconds=self.settings.lease_seconds,
                ):
                    log.error("lost the dispatcher lease to another dispatcher; stopping this pass")
                    self._lost_lease = True
                    self._wake.set()
                await self._db(outbox.renew, holder=self.holder, now=now, lease_seconds=self.settings.lease_seconds)
                await self._db(outbox.recover_expired, now=now, platforms=self.platforms)
            except Exception:
                log.exception("could not renew the leases")

    async def _send_all(self) -> None:
        settings = self.settings
        loop = asyncio.get_running_loop()
        held: dict[int, OutboxMessage] = {}  # claimed and not finished, in due order
        flying: dict[asyncio.Task[_Outcome], tuple[str, str]] = {}  # send task → (platform, chat)
        busy: set[tuple[str, str]] = set()  # one message per chat on its way at a time, in order
        next_claim = -float("inf")  # on the event loop's clock: how often the database is asked
        claim_now = True  # skip the claim interval (at the start, after a full claim, after a poke)
        stuck = False  # the last round left sending capacity unused because of chats' own limits
        low_water = max(1, settings.batch_size // 2)

        while True:
            stopping = self._stopping or self._lost_lease
            if self._wake.is_set() and not stopping:
                self._wake.clear()  # a poke while sending: look for new rows now
                claim_now = True
            room = min(settings.batch_size, settings.max_held - len(held))
            # More rows are wanted when few are waiting — or when the waiting ones are all held back
            # by their own chat's limit (a full group): then rows of other chats are fetched, up to
            # `max_held`, so that one chat's limit never holds up the others.
            wanted = len(held) - len(flying) < low_water or stuck
            if not stopping and room > 0 and wanted and (claim_now or loop.time() >= next_claim):
                exclude: dict[str, set[str]] = {}
                for message in held.values():
                    exclude.setdefault(message.platform, set()).add(message.chat_id)
                try:
                    claimed = await self._db(
                        outbox.claim,
                        holder=self.holder,
                        now=self.clock(),
                        lease_seconds=settings.lease_seconds,
                        limit=room,
                        platforms=self.platforms,
                        exclude_chats=exclude,
                        today=self.clock().astimezone(self.tz).date(),
                    )
                except Exception:
                    # The database is unwell: finish what is on its way, and ask again a little later.
                    log.exception("could not claim outbox rows")
                    claimed = []
                    room = -1
                self.counters.claims += 1
                next_claim = loop.time() + max(settings.claim_interval_seconds, 1.0 if room < 0 else 0.0)
                claim_now = len(claimed) == room  # a full claim: there may be more at once
                if claimed:
                    rows = [*held.values(), *claimed]
                    rows.sort(key=lambda row: (row.due_at, row.id or 0))
                    held = {row.id: row for row in rows if row.id is not None}
            if not held and not flying:
                return
            if stopping:
                await self._finish(held, flying)
                return

            # Start every held message whose chat and platform may take one now, earliest due first.
            soonest: float | None = None
            waiting_chats: set[tuple[str, str]] = set()
            chat_limited = capped = False
            for message in held.values():
                if len(flying) >= settings.concurrency:
                    capped = True
                    break
                chat = (message.platform, message.chat_id)
                if chat in busy or chat in waiting_chats:
                    continue
                limiter = self.limiters[message.platform]
                kind = ChatKind(message.chat_kind)
                tick = self.ticker()
                wait = limiter.wait_time(message.chat_id, kind, tick)
                if wait > 0:
                    waiting_chats.add(chat)  # this chat's later messages wait behind this one
                    overall = limiter.overall_wait(tick)
                    if overall > 0:
                        # Wake when the platform's budget is back, not when this chat's is: other
                        # chats' messages may go then.
                        soonest = overall if soonest is None else min(soonest, overall)
                        if len(self.limiters) == 1:
                            break  # nothing else may go before then either
                    else:
                        soonest = wait if soonest is None else min(soonest, wait)
                        chat_limited = True
                    continue
                if self.shared and not await self._take_shared(message.platform, len(held) - len(flying), tick):
                    # The platform's budget shared with the other workers is spent for now.
                    wait = max(self._shared_wait.get(message.platform, 0.0) - tick, 0.001)
                    soonest = wait if soonest is None else min(soonest, wait)
                    if len(self.limiters) == 1:
                        break
                    continue
                slot = limiter.try_acquire(message.chat_id, kind, self.ticker() if self.shared else tick)
                if slot is None:
                    # A 429 answered while the shared budget was asked: this chat waits after all.
                    self._granted[message.platform] = self._granted.get(message.platform, 0) + 1
                    waiting_chats.add(chat)
                    soonest = 0.001 if soonest is None else min(soonest, 0.001)
                    continue
                busy.add(chat)
                flying[asyncio.create_task(self._send_one(message, slot))] = chat
            stuck = chat_limited and not capped

            waits: set[asyncio.Future[Any]] = set(flying)
            if soonest is not None:
                # The limits' wait, on the injected sleep (a millisecond at least: floats round).
                waits.add(asyncio.ensure_future(self.sleep(max(soonest, 0.001))))
            wanted = len(held) - len(flying) < low_water or stuck
            if wanted and len(held) < settings.max_held:
                # Room for more rows: look at the database again when the claim interval is up — at
                # once after a full claim, so a chat waiting out its own limit never puts the loop to
                # sleep on that limit while other chats' rows are due.
                claim_in = 0.0 if claim_now else max(0.0, next_claim - loop.time())
                waits.add(asyncio.ensure_future(asyncio.sleep(claim_in)))
            if not waits:
                waits.add(asyncio.ensure_future(asyncio.sleep(settings.claim_interval_seconds)))
            waits.add(asyncio.ensure_future(self._wake.wait()))
            finished, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for other in waits - finished:
                if other not in flying:
                    other.cancel()
            for task in finished:
                if task not in flying:
                    continue
                busy.discard(flying.pop(task))
                outcome = task.result()
                if not outcome.keep and outcome.message.id is not None:
                    held.pop(outcome.message.id, None)
                result = outcome.result
                gone = isinstance(result, Permanent) and CHAT_NOT_FOUND in result.error.lower()
                if isinstance(result, Blocked) or gone:
                    claim_now = True  # notes to the unit leads were queued, due now; or room was made
                    # The chat's other rows in memory: failed with it (gone), or given back to be set
                    # aside by the next claim (blocked). Either way they no longer wait here.
                    chat = (outcome.message.platform, outcome.message.chat_id)
                    same = [key for key, row in held.items() if (row.platform, row.chat_id) == chat]
                    for key in same:
                        held.pop(key)
                    if same and not gone:
                        await self._db(outbox.release, holder=self.holder, ids=same)

    async def _take_shared(self, platform: str, wanted: int, tick: float) -> bool:
        """One token of the platform's budget shared by every worker (PostgreSQL): from what this worker
        was granted, else a few more from the database. Unused grants lapse after a second, so that an
        idle worker's tokens do not add to another's burst."""
        if tick - self._granted_at.get(platform, -math.inf) > 1.0:
            self._granted[platform] = 0
        if self._granted.get(platform, 0) < 1:
            if tick < self._shared_wait.get(platform, -math.inf):
                return False
            limits = self.settings.limits_for(platform)
            want = max(1, min(wanted, limits.overall_burst))
            got, wait = await self._db(shared_budget.take, platform, want=want, now=self.wall(), limits=limits)
            if got == 0:
                self._shared_wait[platform] = tick + wait
                return False
            self._granted[platform] = got
            self._granted_at[platform] = tick
        self._granted[platform] -= 1
        return True

    async def _send_one(self, message: OutboxMessage, slot: Slot) -> _Outcome:
        limiter = self.limiters[message.platform]
        try:
            result = await self.senders[message.platform].send(message)
        except Exception as error:  # a sender's bug must not take the dispatcher down
            log.exception("sender failed on outbox row %s", message.id)
            result = Transient(f"{type(error).__name__}: {error}")
        self.last_tick = self.ticker()
        limiter.done(slot, self.last_tick)
        if self.on_result is not None:
            try:
                self.on_result(message.platform, result)
            except Exception:  # an observer's bug must not lose the result
                log.exception("send observer failed")
        keep = False
        try:
            keep = await self._record(message, result)
        except Exception:
            # The row keeps its lease: after it runs out the row is due again (it may repeat once).
            log.exception("could not record the result of outbox row %s", message.id)
        return _Outcome(message, result, keep)

    async def _record(self, message: OutboxMessage, result: SendResult) -> bool:
        """Write the result; True when the message stays in memory to go again (a short 429)."""
        settings = self.settings
        now = self.clock()
        if isinstance(result, Sent):
            self.counters.sent += 1
            await self._record_sent(message, result.message_id)
            return False
        if isinstance(result, RetryAfter):
            self.counters.throttled += 1
            if (
                self.limiters[message.platform].throttled(message.chat_id, result.seconds, self.ticker())
                and self.shared
            ):
                await self._db(shared_budget.pause, message.platform, until=self.wall() + result.seconds)
            if result.seconds <= settings.hold_retry_after_seconds:
                return True
            await self._db(
                outbox.mark_retry,
                message,
                holder=self.holder,
                error=f"429 Too Many Requests: retry after {result.seconds:g}",
                now=now,
                horizon_seconds=settings.retry_horizon_seconds,
                backoff=self._backoff,
                retry_after=result.seconds,
            )
            return False
        if isinstance(result, Transient):
            state = await self._db(
                outbox.mark_retry,
                message,
                holder=self.holder,
                error=result.error,
                now=now,
                horizon_seconds=settings.retry_horizon_seconds,
                backoff=self._backoff,
            )
            if state is OutboxState.FAILED:
                self.counters.failed += 1
                log.warning(
                    "outbox row %s failed: still failing %g s after its first failure: %s",
                    message.id,
                    settings.retry_horizon_seconds,
                    result.error,
                )
            else:
                self.counters.retried += 1
            return False
        if isinstance(result, Blocked):
            self.counters.blocked += 1
            self.counters.failed += 1
            await self._db(outbox.mark_blocked, message, holder=self.holder, error=result.error, now=now)
            return False
        assert isinstance(result, Permanent)
        self.counters.failed += 1
        log.warning("outbox row %s refused by the platform: %s", message.id, result.error)
        if CHAT_NOT_FOUND in result.error.lower():
            await self._db(outbox.fail_chat, message, holder=self.holder, error=result.error, now=now)
        else:
            await self._db(outbox.mark_failed, message, holder=self.holder, error=result.error, now=now)
        return False

    async def _record_sent(self, message: OutboxMessage, platform_message_id: str) -> None:
        """Acknowledged sends are written together: those that arrive while a commit is under way go
        in the next one. The send waits for its commit (its chat stays busy until then)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._acknowledged.append((message, platform_message_id, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_acknowledged())
        await done

    async def _write_acknowledged(self) -> None:
        while self._acknowledged:
            batch, self._acknowledged = self._acknowledged, []
            error: Exception | None = None
            for pause in (0.0, 0.5, 1.0, 2.0, 4.0):
                # A database hiccup must not make delivered messages due again: try a few times.
                await asyncio.sleep(pause)
                try:
                    await self._db(outbox.mark_sent_many, [(m, mid) for m, mid, _ in batch], now=self.clock())
                except Exception as failure:
                    error = failure
                    continue
                error = None
                break
            for _m, _mid, done in batch:
                if done.done():
                    continue
                if error is None:
                    done.set_result(None)
                else:
                    done.set_exception(error)

    def _backoff(self, attempt: int) -> float:
        return outbox.backoff_delay(
            attempt, base=self.settings.backoff_base_seconds, cap=self.settings.backoff_cap_seconds, rng=self.rng
        )

    async def _finish(
        self, held: dict[int, OutboxMessage], flying: dict[asyncio.Task[_Outcome], tuple[str, str]]
    ) -> None:
        """Stopping: sends on their way get `stop_timeout_seconds` to finish; every other row goes back."""
        if flying:
            done, late = await asyncio.wait(set(flying), timeout=self.settings.stop_timeout_seconds)
            for task in late:
                task.cancel()
            for task in done:
                outcome = task.result()
                if not outcome.keep and outcome.message.id is not None:
                    held.pop(outcome.message.id, None)
            if late:
                await asyncio.wait(late)
        # A send cancelled on its way may have arrived: giving it back risks one repeat, never a loss.
        await self._db(outbox.release, holder=self.holder, ids=list(held))

    # ---- the database, off the event loop -------------------------------------------------------

    async def _db(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs a blocking database call on this dispatcher's one database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(function, self.engine, *args, **kwargs))


__all__ = ["WAKEUP_JOB", "Counters", "DispatchSettings", "Dispatcher", "UnknownPlatformError"]
