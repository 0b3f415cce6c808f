"""Sends 10,000 messages to 2,000 private chats and 50 groups through the sandbox with Telegram's real
limits on (30/s overall, 1/s per private chat with a burst of 3, 20/min per group), twice:

1. through our dispatcher (the durable outbox on SQLite, `TelegramSender` on python-telegram-bot);
2. the same messages, in the same order, as plain `bot.send_message` calls through an Application
   built with python-telegram-bot's `AIORateLimiter` (its defaults, `max_retries=3` so that a 429
   is retried rather than lost) — the comparison.

Then a Zalo load: 1,500 messages to 400 private chats and 10 groups through the sandbox's Zalo Bot
API with its configured limits (`ZaloLimits`: 5/s overall with a burst of 5, one every 2 s per
private chat with a burst of 2, 20/min per group), sent by our dispatcher through `ZaloSender` with
the service's Zalo settings (`DispatchSettings().zalo`). The sandbox has no Zalo groups of its own
yet: the bench adds group chats (opaque ids, `chat_type` GROUP) to its Zalo side, which paces them
by the group window; the rows say they are groups (`chat_kind`), as the reminder planner does.

Each run gets a fresh sandbox. Figures come from the sandbox's own record of the traffic: the pace is
the accepted sends over the time from the first to the last, against the platform's overall limit.
The Zalo figures are one line before the last:

    dispatch zalo: messages=<n> rate_ratio=<achieved/limit> http_429=<n> lost=<n> duplicated=<n>

The last line is a public contract:

    dispatch: rate_ratio=<achieved/limit> http_429=<n> lost=<n> dup=<n> ptb_rate_ratio=<r> ptb_429=<n>

At 30 a second the full Telegram load takes about six minutes per run, the Zalo load five minutes at
5 a second; `--messages 1000 --zalo-messages 200` for a quick look, `--platform zalo` (or telegram)
for one platform only (its line is then the last).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
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

import httpx
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application

from bot.platforms.telegram.sender import telegram_sender
from bot.platforms.zalo.api import ZaloApi
from bot.platforms.zalo.sender import ZaloSender
from domain.messages import Button, ChatKind
from domain.payloads import Choice, ChoiceKind, encode
from models import db
from models.db import session_scope
from sandbox import VIETNAM, Limits, Sandbox, SandboxClock, SimGroup, SimPerson
from sandbox.limits import ZaloLimits
from sandbox.telegram_api import Exchange
from sandbox.zalo_state import ZaloChat
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings

TOKEN = "7000000001:BENCH-local-only"
ZALO_TOKEN = "1459232241454765289:BENCH-local-only"
PRIVATE_CHATS = 2000
GROUPS = 50
ZALO_PRIVATE_CHATS = 400
ZALO_GROUPS = 10
NOW = datetime(2026, 3, 2, 8, 30, tzinfo=VIETNAM)
PREFIX = "Nhắc việc "


def done_button(number: int) -> tuple[tuple[Button, ...], ...]:
    """A reminder's button, as the core makes one (a real payload, so each row carries its keyboard)."""
    return ((Button("✅ Đã hoàn thành", encode(Choice(ChoiceKind.UNDO, (number,)))),),)


@dataclass(frozen=True)
class Load:
    keys: list[str]
    chats: list[int]


@dataclass(frozen=True)
class ZaloLoad:
    keys: list[str]
    chats: list[tuple[str, ChatKind]]


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
    arrived: Counter[str] = Counter()
    for chat in box.state.chats.values():
        for message in chat.messages.values():
            if message.from_bot and message.text.startswith(PREFIX):
                arrived[message.text.removeprefix(PREFIX)] += 1
    return traffic(list(box.exchanges), arrived, load.keys, limit)


