"""A small async client of the Zalo Bot API (https://bot.zaloplatforms.com/docs).

Written here rather than taken from the package index: the Zalo client libraries there were reviewed and
found unfit (bugs, licence problems), and the API is a handful of JSON POSTs. Every method is
``POST {base}{token}/{method}`` with a JSON body; the answer is ``{ok, result, description, error_code}``.

The token is part of every URL, so no URL and no transport error text ever goes into an exception message
or a log line here: errors carry the method name, a code and Zalo's description only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from bot import logsafe
from bot.errors import Unavailable

log = logging.getLogger(__name__)

MAX_TEXT = 2000
POLL_TIMEOUT = 30


class ZaloError(Unavailable):
    """Zalo refused a call or could not be reached; ``code`` is Zalo's error code (HTTP-like) if any."""

    def __init__(self, method: str, code: int | None, description: str = ""):
        super().__init__(f"{method}: {code if code is not None else '-'} {description}".strip())
        self.method = method
        self.code = code
        self.description = description


class ZaloBadRequest(ZaloError):
    """400: the request itself is wrong (an empty or too long text, an unknown chat)."""


class ZaloUnauthorized(ZaloError):
    """401: the token is wrong or was revoked."""


class ZaloForbidden(ZaloError):
    """403: the bot may not write to this chat (the user blocked it or left)."""


class ZaloNotFound(ZaloError):
    """404: no such method or chat."""


class ZaloRateLimited(ZaloError):
    """429: too many requests; wait ``retry_after`` seconds."""

    def __init__(self, method: str, description: str = "", retry_after: float = 1.0):
        super().__init__(method, 429, description)
        self.retry_after = retry_after


class ZaloServerError(ZaloError):
    """5xx: Zalo's side failed; worth another try."""


class ZaloNetworkError(ZaloError):
    """No answer: the connection failed or timed out; worth another try."""


_BY_CODE: dict[int, type[ZaloError]] = {
    400: ZaloBadRequest,
    401: ZaloUnauthorized,
    403: ZaloForbidden,
    404: ZaloNotFound,
}


@dataclass(frozen=True)
class BotInfo:
    id: str
    name: str


class ZaloClient:
    """The Bot API methods Loa uses, with typed errors.

    ``retries`` is how many times a rate-limited (429), failed (5xx) or unanswered call is tried again, with
    back-off, before its error is raised; the broadcast engine passes 0 because it paces and retries itself.
    """

    def __init__(
        self,
        token: str,
        base_url: str = "https://bot-api.zaloplatforms.com/bot",
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
    ):
        # "https://bot-api.zaloplatforms.com/bot" + token: a trailing slash typed in the setting is dropped.
        self._prefix = f"{base_url.rstrip('/')}{token}/"
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- the methods -------------------------------------------------------------------------------
    async def get_me(self) -> BotInfo:
        result = await self.call("getMe")
        name = result.get("account_name") or result.get("name") or ""
        return BotInfo(id=str(result.get("id", "")), name=str(name))

    async def get_update(self, timeout: int = POLL_TIMEOUT) -> dict[str, Any] | None:
        """One update by long polling, or None when none came within ``timeout`` seconds (Zalo's 408)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(timeout)}, read_timeout=timeout + 10, retries=0
            )
        except ZaloError as exc:
            if exc.code == 408:
                return None
            raise
        if isinstance(result, list):  # tolerate a Telegram-like list, should Zalo ever send one
            return result[0] if result else None
        return result or None

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> dict[str, Any]:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str, retries: int | None = None) -> dict[str, Any]:
        """Send one text of 1-2,000 characters (split longer ones with ``textsplit.split_text``)."""
        size = len(text.encode("utf-16-le")) // 2
        if not 1 <= size <= MAX_TEXT:
            raise ZaloBadRequest("sendMessage", 400, f"text must be 1-{MAX_TEXT} characters, got {size}")
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text}, retries=retries)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> dict[str, Any]:
        payload = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption[:MAX_TEXT]
        return await self.call("sendPhoto", payload)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action}, retries=0)

    # -- the transport -----------------------------------------------------------------------------
    async def call(
        self,
        method: str,
        payload: dict[str, Any] | None = None,
        read_timeout: float | None = None,
        retries: int | None = None,
    ) -> Any:
        """POST one method; the ``result`` on success, a :class:`ZaloError` subclass otherwise.

        A 429 is waited out as long as Zalo says (within ``max_retry_after``); a 5xx or a time-out is tried
        again with exponential back-off (tenacity).
        """
        retrying = AsyncRetrying(
            retry=retry_if_exception_type((ZaloRateLimited, ZaloServerError, ZaloNetworkError)),
            stop=stop_after_attempt(1 + (self.retries if retries is None else retries)),
            wait=self._pause,
            before_sleep=lambda state: log.info(
                "zalo %s failed (%s); retrying", method, logsafe.failure(state)
            ),
            reraise=True,
        )
        return await retrying(self._call_once, method, payload or {}, read_timeout)

    def _pause(self, state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, ZaloRateLimited):
            return min(failure.retry_after, self.max_retry_after)
        return self.backoff * 2 ** (state.attempt_number - 1)

    async def _call_once(self, method: str, payload: dict[str, Any], read_timeout: float | None) -> Any:
        timeout = httpx.Timeout(self.timeout, read=read_timeout) if read_timeout else httpx.USE_CLIENT_DEFAULT
        try:
            response = await self._http.post(self._prefix + method, json=payload, timeout=timeout)
        except httpx.TimeoutException:
            raise ZaloNetworkError(method, None, "timed out") from None
        except httpx.HTTPError as exc:  # the message may hold the URL, and so the token: keep the type only
            raise ZaloNetworkError(method, None, type(exc).__name__) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            code = response.status_code
            raise _error(method, code if code >= 400 else 502, "answer is not a JSON object", body) from None
        if body.get("ok") is True and response.status_code < 400:
            return body.get("result") if body.get("result") is not None else {}
        raw_code = body.get("error_code")
        code = (
            raw_code
            if isinstance(raw_code, int)
            else (response.status_code if response.status_code >= 400 else 400)
        )
        raise _error(method, code, str(body.get("description") or "")[:200], body)


def _error(method: str, code: int, description: str, body: Any) -> ZaloError:
    if code == 429:
        retry_after = 1.0
        params = body.get("parameters") if isinstance(body, dict) else None
        if isinstance(params, dict) and isinstance(params.get("retry_after"), int | float):
            retry_after = float(params["retry_after"])
        return ZaloRateLimited(method, description, retry_after)
    if code >= 500:
        return ZaloServerError(method, code, description)
    return _BY_CODE.get(code, ZaloError)(method, code, description)
