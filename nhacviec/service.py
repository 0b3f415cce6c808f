"""`nhacviec run`: the whole product wired together in one place.

With a Telegram token it talks to Telegram. Without one it starts the sandbox (a local Telegram Bot
API with a web chat page), seeds simulated people and points the real python-telegram-bot client at
it, so anyone can try the product with no token and no internet. The sandbox owns the clock then.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from telegram import Bot
from telegram.ext import Application

from bot.conversation import Clock, Conversation
from bot.telegram import TelegramTransport, register_commands
from importer.read import read_plan
from importer.store import ImportResult, PlanOverrides, import_plan
from locales.catalogs import Translate
from models import db
from models.queries import list_plans
from nhacviec.bundled import bundled_plan_path
from nhacviec.demo import SimulatedPerson, seed_people
from nhacviec.settings import Settings
from reports.summary_facts import RegistryCache
from sandbox.clock import VIETNAM, SandboxClock
from sandbox.server import Sandbox
from sandbox.state import SimPerson
from scheduler.dispatcher import Dispatcher, run_worker, telegram_sender
from scheduler.reminder_loop import ReminderLoop

log = logging.getLogger(__name__)

# Any well-formed token works against the sandbox; this one is never valid on Telegram.
SANDBOX_TOKEN = "7000000001:SANDBOX-local-only"


@dataclass
class Running:
    """What a started service holds; `stop()` ends it cleanly."""

    application: Application  # type: ignore[type-arg]
    sandbox: Sandbox | None
    engine: Engine
    people: list[SimulatedPerson]
    conversation: Conversation
    transport: TelegramTransport
    dispatcher: Dispatcher | None = None
    sender_bot: Bot | None = None
    reminders: ReminderLoop | None = None
    unsubscribe: Callable[[], None] | None = None

    async def stop(self) -> None:
        if self.unsubscribe is not None:
            self.unsubscribe()
        if self.reminders is not None:
            await self.reminders.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        if self.sender_bot is not None:
            await self.sender_bot.shutdown()
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        if self.sandbox is not None:
            await self.sandbox.stop()
        self.engine.dispose()


def prepare_database(engine: Engine, actor: str) -> ImportResult | None:
    """Migrates, and imports the bundled plan (its reporting duty accepted) when there is no plan yet —
    under the start-up lock, so that of two processes starting at once one does it and the other waits."""
    with db.startup_lock(engine):
        db.upgrade(engine, lock=False)
        with db.session_scope(engine) as session:
            if list_plans(session):
                return None
            document = read_plan(bundled_plan_path())
            return import_plan(
                session, document, PlanOverrides(), actor=actor, now=datetime.now(UTC), accept_obligations=True
            )


def seed_sandbox_people(engine: Engine, now: datetime) -> list[SimulatedPerson]:
    """The sandbox's simulated people, created once (under the start-up lock, like the plan)."""
    with db.startup_lock(engine), db.session_scope(engine) as session:
        return seed_people(session, now)


async def start(
    settings: Settings,
    *,
    sandbox_clock: SandboxClock | None = None,
    guests: Sequence[SimPerson] = (),
    reminders: bool = True,
    dispatch: bool = True,
) -> Running:
    """Starts the bot (and, without a token, the sandbox and its simulated people).

    `guests` are extra sandbox people nobody invited yet (tests use them to try joining); a given
    `sandbox_clock` lets a test hold time still.
    """
    clock: Clock
    engine = db.make_engine(settings.db_url)
    await asyncio.to_thread(prepare_database, engine, "run")
    sandbox: Sandbox | None = None
    people: list[SimulatedPerson] = []
    if settings.telegram_token is None:
        sandbox_clock = sandbox_clock or SandboxClock(datetime.now(VIETNAM), running=True)
        people = await asyncio.to_thread(seed_sandbox_people, engine, sandbox_clock.now())
        sandbox = Sandbox(
            [SimPerson(id=p.id, name=p.name, unit=p.unit, role=p.role.value) for p in people] + list(guests),
            clock=sandbox_clock,
            bot_username=settings.telegram_bot_username,
        )
        await sandbox.start(settings.sandbox_host, settings.sandbox_port)
        clock = sandbox_clock.now  # the sandbox owns the product's clock
        token = SANDBOX_TOKEN
    else:
        clock = lambda: datetime.now(UTC)  # noqa: E731
        token = settings.telegram_token.get_secret_value()
    conversation = Conversation(
        engine, tz=settings.tz, default_locale=settings.locale, clock=clock, registry=RegistryCache()
    )
    transport = TelegramTransport(conversation, bot_username=settings.telegram_bot_username)
    application = transport.build(
        token,
        base_url=sandbox.base_url if sandbox else None,
        base_file_url=sandbox.base_file_url if sandbox else None,
    )
    running = Running(
        application=application,
        sandbox=sandbox,
        engine=engine,
        people=people,
        conversation=conversation,
        transport=transport,
    )
    try:
        await application.initialize()
        # Registered here, not in post_init: post_init runs only under run_polling/run_webhook.
        await register_commands(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=10)
        if reminders:
            # Reminders go out through the outbox: the loop queues due steps, a dispatcher sends them —
            # this process's (role "all"), or separate workers sharing the database (role "bot").
            poke: Callable[[], None] = lambda: None  # noqa: E731  (workers look at the outbox every few seconds)
            if dispatch:
                sender = telegram_sender(
                    token, base_url=sandbox.base_url if sandbox else None, settings=settings.dispatch
                )
                await sender.bot.initialize()
                running.sender_bot = sender.bot
                running.dispatcher = Dispatcher(
                    engine, {"telegram": sender}, settings=settings.dispatch, clock=clock, tz=settings.tz
                )
                await running.dispatcher.start()
                poke = running.dispatcher.poke
            running.reminders = ReminderLoop(
                engine,
                clock=clock,
                tz=settings.tz,
                locale=settings.locale,
                report_draft_working_days=settings.report_draft_working_days,
                on_queued=poke,
            )
            await running.reminders.start()
            if sandbox is not None:
                # Moving the sandbox's clock makes the reminders now due arrive in the people's chats.
                running.unsubscribe = sandbox.clock.subscribe(running.reminders.clock_moved)
    except BaseException:
        await running.stop()
        raise
    return running


async def serve(settings: Settings, _: Translate, echo: Callable[[str], None], role: str = "all") -> None:
    """Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything cleanly.

    Roles: "all" (bot, reminders and a dispatcher), "bot" (bot and reminders; dispatchers run apart),
    "worker" (a dispatcher only; several may share one PostgreSQL database)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if role == "worker":
        echo(_("Dispatcher started. Stop with Ctrl-C."))
        await run_worker(settings, stop)
        echo(_("Stopped."))
        return
    running = await start(settings, dispatch=role == "all")
    try:
        if running.sandbox is not None:
            echo(
                _("Sandbox ready (no Telegram token): open {url} and pick a person to chat with the bot.").format(
                    url=running.sandbox.url
                )
            )
            echo(_("Simulated people: {count}. Stop with Ctrl-C.").format(count=len(running.people)))
        else:
            echo(_("Connected to Telegram as @{bot}. Stop with Ctrl-C.").format(bot=settings.telegram_bot_username))
        await stop.wait()
    finally:
        await running.stop()
        echo(_("Stopped."))
