"""The dispatcher's workers as processes: `run_worker` (`nhacviec run --role worker`) and `python -m
nhacviec.workers` (a bare worker, as the crash tests run it). Here, not in scheduler/delivery, because they
build the platforms' senders (the registry's, nhacviec/platforms.py): delivery never imports a platform.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from bot.platforms import ChatPlatform, Outbound, Setup
from bot.platforms.telegram import PLATFORM as TELEGRAM
from bot.platforms.telegram import SANDBOX_TOKEN
from models import db
from models.reminders import OutboxMessage, OutboxState
from nhacviec.platforms import PLATFORMS, configured, sandboxed
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.dispatcher import Clock, Dispatcher, utc_now
from scheduler.delivery.senders import Sender, SendResult

if TYPE_CHECKING:
    from nhacviec.settings import Settings

log = logging.getLogger(__name__)


def unserved_rows(engine: Engine, served: Collection[str]) -> dict[str, int]:
    """Rows waiting to be sent (pending or held) for platforms none of `served` is, counted by platform."""
    m = OutboxMessage
    waiting = [OutboxState.PENDING.value, OutboxState.HELD.value]
    with db.session_scope(engine) as session:
        rows = session.execute(
            sa.select(col(m.platform), sa.func.count())
            .where(col(m.state).in_(waiting), col(m.platform).not_in(list(served)))
            .group_by(col(m.platform))
            .order_by(col(m.platform))
        ).all()
    return {str(platform): int(count) for platform, count in rows}


def refuse_unserved(engine: Engine, served: Collection[str]) -> dict[str, int]:
    """At start: the outbox rows this dispatcher will not send because their platform is not configured
    here, each platform logged once as a clear refusal. They are left as they are (never sent with
    another platform's sender or limits, never failed): they go out once a dispatcher with that
    platform runs — its token set, or a worker that has it."""
    unserved = unserved_rows(engine, served)
    for platform, count in unserved.items():
        log.warning(
            "outbox: %d message(s) for platform %r are not sent: that platform is not configured here "
            "(no token for it); they wait until a dispatcher with it runs",
            count,
            platform,
        )
    return unserved


def worker_outbounds(
    settings: Settings, engine: Engine, clock: Clock, platforms: Sequence[ChatPlatform] = PLATFORMS
) -> dict[str, Outbound]:
    """The senders of every configured platform. Without any token a worker sends to the sandbox that
    `run --role bot` serves at sandbox_host:sandbox_port."""
    in_sandbox = sandboxed(settings, tuple(platforms))
    root = f"http://{settings.sandbox_host}:{settings.sandbox_port}" if in_sandbox else None
    setup = Setup(settings, engine, clock, root)
    return {
        platform.name: platform.outbound(setup)
        for platform in configured(settings, tuple(platforms), sandbox=in_sandbox)
    }


async def run_worker(
    settings: Settings,
    stop: asyncio.Event,
    *,
    senders: Mapping[str, Sender] | None = None,
    dispatch: DispatchSettings | None = None,
    clock: Clock = utc_now,
    name: str | None = None,
    on_result: Callable[[str, SendResult], None] | None = None,
    on_started: Callable[[Dispatcher], None] | None = None,
    platforms: Sequence[ChatPlatform] = PLATFORMS,
) -> None:
    """`nhacviec run --role worker`: a dispatcher only, until `stop` is set.

    `on_result` hears each send's result; `on_started` gets the running dispatcher (the service's
    readiness check watches its ticks). Without `senders`, the configured platforms' (`platforms`).

    `settings` is nhacviec.settings.Settings (db_url, timezone, the platforms' tokens; without any the
    worker sends to the sandbox that `--role bot` serves at sandbox_host:sandbox_port). Several workers
    may share one PostgreSQL database; on SQLite they take turns.
    """
    dispatch = dispatch or settings.dispatch
    engine = db.make_engine(settings.db_url)
    outbounds: dict[str, Outbound] = {}
    try:
        await asyncio.to_thread(db.upgrade, engine)
        if senders is None:
            outbounds = worker_outbounds(settings, engine, clock, platforms)
            for outbound in outbounds.values():
                await outbound.open()
            senders = {platform: outbound.sender for platform, outbound in outbounds.items()}
        await asyncio.to_thread(refuse_unserved, engine, senders)
        dispatcher = Dispatcher(
            engine,
            senders,
            settings=dispatch,
            clock=clock,
            tz=ZoneInfo(settings.timezone),
            name=name,
            on_result=on_result,
        )
        await dispatcher.start()
        if on_started is not None:
            on_started(dispatcher)
        try:
            await stop.wait()
        finally:
            await dispatcher.stop()
    finally:
        for outbound in outbounds.values():
            await outbound.close()
        engine.dispose()


# ---- `python -m nhacviec.workers`: a bare worker -------------------------------------------------
# A test harness (crash tests, bench/reliability.py): it sends Telegram rows only, to the Bot API at
# --base-url (the sandbox's), with none of the service's settings read from the environment.


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m nhacviec.workers", description="Send the outbox.")
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--token", default=os.environ.get("NHACVIEC_TELEGRAM_TOKEN", SANDBOX_TOKEN))
    parser.add_argument("--base-url", default=None, help="Bot API base URL (the sandbox's, ending in /bot)")
    parser.add_argument("--name", default=None, help="this dispatcher's lease name (unique among running ones)")
    parser.add_argument("--settings", default="{}", help="DispatchSettings as JSON")
    parser.add_argument("--seed", type=int, default=None, help="seed of the backoff jitter")
    parser.add_argument("--until-done", action="store_true", help="exit once nothing is pending or sending")
    return parser.parse_args(argv)


async def _worker_main(args: argparse.Namespace) -> None:
    from bot.platforms.telegram.sender import telegram_sender

    dispatch = DispatchSettings(**json.loads(args.settings))
    engine = db.make_engine(args.db)
    sender = telegram_sender(args.token, base_url=args.base_url, settings=dispatch)
    await sender.bot.initialize()
    dispatcher = Dispatcher(
        engine,
        {TELEGRAM.name: sender},
        settings=dispatch,
        name=args.name,
        rng=random.Random(args.seed) if args.seed is not None else None,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    try:
        if args.until_done:
            done = asyncio.create_task(dispatcher.run_until_done())
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({done, stopped}, return_when=asyncio.FIRST_COMPLETED)
            for task in (done, stopped):
                task.cancel()
            if done.done() and not done.cancelled() and done.exception() is not None:
                raise done.exception()  # type: ignore[misc]
        else:
            await dispatcher.start()
            await stop.wait()
    finally:
        await dispatcher.stop()
        await sender.bot.shutdown()
        engine.dispose()
    print(json.dumps({"holder": dispatcher.holder, **dispatcher.counters.__dict__}), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    from nhacviec import logs  # the service's handler: the token never reaches the log

    args = _parse(argv)
    logs.configure(secrets=[args.token], level=os.environ.get("NHACVIEC_LOG_LEVEL", "WARNING").upper())
    asyncio.run(_worker_main(args))


if __name__ == "__main__":
    main()


__all__ = ["main", "run_worker"]
