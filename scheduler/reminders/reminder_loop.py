"""Wakes the reminder planner up: once at the next step's time (one APScheduler job carrying nothing
but its id; the database is the truth), whenever the sandbox's clock jumps, and whenever a report
comes in (a blocker is told to the monitor at once). The same wake-up
queues the monitor's draft reports (scheduler/reminders/draft_enqueue.py) and waits for the next one too."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from sqlalchemy.engine import Engine

from models.db import session_scope
from scheduler.reminders.draft_enqueue import enqueue_drafts
from scheduler.reminders.enqueue import enqueue_due, next_due_at

log = logging.getLogger(__name__)

WAKEUP_JOB = "reminders-wakeup"
# Look again at least this often: another process may have changed what is due.
LONGEST_SLEEP = timedelta(minutes=15)


class ReminderLoop:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime],
        tz: ZoneInfo,
        locale: str,
        report_draft_working_days: int,
        on_queued: Callable[[], None],
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.tz = tz
        self.locale = locale
        self.report_draft_working_days = report_draft_working_days
        self.on_queued = on_queued  # e.g. the dispatcher's poke
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._wanted = False  # a run is waiting for the lock: later wake-ups are that run
        self._runs: set[asyncio.Future[None]] = set()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        # A late wake-up still runs (grace of an hour) and several missed ones run once (coalesce).
        self._scheduler = AsyncIOScheduler(
            timezone=self.tz, job_defaults={"misfire_grace_time": 3600, "coalesce": True, "max_instances": 1}
        )
        self._scheduler.start()
        await self.run_now()

    async def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    def clock_moved(self, _now: datetime) -> None:
        """For SandboxClock.subscribe: safe from any thread."""
        self.wake()

    def wake(self) -> None:
        """Plan again now (the clock moved, a report came in). Safe from any thread; wake-ups that come
        while a run waits for its turn are served by that run, which reads the facts when it starts."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._run_soon)

    def _run_soon(self) -> None:
        if self._wanted:
            return
        self._wanted = True
        run = asyncio.ensure_future(self.run_now())
        self._runs.add(run)
        run.add_done_callback(self._runs.discard)

    async def run_now(self) -> None:
        async with self._lock:
            self._wanted = False
            try:
                queued, upcoming = await asyncio.to_thread(self._plan)
            except Exception:  # logged and retried at the next wake-up; never kills the service
                log.exception("reminder planning failed")
                queued, upcoming = 0, None
            if queued:
                self.on_queued()
            self._arm(upcoming)

    def _plan(self) -> tuple[int, datetime | None]:
        now = self.clock()
        with session_scope(self.engine) as session:
            result = enqueue_due(session, now=now, tz=self.tz, default_locale=self.locale)
            upcoming = next_due_at(session, now, tz=self.tz)
        queued = result.messages + result.merged
        # Its own transaction: a draft that cannot be built (a broken summary, a full disk) must not take
        # the reminders down with it. It is tried again at the next wake-up.
        try:
            with session_scope(self.engine) as session:
                drafts = enqueue_drafts(
                    session,
                    now=now,
                    working_days_before=self.report_draft_working_days,
                    tz=self.tz,
                    default_locale=self.locale,
                )
        except Exception:
            log.exception("queuing the draft report failed")
            return queued, upcoming
        moments = [moment for moment in (upcoming, drafts.next_at) if moment is not None]
        return queued + drafts.messages, min(moments, default=None)

    def _arm(self, upcoming: datetime | None) -> None:
        if self._scheduler is None:
            return
        # The product's clock may run apart from the wall (the sandbox's does): sleep the difference.
        delay = LONGEST_SLEEP if upcoming is None else min(LONGEST_SLEEP, upcoming - self.clock())
        run_date = datetime.now(self.tz) + max(delay, timedelta(seconds=1))
        self._scheduler.add_job(self.run_now, "date", run_date=run_date, id=WAKEUP_JOB, replace_existing=True)
