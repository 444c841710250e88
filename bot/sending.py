"""What a send can come to, in every messenger's words: the contract between the outbox and the channels.

A channel's :class:`Sender` delivers one message to one chat and maps its messenger's failures to these
errors; the delivery loop (``scheduler/delivery.py``) decides what each means (wait, follow, stop, retry).
Here, below both, so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.core import Button
from bot.errors import Kind, LoaError


class SendError(LoaError):
    """A send that did not go through; never shown to a person as is."""

    kind = Kind.TRANSIENT


class RetryLater(SendError):
    """The messenger asked to slow down (HTTP 429)."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Blocked(SendError):
    """The chat blocked the bot, kicked it, or no longer exists: stop sending there."""


class Migrated(SendError):
    """A group became a supergroup with a new id."""

    def __init__(self, new_chat_id: str):
        super().__init__(new_chat_id)
        self.new_chat_id = new_chat_id


class Transient(SendError):
    """A server error or a time-out: worth another try later."""


class Rejected(SendError):
    """The messenger refused this message for another reason: record it, keep the chat."""


class Sender(Protocol):
    """Delivers one broadcast message to one chat, raising the errors above; ``buttons``: a notice's own
    choices (rows of buttons), rendered as the channel can; ``audio``: a spoken bulletin (OGG/Opus) to send
    after the text where the messenger carries voice messages (best effort: the text is what was promised)."""

    async def deliver(
        self, chat_id: str, text: str, buttons: list[list[Button]] | None = None, audio: Path | None = None
    ) -> None: ...


@dataclass(frozen=True)
class Limits:
    """Sending limits of a messenger (Telegram: 30 messages/s overall, 20 messages/min to one group)."""

    per_second: float = 30.0
    group_per_minute: float = 20.0
