"""A fake Zalo Bot API server on 127.0.0.1, speaking the real HTTP protocol (aiohttp).

Loa's Zalo client is pointed at it with LOA_ZALO_API_URL; nothing of Loa is mocked. Like Zalo it answers
``POST /bot<TOKEN>/<method>`` with ``{ok, result}`` or ``{ok: false, error_code, description}``, hands out
one update per getUpdates call (408 "Request timeout" when none came), refuses getUpdates while a webhook
is set, checks sendMessage's 1-2,000 characters, and can inject failures (429, 5xx, 403) per method. It can
also play Zalo's side of a webhook: POST an update to the registered URL with the secret header.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

MAX_TEXT = 2000


@dataclass
class Failure:
    status: int
    description: str
    retry_after: float | None = None


class FakeZalo:
    def __init__(self, token: str = "1459232241454765289:fake-zalo-token-Qx7") -> None:
        self.token = token
        self.bot_id = token.partition(":")[0]
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sent: dict[str, list[str]] = collections.defaultdict(list)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: dict[str, collections.deque[Failure]] = collections.defaultdict(collections.deque)
        self.blocked: set[str] = set()
        self.webhook: dict[str, str] = {}
        self.handed_out: collections.Counter[str] = collections.Counter()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Per chat: (count awaited, future) of the tests waiting for messages; per chat so that a thousand
        # waiting users cost nothing when one of them gets a message.
        self._waiters: dict[str, list[tuple[int, asyncio.Future[None]]]] = collections.defaultdict(list)
        self.latency: dict[str, float] = {}  # seconds sendMessage to a chat takes (a hanging request)

    # -- lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{bot}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- what a test does --------------------------------------------------------------------------
    def message(
        self,
        user_id: str,
        text: str | None,
        message_id: str | None = None,
        event: str = "message.text.received",
        name: str = "Lò Văn Minh",
        chat_type: str = "PRIVATE",
    ) -> dict[str, Any]:
        """An update as Zalo sends it (a private chat's id is the user's id)."""
        message: dict[str, Any] = {
            "from": {"id": user_id, "display_name": name, "is_bot": user_id == self.bot_id},
            "chat": {"id": user_id, "chat_type": chat_type},
            "message_id": message_id or f"m{next(self._ids):08d}",
            "date": int(time.time() * 1000),
        }
        if text is not None:
            message["text"] = text
        return {"event_name": event, "message": message}

    def say(self, user_id: str, text: str | None, **kw: Any) -> dict[str, Any]:
        """Queue a message from a user for getUpdates; return the update."""
        update = self.message(user_id, text, **kw)
        self.updates.put_nowait(update)
        return update

    def fail(self, method: str, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """The next ``times`` calls of ``method`` fail with HTTP ``status``."""
        description = {429: "Too Many Requests", 403: "Forbidden"}.get(status, "Internal Server Error")
        for _ in range(times):
            self.failures[method].append(Failure(status, description, retry_after))

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.calls if m == method)

    async def wait_sent(self, chat_id: str, count: int, timeout: float = 10.0) -> list[str]:
        """Wait until ``chat_id`` has received ``count`` messages; return them."""

        if len(self.sent[chat_id]) < count:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters[chat_id].append((count, waiter))
            await asyncio.wait_for(waiter, timeout)
        return self.sent[chat_id]

    async def push_webhook(
        self, update: dict[str, Any], secret: str | None = None, envelope: bool = True
    ) -> int:
        """POST ``update`` to the registered webhook as Zalo would; return the HTTP status."""
        body = {"ok": True, "result": update} if envelope else update
        headers = {"X-Bot-Api-Secret-Token": self.webhook["secret_token"] if secret is None else secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook["url"], json=body, headers=headers) as response,
        ):
            return response.status

    # -- the API -----------------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["bot"] != "bot" + self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            payload = await request.json()
        except ValueError:
            payload = {}
        self.calls.append((method, payload))
        if self.failures[method]:
            f = self.failures[method].popleft()
            body: dict[str, Any] = {"ok": False, "error_code": f.status, "description": f.description}
            if f.retry_after is not None:
                body["parameters"] = {"retry_after": f.retry_after}
            return web.json_response(body, status=f.status)
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(payload)

    async def _m_getMe(self, payload: dict[str, Any]) -> web.Response:
        return _ok({"id": self.bot_id, "account_name": "bot.LoaLaiChau", "account_type": "BASIC"})

    async def _m_getUpdates(self, payload: dict[str, Any]) -> web.Response:
        if self.webhook.get("url"):
            return _error(400, "Webhook is set; getUpdates is unavailable")
        timeout = float(payload.get("timeout") or 30)
        try:
            update = await asyncio.wait_for(self.updates.get(), timeout)
        except TimeoutError:
            return _error(408, "Request timeout")
        self.handed_out[update["message"]["message_id"]] += 1
        return _ok(update)

    async def _m_setWebhook(self, payload: dict[str, Any]) -> web.Response:
        url, secret = payload.get("url"), payload.get("secret_token")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return _error(400, "url is invalid")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return _error(400, "secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret}
        return _ok({"url": url, "updated_at": int(time.time() * 1000)})

    async def _m_deleteWebhook(self, payload: dict[str, Any]) -> web.Response:
        self.webhook = {}
        return _ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getWebhookInfo(self, payload: dict[str, Any]) -> web.Response:
        return _ok({"url": self.webhook.get("url", ""), "updated_at": int(time.time() * 1000)})

    async def _m_sendMessage(self, payload: dict[str, Any]) -> web.Response:
        chat_id, text = payload.get("chat_id"), payload.get("text")
        if not isinstance(chat_id, str) or not chat_id:
            return _error(400, "chat_id is required")
        # Counted in UTF-16 code units, as JavaScript counts (the stricter reading of "2,000 characters").
        if not isinstance(text, str) or not 1 <= len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
            return _error(400, f"text must be 1-{MAX_TEXT} characters")
        if chat_id in self.blocked:
            return _error(403, "User has blocked the bot")
        if self.latency.get(chat_id):
            await asyncio.sleep(self.latency[chat_id])
        self.sent[chat_id].append(text)
        waiting = self._waiters.get(chat_id, [])
        for item in [w for w in waiting if w[0] <= len(self.sent[chat_id])]:
            waiting.remove(item)
            if not item[1].done():
                item[1].set_result(None)
        return _ok({"message_id": f"s{next(self._ids):08d}", "date": int(time.time() * 1000)})

    async def _m_sendChatAction(self, payload: dict[str, Any]) -> web.Response:
        return web.json_response({"ok": True})

    async def _m_sendPhoto(self, payload: dict[str, Any]) -> web.Response:
        return _ok({"message_id": f"s{next(self._ids):08d}", "date": int(time.time() * 1000)})


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


@contextlib.asynccontextmanager
async def running(token: str | None = None):
    server = FakeZalo(token) if token else FakeZalo()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
