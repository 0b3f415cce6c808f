"""What the sandbox tests share: the simulated people, a hand-moved ticker and bare Bot API clients
(Telegram's and Zalo's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from sandbox import VIETNAM, SimPerson

TOKEN = "123456:TEST-token"
ZALO_TOKEN = "1459232241454765289:TEST-zalo-token"
START = datetime(2025, 10, 1, 8, 0, tzinfo=VIETNAM)
AN, BINH, CHAU, DUNG = 101, 102, 103, 104
GROUP = -1001234567890

PEOPLE = [
    SimPerson(id=AN, name="Nguyễn Văn An", unit="Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", role="staff"),
    SimPerson(id=BINH, name="Trần Thị Bình", unit="Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", role="unit_lead"),
    SimPerson(id=CHAU, name="Lê Minh Châu", unit="Văn phòng Sở", role="monitor", username="chau_le"),
    # Never opened the bot: it may not write first.
    SimPerson(id=DUNG, name="Phạm Quốc Dũng", unit=None, role="admin", started=False),
]


class FakeTicker:
    """Wall time the test moves by hand, for rate limits and storms."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class BotClient:
    """A bare Bot API client: what a bot library sends, without the library."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self.client = client
        self.base = f"{base_url}{TOKEN}/"

    async def call(self, method: str, **params: Any) -> httpx.Response:
        return await self.client.post(self.base + method, json=params)

    async def ok(self, method: str, **params: Any) -> Any:
        response = await self.call(method, **params)
        body = response.json()
        assert response.status_code == 200 and body["ok"] is True, body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        response = await self.call(method, **params)
        body = response.json()
        assert body["ok"] is False
        assert body["error_code"] == response.status_code
        return response.status_code, body


class ZaloClient:
    """A bare Zalo Bot API client: JSON bodies posted to `{zalo_base_url}{token}/{method}`."""

    def __init__(self, client: httpx.AsyncClient, zalo_base_url: str) -> None:
        self.client = client
        self.base = f"{zalo_base_url}{ZALO_TOKEN}/"

    async def call(self, method: str, **params: Any) -> httpx.Response:
        return await self.client.post(self.base + method, json=params)

    async def ok(self, method: str, **params: Any) -> Any:
        response = await self.call(method, **params)
        body = response.json()
        assert response.status_code == 200 and body["ok"] is True, body
        return body.get("result")

    async def error(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        response = await self.call(method, **params)
        body = response.json()
        assert body["ok"] is False
        assert body["error_code"] == response.status_code
        return response.status_code, body
