"""Sends 10,000 messages to 2,000 private chats and 50 groups through the sandbox with Telegram's real
limits on (30/s overall, 1/s per private chat with a burst of 3, 20/min per group), twice:

1. through our dispatcher (the durable outbox on SQLite, `TelegramSender` on python-telegram-bot);
2. the same messages, in the same order, as plain `bot.send_message` calls through an Application
   built with python-telegram-bot's `AIORateLimiter` (its defaults, `max_retries=3` so that a 429
   is retried rather than lost) — the comparison.

Each run gets a fresh sandbox. Figures come from the sandbox's own record of the traffic: the pace is
the accepted sends over the time from the first to the last, against the 30/s limit. The last line
is a public contract:

    dispatch: rate_ratio=<achieved/limit> http_429=<n> lost=<n> dup=<n> ptb_rate_ratio=<r> ptb_429=<n>

At 30 a second the full load takes about six minutes per run; `--messages 1000` for a quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application

from bot.platforms.telegram.sender import telegram_sender
from models import db
from models.db import session_scope
from sandbox import VIETNAM, Limits, Sandbox, SandboxClock, SimGroup, SimPerson
from sandbox.telegram_api import Exchange
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings

TOKEN = "7000000001:BENCH-local-only"
PRIVATE_CHATS = 2000
GROUPS = 50
NOW = datetime(2026, 3, 2, 8, 30, tzinfo=VIETNAM)
PREFIX = "Nhắc việc "


@dataclass(frozen=True)
class Load:
    keys: list[str]
    chats: list[int]


@dataclass(frozen=True)
class Figures:
    accepted: int
    http_429: int
    other_errors: int
    seconds: float
    rate: float
    rate_ratio: float
    lost: int
    dup: int


def people_and_groups() -> tuple[list[SimPerson], list[SimGroup]]:
    people = [SimPerson(id=10_000 + n, name=f"Cán bộ {n}", unit=None, role="staff") for n in range(PRIVATE_CHATS)]
    groups = [SimGroup(id=-5_000 - n, title=f"Nhóm đơn vị {n}", members=()) for n in range(GROUPS)]
    return people, groups


def make_load(messages: int, seed: int) -> Load:
    """Four in five messages to private chats, one in five to groups, spread evenly, in shuffled order."""
    people, groups = people_and_groups()
    to_groups = messages // 5
    chats = [groups[n % GROUPS].id for n in range(to_groups)]
    chats += [people[n % PRIVATE_CHATS].id for n in range(messages - to_groups)]
    random.Random(seed).shuffle(chats)
    return Load(keys=[f"b{n}" for n in range(messages)], chats=chats)


async def fresh_sandbox(messages: int) -> Sandbox:
    people, groups = people_and_groups()
    box = Sandbox(people, groups=groups, clock=SandboxClock(NOW), limits=Limits())
    box.api.exchanges = deque(maxlen=messages * 4 + 10_000)  # keep the whole record
    await box.start("127.0.0.1", 0)
    return box


def figures(box: Sandbox, load: Load, limit: float) -> Figures:
    sends: list[Exchange] = [e for e in box.exchanges if e.method == "sendMessage"]
    accepted = [e for e in sends if e.status == 200]
    arrived: Counter[str] = Counter()
    for chat in box.state.chats.values():
        for message in chat.messages.values():
            if message.from_bot and message.text.startswith(PREFIX):
                arrived[message.text.removeprefix(PREFIX)] += 1
    seconds = (accepted[-1].at - accepted[0].at) if len(accepted) > 1 else 0.0
    rate = (len(accepted) - 1) / seconds if seconds > 0 else 0.0
    return Figures(
        accepted=len(accepted),
        http_429=sum(1 for e in sends if e.status == 429),
        other_errors=sum(1 for e in sends if e.status not in (200, 429)),
        seconds=seconds,
        rate=rate,
        rate_ratio=rate / limit,
        lost=len(set(load.keys) - set(arrived)),
        dup=sum(arrived.values()) - len(arrived),
    )


async def run_ours(load: Load, db_url: str | None) -> tuple[Figures, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        url = db_url or f"sqlite:///{scratch}/bench.db"
        engine = db.make_engine(url)
        db.upgrade(engine)
        started = time.monotonic()
        with session_scope(engine) as session:
            for key, chat in zip(load.keys, load.chats, strict=True):
                outbox.enqueue(
                    session,
                    key=key,
                    platform="telegram",
                    chat_id=str(chat),
                    text=f"{PREFIX}<b>{key}</b>",
                    due_at=NOW,
                    now=NOW,
                    buttons=[[{"label": "✅ Đã hoàn thành", "payload": f"done:{key}"}]],
                )
        queued = time.monotonic() - started
        box = await fresh_sandbox(len(load.keys))
        settings = DispatchSettings()
        sender = telegram_sender(TOKEN, base_url=box.base_url, settings=settings)
        await sender.bot.initialize()
        dispatcher = Dispatcher(engine, {"telegram": sender}, settings=settings, clock=box.clock.now)
        try:
            started = time.monotonic()
            await dispatcher.run_until_done()
            wall = time.monotonic() - started
        finally:
            await dispatcher.stop()
            await sender.bot.shutdown()
            await box.stop()
            engine.dispose()
    extra = {"enqueue_s": queued, "wall_s": wall, **dispatcher.counters.__dict__}
    return figures(box, load, Limits().overall_per_second), extra


async def run_ptb(load: Load) -> tuple[Figures, dict[str, Any]]:
    box = await fresh_sandbox(len(load.keys))
    application = (
        Application.builder().token(TOKEN).base_url(box.base_url).rate_limiter(AIORateLimiter(max_retries=3)).build()
    )
    failures: Counter[str] = Counter()

    async def send(key: str, chat: int) -> None:
        try:
            await application.bot.send_message(chat, f"{PREFIX}<b>{key}</b>", parse_mode=ParseMode.HTML)
        except TelegramError as error:
            failures[type(error).__name__] += 1

    try:
        async with application:
            started = time.monotonic()
            await asyncio.gather(*(send(key, chat) for key, chat in zip(load.keys, load.chats, strict=True)))
            wall = time.monotonic() - started
    finally:
        await box.stop()
    return figures(box, load, Limits().overall_per_second), {"wall_s": wall, "gave_up": dict(failures)}


def show(name: str, result: Figures, extra: dict[str, Any]) -> None:
    print(
        f"{name}: accepted={result.accepted} in {result.seconds:.1f} s = {result.rate:.2f}/s "
        f"(ratio {result.rate_ratio:.3f}); 429={result.http_429} other_errors={result.other_errors} "
        f"lost={result.lost} dup={result.dup}; "
        + " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in extra.items())
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # Its give-ups are counted (gave_up=…); their tracebacks would only bury the figures.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    load = make_load(args.messages, args.seed)
    groups = sum(1 for chat in load.chats if chat < 0)
    print(
        f"load: {args.messages} messages, {args.messages - groups} to {PRIVATE_CHATS} private chats, "
        f"{groups} to {GROUPS} groups; sandbox limits {Limits().overall_per_second:g}/s overall, "
        f"{Limits().private_per_second:g}/s per private chat (burst {Limits().private_burst}), "
        f"{Limits().group_per_minute}/min per group"
    )
    ours, ours_extra = await run_ours(load, args.db)
    show("dispatcher", ours, ours_extra)
    ptb, ptb_extra = await run_ptb(load)
    show("ptb AIORateLimiter", ptb, ptb_extra)
    print(
        f"dispatch: rate_ratio={ours.rate_ratio:.3f} http_429={ours.http_429} lost={ours.lost} dup={ours.dup} "
        f"ptb_rate_ratio={ptb.rate_ratio:.3f} ptb_429={ptb.http_429}"
    )


if __name__ == "__main__":
    asyncio.run(main())
