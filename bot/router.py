"""The router: one Incoming in, the replies out, whatever the channel.

Its tables are collected from what each feature declares (:mod:`bot.feature`): commands and the words that
stand for them, buttons, dialogs, roles, private-only. The role a command or a button needs is checked here,
once, against the store; a dialog's role is checked by the dialog engine on every turn.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from bot import texts
from bot.app import App
from bot.auth import ANYONE, PROPAGANDIST, actor_of, new_update, permitted
from bot.core import Incoming, Reply
from bot.dialog import Current
from bot.errors import LoaError
from bot.feature import Buttons, Command, Feature
from bot.flood import FloodGuard, Rate
from bot.textnorm import strip_accents
from handlers import ask, features
from handlers.dialogs import engine

# -- what it says --------------------------------------------------------------------------------------------
UNKNOWN_COMMAND = "Tôi không biết lệnh {command}. Gõ /trogiup để xem các lệnh."
DIALOG_PENDING = "(Đồng chí vẫn đang làm dở {what}: gõ tiếp câu trả lời, hoặc /huy để bỏ.)"
FLOOD_PRIVATE = (
    "Đồng chí gửi nhanh quá, Loa trả lời không kịp. Xin đợi một phút rồi gửi lại những tin chưa được trả lời."
)
FLOOD_GROUP = (
    "Nhóm gửi nhiều lệnh quá, Loa tạm nghỉ trả lời nhóm ít phút. Cần hỏi ngay, xin nhắn riêng cho Loa."
)

log = logging.getLogger(__name__)

_NOT_LETTERS = re.compile(r"[^a-z]+")
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)
_BARE_MAX = 24


def parse_command(text: str) -> tuple[str, str] | None:
    """('hoi', 'thu ngan sach') for '/hoi@LoaBot thu ngan sach'; None for plain text."""
    m = _COMMAND_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), (m.group(2) or "").strip()


class Routes:
    """The tables of every feature's declarations."""

    def __init__(self, declared: tuple[Feature, ...]):
        self.features = declared
        self.commands: dict[str, Command] = {}
        self.bare: dict[str, str] = {}  # a command's words, folded, typed alone -> the command
        self.buttons: dict[str, Buttons] = {}
        self.file_command: str | None = None  # where a file sent without a command goes
        # A reading of a message -> the command it stands for.
        self.leads: list[tuple[Callable[[str], str | None], str]] = []
        for feature in declared:
            for command in feature.commands:
                self.commands[command.name] = command
                if command.files and self.file_command is None:
                    self.file_command = command.name
                self.bare.update({word: command.name for word in command.bare})
                if command.lead is not None:
                    self.leads.append((command.lead, command.name))
            self.buttons.update({b.data.prefix: b for b in feature.buttons})

    def bare_command(self, text: str) -> str | None:
        """'baocao' for 'Báo cáo!', 'huy' for 'thôi', and the like; None for anything else."""
        if len(text) > _BARE_MAX:
            return None
        return self.bare.get(_NOT_LETTERS.sub("", strip_accents(text.lower())))

    def lead_command(self, text: str) -> tuple[str, str] | None:
        """('danhoi', 'bao giờ có điện?') for 'Dân hỏi: bao giờ có điện?'; None when no command reads it."""
        for read, name in self.leads:
            if (args := read(text)) is not None:
                return name, args
        return None

    def menu(self, chat_type: str) -> list[tuple[str, str]]:
        """(command, description) for a messenger's command menu of private chats or of groups."""
        key = "menu" if chat_type == "private" else "group_menu"
        return [(c.name, getattr(c, key)) for f in self.features for c in f.commands if getattr(c, key)]


ROUTES = Routes(features())


def bare_command(text: str) -> str | None:
    """'baocao' for 'Báo cáo!' and the like; None for anything else."""
    return ROUTES.bare_command(text)


