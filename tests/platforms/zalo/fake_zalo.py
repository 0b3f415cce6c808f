"""A fake Zalo Bot API on `httpx.MockTransport`: no network, every request recorded.

    zalo = FakeZalo()
    api = zalo.api()                                   # a ZaloApi whose requests reach the fake
    zalo.fail("sendMessage", 429, "Too Many Requests")  # the next sendMessage is refused so
    zalo.deliver(text_update("…"))                      # the next getUpdates answers with this update

Answers are the Bot API envelope. A request with another token in its path gets 401, like the real
one; getUpdates with nothing queued answers 408 (the long poll's timeout, without the wait).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.platforms.zalo.api import ZaloApi

TOKEN = "1459232241454765289:QlDcGzXbTmVrLpNsKwYh"
BASE_URL = "https://bot-api.zaloplatforms.com/bot"
BOT_CHAT = "e4ea2cd5189df1c3a88c"  # a person's private chat (Zalo: the chat id is the user's id)
GROUP_CHAT = "9b1f3c0d7a2e4f6b8c10"

Answer = Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class Call:
    method: str
    body: dict[str, Any]


@dataclass
class FakeZalo:
    calls: list[Call] = field(default_factory=list)
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    scripted: dict[str, deque[Answer | None]] = field(default_factory=dict)  # None: answer as usual
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (chat_id, text) of each message Zalo took
    next_id: int = 0

    # ---- scripting ---------------------------------------------------------------------------------

    def deliver(self, *updates: dict[str, Any]) -> None:
        self.updates.extend(updates)

    def answer(self, method: str, answer: Answer) -> None:
        self.scripted.setdefault(method, deque()).append(answer)

    def succeed(self, method: str) -> None:
        """The next `method` is answered as usual (to script a failure after it)."""
        self.scripted.setdefault(method, deque()).append(None)

    def fail(self, method: str, code: int, description: str, **extra: Any) -> None:
        """The next `method` is refused with the Bot API's error envelope (HTTP status = code)."""
        body = {"ok": False, "error_code": code, "description": description, **extra}
        self.answer(method, lambda _request: httpx.Response(code, json=body))

    def raise_(self, method: str, error: type[httpx.TransportError]) -> None:
        """The next `method` never gets an answer: httpx raises `error` (a timeout, a refused connection)."""

        def answer(request: httpx.Request) -> httpx.Response:
            raise error(f"simulated for {request.url}", request=request)

        self.answer(method, answer)

    # ---- reading -----------------------------------------------------------------------------------

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    # ---- the platform ------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport())

    def api(self, token: str = TOKEN) -> ZaloApi:
        return ZaloApi(token, base_url=BASE_URL, client=self.client())

    def handle(self, request: httpx.Request) -> httpx.Response:
        prefix = f"/bot{TOKEN}/"
        path = request.url.path
        method = path.rsplit("/", 1)[-1]
        body = json.loads(request.content or b"{}")
        if not path.startswith(prefix):
            self.calls.append(Call(method, body))
            return httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})
        scripted = self.scripted.get(method)
        answer = scripted.popleft() if scripted else None
        if answer is not None:
            self.calls.append(Call(method, body))
            return answer(request)
        if method == "getUpdates":
            self.calls.append(Call(method, body))
            if not self.updates:
                return httpx.Response(408, json={"ok": False, "error_code": 408, "description": "Request timeout"})
            return httpx.Response(200, json={"ok": True, "result": self.updates.popleft()})
        if method == "sendMessage":
            self.next_id += 1
            self.calls.append(Call(method, body))
            self.delivered.append((body["chat_id"], body["text"]))
            return httpx.Response(200, json={"ok": True, "result": {"message_id": f"m{self.next_id}", "date": 1}})
        self.calls.append(Call(method, body))
        if method == "getMe":
            result: Any = {"id": "1459232241454765289", "account_name": "bot.nhacviec", "account_type": "BASIC"}
        else:
            result = {"url": body.get("url", ""), "updated_at": 1749538250568}
        return httpx.Response(200, json={"ok": True, "result": result})


def text_update(
    text: str,
    *,
    message_id: str = "16f6366b3f02645a3d15",
    chat_id: str = BOT_CHAT,
    chat_type: str = "PRIVATE",
    sender_id: str = BOT_CHAT,
    name: str = "Nguyễn Thị Lan",
    is_bot: bool = False,
    event_name: str = "message.text.received",
    date_ms: int = 1764554400000,  # 01/12/2025 09:00 in Hà Nội time
) -> dict[str, Any]:
    """An update as Zalo delivers it (getUpdates' result, or a webhook call's body)."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": {"id": sender_id, "display_name": name, "is_bot": is_bot},
        "chat": {"id": chat_id, "chat_type": chat_type},
        "date": date_ms,
    }
    if event_name == "message.text.received":
        message["text"] = text
    return {"event_name": event_name, "message": message}
