"""The router: one Incoming in, the replies out, whatever the channel."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from bot import texts
from bot.app import App
from bot.core import Incoming, Reply
from bot.dialog import Current
from bot.flood import FloodGuard, Rate
from bot.textnorm import strip_accents
from handlers import admin, ask, key_messages, register, report, subscribe, topics
from handlers import help as help_
from handlers.dialogs import ENGINE

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
    "baocaocuatoi": report.on_mine,
    "thongke": admin.on_stats,
    "xuat": admin.on_export,
    "chuatraloi": admin.on_unanswered,
    "dangkynhan": subscribe.on_subscribe,
    "huynhan": subscribe.on_unsubscribe,
    "sukien": subscribe.on_events,
    "phatthanh": admin.on_broadcast,
}
CANCEL = "huy"

# What answers with one person's data or starts a dialog is for a private chat only: in a group it would show
# names, residents' words or a working invite code to every member.
PRIVATE_COMMANDS = frozenset(
    {"dangky", "moi", "baocao", "baocaocuatoi", "thongke", "xuat", "chuatraloi", "phatthanh"}
)

_MENU: dict[str, Handler] = {
    "topics": topics.list_topics,
    "messages": key_messages.show,
    "help": help_.help_text,
}

BUTTONS: dict[str, Handler] = {
    "faq": ask.on_entry_button,
    "topic": topics.show_topic,
    "menu": lambda app, inc, arg: _MENU.get(arg, help_.help_text)(app, inc, ""),
    report.MINE_PREFIX: report.on_mine_button,
}
PRIVATE_BUTTONS = frozenset({report.MINE_PREFIX, *(d.prefix for d in ENGINE.by_prefix.values())})

# A private message that is only a command's words, typed without the slash ("báo cáo", "Hủy", "trợ giúp"):
# on Zalo there is no command menu, and people type words, not slashes.
BARE_COMMANDS = frozenset(
    {"baocao", "baocaocuatoi", "huy", "trogiup", "chude", "thongdiep", "sukien", "thongke", "xuat",
     "chuatraloi", "dangkynhan", "huynhan"}
)  # fmt: skip
# Other words for a command, typed alone: "thôi" and "hủy bỏ" cancel as "hủy" does.
BARE_ALIASES = {"thoi": CANCEL, "huybo": CANCEL}
_NOT_LETTERS = re.compile(r"[^a-z]+")

_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


def bare_command(text: str) -> str | None:
    """'baocao' for 'Báo cáo!' and the like; None for anything else."""
    if len(text) > 24:
        return None
    word = _NOT_LETTERS.sub("", strip_accents(text.lower()))
    word = BARE_ALIASES.get(word, word)
    return word if word in BARE_COMMANDS else None


def parse_command(text: str) -> tuple[str, str] | None:
    """('hoi', 'thu ngan sach') for '/hoi@LoaBot thu ngan sach'; None for plain text."""
    m = _COMMAND_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), (m.group(2) or "").strip()


class Router:
    """Dispatches commands, buttons and plain text to the handlers and dialogs; never raises."""

    def __init__(self, app: App):
        self.app = app
        settings = app.settings
        self.flood = FloodGuard(
            private=Rate(settings.flood_private_per_minute, 60.0),
            group=Rate(settings.flood_group_per_minute, 60.0),
        )

    async def handle(self, inc: Incoming) -> list[Reply]:
        kind = "button" if inc.data is not None else "command" if inc.text.startswith("/") else "text"
        log.debug("%s from %s chat %s (%s)", kind, inc.channel, inc.chat_id, inc.chat_type)  # never the text
        try:
            return await self._dispatch(inc)
        except Exception:
            # The message text is not logged: it may carry personal details.
            log.exception("handler failed (channel=%s chat=%s)", inc.channel, inc.chat_id)
            return [Reply(texts.ERROR)]

    async def _dispatch(self, inc: Incoming) -> list[Reply]:
        await self.app.db.people.note_contact(
            inc.channel, inc.user_id, inc.display_name, inc.chat_id, inc.chat_type, inc.chat_title
        )
        text = inc.text or ""
        command = parse_command(text) if inc.data is None and text.lstrip().startswith("/") else None
        if inc.data is None and command is None and inc.chat_type == "group" and not inc.addressed:
            return []  # in groups Loa speaks only when addressed: a command, a mention or a reply
        verdict = self.flood.check(inc.channel, inc.chat_id, inc.chat_type)
        if verdict != "ok":
            log.info("chat %s on %s sends too fast: %s", inc.chat_id, inc.channel, verdict)
            flood = texts.FLOOD_GROUP if inc.chat_type == "group" else texts.FLOOD_PRIVATE
            return [Reply(flood)] if verdict == "warn" else []
        if inc.data is not None:
            return await self._button(inc)
        current = await ENGINE.current(self.app, inc) if inc.chat_type == "private" else Current()
        lead = [current.notice] if current.notice else []
        if command is None and inc.chat_type == "private" and (bare := bare_command(text)):
            step = current.dialog.steps.get(current.state.step) if current.dialog and current.state else None
            # While a name is typed, a word is a name ("Huy" is one): only "/huy" cancels there.
            if step is None or step.awaits != "name":
                command = (bare, "")
        if command is not None:
            if current.expired is not None and command[0] == current.expired.command:
                lead = []  # "/baocao" after a long pause resumes the draft: no need to say it was put aside
            return lead + await self._command(inc, *command, current=current)
        if current.dialog is not None:
            return lead + await ENGINE.on_text(self.app, inc, current)
        return lead + await ask.on_text(self.app, inc, text)

    async def _button(self, inc: Incoming) -> list[Reply]:
        prefix, _, arg = (inc.data or "").partition(":")
        if prefix in PRIVATE_BUTTONS and inc.chat_type != "private":
            return [Reply(texts.STALE_BUTTON)]
        dialog = ENGINE.by_prefix.get(prefix)
        if dialog is not None:
            return await ENGINE.on_button(self.app, inc, dialog, arg)
        handler = BUTTONS.get(prefix)
        if handler is None:
            return [Reply(texts.STALE_BUTTON)]
        return await handler(self.app, inc, arg)

    async def _command(self, inc: Incoming, name: str, args: str, current: Current) -> list[Reply]:
        if name in PRIVATE_COMMANDS and inc.chat_type != "private":
            return [Reply(texts.PRIVATE_ONLY.format(command="/" + name))]
        if name == CANCEL:
            return await ENGINE.cancel(self.app, inc)
        if name == "start" and args:  # a Telegram deep link: t.me/<bot>?start=<invite code>
            if inc.chat_type != "private":
                return [Reply(texts.PRIVATE_ONLY.format(command="/dangky"))]
            welcome = await help_.start(self.app, inc, "")
            return welcome + await register.on_register(self.app, inc, args)
        handler = COMMANDS.get(name)
        if handler is None:
            return [Reply(texts.UNKNOWN_COMMAND.format(command="/" + name[:32]))]
        replies = await handler(self.app, inc, args)
        own = current.dialog is not None and name == current.dialog.command
        if not own and current.dialog is not None and await ENGINE.still(self.app, inc, current):
            # A command in the middle of a dialog: answered, and the dialog is still there to go on with.
            replies.append(Reply(texts.DIALOG_PENDING.format(what=current.dialog.title)))
        return replies
