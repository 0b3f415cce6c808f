"""The service's own small HTTP server (aiohttp), meant to sit behind a reverse proxy:

    GET  /healthz            200 {"status": "ok"} while the process runs
    GET  /readyz             200 or 503 {"database", "migrations", "dispatcher": bool, "role", ...}
    GET  /metrics            Prometheus text
    POST /webhook/<platform> a platform's updates, when its webhook route was added

A platform's webhook is one `WebhookRoute`: the header that carries the shared secret and what to do
with the JSON body. A request whose secret is missing or wrong gets 401 and reaches nothing. No access
log: a webhook's query or a proxy's headers are no business of the log, and scrapes are noise.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from models import db
from nhacviec.failures import ListenError

log = logging.getLogger(__name__)

# Telegram posts an update at most this large; anything bigger is not an update.
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class WebhookRoute:
    """`POST /webhook/<platform>`: `accept` gets the JSON body once `secret_header` carries `secret`."""

    platform: str
    secret_header: str
    secret: str
    accept: Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Readiness:
    database: bool
    migrations: bool
    dispatcher: bool
    role: str
    dispatcher_tick_age_seconds: float | None = None

    @property
    def ready(self) -> bool:
        return self.database and self.migrations and self.dispatcher

    def as_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "migrations": self.migrations,
            "dispatcher": self.dispatcher,
            "role": self.role,
            "dispatcher_tick_age_seconds": self.dispatcher_tick_age_seconds,
        }


def dispatcher_ready(tick_age: float | None, *, dispatching: bool, max_tick_age: float) -> bool:
    """A process without a dispatcher ("bot" role) does not depend on one; one that has it is ready
    once it ticked and as long as its last tick is recent."""
    if not dispatching:
        return True
    return tick_age is not None and tick_age <= max_tick_age


def check_readiness(
    engine: Engine,
    *,
    role: str,
    tick_age: Callable[[], float | None] | None,
    max_tick_age: float,
) -> Readiness:
    """Blocking (it asks the database): run it off the event loop. `tick_age` is None without a dispatcher."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = True
        migrations = db.is_up_to_date(engine)
    except Exception as error:
        log.warning("readiness: database unreachable: %s", type(error).__name__)
        database = migrations = False
    age = tick_age() if tick_age is not None else None
    return Readiness(
        database=database,
        migrations=migrations,
        dispatcher=dispatcher_ready(age, dispatching=tick_age is not None, max_tick_age=max_tick_age),
        role=role,
        dispatcher_tick_age_seconds=None if age is None else round(age, 3),
    )


class OpsServer:
    def __init__(
        self,
        *,
        registry: CollectorRegistry,
        readiness: Callable[[], Readiness],
        webhooks: Sequence[WebhookRoute] = (),
    ) -> None:
        self.registry = registry
        self.readiness = readiness
        self.webhooks = {route.platform: route for route in webhooks}
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None

    def add_webhook(self, route: WebhookRoute) -> None:
        self.webhooks[route.platform] = route

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        app.router.add_post("/webhook/{platform}", self.webhook)
        return app

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port (0: a free port, read back from `port`)."""
        try:
            sock = socket.create_server((host, port))
        except OSError as error:
            # socket.create_server appends the address to strerror: the plain reason comes from errno.
            reason = os.strerror(error.errno) if error.errno else type(error).__name__
            raise ListenError(f"{host}:{port}", reason) from error
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner, self._host, self._port = runner, host, int(sock.getsockname()[1])
        log.info("http server listening on %s:%d", host, self._port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._port = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the HTTP server is not running")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    # ---- routes ---------------------------------------------------------------------------------

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, request: web.Request) -> web.Response:
        report = await asyncio.to_thread(self.readiness)
        return web.json_response(report.as_json(), status=200 if report.ready else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        # The outbox collector reads the database: off the event loop.
        body = await asyncio.to_thread(generate_latest, self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def webhook(self, request: web.Request) -> web.Response:
        platform = request.match_info["platform"]
        route = self.webhooks.get(platform)
        if route is None:
            return web.json_response({"ok": False, "error": "no such webhook"}, status=404)
        given = request.headers.get(route.secret_header, "")
        if not hmac.compare_digest(given.encode("utf-8"), route.secret.encode("utf-8")):
            log.warning("webhook %s: refused a request without the right secret from %s", platform, request.remote)
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            body = json.loads(await request.read())
        except ValueError:
            log.warning("webhook %s: a body that is not JSON", platform)
            return web.json_response({"ok": False, "error": "not JSON"}, status=400)
        try:
            await route.accept(body)
        except Exception as error:
            # The platform retries a non-2xx answer; the body is a user's message: not logged.
            log.error("webhook %s: could not take an update: %s", platform, type(error).__name__)
            return web.json_response({"ok": False, "error": "not accepted"}, status=500)
        return web.json_response({"ok": True})


__all__ = ["ListenError", "OpsServer", "Readiness", "WebhookRoute", "check_readiness", "dispatcher_ready"]
