"""A fake Telegram Bot API server on 127.0.0.1, speaking the real HTTP protocol (aiohttp).

python-telegram-bot is pointed at it with ``base_url``; nothing of Loa is mocked. It keeps updates for
long polling with offsets, records every call, validates what Telegram validates (text length, HTML
entities, callback data size), and injects failures on demand: 429 with retry_after, 403 blocked,
400 chat not found, 400 migrate_to_chat_id, 5xx.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import html
import json
import re
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

TEXT_FIELDS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "url",
    "secret_token",
    "language_code",
    "description",
    "certificate",
    "ip_address",
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHTML(HTMLParser):
    """Checks HTML the way Telegram does (known tags, balanced) and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.visible: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f'Unexpected end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.visible.append(data)


def parse_html(text: str) -> tuple[str, str | None]:
    if re.search(r"<(?![a-zA-Z/])", text) or re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        return text, "Can't parse entities: unescaped character"
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack and parser.error is None:
        parser.error = "Can't find end tag"
    return "".join(parser.visible), parser.error


@dataclass
class Failure:
    method: str
    code: int
    description: str
    chat_id: int | None = None
    times: int = 1
    parameters: dict[str, Any] = field(default_factory=dict)


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters or {}


class FakeTelegram:
    """The server and the test's handle on it."""

    def __init__(
        self, token: str = "123456:TEST-token-abc", username: str = "LoaTestBot", bot_id: int = 123456
    ):
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 1000
        self.confirmed_offset = 0
        self.delivered: dict[int, int] = {}  # update_id -> times handed out by getUpdates
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.uploads: list[tuple[str, str, bytes]] = []  # every file sent to it: (field, file name, bytes)
        self.failures: list[Failure] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.next_message_id: dict[int, int] = {}
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}
        self.rate_window: list[float] = []
        self._changed = asyncio.Condition()
        self._notifying: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.webhook_url = ""
        self._closing = False
        # Per chat: how many messages were sent or edited, and the buttons last shown (cheap to poll).
        self.delivered_to: dict[int, int] = {}
        self.last_markup: dict[int, dict[str, Any]] = {}
        self._delivery_waiters: dict[int, list[tuple[int, asyncio.Future[None]]]] = {}
        self._window: collections.deque[float] = collections.deque()
        self.admins: set[tuple[int, int]] = set()  # (chat, user) pairs that administer a group
        self._group_windows: dict[int, collections.deque[float]] = {}
        # Seconds the server takes to answer a send to a chat (a slow link, a stuck request).
        self.latency: dict[int, float] = {}
        self._closed = asyncio.Event()
        self.files: dict[str, bytes] = {}  # file_id -> bytes of files users sent

    # -- life cycle -------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        self._closed.set()  # slow answers end now
        async with self._changed:
            self._changed.notify_all()  # long polls return at once
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- what tests push ----------------------------------------------------------------------------
    def chat(self, chat_id: int, chat_type: str = "private", title: str = "") -> dict[str, Any]:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = title or f"User{chat_id}"
        else:
            chat["title"] = title or f"Group {chat_id}"
        self.chats[chat_id] = chat
        return chat

    def user(self, user_id: int, name: str = "") -> dict[str, Any]:
        first, _, last = (name or f"User{user_id}").partition(" ")
        user = {"id": user_id, "is_bot": False, "first_name": first, "language_code": "vi"}
        if last:
            user["last_name"] = last
        return user

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Loa", "username": self.username}

    async def push(self, update: dict[str, Any]) -> int:
        update["update_id"] = self.next_update_id
        self.next_update_id += 1
        self.updates.append(update)
        async with self._changed:
            self._changed.notify_all()
        return update["update_id"]

    def _entities(self, text: str) -> list[dict[str, Any]]:
        entities = []
        m = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if m:
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))})
        for m in re.finditer(r"@[A-Za-z0-9_]{3,}", text):
            if entities and m.start() < entities[0]["length"]:
                continue
            entities.append(
                {"type": "mention", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))}
            )
        return entities

    async def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        chat_type: str = "private",
        title: str = "",
        name: str = "",
        reply_to: dict[str, Any] | None = None,
    ) -> int:
        chat = self.chats.get(chat_id) or self.chat(chat_id, chat_type, title)
        message = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, name),
            "text": text,
        }
        entities = self._entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return await self.push({"message": message})

    async def send_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        data: bytes,
        caption: str = "",
        size: int | None = None,
    ) -> int:
        """A user sends a file (``size``: what Telegram says the size is, when a test wants it to lie)."""
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = data
        chat = self.chats.get(chat_id) or self.chat(chat_id)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": filename,
                "file_size": len(data) if size is None else size,
            },
        }
        if caption:
            message["caption"] = caption
            entities = self._entities(caption)
            if entities:
                message["caption_entities"] = entities
        return await self.push({"message": message})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=404)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self.files:
            return web.Response(status=404)
        self.calls.append(("download", {"file_id": file_id}))
        return web.Response(body=self.files[file_id])

    async def m_getFile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    async def press(self, chat_id: int, user_id: int, data: str, message: dict[str, Any]) -> int:
        return await self.push(
            {
                "callback_query": {
                    "id": f"cq{self.next_update_id}",
                    "from": self.user(user_id),
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": message,
                }
            }
        )

    async def member_change(
        self, chat_id: int, status: str, title: str = "", by: int = 7, is_member: bool = True
    ) -> int:
        chat = self.chats.get(chat_id) or self.chat(
            chat_id, "supergroup" if chat_id < -(10**12) else "group", title
        )
        old = "left" if status in ("member", "administrator") else "member"
        extra: dict[str, Any] = {"until_date": 0} if status == "kicked" else {}
        if status == "restricted":  # every field Telegram sends for a restricted member
            permissions = (
                "change_info",
                "invite_users",
                "pin_messages",
                "send_messages",
                "send_polls",
                "send_other_messages",
                "add_web_page_previews",
                "manage_topics",
                "send_audios",
                "send_documents",
                "send_photos",
                "send_videos",
                "send_video_notes",
                "send_voice_notes",
                "edit_tag",
                "react_to_messages",
            )
            extra = {"until_date": 0, "is_member": is_member, **{f"can_{p}": False for p in permissions}}
        return await self.push(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": self.user(by),
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": self.bot_user()},
                    "new_chat_member": {"status": status, "user": self.bot_user(), **extra},
                }
            }
        )

    async def migrate_group(self, old_id: int, new_id: int) -> int:
        """The service message Telegram puts in the old group when it becomes a supergroup."""
        self.migrated[old_id] = new_id
        chat = self.chats.get(old_id) or self.chat(old_id, "group")
        self.chat(new_id, "supergroup", chat.get("title", ""))
        return await self.push(
            {
                "message": {
                    "message_id": self._new_message_id(old_id),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": self.user(7),
                    "migrate_to_chat_id": new_id,
                }
            }
        )

    def fail(
        self,
        method: str,
        code: int,
        description: str,
        chat_id: int | None = None,
        times: int = 1,
        **parameters: Any,
    ) -> None:
        self.failures.append(Failure(method, code, description, chat_id, times, parameters))

    # -- what tests read ----------------------------------------------------------------------------
    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[dict[str, Any]]:
        methods = (
            {method}
            if method
            else {"sendMessage", "sendDocument", "sendPhoto", "sendVoice", "editMessageText"}
        )
        return [
            p
            for m, p in self.calls
            if m in methods
            and not p.get("_failed")
            and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)
        ]

    def texts(self, chat_id: int) -> list[str]:
        return [html.unescape(p.get("text", p.get("caption", ""))) for p in self.sent(chat_id)]

    def called(self, method: str) -> list[dict[str, Any]]:
        return [p for m, p in self.calls if m == method]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (checked after every call the bot makes)."""
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError("condition not reached; last calls: " + repr(self.calls[-5:]))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_delivered(self, chat_id: int, count: int, timeout: float = 30.0) -> None:
        """Wait until ``count`` messages were sent or edited in a chat (no polling: scales to many chats)."""
        if self.delivered_to.get(chat_id, 0) >= count:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._delivery_waiters.setdefault(chat_id, []).append((count, fut))
        await asyncio.wait_for(fut, timeout)

    async def wait_polling(self, timeout: float = 10.0) -> None:
        await self.wait_for(lambda: bool(self.called("getUpdates")), timeout)

    # -- the server ---------------------------------------------------------------------------------
    def _new_message_id(self, chat_id: int) -> int:
        self.next_message_id[chat_id] = self.next_message_id.get(chat_id, 0) + 1
        return self.next_message_id[chat_id]

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        params[key] = {"filename": value.filename, "size": len(content)}
                        self.uploads.append((key, value.filename, content))
                    else:
                        params[key] = value
        for key, value in list(params.items()):
            if key not in TEXT_FIELDS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        entry = dict(params)
        self.calls.append((method, entry))
        # Waiters learn of the call without this handler yielding first: a test that sees a message sent
        # also finds it among the messages (a call is recorded and answered in one go unless it is slowed).
        task = asyncio.get_running_loop().create_task(self._notify())
        self._notifying.add(task)
        task.add_done_callback(self._notifying.discard)
        delay = self.latency.get(int(params.get("chat_id") or 0), 0.0) if method.startswith("send") else 0.0
        if delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), delay)
        try:
            self._inject(method, params)
            handler = getattr(self, "m_" + method, None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
            if method in ("sendMessage", "sendDocument", "sendPhoto", "sendVoice", "editMessageText"):
                chat = int(params["chat_id"])
                self.delivered_to[chat] = self.delivered_to.get(chat, 0) + 1
                self.last_markup[chat] = result.get("reply_markup") or {}
                waiting = self._delivery_waiters.get(chat, [])
                for n, fut in list(waiting):
                    if self.delivered_to[chat] >= n and not fut.done():
                        fut.set_result(None)
                        waiting.remove((n, fut))
        except ApiError as err:
            entry["_failed"] = err.code
            body: dict[str, Any] = {"ok": False, "error_code": err.code, "description": err.description}
            if err.parameters:
                body["parameters"] = err.parameters
            status = err.code if err.code >= 400 else 400
            return web.json_response(body, status=status)
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def enforce_limits(self, per_second: float, group_per_minute: float, retry_after: float = 1.0) -> None:
        """Answer 429 past these sending rates, as Telegram does. A benchmark that speeds Telegram up by a
        factor scales ``retry_after`` down by the same factor (Telegram's own answers say 1 s and up)."""
        self._limits = (per_second, group_per_minute, retry_after)

    def chaos(
        self,
        too_many: float,
        server_error: float,
        seed: int = 1,
        retry_after: float = 1.0,
        chats: Collection[int] | None = None,
    ) -> None:
        """Fail this share of sends at random: 429 (with ``retry_after``) and 5xx (only to ``chats``)."""
        import random

        self._chaos = (too_many, server_error, random.Random(seed), retry_after)
        self._chaos_chats = None if chats is None else frozenset(chats)

    def _check_limits(self, chat_id: int) -> None:
        limits = getattr(self, "_limits", None)
        if limits is None:
            return
        now = time.monotonic()
        sent = self._window
        while sent and now - sent[0] >= 1.0:
            sent.popleft()
        if len(sent) >= limits[0]:
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": limits[2]})
        if chat_id < 0:
            group = self._group_windows.setdefault(chat_id, collections.deque())
            while group and now - group[0] >= 60.0:
                group.popleft()
            if len(group) >= limits[1]:
                raise ApiError(429, "Too Many Requests: retry after 3", {"retry_after": 3 * limits[2]})
            group.append(now)
        sent.append(now)

    def _inject(self, method: str, params: dict[str, Any]) -> None:
        chat_id = params.get("chat_id")
        chaos = getattr(self, "_chaos", None)
        only = getattr(self, "_chaos_chats", None)
        if chaos is not None and method == "sendMessage" and (only is None or int(chat_id or 0) in only):
            roll = chaos[2].random()
            if roll < chaos[0]:
                raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": chaos[3]})
            if roll < chaos[0] + chaos[1]:
                raise ApiError(502, "Bad Gateway")
        if method == "sendMessage" and chat_id is not None:
            self._check_limits(int(chat_id))
        for failure in self.failures:
            if failure.times <= 0 or failure.method != method:
                continue
            if failure.chat_id is not None and (chat_id is None or int(chat_id) != failure.chat_id):
                continue
            failure.times -= 1
            raise ApiError(failure.code, failure.description, failure.parameters)
        if chat_id is not None and method.startswith("send"):
            cid = int(chat_id)
            if cid in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if cid in self.migrated:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self.migrated[cid]},
                )

    # -- methods ------------------------------------------------------------------------------------
    async def m_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        timeout = float(p.get("timeout") or 0)
        if offset:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = asyncio.get_running_loop().time() + min(timeout, 5)
        async with self._changed:
            while not self.updates and not self._closing:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    break
        batch = self.updates[:limit]
        for u in batch:
            self.delivered[u["update_id"]] = self.delivered.get(u["update_id"], 0) + 1
        return batch

    async def m_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook_url = ""
        return True

    async def m_setWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook_url = p.get("url", "")
        return True

    async def m_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    async def m_setMyCommands(self, p: dict[str, Any]) -> bool:
        return True

    async def m_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        status = "administrator" if (int(p["chat_id"]), int(p["user_id"])) in self.admins else "member"
        member: dict[str, Any] = {"status": status, "user": self.user(int(p["user_id"]))}
        if status == "administrator":
            member.update(
                {
                    key: True
                    for key in (
                        "can_be_edited",
                        "is_anonymous",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    )
                }
            )
        return member

    async def m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        return True

    def _check_markup(self, p: dict[str, Any]) -> None:
        markup = p.get("reply_markup")
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _check_text(self, text: str, parse_mode: str | None, limit: int) -> None:
        visible = text
        if parse_mode == "HTML":
            visible, error = parse_html(text)
            if error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}")
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible) > limit:
            raise ApiError(400, "Bad Request: message is too long")

    def _message(self, chat_id: int, **extra: Any) -> dict[str, Any]:
        chat = self.chats.get(chat_id) or self.chat(chat_id)
        msg = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user(),
            **extra,
        }
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    async def m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        self._check_text(p.get("text", ""), p.get("parse_mode"), 4096)
        self._check_markup(p)
        self.rate_window.append(time.monotonic())
        extra: dict[str, Any] = {"text": html.unescape(re.sub(r"<[^>]+>", "", p["text"]))}
        if p.get("reply_markup"):
            extra["reply_markup"] = p["reply_markup"]
        return self._message(chat_id, **extra)

    async def m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        key = (chat_id, int(p["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_text(p.get("text", ""), p.get("parse_mode"), 4096)
        self._check_markup(p)
        msg = self.messages[key]
        msg["text"] = html.unescape(re.sub(r"<[^>]+>", "", p["text"]))
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        else:  # an edit without buttons removes them, as Telegram does
            msg.pop("reply_markup", None)
        return msg

    async def m_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        doc = p.get("document")
        if not isinstance(doc, dict):
            raise ApiError(400, "Bad Request: there is no document in the request")
        if p.get("caption"):
            self._check_text(p["caption"], p.get("parse_mode"), 1024)
        return self._message(
            int(p["chat_id"]),
            document={
                "file_id": "doc1",
                "file_unique_id": "u1",
                "file_name": doc["filename"],
                "file_size": doc["size"],
            },
        )

    async def m_sendVoice(self, p: dict[str, Any]) -> dict[str, Any]:
        """A voice message: Telegram shows one as a voice bubble only when it is OGG with Opus audio."""
        voice = p.get("voice")
        if not isinstance(voice, dict):
            raise ApiError(400, "Bad Request: there is no voice in the request")
        _key, _name, content = next(f for f in reversed(self.uploads) if f[0] == "voice")
        if not (content.startswith(b"OggS") and b"OpusHead" in content[:200]):
            raise ApiError(400, "Bad Request: VOICE_MESSAGES_FORBIDDEN or not an OGG/Opus file")
        if p.get("caption"):
            self._check_text(p["caption"], p.get("parse_mode"), 1024)
        return self._message(
            int(p["chat_id"]), voice={"file_id": "vo1", "file_unique_id": "u3", "duration": 1,
                                      "mime_type": "audio/ogg", "file_size": voice["size"]}
        )  # fmt: skip

    async def m_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        photo = p.get("photo")
        if not isinstance(photo, dict):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if p.get("caption"):
            self._check_text(p["caption"], p.get("parse_mode"), 1024)
        return self._message(
            int(p["chat_id"]), photo=[{"file_id": "ph1", "file_unique_id": "u2", "width": 800, "height": 600}]
        )
