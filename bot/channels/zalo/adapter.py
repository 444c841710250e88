"""The Zalo channel, on the Zalo Bot API (client in :mod:`bot.channels.zalo.api`).

A thin adapter like the Telegram one: an update becomes an :class:`~bot.core.Incoming`, the router decides,
and the replies are rendered the way Zalo can show them. Zalo bots have no buttons, no command menu and no
file sending, so:

- buttons become numbered lines, and a number typed back presses that button (the choices shown last are
  kept in SQLite per chat, so this survives a restart); typing a button's label works too;
- a question whose buttons are numbers themselves (how many attended: 10, 20, 50 …) lists them as examples
  to type, so that "3" means three people and not the third button;
- an attachment (an XLSX export, a chart) is replaced by its caption and a note on where to get the file.

Zalo updates carry no update id, so each message id is recorded when it is first handled and a repeat (a
webhook retried, a poll answered twice) is ignored. Messages from the bot itself are ignored too.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot import chats, texts
from bot.app import App
from bot.channels import ChannelStartError
from bot.channels.render import Rendered, render_numbered, respond, show
from bot.channels.textsplit import split_text
from bot.channels.zalo import api as zalo_api
from bot.channels.zalo.api import (
    ZaloClient,
    ZaloError,
    ZaloForbidden,
    ZaloNetworkError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.core import Button, ChatType, Incoming, Reply
from bot.router import Router
from bot.sending import Blocked, Limits, Rejected, RetryLater, Transient

# -- what it says --------------------------------------------------------------------------------------------
ZALO_NO_FILE = (
    "📎 Zalo không nhận tệp «{filename}». Muốn lấy tệp, xin dùng Loa trên Telegram hoặc lệnh "
    "«loa report export» trên máy chủ."
)
ZALO_NO_VOICE = (
    "🔊 Zalo không nhận tệp âm thanh: bản tin ở trên để đọc trên loa. Tệp âm thanh có trên Loa Telegram "
    "hoặc ở bảng điều khiển (Bản tin)."
)
ZALO_TEXT_ONLY = "Loa chỉ đọc được tin nhắn chữ. Xin gõ câu hỏi hoặc lệnh, ví dụ /trogiup."
ZALO_BAD_TOKEN = "Mã bot Zalo không hợp lệ hoặc đã bị thu hồi (LOA_ZALO_TOKEN); lấy mã mới ở Zalo Bot Creator"
ZALO_UNREACHABLE = "Không kết nối được máy chủ Zalo Bot ({url}): {reason}"
ZALO_LISTEN_FAILED = "Không mở được cổng webhook Zalo {where}: {reason}"
ZALO_WEBHOOK_FAILED = "Zalo không nhận địa chỉ webhook {url}: {reason}"
ZALO_STARTED = "Loa đang chạy trên Zalo với tên {name} ({mode}). Ctrl-C để dừng."

log = logging.getLogger(__name__)

NAME = "zalo"
# Zalo publishes no sending limit for bots; 10 messages a second is a cautious pace, and a 429 is honoured.
LIMITS = Limits(per_second=10.0, group_per_minute=20.0)
TEXT_EVENT = "message.text.received"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
FORGET_EVERY = 3600.0
# If the answer takes longer than this, show "typing…" on the user's phone meanwhile.
TYPING_AFTER = 0.4
MAX_BODY = 1 << 20
DRAIN_SECONDS = 8.0  # on stop, answers under way get this long


class ZaloStartError(ChannelStartError):
    """The Zalo channel cannot start (bad token, server unreachable, webhook refused); one line, no secret."""


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update in a webhook body or a getUpdates answer, with or without the ``{ok, result}`` envelope."""
    if not isinstance(body, dict):
        return None
    if "event_name" in body or "message" in body:
        return body
    result = body.get("result")
    if body.get("ok") is not False and isinstance(result, dict):
        return result if "event_name" in result or "message" in result else None
    return None


def render(replies: Iterable[Reply]) -> Rendered:
    """Zalo messages of at most 2,000 characters, buttons as numbered lines (the shared renderer)."""
    return render_numbered(replies, zalo_api.MAX_TEXT, ZALO_NO_FILE, ZALO_NO_VOICE)


