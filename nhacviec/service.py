"""`nhacviec run`: the whole product wired together in one place.

It runs every configured chat platform (nhacviec/platforms.py: those with a token). Without any token
it starts the sandbox (local Telegram and Zalo Bot APIs with a web chat page), seeds simulated people
(some on Zalo) and points the real clients at it, so anyone can try the product with no token and no
internet. The sandbox owns the clock then.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry
from sqlalchemy.engine import Engine, make_url

from bot.conversation import Clock, Conversation
from bot.platforms import ChatPlatform, Inbound, Outbound, Setup, WebhookTarget, webhook_path
from domain.accounts import platform_name
from domain.messages import Outgoing
from domain.render import MESSAGE_LIMITS
from locales.catalogs import Translate, translator
from models import db
from models.queries import list_plans
from nhacviec import logs
from nhacviec.bundled import bundled_plan_path
from nhacviec.demo import (
    ZALO_SEATS,
    SimulatedGroup,
    SimulatedPerson,
    last_recorded_moment,
    record_clock_move,
    seed_groups,
    seed_people,
)
from nhacviec.failures import ListenError
from nhacviec.metrics import Metrics, OutboxCollector
from nhacviec.platforms import PLATFORMS, configured, sandboxed
from nhacviec.settings import Settings
from nhacviec.workers import refuse_unserved, run_worker
from reports.summary_facts import RegistryCache
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.dispatcher import Dispatcher
from scheduler.reminders.reminder_loop import ReminderLoop

if TYPE_CHECKING:
    # The sandbox (and aiohttp under it) is loaded only when it runs: with a token it never does.
    from importer.store import ImportResult
    from nhacviec.ops_server import OpsServer, Readiness
    from sandbox.clock import SandboxClock
    from sandbox.server import Sandbox
    from sandbox.state import SimGroup, SimPerson

log = logging.getLogger(__name__)


def log_secrets(settings: Settings, platforms: Sequence[ChatPlatform] = PLATFORMS) -> list[str]:
    """Everything the log must never show: the tokens (the sandbox's stand-ins too), the webhook secret,
    the database password."""
    secrets = [secret for platform in platforms for secret in platform.secrets(settings)]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    try:
        password = make_url(db.normalise_url(settings.db_url)).password
    except Exception:  # an unreadable URL fails later with its own message
        password = None
    if password:
        secrets.append(str(password))
    return secrets


def max_tick_age(dispatch: DispatchSettings) -> float:
    """A healthy dispatcher ticks at least every `poll_seconds`; a long 429 may hold it a while more."""
    return 3 * dispatch.poll_seconds + dispatch.hold_retry_after_seconds


@dataclass
class Ticks:
    """The dispatcher this process runs, once it runs: readiness asks it how long ago it ticked."""

    dispatcher: Dispatcher | None = None

    def age(self) -> float | None:
        return self.dispatcher.seconds_since_tick() if self.dispatcher is not None else None


def make_metrics(engine: Engine, settings: Settings, *, clock: Clock) -> tuple[CollectorRegistry, Metrics]:
    """The process's own metrics registry (the outbox read at scrape time)."""
    registry = CollectorRegistry()
    registry.register(OutboxCollector(engine, clock=clock, tz=settings.tz))
    return registry, Metrics(registry)


def make_ops_server(
    engine: Engine,
    settings: Settings,
    registry: CollectorRegistry,
    *,
    role: str,
    tick_age: Callable[[], float | None] | None,
) -> OpsServer:
    """The HTTP server serving `registry`. aiohttp loads here, not when the service is imported."""
    from nhacviec.ops_server import OpsServer, check_readiness

    readiness: Callable[[], Readiness] = partial(
        check_readiness, engine, role=role, tick_age=tick_age, max_tick_age=max_tick_age(settings.dispatch)
    )
    return OpsServer(registry=registry, readiness=readiness)


@dataclass
class Running:
    """What a started service holds; `stop()` ends it cleanly."""

    sandbox: Sandbox | None
    engine: Engine
    people: list[SimulatedPerson]
    conversation: Conversation
    metrics: Metrics
    # Each configured platform's transport and, when this process dispatches, its outbox sender, by name.
    transports: dict[str, Inbound] = field(default_factory=dict)
    outbounds: dict[str, Outbound] = field(default_factory=dict)
    ops: OpsServer | None = None  # listening once started (a polling bot polls first)
    dispatcher: Dispatcher | None = None
    reminders: ReminderLoop | None = None
    unsubscribes: list[Callable[[], None]] = field(default_factory=list)

    async def answer(self, platform: str, outgoing: Outgoing) -> str | None:
        """Sends one answer of the conversation through the platform's transport (its message id)."""
        return await self.transports[platform].answer(outgoing)

    async def stop(self) -> None:
        # No new webhook updates first (the platform keeps them and posts them again later).
        if self.ops is not None:
            await self.ops.stop()
        for unsubscribe in self.unsubscribes:
            unsubscribe()
        if self.reminders is not None:
            await self.reminders.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        for outbound in self.outbounds.values():
            await outbound.close()
        for transport in self.transports.values():
            await transport.stop()
        if self.sandbox is not None:
            await self.sandbox.stop()
        self.engine.dispose()


def resume_sandbox_time(engine: Engine) -> datetime:
    """Where a new sandbox clock starts: now, or later if the database already holds later moments."""
    from sandbox.clock import VIETNAM

    with db.session_scope(engine) as session:
        latest = last_recorded_moment(session)
    now = datetime.now(VIETNAM)
    return now if latest is None or latest <= now else latest.astimezone(VIETNAM)


def _record_clock_move(engine: Engine, now: datetime) -> None:
    with db.session_scope(engine) as session:
        record_clock_move(session, now)


def sandbox_person(person: SimulatedPerson) -> SimPerson:
    from sandbox.state import SimPerson

    return SimPerson(
        id=person.id,
        name=person.name,
        unit=person.unit,
        role=person.role.value,
        platform=person.platform,
        zalo_id=person.zalo_id,
    )


def sandbox_group(group: SimulatedGroup, _: Translate) -> SimGroup:
    from sandbox.state import SimGroup

    note = _("Unit lead: send /bind {code} here so that this group receives the unit's reminders.").format(
        code=group.bind_code
    )
    return SimGroup(id=group.id, title=group.title, members=group.members, note=note)


def prepare_database(engine: Engine, actor: str) -> ImportResult | None:
    """Migrates, and imports the bundled plan (its reporting duty accepted) when there is no plan yet —
    under the start-up lock, so that of two processes starting at once one does it and the other waits."""
    with db.startup_lock(engine):
        db.upgrade(engine, lock=False)
        with db.session_scope(engine) as session:
            if list_plans(session):
                return None
            # The importer loads only for a first start: a restart finds its plan.
            from importer.read import read_plan
            from importer.store import PlanOverrides, import_plan

            document = read_plan(bundled_plan_path())
            return import_plan(
                session, document, PlanOverrides(), actor=actor, now=datetime.now(UTC), accept_obligations=True
            )


def seed_sandbox(engine: Engine, now: datetime) -> tuple[list[SimulatedPerson], list[SimulatedGroup]]:
    """The sandbox's simulated people and their units' groups, created once (under the start-up lock,
    like the plan)."""
    with db.startup_lock(engine), db.session_scope(engine) as session:
        people = seed_people(session, now, on_zalo=ZALO_SEATS)
        return people, seed_groups(session, people, now)


async def start(
    settings: Settings,
    *,
    sandbox_clock: SandboxClock | None = None,
    guests: Sequence[SimPerson] = (),
    reminders: bool = True,
    dispatch: bool = True,
    platforms: Sequence[ChatPlatform] = PLATFORMS,
) -> Running:
    """Starts the bot on every configured platform (and, without any token, the sandbox and its
    simulated people).

    `guests` are extra sandbox people nobody invited yet (tests use them to try joining); a given
    `sandbox_clock` lets a test hold time still; `platforms` is the registry (a test adds its own).
    """
    clock: Clock
    engine = db.make_engine(settings.db_url)
    await asyncio.to_thread(prepare_database, engine, "run")
    sandbox: Sandbox | None = None
    people: list[SimulatedPerson] = []
    in_sandbox = sandboxed(settings, tuple(platforms))
    if in_sandbox:
        from sandbox.clock import SandboxClock
        from sandbox.server import Sandbox

        if sandbox_clock is None:
            sandbox_clock = SandboxClock(await asyncio.to_thread(resume_sandbox_time, engine), running=True)
        people, groups = await asyncio.to_thread(seed_sandbox, engine, sandbox_clock.now())
        sandbox = Sandbox(
            [sandbox_person(person) for person in people] + list(guests),
            groups=[sandbox_group(group, translator(settings.locale)) for group in groups],
            clock=sandbox_clock,
            **{key: value for platform in platforms for key, value in platform.sandbox_options(settings).items()},
        )
        await sandbox.start(settings.sandbox_host, settings.sandbox_port)
        clock = sandbox_clock.now  # the sandbox owns the product's clock
    else:
        clock = lambda: datetime.now(UTC)  # noqa: E731
    chosen = configured(settings, tuple(platforms), sandbox=in_sandbox)
    setup = Setup(settings, engine, clock, sandbox.url.rstrip("/") if sandbox is not None else None)
    dispatching = reminders and dispatch
    ticks = Ticks()
    registry, metrics = make_metrics(engine, settings, clock=clock)
    # Reminders go out through the outbox: the loop queues due steps, a dispatcher sends them — this
    # process's (role "all"), or separate workers sharing the database (role "bot"). Built before the
    # conversation, whose new reports wake the loop (a blocker reaches the monitor at once); started below.
    dispatcher: Dispatcher | None = None
    outbounds: dict[str, Outbound] = {}
    planner: ReminderLoop | None = None
    if reminders:
        poke: Callable[[], None] = lambda: None  # noqa: E731  (workers look at the outbox every few seconds)
        if dispatch:
            outbounds = {platform.name: platform.outbound(setup) for platform in chosen}
            dispatcher = Dispatcher(
                engine,
                {name: outbound.sender for name, outbound in outbounds.items()},
                settings=settings.dispatch,
                clock=clock,
                tz=settings.tz,
                on_result=metrics.record_send,
            )
            ticks.dispatcher = dispatcher
            poke = dispatcher.poke
        planner = ReminderLoop(
            engine,
            clock=clock,
            tz=settings.tz,
            locale=settings.locale,
            report_draft_working_days=settings.report_draft_working_days,
            on_queued=poke,
        )
    conversation = Conversation(
        engine,
        tz=settings.tz,
        default_locale=settings.locale,
        clock=clock,
        message_limits={**MESSAGE_LIMITS, **{platform.platform: platform.message_limit for platform in chosen}},
        registry=RegistryCache(),
        on_report=planner.wake if planner is not None else None,
    )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    webhook_base = settings.webhook_url if secret is not None else None
    running = Running(
        sandbox=sandbox,
        engine=engine,
        people=people,
        conversation=conversation,
        metrics=metrics,
        outbounds=outbounds,
        dispatcher=dispatcher,
        reminders=planner,
    )
    if sandbox is not None:
        # Clock moves go to the audit trail, so the next start resumes from them (time never goes back).
        running.unsubscribes.append(sandbox.clock.subscribe(lambda now: _record_clock_move(engine, now)))
    try:
        for platform in chosen:
            target = None
            if webhook_base is not None and secret is not None:
                target = WebhookTarget(webhook_base + webhook_path(platform.name), secret)
            running.transports[platform.name] = platform.inbound(
                setup,
                conversation,
                webhook=target,
                on_reply=metrics.observe_reply,
                # One rate budget per platform: the answers take from the dispatcher's limiter (issue 21).
                limiter=dispatcher.limiters.get(platform.name) if dispatcher is not None else None,
            )
        for transport in running.transports.values():
            await transport.prepare()
        ops_role, tick_age = ("all", ticks.age) if dispatching else ("bot", None)
        if webhook_base is not None and secret is not None:
            from nhacviec.ops_server import WebhookRoute

            running.ops = make_ops_server(engine, settings, registry, role=ops_role, tick_age=tick_age)
            for name, transport in running.transports.items():
                if transport.webhook is not None:
                    hook = transport.webhook
                    running.ops.add_webhook(WebhookRoute(name, hook.secret_header, secret, hook.accept))
            # Listening before the platforms are told where to post.
            await running.ops.start(settings.http_host, settings.http_port)
        for name, transport in running.transports.items():
            await transport.start()
            log.info("%s: %s mode", name, "webhook" if transport.webhook is not None else "polling")
        if running.ops is None:
            # The HTTP server (aiohttp, ~0.2 s of CPU) loads once polling began, in a thread so that the
            # first getUpdates goes out meanwhile (issue 22 item 5).
            await asyncio.to_thread(importlib.import_module, "nhacviec.ops_server")
            running.ops = make_ops_server(engine, settings, registry, role=ops_role, tick_age=tick_age)
            await running.ops.start(settings.http_host, settings.http_port)
        if dispatcher is not None:
            for outbound in outbounds.values():
                await outbound.open()
            await asyncio.to_thread(refuse_unserved, engine, outbounds)
            await dispatcher.start()
        if planner is not None:
            await planner.start()
            if sandbox is not None:
                # Moving the sandbox's clock makes the reminders now due arrive in the people's chats.
                running.unsubscribes.append(sandbox.clock.subscribe(planner.clock_moved))
    except BaseException:
        await running.stop()
        raise
    return running


async def serve(settings: Settings, _: Translate, echo: Callable[[str], None], role: str = "all") -> None:
    """Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything cleanly.

    Roles: "all" (bot, reminders and a dispatcher), "bot" (bot and reminders; dispatchers run apart),
    "worker" (a dispatcher only; several may share one PostgreSQL database)."""
    logs.configure(secrets=log_secrets(settings), log_format=settings.log_format, level=settings.log_level)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if role == "worker":
            await serve_worker(settings, stop, lambda: echo(_("Dispatcher started. Stop with Ctrl-C.")))
            echo(_("Stopped."))
            return
        running = await start(settings, dispatch=role == "all")
    except ListenError as error:
        message = _("Cannot listen on {address} ({reason}): check NHACVIEC_HTTP_HOST and NHACVIEC_HTTP_PORT.")
        print(
            _("Error: {message}").format(message=message.format(address=error.address, reason=error.reason)),
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    try:
        if running.sandbox is not None:
            echo(
                _("Sandbox ready (no token): open {url} and pick a person to chat with the bot.").format(
                    url=running.sandbox.url
                )
            )
            on = Counter(platform_name(person.platform) for person in running.people)
            echo(
                _("Simulated people: {count} ({platforms}). Stop with Ctrl-C.").format(
                    count=len(running.people), platforms=", ".join(f"{name} {n}" for name, n in sorted(on.items()))
                )
            )
        else:
            titles = ", ".join(transport.title for transport in running.transports.values())
            echo(_("Connected to {platforms}. Stop with Ctrl-C.").format(platforms=titles))
        await stop.wait()
    finally:
        await running.stop()
        echo(_("Stopped."))


async def serve_worker(settings: Settings, stop: asyncio.Event, started: Callable[[], None] = lambda: None) -> None:
    """`run --role worker`: a dispatcher, and the HTTP server reporting its ticks and sends."""
    engine = db.make_engine(settings.db_url)
    ticks = Ticks()
    registry, metrics = make_metrics(engine, settings, clock=lambda: datetime.now(UTC))
    ops = make_ops_server(engine, settings, registry, role="worker", tick_age=ticks.age)
    await ops.start(settings.http_host, settings.http_port)
    try:

        def on_started(dispatcher: Dispatcher) -> None:
            ticks.dispatcher = dispatcher
            started()

        await run_worker(settings, stop, on_result=metrics.record_send, on_started=on_started)
    finally:
        await ops.stop()
        engine.dispose()