def traffic(exchanges: list[Exchange], arrived: Counter[str], keys: list[str], limit: float) -> Figures:
    """The pace of the accepted sends against `limit`, and which keys arrived how often."""
    sends = [e for e in exchanges if e.method == "sendMessage"]
    accepted = [e for e in sends if e.status == 200]
    seconds = (accepted[-1].at - accepted[0].at) if len(accepted) > 1 else 0.0
    rate = (len(accepted) - 1) / seconds if seconds > 0 else 0.0
    return Figures(
        accepted=len(accepted),
        http_429=sum(1 for e in sends if e.status == 429),
        other_errors=sum(1 for e in sends if e.status not in (200, 429)),
        seconds=seconds,
        rate=rate,
        rate_ratio=rate / limit,
        lost=len(set(keys) - set(arrived)),
        dup=sum(arrived.values()) - len(arrived),
    )


async def run_ours(load: Load, db_url: str | None) -> tuple[Figures, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        url = db_url or f"sqlite:///{scratch}/bench.db"
        engine = db.make_engine(url)
        db.upgrade(engine)
        started = time.monotonic()
        with session_scope(engine) as session:
            for number, (key, chat) in enumerate(zip(load.keys, load.chats, strict=True), start=1):
                outbox.enqueue(
                    session,
                    key=key,
                    platform="telegram",
                    chat_id=str(chat),
                    chat_kind=ChatKind.GROUP if chat < 0 else ChatKind.PRIVATE,  # the load's groups are negative
                    text=f"{PREFIX}<b>{key}</b>",
                    due_at=NOW,
                    now=NOW,
                    buttons=done_button(number),
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


def zalo_people() -> list[SimPerson]:
    return [
        SimPerson(id=20_000 + n, name=f"Cán bộ Zalo {n}", unit=None, role="staff", platform="zalo")
        for n in range(ZALO_PRIVATE_CHATS)
    ]


def zalo_group_ids() -> list[str]:
    # Opaque, like Zalo's: nothing in the id says it is a group.
    return [hashlib.sha256(f"bench zalo group {n}".encode()).hexdigest()[:20] for n in range(ZALO_GROUPS)]


def make_zalo_load(messages: int, seed: int) -> ZaloLoad:
    """The Telegram load's shape on Zalo: four in five to private chats, one in five to groups, shuffled."""
    people, groups = zalo_people(), zalo_group_ids()
    to_groups = messages // 5
    chats = [(groups[n % ZALO_GROUPS], ChatKind.GROUP) for n in range(to_groups)]
    chats += [(people[n % ZALO_PRIVATE_CHATS].zalo_user_id, ChatKind.PRIVATE) for n in range(messages - to_groups)]
    random.Random(seed).shuffle(chats)
    return ZaloLoad(keys=[f"z{n}" for n in range(messages)], chats=chats)


async def fresh_zalo_sandbox(messages: int) -> Sandbox:
    people = zalo_people()
    box = Sandbox(people, clock=SandboxClock(NOW), zalo_limits=ZaloLimits())
    box.zalo_api.exchanges = deque(maxlen=messages * 4 + 10_000)  # keep the whole record
    for chat_id in zalo_group_ids():
        # The sandbox's Zalo side has private chats only: a group chat is added here (a member who
        # started the bot stands for the group's right to be written to).
        box.zalo.chats[chat_id] = ZaloChat(chat_id, people[0].id, chat_type="GROUP")
    await box.start("127.0.0.1", 0)
    return box


def zalo_arrivals(box: Sandbox) -> Counter[str]:
    """Each key's arrivals, from the first line of the bot's messages (the numbered choices follow it)."""
    arrived: Counter[str] = Counter()
    for chat in box.zalo.chats.values():
        for message in chat.messages.values():
            if message.from_bot and message.text.startswith(PREFIX):
                arrived[message.text.split("\n", 1)[0].removeprefix(PREFIX)] += 1
    return arrived


async def run_zalo(load: ZaloLoad, db_url: str | None) -> tuple[Figures, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        url = db_url or f"sqlite:///{scratch}/bench-zalo.db"
        engine = db.make_engine(url)
        db.upgrade(engine)
        started = time.monotonic()
        with session_scope(engine) as session:
            for number, (key, (chat, kind)) in enumerate(zip(load.keys, load.chats, strict=True), start=1):
                outbox.enqueue(
                    session,
                    key=key,
                    platform="zalo",
                    chat_id=chat,
                    chat_kind=kind,
                    text=f"{PREFIX}<b>{key}</b>",
                    due_at=NOW,
                    now=NOW,
                    buttons=done_button(number),
                )
        queued = time.monotonic() - started
        box = await fresh_zalo_sandbox(len(load.keys))
        settings = DispatchSettings()
        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=settings.concurrency))
        sender = ZaloSender(ZaloApi(ZALO_TOKEN, base_url=box.zalo_base_url, client=client))
        dispatcher = Dispatcher(engine, {"zalo": sender}, settings=settings, clock=box.clock.now)
        try:
            started = time.monotonic()
            await dispatcher.run_until_done()
            wall = time.monotonic() - started
        finally:
            await dispatcher.stop()
            await client.aclose()
            await box.stop()
            engine.dispose()
    extra = {"enqueue_s": queued, "wall_s": wall, **dispatcher.counters.__dict__}
    result = traffic(list(box.zalo_api.exchanges), zalo_arrivals(box), load.keys, ZaloLimits().overall_per_second)
    return result, extra


def show(name: str, result: Figures, extra: dict[str, Any]) -> None:
    print(
        f"{name}: accepted={result.accepted} in {result.seconds:.1f} s = {result.rate:.2f}/s "
        f"(ratio {result.rate_ratio:.3f}); 429={result.http_429} other_errors={result.other_errors} "
        f"lost={result.lost} dup={result.dup}; "
        + " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in extra.items())
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=10_000, help="the Telegram load")
    parser.add_argument("--zalo-messages", type=int, default=1_500, help="the Zalo load")
    parser.add_argument("--platform", choices=["both", "telegram", "zalo"], default="both")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # Its give-ups are counted (gave_up=…); their tracebacks would only bury the figures.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    telegram = args.platform in ("both", "telegram")
    if telegram:
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
    if args.platform in ("both", "zalo"):
        zalo_load = make_zalo_load(args.zalo_messages, args.seed)
        zalo_groups = sum(1 for _chat, kind in zalo_load.chats if kind is ChatKind.GROUP)
        server, mine = ZaloLimits(), DispatchSettings().zalo
        print(
            f"zalo load: {args.zalo_messages} messages, {args.zalo_messages - zalo_groups} to {ZALO_PRIVATE_CHATS} "
            f"private chats, {zalo_groups} to {ZALO_GROUPS} groups; sandbox Zalo limits "
            f"{server.overall_per_second:g}/s overall (burst {server.overall_burst}), "
            f"{server.private_per_second:g}/s per private chat (burst {server.private_burst}), "
            f"{server.group_per_minute}/min per group; ours {mine.overall_per_second:g}/s (burst "
            f"{mine.overall_burst}), {mine.private_per_second:g}/s (burst {mine.private_burst}), "
            f"{mine.group_per_minute}/min"
        )
        zalo, zalo_extra = await run_zalo(zalo_load, args.db)
        show("zalo dispatcher", zalo, zalo_extra)
        print(
            f"dispatch zalo: messages={args.zalo_messages} rate_ratio={zalo.rate_ratio:.3f} "
            f"http_429={zalo.http_429} lost={zalo.lost} duplicated={zalo.dup}"
        )
    if telegram:
        print(
            f"dispatch: rate_ratio={ours.rate_ratio:.3f} http_429={ours.http_429} lost={ours.lost} dup={ours.dup} "
            f"ptb_rate_ratio={ptb.rate_ratio:.3f} ptb_429={ptb.http_429}"
        )


if __name__ == "__main__":
    asyncio.run(main())
