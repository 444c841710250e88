"""The router: one Incoming in, the replies out, whatever the channel."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from bot import texts
from bot.app import App
from bot.core import Incoming, Reply
from bot.textnorm import strip_accents
from handlers import admin, ask, key_messages, register, report, subscribe, topics
from handlers import help as help_

log = logging.getLogger(__name__)

Handler = Callable[[App, Incoming, str], Awaitable[list[Reply]]]

# Commands in Vietnamese without accents, as people type them; a few English aliases for habit.
COMMANDS: dict[str, Handler] = {
    "start": help_.start,
    "trogiup": help_.help_text,
    "help": help_.help_text,
    "hoi": ask.on_text,
    "chude": topics.list_topics,
    "thongdiep": key_messages.show,
    "dangky": register.on_register,
    "moi": register.on_invite_command,
    "baocao": report.on_command,
    "huy": report.on_cancel,
    "baocaocuatoi": report.on_mine,
    "thongke": admin.on_stats,
    "xuat": admin.on_export,
    "chuatraloi": admin.on_unanswered,
    "dangkynhan": subscribe.on_subscribe,
    "huynhan": subscribe.on_unsubscribe,
    "sukien": subscribe.on_events,
    "phatthanh": admin.on_broadcast,
}

# Plain text while a conversation is half done goes to that conversation.
DIALOGS = {register.FLOW: register.on_text, report.FLOW: report.on_text}

_MENU: dict[str, Handler] = {
    "topics": topics.list_topics,
    "messages": key_messages.show,
    "help": help_.help_text,
}

BUTTONS: dict[str, Handler] = {
    "faq": ask.on_entry_button,
    "topic": topics.show_topic,
    "menu": lambda app, inc, arg: _MENU.get(arg, help_.help_text)(app, inc, ""),
    register.PREFIX: register.on_button,
    report.PREFIX: report.on_button,
    "bc": admin.on_broadcast_button,
}

# A private message that is only a command's words, typed without the slash ("báo cáo", "Hủy", "trợ giúp"):
# on Zalo there is no command menu, and people type words, not slashes.
BARE_COMMANDS = frozenset(
    {"baocao", "baocaocuatoi", "huy", "trogiup", "chude", "thongdiep", "sukien", "thongke", "xuat",
     "chuatraloi", "dangkynhan", "huynhan"}
)  # fmt: skip
_NOT_LETTERS = re.compile(r"[^a-z]+")

_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


def bare_command(text: str) -> str | None:
    """'baocao' for 'Báo cáo!' and the like; None for anything else."""
    if len(text) > 24:
        return None
    word = _NOT_LETTERS.sub("", strip_accents(text.lower()))
    return word if word in BARE_COMMANDS else None


def parse_command(text: str) -> tuple[str, str] | None:
    """('hoi', 'thu ngan sach') for '/hoi@LoaBot thu ngan sach'; None for plain text."""
    m = _COMMAND_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), (m.group(2) or "").strip()


class Router:
    """Dispatches commands, buttons and plain text to the handlers; never raises."""

    def __init__(self, app: App):
        self.app = app

    async def handle(self, inc: Incoming) -> list[Reply]:
        try:
            return await self._dispatch(inc)
        except Exception:
            # The message text is not logged: it may carry personal details.
            log.exception("handler failed (channel=%s chat=%s)", inc.channel, inc.chat_id)
            return [Reply(texts.ERROR)]

    async def _dispatch(self, inc: Incoming) -> list[Reply]:
        await self.app.store.note_contact(
            inc.channel, inc.user_id, inc.display_name, inc.chat_id, inc.chat_type, inc.chat_title
        )
        if inc.data is not None:
            prefix, _, arg = inc.data.partition(":")
            handler = BUTTONS.get(prefix)
            if handler is None:
                return [Reply(texts.STALE_BUTTON)]
            return await handler(self.app, inc, arg)
        text = inc.text or ""
        command = parse_command(text) if text.lstrip().startswith("/") else None
        if command is None and inc.chat_type == "private" and (bare := bare_command(text)):
            state = await self.app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
            # While registering, a typed word is a name ("Huy" is one): only "/huy" cancels there.
            if state is None or state.flow != register.FLOW:
                command = (bare, "")
        if command is not None:
            name, args = command
            if name == "start" and args:  # a Telegram deep link: t.me/<bot>?start=<invite code>
                welcome = await help_.start(self.app, inc, "")
                return welcome + await register.on_register(self.app, inc, args)
            handler = COMMANDS.get(name)
            if handler is None:
                return [Reply(texts.UNKNOWN_COMMAND.format(command="/" + name))]
            return await handler(self.app, inc, args)
        if inc.chat_type == "group" and not inc.addressed:
            return []  # in groups Loa speaks only when addressed: a command, a mention or a reply
        state = await self.app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
        if state is not None and state.flow in DIALOGS:
            return await DIALOGS[state.flow](self.app, inc, state)
        return await ask.on_text(self.app, inc, text)
