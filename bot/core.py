"""The channel-agnostic message types: what a channel adapter gives the router and gets back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ChatType = Literal["private", "group"]


@dataclass(frozen=True)
class IncomingFile:
    """A file someone sent: its name and size as the messenger says, and how to fetch its bytes."""

    name: str
    size: int
    fetch: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True)
class Incoming:
    """One user action on any channel: a text message or a button press (``data``)."""

    channel: str
    chat_id: str
    user_id: str
    chat_type: ChatType = "private"
    text: str = ""
    data: str | None = None
    display_name: str = ""
    chat_title: str = ""
    # In a group: the message was meant for the bot (a mention or a reply to it); commands always are.
    addressed: bool = False
    # In a group: the sender administers the group (filled in by channels that can tell, for commands).
    group_admin: bool = False
    # A file sent with the message (its caption is ``text``), on channels that receive files.
    file: IncomingFile | None = None
    # The channel can receive files at all (Telegram): a command that needs one may ask for it.
    receives_files: bool = False

    @property
    def actor(self) -> str:
        """``channel:user_id``, the form used in LOA_ADMINS and the audit log."""
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True)
class Button:
    """A choice. ``data`` is short and ASCII (Telegram allows 64 bytes of callback data)."""

    label: str
    data: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    kind: Literal["document", "photo", "voice"] = "document"  # voice: OGG/Opus, played in the chat
    caption: str = ""


@dataclass
class Reply:
    """What the bot says: text, rows of buttons, an optional file."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    attachment: Attachment | None = None
    # Navigation (next page, back): replace the message whose button was pressed, where a channel can.
    edit: bool = False
    # Its choices may be picked several at once (a report's topics): where choices are numbered, «6 4»
    # presses both; elsewhere one number is expected.
    several: bool = False

    def options(self) -> list[Button]:
        """The buttons in reading order (for channels that number them)."""
        return [b for row in self.buttons for b in row]


Clock = Callable[[], datetime]
