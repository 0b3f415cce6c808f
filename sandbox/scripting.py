"""The scripting API under /api/sandbox/: act as the simulated people, read their chats, move the clock.

A public contract, used by tests and outside checks, so its shapes do not change:

    GET  /api/sandbox/people                     → [{"id", "name", "unit", "role"}]
    POST /api/sandbox/send   {"person", "text", "reply_to"}          → {"message_id"}
    POST /api/sandbox/press  {"person", "message_id", "button"}      → {"callback_query_id"}
    POST /api/sandbox/edit   {"person", "message_id", "text"}        → {"message_id"}
    GET  /api/sandbox/chat/<person id>[?since=<message_id>]          → [{"message_id", "from", "text",
                                                                        "buttons", "date", …}]
    GET|POST /api/sandbox/clock  {"to": ISO} | {"advance": "P7D"}    → {"now"}

Extras: `"chat": <group id>` on send/press/edit, GET /api/sandbox/groups (the groups and their
members) and GET /api/sandbox/group/<id> (or /chat/<group id>) for a group's messages;
/api/sandbox/block, /api/sandbox/faults, /api/sandbox/commands, /api/sandbox/files/<file_id>.
Failures answer `{"ok": false, "description"}` (in Vietnamese: the web page shows them) with 400,
403, 404 or 409.

Platforms. Each person is on "telegram" or "zalo"; for a person on Telegram everything above is
exactly as it was. For a person on Zalo, `send` (without "chat") and `chat/<id>` go through their
Zalo chat (message ids are strings there, `reply_to` must be null, there are no buttons), `block`
blocks the bot on Zalo, and `press`/`edit` are refused (Zalo has neither). An optional
`"platform": "telegram"|"zalo"` on send/press/edit/block (`?platform=` on chat/<id>) picks the
side explicitly, for a person with accounts on both. Added:

    GET  /api/sandbox/platforms               → [{"person", "platform", "zalo_id"}]
    POST /api/sandbox/platform  {"person", "platform"}                  → {"person", "platform", "zalo_id"}
    GET|POST /api/sandbox/faults  ?platform=zalo | {"platform": "zalo", …}   (Zalo's own faults)
    POST /api/sandbox/zalo/send  {"person", "text"|"photo" (+"caption")|"sticker"|"unsupported": true}
                                                                         → {"message_id", "event_name"}
    POST /api/sandbox/zalo/redeliver  {} | {"message_id"}                → the update queued again
    GET  /api/sandbox/zalo/webhook  → {"url", "pending", "calls": [{"at", "message_id", "event_name",
                                       "secret_header", "status", "error", "update"}]}

`zalo_id` is the person's Zalo user id (also their private chat's id there); null while they have
never been on Zalo.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from sandbox.clock import ClockError, SandboxClock, parse_duration, parse_instant
from sandbox.limits import Faults
from sandbox.state import JSON, PLATFORMS, TELEGRAM, ZALO, SandboxState, ScriptError, SimPerson, people_json
from sandbox.zalo_state import ZaloState

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _reply(body: object, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json")


def _failure(status: int, description: str) -> web.Response:
    return _reply({"ok": False, "description": description}, status)


def _guarded(route: Route) -> Route:
    """Turn ScriptError/ClockError into the JSON failure shape, so no route answers with a trace."""

    async def wrapper(request: web.Request) -> web.StreamResponse:
        try:
            return await route(request)
        except ScriptError as error:
            return _failure(error.status, error.description)
        except ClockError as error:
            return _failure(400, str(error))

    return wrapper


async def _body(request: web.Request) -> JSON:
    try:
        body = json.loads(await request.text())
    except ValueError as error:
        raise ScriptError(400, "Nội dung yêu cầu không phải JSON hợp lệ.") from error
    if not isinstance(body, dict):
        raise ScriptError(400, "Nội dung yêu cầu phải là một đối tượng JSON.")
    return body


def _since(request: web.Request) -> int | None:
    raw = request.query.get("since")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError as error:
        raise ScriptError(400, "Tham số «since» phải là mã số tin nhắn.") from error


def _positive(body: JSON, key: str, kind: type[int] | type[float], *, default: Any = None) -> Any:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ScriptError(400, f"Trường «{key}» phải là số dương.")
    return kind(value)


class ScriptingApi:
    def __init__(
        self,
        state: SandboxState,
        *,
        clock: SandboxClock,
        faults: Faults,
        ticker: Callable[[], float] = time.monotonic,
        zalo: ZaloState,
        zalo_faults: Faults,
    ) -> None:
        self.state = state
        self.clock = clock
        self.faults = faults
        self.ticker = ticker
        self.zalo = zalo
        self.zalo_faults = zalo_faults

    def routes(self) -> list[web.RouteDef]:
        prefix = "/api/sandbox"
        return [
            web.get(f"{prefix}/people", _guarded(self.people)),
            web.get(f"{prefix}/groups", _guarded(self.groups)),
            web.post(f"{prefix}/send", _guarded(self.send)),
            web.post(f"{prefix}/press", _guarded(self.press)),
            web.post(f"{prefix}/edit", _guarded(self.edit)),
            web.get(f"{prefix}/chat/{{person}}", _guarded(self.chat)),
            web.get(f"{prefix}/group/{{chat}}", _guarded(self.group)),
            web.get(f"{prefix}/clock", _guarded(self.get_clock)),
            web.post(f"{prefix}/clock", _guarded(self.move_clock)),
            web.post(f"{prefix}/block", _guarded(self.block)),
            web.get(f"{prefix}/faults", _guarded(self.get_faults)),
            web.post(f"{prefix}/faults", _guarded(self.set_faults)),
            web.get(f"{prefix}/commands", _guarded(self.commands)),
            web.get(f"{prefix}/files/{{file_id}}", _guarded(self.file)),
            web.get(f"{prefix}/platforms", _guarded(self.platforms)),
            web.post(f"{prefix}/platform", _guarded(self.set_platform)),
            web.post(f"{prefix}/zalo/send", _guarded(self.zalo_send)),
            web.post(f"{prefix}/zalo/redeliver", _guarded(self.zalo_redeliver)),
            web.get(f"{prefix}/zalo/webhook", _guarded(self.zalo_webhook)),
        ]

    def _platform(self, person: SimPerson, wanted: object) -> str:
        """The side a person acts on: `wanted` when given, otherwise the platform they are on."""
        if wanted is None:
            return person.platform
        if wanted not in PLATFORMS:
            raise ScriptError(400, "Trường «platform» phải là «telegram» hoặc «zalo».")
        return str(wanted)

    def _on_zalo(self, body: JSON) -> SimPerson | None:
        """The person when this private-chat action goes to Zalo; None when it stays on Telegram."""
        if body.get("chat") is not None:
            return None  # groups are Telegram's
        person = self.state.person(body.get("person"))
        return person if self._platform(person, body.get("platform")) == ZALO else None

    async def people(self, request: web.Request) -> web.StreamResponse:
        return _reply(people_json(self.state.people.values()))

    async def groups(self, request: web.Request) -> web.StreamResponse:
        return _reply(self.state.groups())

    async def send(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        person = self._on_zalo(body)
        if person is not None:
            if body.get("reply_to") is not None:
                raise ScriptError(400, "Zalo không có trả lời vào một tin nhắn cụ thể: gửi tin với «reply_to» là null.")
            return _reply({"message_id": self.zalo.person_sends(person.id, body.get("text")).message_id})
        message = self.state.person_sends(body.get("person"), body.get("text"), body.get("reply_to"), body.get("chat"))
        return _reply({"message_id": message.message_id})

    async def press(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if "button" not in body:
            raise ScriptError(400, "Thiếu trường «button» (nhãn nút hoặc số thứ tự, bắt đầu từ 0).")
        if self._on_zalo(body) is not None:
            raise ScriptError(400, "Zalo không có nút bấm: hãy gõ số của lựa chọn (POST /api/sandbox/send).")
        query_id = self.state.person_presses(
            body.get("person"), body.get("message_id"), body["button"], body.get("chat")
        )
        return _reply({"callback_query_id": query_id})

    async def edit(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if self._on_zalo(body) is not None:
            raise ScriptError(400, "Bot Zalo không nhận được tin đã sửa: hãy gửi một tin mới.")
        message = self.state.person_edits(
            body.get("person"), body.get("message_id"), body.get("text"), body.get("chat")
        )
        return _reply({"message_id": message.message_id})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["person"].startswith("-"):  # a group's id: the same as /group/<id>
            return self._group(request.match_info["person"], request)
        person = self.state.person(request.match_info["person"])
        if self._platform(person, request.query.get("platform")) == ZALO:
            _, zalo_chat = self.zalo.person_chat(person.id)
            return _reply(self.zalo.view(zalo_chat, request.query.get("since") or None))
        return _reply(self.state.view(self.state.chats[person.id], _since(request)))

    async def group(self, request: web.Request) -> web.StreamResponse:
        return self._group(request.match_info["chat"], request)

    def _group(self, raw: str, request: web.Request) -> web.StreamResponse:
        try:
            chat_id = int(raw)
        except ValueError as error:
            raise ScriptError(400, "Mã nhóm phải là một số.") from error
        chat = self.state.chats.get(chat_id)
        if chat is None or chat.person is not None:
            raise ScriptError(404, f"Không có nhóm nào có mã {chat_id}.")
        return _reply(self.state.view(chat, _since(request)))

    async def get_clock(self, request: web.Request) -> web.StreamResponse:
        return _reply({"now": self.clock.now().isoformat()})

    async def move_clock(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if ("to" in body) == ("advance" in body):
            raise ScriptError(
                400, "Gửi đúng một trong hai trường: «to» (thời điểm ISO 8601) hoặc «advance» (ví dụ P7D)."
            )
        if "to" in body:
            if not isinstance(body["to"], str):
                raise ScriptError(400, "Trường «to» phải là chuỗi ISO 8601, ví dụ 2025-12-24T08:00:00+07:00.")
            now = self.clock.set(parse_instant(body["to"]))
        else:
            if not isinstance(body["advance"], str):
                raise ScriptError(400, "Trường «advance» phải là chuỗi ISO 8601, ví dụ P7D.")
            now = self.clock.advance(parse_duration(body["advance"]))
        return _reply({"now": now.isoformat()})

    async def block(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        blocked = body.get("blocked", True)
        if not isinstance(blocked, bool):
            raise ScriptError(400, "Trường «blocked» phải là true hoặc false.")
        person = self.state.person(body.get("person"))
        if self._platform(person, body.get("platform")) == ZALO:
            self.zalo.set_blocked(person.id, blocked)
            return _reply({"person": person.id, "blocked": person.id in self.zalo.blocked})
        self.state.set_blocked(person.id, blocked)
        return _reply({"person": person.id, "blocked": person.id in self.state.blocked})

    def _faults(self, platform: object) -> Faults:
        if platform is None or platform == TELEGRAM:
            return self.faults
        if platform == ZALO:
            return self.zalo_faults
        raise ScriptError(400, "Trường «platform» phải là «telegram» hoặc «zalo».")

    async def get_faults(self, request: web.Request) -> web.StreamResponse:
        return _reply(self._faults(request.query.get("platform")).describe(self.ticker()))

    async def set_faults(self, request: web.Request) -> web.StreamResponse:
        """Body: any of {"clear": true}, {"storm": {"seconds", "retry_after"}},
        {"server_errors": {"count" | "fraction", "status"}}, {"delay": {"seconds", "count", "deliver"}};
        each may name "methods" (default: the sending methods). With "platform": "zalo", Zalo's faults."""
        body = await _body(request)
        faults = self._faults(body.get("platform"))
        try:
            if body.get("clear"):
                faults.clear()
            storm = body.get("storm")
            if isinstance(storm, dict):
                faults.storm(
                    seconds=_positive(storm, "seconds", float),
                    retry_after=_positive(storm, "retry_after", int),
                    now=self.ticker(),
                    methods=_methods(storm),
                )
            errors = body.get("server_errors")
            if isinstance(errors, dict):
                count = errors.get("count")
                faults.server_errors(
                    count=None if count is None else _positive(errors, "count", int),
                    fraction=float(errors.get("fraction", 0.0)),
                    status=int(errors.get("status", 500)),
                    methods=_methods(errors),
                )
            delay = body.get("delay")
            if isinstance(delay, dict):
                faults.delay(
                    seconds=_positive(delay, "seconds", float),
                    count=_positive(delay, "count", int, default=1),
                    deliver=bool(delay.get("deliver", True)),
                    methods=_methods(delay),
                )
        except (TypeError, ValueError) as error:
            raise ScriptError(400, f"Cấu hình lỗi giả lập không hợp lệ: {error}") from error
        return _reply(faults.describe(self.ticker()))

    async def commands(self, request: web.Request) -> web.StreamResponse:
        return _reply(self.state.command_sets())

    async def file(self, request: web.Request) -> web.StreamResponse:
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise ScriptError(404, "Không có tệp này.")
        name = stored.file_name or ("anh.jpg" if stored.kind == "photo" else "tep")
        ascii_name = name.encode("ascii", errors="replace").decode().replace("?", "_").replace('"', "_")
        disposition = "inline" if stored.kind == "photo" else "attachment"
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={
                # RFC 6266/5987: an ASCII fallback plus the exact (Vietnamese) name for browsers that read it.
                "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            },
        )

    def _platform_json(self, person: SimPerson) -> JSON:
        zalo_id = person.zalo_user_id if self.zalo.has_account(person) else None
        return {"person": person.id, "platform": person.platform, "zalo_id": zalo_id}

    async def platforms(self, request: web.Request) -> web.StreamResponse:
        return _reply([self._platform_json(person) for person in self.state.people.values()])

    async def set_platform(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        return _reply(self._platform_json(self.zalo.set_platform(body.get("person"), body.get("platform"))))

    async def zalo_send(self, request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        unsupported = body.get("unsupported", False)
        if not isinstance(unsupported, bool):
            raise ScriptError(400, "Trường «unsupported» phải là true hoặc false.")
        message = self.zalo.person_sends(
            body.get("person"),
            body.get("text"),
            photo=body.get("photo"),
            caption=body.get("caption"),
            sticker=body.get("sticker"),
            unsupported=unsupported,
        )
        return _reply({"message_id": message.message_id, "event_name": message.event_name})

    async def zalo_redeliver(self, request: web.Request) -> web.StreamResponse:
        # An empty body means the latest delivered update.
        body = await _body(request) if (await request.text()).strip() else {}
        return _reply(self.zalo.redeliver(body.get("message_id")))

    async def zalo_webhook(self, request: web.Request) -> web.StreamResponse:
        return _reply(self.zalo.webhook_view())


def _methods(section: JSON) -> set[str] | None:
    methods = section.get("methods")
    if methods is None:
        return None
    if not isinstance(methods, list) or not all(isinstance(name, str) for name in methods):
        raise ScriptError(400, "Trường «methods» phải là danh sách tên phương thức Bot API.")
    return set(methods)


__all__ = ["ScriptingApi"]
