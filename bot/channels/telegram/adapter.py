"""The Telegram channel, on python-telegram-bot 22.

A thin adapter: an Update becomes an :class:`~bot.core.Incoming`, the router decides, and the replies are
rendered as Telegram messages (HTML with every piece of text escaped, inline keyboards, long text split
on paragraphs, files as documents or photos). Group bookkeeping (added, removed, migrated to a supergroup)
goes to the store. No business rule lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import chats, texts
from bot.app import App
from bot.channels import ChannelStartError
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.textsplit import split_text
from bot.core import Button, Incoming, IncomingFile, Reply
from bot.core import ChatType as ChatKind
from bot.router import Router
from bot.sending import SEND_WORKERS, Answering

# -- what it says --------------------------------------------------------------------------------------------
TELEGRAM_BAD_TOKEN = (
    "Mã bot Telegram không hợp lệ hoặc đã bị thu hồi (LOA_TELEGRAM_TOKEN); lấy mã mới từ @BotFather"
)
TELEGRAM_UNREACHABLE = "Không kết nối được máy chủ Telegram ({url}): {reason}"
TELEGRAM_STARTED = "Loa đang chạy trên Telegram với tên @{username} ({mode}). Ctrl-C để dừng."

log = logging.getLogger(__name__)

NAME = "telegram"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
RETRY_DELAYS = (0.5, 1.5)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


DRAIN_SECONDS = 8.0  # on stop, answers under way get this long; the rest are dropped and logged
# Updates answered at once (one chat's wait holds one of them). Few: with httpx, every request in flight
# cost its connection pool a scan of all its connections (bench/telegram.py: 2.6 ms CPU per update with 16,
# 5.9 ms with 256, 2.0 ms with 4); four replies in flight still outrun Telegram's 30/s.
WORKERS = 4
# The answering bot's HTTP connections: one per handler under way, one for the start-up calls. The
# broadcast engine sends through a bot of its own (``sending_bot``): answers never wait for its connections.
CONNECTIONS = WORKERS + 1


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats side by side, those of one chat in order, and a shutdown with a deadline.

    python-telegram-bot's SimpleUpdateProcessor runs updates concurrently without an order; a conversation
    (a report tapped through quickly) needs its own updates in order, and one busy group must not hold up
    everyone else, as a strictly sequential processor lets it. On stop, updates not yet started are dropped
    and those under way get ``DRAIN_SECONDS``; what was dropped is logged by update id.
    """

    def __init__(self, answering: Answering | None = None, workers: int = WORKERS):
        # PTB's own limit is taken before an update waits for its chat, so a backlog in one chat would hold
        # its slots: ours is taken after, and PTB's is set out of reach.
        super().__init__(max_concurrent_updates=1 << 16)
        self._slots = asyncio.Semaphore(workers)
        self.answering = answering or Answering()  # the broadcast engine waits while it counts any
        self._chats: dict[object, list] = {}  # chat id -> [lock, updates waiting or running]
        self._running: set[asyncio.Task] = set()
        self._closing = False
        self.dropped: list[int] = []
        # Webhook mode: True the first time an update id is seen (in the database, across workers).
        self.claim: Callable[[int], Awaitable[bool]] | None = None

    async def initialize(self) -> None:
        self._closing = False

    async def shutdown(self) -> None:
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        entry = self._chats.setdefault(chat.id if chat else None, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                if self._closing:
                    self._drop(update, coroutine)
                    return
                if await self._repeated(update):
                    log.info("update %s was answered already; skipped", getattr(update, "update_id", "-"))
                    if asyncio.iscoroutine(coroutine):
                        coroutine.close()
                    return
                # The task PTB runs this update in: cancelled if it outlasts a stop's deadline.
                task = asyncio.current_task()
                if task is not None:
                    self._running.add(task)
                try:
                    async with self._slots:
                        with self.answering.one():
                            await coroutine
                except asyncio.CancelledError:
                    if not self._closing:
                        raise
                    self.dropped.append(getattr(update, "update_id", -1))
                finally:
                    self._running.discard(task)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._chats.pop(chat.id if chat else None, None)

    async def _repeated(self, update: object) -> bool:
        return (
            self.claim is not None and isinstance(update, Update) and not await self.claim(update.update_id)
        )

    def _drop(self, update: object, coroutine: Awaitable[object]) -> None:
        if asyncio.iscoroutine(coroutine):
            coroutine.close()
        self.dropped.append(getattr(update, "update_id", -1))

    async def drain(self, seconds: float = DRAIN_SECONDS) -> list[int]:
        """Stop taking updates; let those under way finish within ``seconds``; return the ids dropped."""
        self._closing = True
        if self._running:
            _done, late = await asyncio.wait(set(self._running), timeout=seconds)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=2.0)
        return self.dropped


