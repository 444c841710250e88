"""Channels: a messenger (or the terminal) behind one contract.

A channel turns its updates into :class:`~bot.core.Incoming`, asks the router, and renders the replies the
way its messenger can (:class:`Capabilities`: buttons or numbered choices, files or a note, how long a
message may be). For the broadcast engine it provides a :class:`Sender`, with the messenger's sending
:class:`Limits`, that maps its errors to one vocabulary: :class:`RetryLater`, :class:`Blocked`,
:class:`Migrated`, :class:`Transient`, :class:`Rejected`. Each channel is a package here with a ``CHANNEL``
(a :class:`Channel`); ``loa run`` starts every one whose settings say it is configured. No business rule
lives in a channel.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import asyncio

    from bot.app import App
    from bot.core import Button


class ChannelStartError(Exception):
    """A channel cannot start (bad token, server unreachable, …); the message is one line without secrets."""


# -- what a send can come to, in every messenger's words ----------------------------------------------------
class RetryLater(Exception):
    """The messenger asked to slow down (HTTP 429)."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Blocked(Exception):
    """The chat blocked the bot, kicked it, or no longer exists: stop sending there."""


class Migrated(Exception):
    """A group became a supergroup with a new id."""

    def __init__(self, new_chat_id: str):
        super().__init__(new_chat_id)
        self.new_chat_id = new_chat_id


class Transient(Exception):
    """A server error or a time-out: worth another try later."""


class Rejected(Exception):
    """The messenger refused this message for another reason: record it, keep the chat."""


class Sender(Protocol):
    """Delivers one broadcast message to one chat, raising the errors above; ``buttons``: a notice's own
    choices (rows of buttons), rendered as the channel can."""

    async def deliver(self, chat_id: str, text: str, buttons: list[list[Button]] | None = None) -> None: ...


@dataclass(frozen=True)
class Limits:
    """Sending limits of a messenger (Telegram: 30 messages/s overall, 20 messages/min to one group)."""

    per_second: float = 30.0
    group_per_minute: float = 20.0


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show: the shared renderer numbers choices where there are no buttons."""

    buttons: bool
    files: bool
    max_text: int
    receives_files: bool = False  # people can send the bot a file (a document to import)


# Called by a channel once it is up: (channel name, its sender, its limits) -> what to await on the way out.
Ready = Callable[[str, Sender, Limits], Awaitable[Callable[[], Awaitable[None]]]]


@dataclass(frozen=True)
class Channel:
    """A channel as ``loa run`` sees it: its name, whether the settings configure it, and how it runs."""

    name: str
    capabilities: Capabilities
    configured: Callable[[Any], bool]  # given the Settings
    run: Callable[[App, asyncio.Event, Ready], Awaitable[None]]  # until the event is set
    secrets: Callable[[Any], list[str]] = lambda settings: []  # to mask in logs


@functools.cache
def capabilities(name: str) -> Capabilities | None:
    """What the channel called ``name`` can do (None for one not known here)."""
    return next((ch.capabilities for ch in available() if ch.name == name), None)


def available() -> list[Channel]:
    """Every channel package here (each module or package with a ``CHANNEL``), in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        channel = getattr(module, "CHANNEL", None)
        if isinstance(channel, Channel):
            found.append(channel)
    return found
