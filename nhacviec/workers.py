"""The dispatcher's workers as processes: `run_worker` (`nhacviec run --role worker`) and `python -m
nhacviec.workers` (a bare worker, as the crash tests run it). Here, not in scheduler/delivery, because they
build the platforms' senders (Telegram's, or the sandbox's stand-in for it): delivery never imports a platform.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.platforms.telegram.sender import telegram_sender
from models import db
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.dispatcher import Clock, Dispatcher, utc_now
from scheduler.delivery.senders import Sender, SendResult

if TYPE_CHECKING:
    from nhacviec.settings import Settings

SANDBOX_TOKEN = "7000000001:SANDBOX-local-only"


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
) -> None:
    """`nhacviec run --role worker`: a dispatcher only, until `stop` is set.

    `on_result` hears each send's result; `on_started` gets the running dispatcher (the service's
    readiness check watches its ticks).

    `settings` is nhacviec.settings.Settings (db_url, timezone, telegram_token; without a token the
    worker sends to the sandbox that `--role bot` serves at sandbox_host:sandbox_port). Several workers
    may share one PostgreSQL database; on SQLite they take turns.
    """
    dispatch = dispatch or settings.dispatch
    engine = db.make_engine(settings.db_url)
    bots: list[Bot] = []
    try:
        await asyncio.to_thread(db.upgrade, engine)
        if senders is None:
            token = settings.telegram_token.get_secret_value() if settings.telegram_token else None
            base_url = settings.telegram_base_url
            if token is None:
                token = SANDBOX_TOKEN  # the sandbox takes any well-formed token
                base_url = f"http://{settings.sandbox_host}:{settings.sandbox_port}/bot"
            sender = telegram_sender(token, base_url=base_url, settings=dispatch)
            await sender.bot.initialize()
            bots.append(sender.bot)
            senders = {"telegram": sender}
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
        for bot in bots:
            await bot.shutdown()
        engine.dispose()


# ---- `python -m nhacviec.workers`: a bare worker -------------------------------------------------


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
    dispatch = DispatchSettings(**json.loads(args.settings))
    engine = db.make_engine(args.db)
    sender = telegram_sender(args.token, base_url=args.base_url, settings=dispatch)
    await sender.bot.initialize()
    dispatcher = Dispatcher(
        engine,
        {"telegram": sender},
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