class TelegramStartError(ChannelStartError):
    """The bot cannot start (bad token, server unreachable); the message is one line without secrets."""


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Inline keyboard for the reply's buttons; a button whose data Telegram would refuse is left out."""
    rows = []
    for row in reply.buttons:
        kept = []
        for b in row:
            if 1 <= len(b.data.encode()) <= MAX_CALLBACK_DATA:
                kept.append(InlineKeyboardButton(b.label, callback_data=b.data))
            else:
                log.error("button %r left out: callback data must be 1-64 bytes", b.label)
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows) if rows else None


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


class TelegramChannel:
    """Builds the python-telegram-bot Application that ``loa run`` runs."""

    def __init__(self, app: App, router: Router | None = None):
        self.app = app
        self.router = router or Router(app)
        self.processor = ChatOrderedProcessor(app.answering)
        self.requests: tuple[AiohttpRequest, ...] = ()  # the last built Application's

    # -- building ----------------------------------------------------------------------------------
    def build(self, rate_limiter: AIORateLimiter | None = None) -> Application:
        """The Application; Telegram's limits (30 msg/s, 20 msg/min per group) unless ``rate_limiter``."""
        token, base, file_base = _endpoints(self.app)
        # Answers and start-up calls; getUpdates (long polls, one at a time).
        self.requests = (AiohttpRequest(CONNECTIONS), AiohttpRequest(1))
        application = (
            ApplicationBuilder()
            .token(token)
            .request(self.requests[0])
            .get_updates_request(self.requests[1])
            .base_url(base)
            .base_file_url(file_base)
            .defaults(_defaults(self.app))
            .rate_limiter(
                rate_limiter
                or AIORateLimiter(
                    overall_max_rate=30,
                    overall_time_period=1,
                    group_max_rate=20,
                    group_time_period=60,
                    max_retries=3,
                )
            )
            .concurrent_updates(self.processor)
            .build()
        )
        application.add_handler(ChatMemberHandler(self.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
        application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        application.add_handler(CallbackQueryHandler(self.on_callback))
        application.add_handler(
            MessageHandler(
                (filters.TEXT | filters.COMMAND | filters.Document.ALL) & ~filters.UpdateType.EDITED,
                self.on_message,
            )
        )
        application.add_error_handler(self.on_error)
        return application

    async def set_commands(self, application: Application) -> None:
        """The command menus, one for private chats and one for groups, as the features declare them."""
        routes = self.router.routes
        for chat_type, scope in (
            ("private", BotCommandScopeAllPrivateChats()),
            ("group", BotCommandScopeAllGroupChats()),
        ):
            commands = [BotCommand(name, description) for name, description in routes.menu(chat_type)]
            await application.bot.set_my_commands(commands, scope=scope)

    # -- updates -----------------------------------------------------------------------------------
    def _incoming(self, message: Message, bot_username: str, bot_id: int) -> Incoming | None:
        chat = message.chat
        if chat.type == ChatType.CHANNEL or message.from_user is None or message.from_user.is_bot:
            return None
        text = message.text or message.caption or ""
        chat_type: ChatKind = "private" if chat.type == ChatType.PRIVATE else "group"
        addressed = chat_type == "private"
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            target = command.partition("@")[2]
            if target and target.lower() != bot_username.lower():
                return None  # a command for another bot in the same group
            addressed = True
        elif chat_type == "group":
            mention = f"@{bot_username}".lower()
            mentioned = any(
                e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == mention
                for e in message.entities
            )
            replied = (
                message.reply_to_message is not None
                and message.reply_to_message.from_user is not None
                and message.reply_to_message.from_user.id == bot_id
            )
            if mentioned:
                text = _strip_mention(text, bot_username)
            addressed = mentioned or replied
        user = message.from_user
        return Incoming(
            channel=NAME,
            chat_id=str(chat.id),
            user_id=str(user.id),
            chat_type=chat_type,
            text=text,
            display_name=user.full_name,
            chat_title=chat.title or "",
            addressed=addressed,
            receives_files=True,
        )

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        inc = self._incoming(message, context.bot.username, context.bot.id)
        if inc is None:
            return
        if message.document is not None:
            inc = replace(inc, file=_incoming_file(context.bot, message.document))
        if inc.chat_type == "group" and inc.text.startswith("/") and message.from_user is not None:
            # Some group commands are for the group's admins: say whether the sender is one.
            try:
                member = await context.bot.get_chat_member(message.chat_id, message.from_user.id)
                inc = replace(
                    inc, group_admin=member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
                )
            except TelegramError as exc:
                log.info("getChatMember failed (%s); treating the sender as a member", type(exc).__name__)
        replies = await self.router.handle(inc)
        await self.send(context.bot, message.chat_id, replies)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:  # only callback queries are routed here
            return
        # Answer first: the button stops spinning on the user's phone whatever happens next.
        try:
            await query.answer()
        except TelegramError as exc:  # a query older than Telegram keeps them: nothing to stop spinning
            log.info("answerCallbackQuery failed for update %s: %s", update.update_id, type(exc).__name__)
        message = query.message
        if message is None or not isinstance(message, Message):
            return
        chat = message.chat
        inc = Incoming(
            channel=NAME,
            chat_id=str(chat.id),
            user_id=str(query.from_user.id),
            chat_type="private" if chat.type == ChatType.PRIVATE else "group",
            data=query.data or "",
            display_name=query.from_user.full_name,
            chat_title=chat.title or "",
            addressed=True,
            receives_files=True,
        )
        replies = await self.router.handle(inc)
        await self.send(context.bot, chat.id, replies, pressed=message)

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change: ChatMemberUpdated | None = update.my_chat_member
        if change is None or change.chat.type == ChatType.CHANNEL:
            return
        present = _present(change.new_chat_member)
        chat_type = "private" if change.chat.type == ChatType.PRIVATE else "group"
        title = change.chat.title or ""
        await chats.presence(self.app, NAME, str(change.chat.id), present, chat_type, title)
        log.info("bot %s chat %s", "added to" if present else "removed from", change.chat.id)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            await chats.moved(self.app, NAME, str(message.chat_id), str(message.migrate_to_chat_id))
        elif message.migrate_from_chat_id:
            await chats.moved(self.app, NAME, str(message.migrate_from_chat_id), str(message.chat_id))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure with the update id (never its text, never the token) and tell the user."""
        err = context.error
        update_id = getattr(update, "update_id", "-")
        if isinstance(err, BadRequest | Forbidden):  # Telegram refused: its reason carries no user text
            log.warning("update %s: Telegram refused: %s", update_id, err.message)
        elif isinstance(err, NetworkError | TimedOut):
            log.warning("update %s: network problem: %s", update_id, type(err).__name__)
        else:
            log.error("update %s failed: %s", update_id, type(err).__name__, exc_info=err)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(update.effective_chat.id, _escape(texts.ERROR))

    # -- replies -----------------------------------------------------------------------------------
    async def send(
        self, bot, chat_id: int | str, replies: Iterable[Reply], pressed: Message | None = None
    ) -> None:
        """Render replies in a chat; a navigation reply replaces the pressed message where it can."""
        for reply in replies:
            try:
                await self._send_retrying(bot, chat_id, reply, pressed)
            except ChatMigrated as exc:
                new_id = exc.new_chat_id
                await chats.moved(self.app, NAME, str(chat_id), str(new_id))
                chat_id = new_id
                await self._send_retrying(bot, chat_id, reply, None)
            except Forbidden:
                await chats.presence(self.app, NAME, str(chat_id), False)
                log.info("chat %s blocked the bot; marked inactive", chat_id)
                return

    async def _send_retrying(self, bot, chat_id: int | str, reply: Reply, pressed: Message | None) -> None:
        """Send, retrying a server error or a time-out after ``RETRY_DELAYS`` (429s are the rate limiter's).

        BadRequest is a NetworkError in python-telegram-bot, and never worth another try. A plain loop, not
        tenacity: its machinery took about 3% of the bot's CPU in bench/telegram.py, for a retry almost never
        taken.
        """
        for delay in RETRY_DELAYS:
            try:
                await self._send_one(bot, chat_id, reply, pressed)
                return
            except NetworkError as exc:
                if isinstance(exc, BadRequest):
                    raise
                log.info("send to %s failed (%s); retrying", chat_id, type(exc).__name__)
            await asyncio.sleep(delay)
        await self._send_one(bot, chat_id, reply, pressed)  # the last try: its error is the caller's

    async def _send_one(self, bot, chat_id: int | str, reply: Reply, pressed: Message | None) -> None:
        markup = keyboard(reply)
        if reply.attachment is not None:
            att = reply.attachment
            caption = _escape(att.caption[:MAX_CAPTION]) if att.caption else None
            file = InputFile(att.content, filename=att.filename)
            if att.kind == "photo":
                await bot.send_photo(chat_id, file, caption=caption)
            elif att.kind == "voice":
                await bot.send_voice(chat_id, file, caption=caption)
            else:
                await bot.send_document(chat_id, file, caption=caption)
            self.app.answering.replied(NAME)
            if not reply.text:
                return
        chunks = split_text(reply.text, MAX_TEXT)
        if reply.edit and pressed is not None and len(chunks) == 1:
            try:
                await pressed.edit_text(_escape(chunks[0]), reply_markup=markup)
                self.app.answering.replied(NAME)
                return
            except TelegramError as exc:  # too old to edit, or unchanged: send a new message instead
                log.info("edit failed (%s); sending a new message", type(exc).__name__)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            await bot.send_message(chat_id, _escape(chunk), reply_markup=markup if last else None)
            self.app.answering.replied(NAME)


def _endpoints(app: App) -> tuple[str, str, str]:
    """The token, the API's base URL and its files' base URL, as the settings give them."""
    settings = app.settings.channel("telegram")
    if settings.token is None:
        raise TelegramStartError(texts.CHANNEL_NOT_CONFIGURED.format(variable="LOA_TELEGRAM_TOKEN"))
    base = settings.api_url
    file_base = (
        base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base.rstrip("/") + "/file/bot"
    )
    return settings.token.get_secret_value(), base, file_base


def _defaults(app: App) -> Defaults:
    return Defaults(parse_mode=ParseMode.HTML, tzinfo=app.settings.zone)


async def sending_bot(app: App) -> ExtBot:
    """The broadcast engine's own bot, initialized: its own connections and no python-telegram-bot limiter.

    The engine paces itself (:mod:`scheduler.delivery`, the answers counted in), and AIORateLimiter holds
    *every* request of its bot for the ``retry_after`` of any 429: one «slow down» for a broadcast send
    would hold the answers too (bench/broadcast.py measured answers' p95 4–9× slower during a broadcast).
    Call its ``shutdown()`` when done. Raise TelegramStartError when it cannot start.
    """
    token, base, file_base = _endpoints(app)
    bot = ExtBot(
        token,
        base_url=base,
        base_file_url=file_base,
        request=(request := AiohttpRequest(SEND_WORKERS)),
        defaults=_defaults(app),
    )
    await _started(bot.initialize, base, request)  # getMe, as the Application's bot did
    return bot


async def _started(initialize: Callable[[], Awaitable[Any]], base: str, *requests: AiohttpRequest) -> None:
    """Run ``initialize`` (its getMe checks the token); on failure close ``requests`` and say why in one
    line (TelegramStartError): python-telegram-bot leaves what it opened open when it cannot start."""
    try:
        await initialize()
    except (InvalidToken, NetworkError) as exc:
        for request in requests:
            await request.shutdown()
        if isinstance(exc, InvalidToken):  # its message carries the token
            raise TelegramStartError(TELEGRAM_BAD_TOKEN) from None
        where = urlparse(base)
        raise TelegramStartError(
            TELEGRAM_UNREACHABLE.format(url=f"{where.scheme}://{where.netloc}", reason=type(exc).__name__)
        ) from None


class TelegramSender:
    """Delivers broadcast messages with the Application's bot, mapping Telegram's errors for the engine."""

    def __init__(self, bot):
        self.bot = bot

    async def deliver(
        self, chat_id: str, text: str, buttons: list[list[Button]] | None = None, audio: Path | None = None
    ) -> None:
        from bot.sending import Blocked, Migrated, Rejected, RetryLater, Transient

        try:
            chunks = split_text(text, MAX_TEXT)
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                markup = keyboard(Reply("", buttons=buttons)) if buttons and last else None
                await self.bot.send_message(chat_id, _escape(chunk), reply_markup=markup)
            if audio is not None:
                await self._voice(chat_id, audio)
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after)) from None
        except ChatMigrated as exc:
            raise Migrated(str(exc.new_chat_id)) from None
        except Forbidden as exc:
            raise Blocked(exc.message) from None
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise Blocked(exc.message) from None
            raise Rejected(exc.message) from None
        except (TimedOut, NetworkError) as exc:
            raise Transient(type(exc).__name__) from None

    async def _voice(self, chat_id: str, audio: Path) -> None:
        """The bulletin's voice message after its text: once more after a «slow down», else given up (the
        text went; sending it again for the audio would send it twice)."""
        for _ in range(2):
            try:
                await self.bot.send_voice(chat_id, InputFile(audio.read_bytes(), filename="ban-tin.ogg"))
                return
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
            except (TelegramError, OSError) as exc:
                log.warning("a bulletin's voice message was not sent (%s)", type(exc).__name__)
                return


def _present(member: ChatMember) -> bool:
    """Whether the bot is in the chat: a member, an admin, or restricted but still a member (as
    python-telegram-bot's chatmemberbot example reads it)."""
    status = member.status
    if status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def _incoming_file(bot: Any, document: Any) -> IncomingFile:
    """A document sent to the bot, fetched only when a handler asks for it (getFile, then the download)."""

    async def fetch() -> bytes:
        file = await bot.get_file(document.file_id)
        return bytes(await file.download_as_bytearray())

    return IncomingFile(name=document.file_name or "", size=document.file_size or 0, fetch=fetch)


def _strip_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def run(
    app: App,
    stop: asyncio.Event | None = None,
    announce: Callable[[str], None] | None = None,
    rate_limiter: AIORateLimiter | None = None,
    on_ready: Callable[[Application], Awaitable[Callable[[], Awaitable[None]]]] | None = None,
) -> None:
    """Run the Telegram channel until ``stop`` is set (or, without one, Ctrl-C / SIGTERM).

    Raise TelegramStartError when it cannot start.
    """
    channel = TelegramChannel(app)
    application = channel.build(rate_limiter)
    settings = app.settings.channel("telegram")
    await _started(application.initialize, settings.api_url, *channel.requests)
    # Without a `stop` from the caller (`bot.serve` passes one), Ctrl-C and SIGTERM stop this channel.
    own_signals = stop is None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM) if own_signals else ():
        # Not possible off the main thread or where signals are missing: then `stop` alone ends it.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    cleanup: Callable[[], Awaitable[None]] | None = None
    try:
        await channel.set_commands(application)
        await application.start()
        if application.updater is None:  # built with ApplicationBuilder's default updater: never None here
            raise TelegramStartError(TELEGRAM_UNREACHABLE.format(url="-", reason="no updater"))
        if settings.webhook_url:
            if app.db.shared and settings.webhook_secret is None:  # each worker would set its own secret
                name = "LOA_TELEGRAM_WEBHOOK_SECRET"
                raise TelegramStartError(texts.WEBHOOK_SECRET_SHARED.format(name=name))
            secret = settings.webhook_secret_or_random()
            url = urlparse(settings.webhook_url)
            # Telegram repeats an update it thinks was not taken; with several workers the repeat may reach
            # another one: the database says which update was answered already.
            channel.processor.claim = lambda update_id: chats.first_time(app, NAME, f"{update_id}")
            await application.updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=url.path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            mode = "webhook"
        else:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=20)
            mode = "polling"
        cleanup = await on_ready(application) if on_ready is not None else None
        line = TELEGRAM_STARTED.format(username=application.bot.username, mode=mode)
        (announce or (lambda s: print(s, file=sys.stderr, flush=True)))(line)
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM) if own_signals else ():
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
        # Stop fetching first (the offset of what was fetched is confirmed), then, side by side, let the
        # answers under way and the scheduler's sends in flight finish, each within its deadline.
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        waits: list[Awaitable[object]] = [channel.processor.drain()]
        if cleanup is not None:
            waits.append(cleanup())
        await asyncio.gather(*waits, return_exceptions=True)
        if application.running:
            await application.stop()  # anything still queued is dropped by the processor now
        if channel.processor.dropped:
            ids = channel.processor.dropped
            log.warning("stopped: %d update(s) not answered (update ids %s)", len(ids), ids[:50])
        await application.shutdown()
