"""`Sandbox`: the Bot APIs (Telegram's and Zalo's), the scripting API and the web page in one aiohttp
application, in-process.

    sandbox = Sandbox(people=[SimPerson(id=101, name="Nguyễn Văn An", unit="Phòng TĐC", role="staff")],
                      clock=SandboxClock(start), limits=Limits(), bot_username="nhacviec_bot")
    await sandbox.start("127.0.0.1", 8080)
    app = ApplicationBuilder().token("123:ANY").base_url(sandbox.base_url).base_file_url(sandbox.base_file_url)…
    …
    await sandbox.stop()

Telegram's Bot API is at `{base_url}<token>/<method>` (`http://127.0.0.1:8080/bot<token>/<method>`);
Zalo's at `{zalo_base_url}<token>/<method>` (`http://127.0.0.1:8080/zalo/bot<token>/<method>`,
POST with a JSON body; see zalo_api.py). Each simulated person is on one platform at a time
(`SimPerson.platform`, `set_platform`); a person on Zalo chats through the Zalo API.

The Python methods (`send`, `press`, `chat`, `wait_for_bot_message`…) act on the same state as the
HTTP routes; call them from the event loop's thread. Those without "zalo" in their name are the
Telegram side's, whatever platform the person is on; `zalo_send`, `zalo_chat`… are Zalo's.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from aiohttp import web

from sandbox import page
from sandbox.clock import VIETNAM, SandboxClock
from sandbox.limits import ZALO_SEND_METHODS, Faults, Limits, ZaloLimits
from sandbox.scripting import ScriptingApi
from sandbox.state import JSON, BotIdentity, SandboxState, SimGroup, SimPerson, people_json
from sandbox.telegram_api import BotApi, Exchange
from sandbox.zalo_api import ZaloApi
from sandbox.zalo_state import ZaloState

# Telegram takes uploads up to 50 MB from bots; aiohttp's default body limit is 1 MB.
MAX_UPLOAD = 50 * 1024 * 1024 + 64 * 1024


class Sandbox:
    def __init__(
        self,
        people: Sequence[SimPerson],
        *,
        groups: Sequence[SimGroup] = (),
        clock: SandboxClock | None = None,
        limits: Limits | None = None,
        faults: Faults | None = None,
        bot_username: str = "nhacviec_bot",
        bot_name: str = "Nhắc việc",
        bot_id: int = 7_000_000_001,
        privacy_mode: bool = True,
        ticker: Callable[[], float] = time.monotonic,
        zalo_limits: ZaloLimits | None = None,
        zalo_faults: Faults | None = None,
        zalo_bot_id: str = "7000000001000000001",
        zalo_account_name: str = "bot.nhacviec",
    ) -> None:
        """Without `clock`, a running clock starts at the current time (for trying things by hand).

        `ticker` is the wall-time source for rate limits and faults (monotonic seconds); tests may fake it.
        `zalo_limits` and `zalo_faults` are the Zalo side's (Telegram's are `limits` and `faults`).
        """
        self.clock = clock if clock is not None else SandboxClock(datetime.now(VIETNAM), running=True)
        self.faults = faults if faults is not None else Faults(ticker=ticker)
        self.zalo_faults = (
            zalo_faults if zalo_faults is not None else Faults(ticker=ticker, send_methods=ZALO_SEND_METHODS)
        )
        self.ticker = ticker
        bot = BotIdentity(id=bot_id, username=bot_username, first_name=bot_name, privacy_mode=privacy_mode)
        self.state = SandboxState(people, groups, clock=self.clock, bot=bot)
        self.api = BotApi(self.state, limits=limits or Limits(), faults=self.faults, ticker=ticker)
        self.zalo = ZaloState(self.state, bot_id=zalo_bot_id, account_name=zalo_account_name)
        self.zalo_api = ZaloApi(self.zalo, limits=zalo_limits or ZaloLimits(), faults=self.zalo_faults, ticker=ticker)
        self.scripting = ScriptingApi(
            self.state,
            clock=self.clock,
            faults=self.faults,
            ticker=ticker,
            zalo=self.zalo,
            zalo_faults=self.zalo_faults,
        )
        self._app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None

    # ---- server ---------------------------------------------------------------------------------

    @property
    def app(self) -> web.Application:
        """The aiohttp application (usable with aiohttp's test client without `start`)."""
        if self._app is None:
            app = web.Application(client_max_size=MAX_UPLOAD)
            app.add_routes(page.routes())
            app.add_routes(self.scripting.routes())
            app.add_routes(self.api.routes())
            app.add_routes(self.zalo_api.routes())
            self._app = app
        return self._app

    async def start(self, host: str = "127.0.0.1", port: int = 8080) -> None:
        """Listen on host:port (port 0 picks a free one; read it back from `port`)."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        self.api.closing.clear()
        self.zalo_api.closing.clear()
        # No access log: request paths carry the bot's token, which must never reach a log.
        runner = web.AppRunner(self.app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.create_server((host, port))
        try:
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        self._host = host
        self._port = int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Answer pending long polls and delayed requests at once, then close the server."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self.api.closing.set()
        self.zalo_api.closing.set()
        self.state.notify()
        await self.api.stop_delivery()
        await self.zalo_api.stop_delivery()
        await runner.cleanup()
        self._port = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox is not running")
        return self._port

    @property
    def url(self) -> str:
        """The web page, e.g. http://127.0.0.1:8080/."""
        return f"http://{self._host}:{self.port}/"

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: the client appends `<token>/<method>`."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    @property
    def zalo_base_url(self) -> str:
        """Zalo's Bot API: the client posts to `{zalo_base_url}{token}/{method}` (Zalo's own base is
        `https://bot-api.zaloplatforms.com/bot`)."""
        return f"http://{self._host}:{self.port}/zalo/bot"

    # ---- limits and faults ----------------------------------------------------------------------

    @property
    def limits(self) -> Limits:
        return self.api.limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        # New limits start with full buckets: a test that tightens them starts from a clean slate.
        self.api.set_limits(limits)

    @property
    def zalo_limits(self) -> ZaloLimits:
        return self.zalo_api.limits

    @zalo_limits.setter
    def zalo_limits(self, limits: ZaloLimits) -> None:
        self.zalo_api.set_limits(limits)

    def block(self, person_id: int) -> None:
        """The person blocks the bot: sends to them answer 403 and the bot gets a `my_chat_member` update."""
        self.state.set_blocked(person_id, True)

    def unblock(self, person_id: int) -> None:
        self.state.set_blocked(person_id, False)

    def zalo_block(self, person_id: int, blocked: bool = True) -> None:
        """The person blocks (or unblocks) the bot on Zalo: sends to them answer 403; no update comes."""
        self.zalo.set_blocked(person_id, blocked)

    # ---- platforms ------------------------------------------------------------------------------

    def set_platform(self, person_id: int, platform: str) -> SimPerson:
        """Put the person on "zalo" (or back on "telegram"); their chats on both platforms stay."""
        return self.zalo.set_platform(person_id, platform)

    def platform(self, person_id: int) -> str:
        return self.state.person(person_id).platform

    def zalo_id(self, person_id: int) -> str:
        """The person's Zalo user id, which is also their private chat's id on Zalo."""
        return self.state.person(person_id).zalo_user_id

    # ---- acting as the people -------------------------------------------------------------------

    def people(self) -> list[JSON]:
        return people_json(self.state.people.values())

    def groups(self) -> list[JSON]:
        """The groups with their members: `[{"id", "title", "note", "members": [{"id", "name", "unit", "role"}]}]`."""
        return self.state.groups()

    def send(self, person: int, text: str, reply_to: int | None = None, *, chat: int | None = None) -> int:
        """The person writes to the bot (in a group with `chat`); returns the new message_id."""
        return self.state.person_sends(person, text, reply_to, chat).message_id

    def edit(self, person: int, message_id: int, text: str, *, chat: int | None = None) -> int:
        return self.state.person_edits(person, message_id, text, chat).message_id

    def press(self, person: int, message_id: int, button: str | int, *, chat: int | None = None) -> str:
        """Press an inline button by label or by index (row by row from 0); returns the callback_query id."""
        return self.state.person_presses(person, message_id, button, chat)

    def chat(self, person: int, since: int | None = None) -> list[JSON]:
        """The person's private chat in the scripting API's shape, oldest first."""
        return self.state.view(self.state.chats[self.state.person(person).id], since)

    def group_chat(self, chat_id: int, since: int | None = None) -> list[JSON]:
        return self.state.view(self.state.chats[chat_id], since)

    async def wait_for_bot_message(
        self,
        chat_id: int,
        *,
        after: int | None = None,
        timeout: float = 5.0,
        match: Callable[[JSON], bool] | None = None,
    ) -> JSON:
        """The first bot message in the chat newer than `after` (default: the newest there now) that
        satisfies `match`; TimeoutError when none comes within `timeout` seconds."""
        chat = self.state.chats[chat_id]
        floor = after if after is not None else max(chat.messages, default=0)

        def probe() -> JSON | None:
            for message in chat.messages.values():
                if message.from_bot and message.message_id > floor:
                    item = self.state.view_message(message)
                    if match is None or match(item):
                        return item
            return None

        return await self.state.wait_until(probe, timeout)

    def zalo_send(self, person: int, text: str) -> str:
        """The person writes to the bot on Zalo (they must have been put on Zalo); returns the message_id."""
        return self.zalo.person_sends(person, text).message_id

    def zalo_chat(self, person: int, since: str | None = None) -> list[JSON]:
        """The person's Zalo chat in the scripting API's shape (string message ids), oldest first."""
        _, chat = self.zalo.person_chat(person)
        return self.zalo.view(chat, since)

    def zalo_redeliver(self, message_id: str | None = None) -> JSON:
        """Queue a delivered Zalo update again, unchanged: the latest one, or the latest with `message_id`."""
        return self.zalo.redeliver(message_id)

    async def wait_for_zalo_message(
        self,
        person: int,
        *,
        after: str | None = None,
        timeout: float = 5.0,
        match: Callable[[JSON], bool] | None = None,
    ) -> JSON:
        """The first bot message in the person's Zalo chat after message `after` (default: the newest
        there now) that satisfies `match`; TimeoutError when none comes within `timeout` seconds."""
        _, chat = self.zalo.person_chat(person)
        ids = list(chat.messages)
        if after is not None and after not in chat.messages:
            raise ValueError(f"no message {after} in the Zalo chat of person {person}")
        start = ids.index(after) + 1 if after is not None else len(ids)

        def probe() -> JSON | None:
            for message in list(chat.messages.values())[start:]:
                if message.from_bot:
                    item = self.zalo.view_message(message)
                    if match is None or match(item):
                        return item
            return None

        return await self.state.wait_until(probe, timeout)

    async def wait_until(self, probe: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `probe()` returns something other than None (checked at every change in the sandbox)."""
        return await self.state.wait_until(probe, timeout)

    # ---- what the bot did -----------------------------------------------------------------------

    def commands(self, scope: str = "default", language_code: str = "") -> list[JSON]:
        """Commands the bot registered for a scope key ("default", "all_private_chats", "chat:<id>"…) and language."""
        found = self.state.commands.get((scope, language_code))
        return list(found[1]) if found else []

    @property
    def exchanges(self) -> list[Exchange]:
        """Every Bot API request with its answer, oldest first (the last 10 000)."""
        return list(self.api.exchanges)

    @property
    def pending_updates(self) -> list[JSON]:
        return list(self.state.updates)

    @property
    def zalo_exchanges(self) -> list[Exchange]:
        """Every Zalo Bot API request with its answer, oldest first (the last 10 000)."""
        return list(self.zalo_api.exchanges)

    @property
    def pending_zalo_updates(self) -> list[JSON]:
        return list(self.zalo.updates)

    def zalo_webhook(self) -> JSON:
        """The Zalo webhook and its calls: `{"url", "pending", "calls": [{"at", "message_id", "event_name",
        "secret_header", "status", "error", "update"}]}` (the scripting API's shape)."""
        return self.zalo.webhook_view()

    def unanswered_callbacks(self) -> list[str]:
        return [record.id for record in self.state.callbacks.values() if not record.answered]


__all__ = ["Sandbox"]
