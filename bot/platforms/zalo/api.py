"""The Zalo Bot API over httpx: `POST {base_url}{token}/{method}` with a JSON body, answers unwrapped.

Every answer is an envelope, `{"ok": true, "result": …}` or `{"ok": false, "error_code": N,
"description": …}`; a refusal becomes `ZaloApiError`, trouble on the way (refused connection, timeout,
an answer that is not the envelope of a 5xx proxy page) `ZaloNetworkError`. What an error says comes from
us and from the platform's description, with the token taken out: the request URL holds the token, so
httpx's own exception (whose text or request may show it) is never chained. httpx itself logs each
request URL at INFO; `nhacviec.logs.RedactSecrets` (given the token by the service) masks it there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com/bot"
# getUpdates' "nothing came within the timeout": not an error, poll again.
NO_UPDATE = 408
TOKEN_MASK = "<token>"


class ZaloError(Exception):
    """A call to `method` did not succeed; `description` never holds the token."""

    def __init__(self, method: str, description: str) -> None:
        super().__init__(f"{method}: {description}")
        self.method = method
        self.description = description


class ZaloApiError(ZaloError):
    """The platform answered and refused: `error_code` (an HTTP-like status), and a retry hint on a 429."""

    def __init__(self, method: str, error_code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(method, f"{error_code} {description}".rstrip())
        self.error_code = error_code
        self.retry_after = retry_after


class ZaloNetworkError(ZaloError):
    """No answer came back (or not one the Bot API gives): the request may or may not have arrived."""


class ZaloTimeout(ZaloNetworkError):
    """The answer did not come back in time."""


class ZaloApi:
    """One bot's client. Pass `client` to share a connection pool (tests pass one on `httpx.MockTransport`)."""

    def __init__(
        self,
        token: SecretStr | str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 15.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._token = token if isinstance(token, SecretStr) else SecretStr(token)
        if not self._token.get_secret_value():
            raise ValueError("the Zalo token is empty")
        self.base_url = base_url
        self.timeout = timeout
        self._client = client if client is not None else httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    def __repr__(self) -> str:
        return f"ZaloApi(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    def redact(self, text: str) -> str:
        """`text` without the token (as written or as httpx would quote it in a URL)."""
        token = self._token.get_secret_value()
        # Longest first, so a quoted form is not half-replaced by a shorter one.
        for form in sorted({token, quote(token), quote(token, safe="")}, key=len, reverse=True):
            text = text.replace(form, TOKEN_MASK)
        return text

    # ---- the one request ------------------------------------------------------------------------

    async def call(self, method: str, body: Mapping[str, Any] | None = None, *, timeout: float | None = None) -> Any:
        """The `result` of `method`, or ZaloApiError / ZaloNetworkError (never httpx's exceptions)."""
        url = f"{self.base_url}{self._token.get_secret_value()}/{method}"
        try:
            response = await self._client.post(url, json=dict(body or {}), timeout=timeout or self.timeout)
        except httpx.TimeoutException as error:
            raise ZaloTimeout(method, self._describe(error)) from None
        except httpx.HTTPError as error:  # refused, reset, DNS, a bad URL
            raise ZaloNetworkError(method, self._describe(error)) from None
        envelope = _json(response)
        if not isinstance(envelope, dict) or not isinstance(envelope.get("ok"), bool):
            if response.status_code >= 500 or response.status_code in (NO_UPDATE, 429):
                # A proxy's or gateway's page: the status is what the platform (or its front) meant.
                raise ZaloApiError(method, response.status_code, "no Bot API answer", _retry_after(response, None))
            raise ZaloNetworkError(method, f"HTTP {response.status_code}: not a Bot API answer")
        if envelope["ok"]:
            log.debug("zalo %s: ok", method)
            return envelope.get("result")
        code = envelope.get("error_code")
        error_code = code if isinstance(code, int) and not isinstance(code, bool) else response.status_code
        description = envelope.get("description")
        raise ZaloApiError(
            method,
            error_code,
            self.redact(description) if isinstance(description, str) else "",
            _retry_after(response, envelope),
        )

    def _describe(self, error: httpx.HTTPError) -> str:
        text = str(error)
        return self.redact(f"{type(error).__name__}: {text}" if text else type(error).__name__)

    # ---- methods --------------------------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout_seconds: int) -> list[dict[str, Any]]:
        """The update that came (Zalo gives one per call), or none when none came within `timeout_seconds`
        (Zalo answers 408). A list, should Zalo ever answer with several as Telegram does."""
        try:
            # Zalo documents the timeout as a string; the HTTP wait must outlast it.
            result = await self.call("getUpdates", {"timeout": str(timeout_seconds)}, timeout=timeout_seconds + 10.0)
        except ZaloApiError as error:
            if error.error_code == NO_UPDATE:
                return []
            raise
        if isinstance(result, dict):
            return [result] if result else []
        if isinstance(result, list):
            return [update for update in result if isinstance(update, dict)]
        return []

    async def send_message(self, chat_id: str, text: str) -> str:
        """The sent message's id."""
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        message_id = result.get("message_id") if isinstance(result, dict) else None
        if message_id is None:
            # Acknowledged but unnamed: still sent (a resend would duplicate); the id is only for replies.
            return ""
        return str(message_id)

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        result = await self.call("getWebhookInfo")
        return result if isinstance(result, dict) else {}


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response: httpx.Response, envelope: Mapping[str, Any] | None) -> float | None:
    """Seconds to wait after a 429, from the answer (Telegram-style `parameters.retry_after`, a top-level
    `retry_after`) or the `Retry-After` header; Zalo documents none, so None is the common case."""
    candidates: list[object] = []
    if envelope is not None:
        parameters = envelope.get("parameters")
        if isinstance(parameters, Mapping):
            candidates.append(parameters.get("retry_after"))
        candidates.append(envelope.get("retry_after"))
    candidates.append(response.headers.get("Retry-After"))
    for value in candidates:
        if isinstance(value, bool) or value is None:
            continue
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if 0 <= seconds < 86400:
            return seconds
    return None


__all__ = [
    "DEFAULT_BASE_URL",
    "NO_UPDATE",
    "ZaloApi",
    "ZaloApiError",
    "ZaloError",
    "ZaloNetworkError",
    "ZaloTimeout",
]