class Router:
    """Dispatches commands, buttons and plain text to the features and dialogs; never raises."""

    def __init__(self, app: App, routes: Routes = ROUTES):
        self.app = app
        self.routes = routes
        self.engine = engine()
        settings = app.settings
        self.flood = FloodGuard(
            private=Rate(settings.flood_private_per_minute, 60.0),
            group=Rate(settings.flood_group_per_minute, 60.0),
        )

    async def handle(self, inc: Incoming) -> list[Reply]:
        kind = "button" if inc.data is not None else "command" if inc.text.startswith("/") else "text"
        log.debug("%s from %s chat %s (%s)", kind, inc.channel, inc.chat_id, inc.chat_type)  # never the text
        new_update()
        try:
            return await self._dispatch(inc)
        except LoaError as exc:  # a use case's refusal: its one line is the reply
            return [Reply(exc.message)]
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
            flood = FLOOD_GROUP if inc.chat_type == "group" else FLOOD_PRIVATE
            return [Reply(flood)] if verdict == "warn" else []
        if inc.data is not None:
            return await self._button(inc)
        current = await self.engine.current(self.app, inc) if inc.chat_type == "private" else Current()
        lead = [current.notice] if current.notice else []
        if command is None and inc.chat_type == "private" and (bare := self.routes.bare_command(text)):
            step = current.dialog.steps.get(current.state.step) if current.dialog and current.state else None
            # While a name is typed, a word is a name ("Huy" is one): only "/huy" cancels there.
            if step is None or step.awaits != "name":
                command = (bare, "")
        if command is None and inc.chat_type == "private" and current.dialog is None:
            command = await self._lead(inc, text)
        if (
            command is None
            and inc.file is not None
            and inc.chat_type == "private"
            and self.routes.file_command
        ):
            command = (self.routes.file_command, text)
        if command is not None:
            if current.expired is not None and command[0] == current.expired.command:
                lead = []  # "/baocao" after a long pause resumes the draft: no need to say it was put aside
            return lead + await self._command(inc, *command, current=current)
        if current.dialog is not None:
            return lead + await self.engine.on_text(self.app, inc, current, ask.escape)
        return lead + await ask.on_text(self.app, inc, text)

    async def _lead(self, inc: Incoming, text: str) -> tuple[str, str] | None:
        """The command a message reads as (for people of that command's own role); None otherwise."""
        found = self.routes.lead_command(text)
        if found is None or (await actor_of(self.app, inc)).role != self.routes.commands[found[0]].role:
            return None
        return found

    async def _refusal(self, inc: Incoming, role: str, private: bool, name: str) -> list[Reply] | None:
        """Why ``inc`` may not use what needs ``role`` (``private``: in private chats only), or None."""
        if private and inc.chat_type != "private":
            return [Reply(texts.PRIVATE_ONLY.format(command="/" + name) if name else texts.STALE_BUTTON)]
        if role == ANYONE or permitted(await actor_of(self.app, inc), role):
            return None
        if role == PROPAGANDIST:
            return [Reply(texts.NOT_REGISTERED)]
        return [Reply(texts.NOT_ALLOWED.format(command="/" + name, role=texts.ROLE_NAMES[role]))]

    async def _button(self, inc: Incoming) -> list[Reply]:
        prefix = (inc.data or "").partition(":")[0]
        dialog = self.engine.by_prefix.get(prefix)
        if dialog is not None:
            if inc.chat_type != "private":  # dialogs are private: a button of one in a group is forged
                return [Reply(texts.STALE_BUTTON)]
            return await self.engine.on_button(self.app, inc, dialog, inc.data or "")
        route = self.routes.buttons.get(prefix)
        values = route.data.unpack(inc.data or "") if route is not None else None
        if route is None or values is None:
            return [Reply(texts.STALE_BUTTON)]
        refusal = await self._refusal(inc, route.role, route.private, "")
        return refusal or await route.handler(self.app, inc, values)

    async def _command(self, inc: Incoming, name: str, args: str, current: Current) -> list[Reply]:
        command = self.routes.commands.get(name)
        if command is None:
            return [Reply(UNKNOWN_COMMAND.format(command="/" + name[:32]))]
        refusal = await self._refusal(inc, command.role, command.private, name)
        if refusal is not None:
            return refusal
        replies = await command.handler(self.app, inc, args)
        own = current.dialog is not None and name == current.dialog.command
        if not own and current.dialog is not None and await self.engine.still(self.app, inc, current):
            # A command in the middle of a dialog: answered, and the dialog is still there to go on with.
            replies.append(Reply(DIALOG_PENDING.format(what=current.dialog.title)))
        return replies
