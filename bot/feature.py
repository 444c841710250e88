"""What a feature declares: its commands, the words that stand for them typed alone, its buttons, its dialog,
its help and menu lines, and the role each needs.

Each module of ``handlers/`` has a ``FEATURE``; the router, the help text and the Telegram command menus are
collected from them, and the role a command or a button needs is checked once, by the router, from here.
Adding a command touches one handler module and its texts (python-telegram-bot's examples and aiogram's
routers are the models).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.auth import ANYONE
from bot.buttons import ButtonData
from bot.core import Incoming, Reply

if TYPE_CHECKING:
    from bot.app import App
    from bot.dialog import Dialog

Handler = Callable[["App", Incoming, str], Awaitable[list[Reply]]]
ButtonHandler = Callable[["App", Incoming, tuple[Any, ...]], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    """``/name args``. ``bare``: folded words that stand for it typed alone in a private chat ("báo cáo")."""

    name: str
    handler: Handler
    role: str = ANYONE
    private: bool = False  # answers with one person's data or starts a dialog: never in a group
    bare: tuple[str, ...] = ()
    help: str = ""  # its line in /trogiup
    menu: str = ""  # its description in Telegram's menu of private chats
    group_menu: str = ""  # ... and of groups
    files: bool = False  # a file sent without a command goes to this command
    # A private message this reads as the command (it returns the arguments, else None) goes to it: «Dân hỏi:
    # …» is /danhoi. Only for people of the command's own role, and not while a dialog waits for an answer.
    lead: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class Buttons:
    """Buttons of one kind: their typed data, and what pressing one does (given the unpacked values)."""

    data: ButtonData
    handler: ButtonHandler
    role: str = ANYONE
    private: bool = False


@dataclass(frozen=True)
class Feature:
    """One user-facing feature, as the router sees it."""

    name: str
    order: int  # its place in the help text and the menus
    commands: tuple[Command, ...] = ()
    buttons: tuple[Buttons, ...] = ()
    dialog: Dialog[Any] | None = None
    help: tuple[str, ...] = field(default=())  # lines of /trogiup beyond its commands'