@dataclass(frozen=True)
class ZaloMessage:
    """What Loa needs of an update; ``text`` is None for pictures, stickers and the like."""

    user_id: str
    chat_id: str
    chat_type: ChatType
    name: str
    text: str | None
    message_id: str
    key: str
    from_bot: bool

    @classmethod
    def parse(cls, update: dict[str, Any]) -> ZaloMessage | None:
        message = update.get("message")
        if not isinstance(message, dict):
            return None
        sender = _mapping(message.get("from"))
        chat = _mapping(message.get("chat"))
        user_id = str(sender.get("id") or "")
        if not user_id:
            return None
        chat_id = str(chat.get("id") or user_id)
        text = message.get("text")
        is_text = update.get("event_name", TEXT_EVENT) == TEXT_EVENT and isinstance(text, str)
        return cls(
            user_id=user_id,
            chat_id=chat_id,
            chat_type="group" if str(chat.get("chat_type", "")).upper() == "GROUP" else "private",
            name=str(sender.get("display_name") or sender.get("first_name") or sender.get("name") or ""),
            text=text if is_text else None,
            message_id=str(message.get("message_id") or ""),
            key=_update_key(message, chat_id),
            from_bot=sender.get("is_bot") is True,
        )


class ZaloChannel:
    """Turns Zalo updates into router calls and replies into Zalo messages."""

    def __init__(self, app: App, client: ZaloClient, bot_id: str = "", router: Router | None = None):
        self.app = app
        self.client = client
        self.bot_id = bot_id
        self.router = router or Router(app)
        self._tasks: set[asyncio.Task[None]] = set()
        # One conversation is answered in order; different people are answered at the same time.
        self._chat_locks: dict[str, list[Any]] = {}  # chat id -> [lock, updates waiting or running]
        self._last_forget = -FORGET_EVERY

    # -- updates -----------------------------------------------------------------------------------
    async def accept(self, update: dict[str, Any]) -> asyncio.Task[None] | None:
        """Take one update: ignore the bot's own messages and repeats, handle the rest in the background."""
        msg = ZaloMessage.parse(update)
        if msg is None or (self.bot_id and msg.user_id == self.bot_id) or msg.from_bot:
            return None
        await self._forget_old_ids()
        if not await chats.first_time(self.app, NAME, msg.key):
            log.info("zalo: update %s seen before; ignored", msg.message_id or "-")
            return None
        task = asyncio.create_task(self._handle(msg))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _forget_old_ids(self) -> None:
        now = time.monotonic()
        if now - self._last_forget >= FORGET_EVERY:
            self._last_forget = now
            await chats.forget_old_updates(self.app)

    async def drain(self, seconds: float = DRAIN_SECONDS) -> int:
        """Let the updates already taken be answered within ``seconds``; the rest are dropped, counted and
        logged (by message id). Returns how many were dropped."""
        deadline = time.monotonic() + seconds
        while self._tasks and time.monotonic() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - time.monotonic()))
        late = list(self._tasks)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=2.0)
            log.warning("zalo: stopped: %d update(s) not answered", len(late))
        return len(late)

    async def _handle(self, msg: ZaloMessage) -> None:
        entry = self._chat_locks.setdefault(msg.chat_id, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                try:
                    with self.app.answering.one():
                        await self._answer(msg)
                except Exception:  # never lose the loop over one message; its text is not logged
                    log.exception("zalo: update %s failed", msg.message_id or "-")
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._chat_locks[msg.chat_id]

    async def _answer(self, msg: ZaloMessage) -> None:
        if msg.text is None:
            await self.send(msg.chat_id, [ZALO_TEXT_ONLY])
            return
        text = msg.text

        async def handle(data: str | None) -> list[Reply]:
            inc = Incoming(
                channel=NAME,
                chat_id=msg.chat_id,
                user_id=msg.user_id,
                chat_type=msg.chat_type,
                text="" if data is not None else text,
                data=data,
                display_name=msg.name,
                addressed=msg.chat_type == "private" or text.lstrip().startswith("/"),
            )
            return await self._route_showing_typing(inc)

        messages = await respond(
            self.app,
            NAME,
            msg.chat_id,
            msg.user_id,
            text,
            handle,
            zalo_api.MAX_TEXT,
            ZALO_NO_FILE,
            ZALO_NO_VOICE,
        )
        if messages:
            await self.send(msg.chat_id, messages)

    async def _route_showing_typing(self, inc: Incoming) -> list[Reply]:
        work = asyncio.ensure_future(self.router.handle(inc))
        done, _ = await asyncio.wait({work}, timeout=TYPING_AFTER)
        if not done:
            with contextlib.suppress(ZaloError):
                await self.client.send_chat_action(inc.chat_id)
        return await work

    # -- replies -----------------------------------------------------------------------------------
    async def send(self, chat_id: str, messages: list[str]) -> None:
        """Send in order; the client retries 429, 5xx and time-outs. A chat that refuses us is marked."""
        for text in messages:
            try:
                await self.client.send_message(chat_id, text)
                self.app.answering.replied(NAME)
            except ZaloForbidden:
                await chats.presence(self.app, NAME, chat_id, False, chat_type="private")
                log.info("zalo: chat %s refuses messages; marked inactive", chat_id)
                return
            except ZaloError as exc:
                log.warning("zalo: reply to %s not sent: %s", chat_id, exc)
                return

    # -- receiving ---------------------------------------------------------------------------------
    async def poll(self, stop: asyncio.Event, timeout: int = zalo_api.POLL_TIMEOUT) -> None:
        """Long-poll until ``stop``; a failing server is retried with growing pauses (at most 30 s)."""
        pause = 1.0
        while not stop.is_set():
            fetch = asyncio.ensure_future(self.client.get_update(timeout))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not fetch.done():
                # Stopping while the poll waits: Zalo has handed nothing over yet, so nothing is lost.
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, ZaloError):
                    await fetch
                return
            try:
                update = fetch.result()
            except ZaloRateLimited as exc:
                await _sleep_or_stop(stop, exc.retry_after)
                continue
            except ZaloError as exc:
                level = logging.ERROR if isinstance(exc, ZaloUnauthorized) else logging.WARNING
                log.log(level, "zalo: getUpdates failed (%s); next try in %.0fs", exc, pause)
                await _sleep_or_stop(stop, pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = 1.0
            if update is not None:
                try:
                    await self.accept(update)
                except Exception:  # the store failed (disk full, say): keep polling, say so in the log
                    log.exception("zalo: an update could not be taken")


def _update_key(message: dict[str, Any], chat_id: str) -> str:
    message_id = message.get("message_id")
    if message_id:
        return f"{chat_id}:{message_id}"
    # No id: a digest of where, when and what (the text itself is not stored).
    raw = json.dumps([chat_id, message.get("date"), message.get("text")], ensure_ascii=False)
    return "h:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class ZaloSender:
    """Delivers broadcast messages through the Zalo client, mapping its errors for the engine. A notice's
    choices are numbered, and kept (``store``) so that a number typed back picks one."""

    def __init__(self, client: ZaloClient, app: App | None = None):
        self.client = client
        self.app = app  # where the numbered choices of a notice are remembered

    async def deliver(
        self, chat_id: str, text: str, buttons: list[list[Button]] | None = None, audio: Path | None = None
    ) -> None:
        """The text (Zalo's bot carries no voice message: a bulletin's script is its text)."""
        chunks = split_text(text, zalo_api.MAX_TEXT)
        if buttons:
            notice = [Reply(text, buttons=buttons)]
            if self.app is None:
                rendered = render(notice)
            else:  # a private chat: the chat is the person
                rendered = await show(
                    self.app, NAME, chat_id, chat_id, notice, zalo_api.MAX_TEXT, ZALO_NO_FILE, ZALO_NO_VOICE
                )
            chunks = rendered.messages
        try:
            for chunk in chunks:
                # No retries here: the engine paces, waits out 429s and retries failures itself.
                await self.client.send_message(chat_id, chunk, retries=0)
        except ZaloRateLimited as exc:
            raise RetryLater(exc.retry_after) from None
        except ZaloForbidden as exc:
            raise Blocked(exc.description or "forbidden") from None
        except (ZaloServerError, ZaloNetworkError) as exc:
            raise Transient(str(exc)) from None
        except ZaloError as exc:
            if exc.code == 404 or "not found" in exc.description.lower():
                raise Blocked(exc.description) from None
            raise Rejected(str(exc)) from None


# -- the webhook ----------------------------------------------------------------------------------------
def _webhook_app(channel: ZaloChannel, path: str, secret: str):
    import tornado.web

    expected = secret.encode()

    class WebhookHandler(tornado.web.RequestHandler):
        async def post(self) -> None:
            given = (self.request.headers.get(SECRET_HEADER) or "").encode()
            if not hmac.compare_digest(given, expected):
                log.warning("zalo webhook: wrong or missing secret from %s; refused", self.request.remote_ip)
                self.set_status(403)
                self.finish({"ok": False, "description": "forbidden"})
                return
            try:
                body = json.loads(self.request.body or b"null")
            except ValueError:
                self.set_status(400)
                self.finish({"ok": False, "description": "body is not JSON"})
                return
            update = unwrap(body)
            if update is not None:
                await channel.accept(update)  # recorded before the answer, so a retry is a repeat
            self.finish({"ok": True})

    return tornado.web.Application([(path, WebhookHandler)])


async def run(
    app: App,
    stop: asyncio.Event,
    announce: Callable[[str], None] | None = None,
    on_ready: Callable[[ZaloClient], Awaitable[Callable[[], Awaitable[None]]]] | None = None,
) -> None:
    """Run the Zalo channel until ``stop`` is set; raise :class:`ZaloStartError` if it cannot start."""
    settings = app.settings.channel("zalo")
    if settings.token is None:
        raise ZaloStartError(texts.CHANNEL_NOT_CONFIGURED.format(variable="LOA_ZALO_TOKEN"))
    client = ZaloClient(settings.token.get_secret_value(), settings.api_url)
    server = None
    channel: ZaloChannel | None = None
    try:
        api = urlparse(settings.api_url)
        try:
            me = await client.get_me()
        except ZaloUnauthorized:
            raise ZaloStartError(ZALO_BAD_TOKEN) from None
        except ZaloError as exc:
            where = f"{api.scheme}://{api.netloc}"
            raise ZaloStartError(ZALO_UNREACHABLE.format(url=where, reason=exc)) from None
        channel = ZaloChannel(app, client, bot_id=me.id)
        poller: asyncio.Task[None] | None = None
        if settings.webhook_url:
            from tornado.httpserver import HTTPServer

            if app.db.shared and settings.webhook_secret is None:  # each worker would set its own secret
                raise ZaloStartError(texts.WEBHOOK_SECRET_SHARED.format(name="LOA_ZALO_WEBHOOK_SECRET"))
            secret = settings.webhook_secret_or_random()
            path = urlparse(settings.webhook_url).path or "/"
            server = HTTPServer(_webhook_app(channel, path, secret), max_body_size=MAX_BODY)
            try:
                server.listen(settings.webhook_port, address=settings.webhook_listen)
            except OSError as exc:
                where = f"{settings.webhook_listen}:{settings.webhook_port}"
                reason = exc.strerror or type(exc).__name__
                raise ZaloStartError(ZALO_LISTEN_FAILED.format(where=where, reason=reason)) from None
            try:
                await client.set_webhook(settings.webhook_url, secret)
            except ZaloError as exc:
                raise ZaloStartError(
                    ZALO_WEBHOOK_FAILED.format(url=settings.webhook_url, reason=exc)
                ) from None
            mode = "webhook"
        else:
            with contextlib.suppress(ZaloError):
                info = await client.get_webhook_info()
                if info.get("url"):  # getUpdates gets nothing while a webhook is set
                    await client.delete_webhook()
                    log.info("zalo: webhook removed to poll for updates")
            poller = asyncio.create_task(channel.poll(stop))
            mode = "polling"
        cleanup = await on_ready(client) if on_ready is not None else None
        line = ZALO_STARTED.format(name=me.name or me.id, mode=mode)
        (announce or (lambda s: print(s, file=sys.stderr, flush=True)))(line)
        await stop.wait()
        # Stop taking updates; then, side by side and each within its deadline, answer the updates taken
        # and let the scheduler finish its sends in flight, while the client is still open.
        if server is not None:
            server.stop()
        if poller is not None:
            await poller  # returns at once: a waiting poll is cancelled, a received update is taken
        waits: list[Awaitable[object]] = [channel.drain()]
        if cleanup is not None:
            waits.append(cleanup())
        await asyncio.gather(*waits, return_exceptions=True)
    finally:
        if server is not None:
            server.stop()  # does nothing the second time
        if channel is not None:
            await channel.drain()
        await client.close()


def _mapping(value: Any) -> dict[str, Any]:
    """A JSON object of an update, or an empty one when the field is missing or of another type."""
    return value if isinstance(value, dict) else {}
