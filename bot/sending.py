"""What a send can come to, in every messenger's words: the contract between the outbox and the channels.

A channel's :class:`Sender` delivers one message to one chat and maps its messenger's failures to these
errors; the delivery loop (``scheduler/delivery.py``) decides what each means (wait, follow, stop, retry).
Here, below both, so that neither imports the other.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.core import Button
from bot.errors import Kind, LoaError

# The broadcast engine's sends in flight at once (its in-flight window: what a crash can leave sent but not
# marked); a channel keeps this many HTTP connections for them besides its handlers' own.
SEND_WORKERS = 8
# Before each send the engine waits this long at most while people's messages are being answered: a steady
# stream of questions slows a broadcast (to at most SEND_WORKERS / YIELD_SECONDS sends a second, far above a
# messenger's 30) but never stops it.
YIELD_SECONDS = 0.05


class Answering:
    """The messages a process is answering now, so that the broadcast engine lets them go first.

    A channel counts each update from its arrival to its last reply (:meth:`one`) and each reply it sends
    (:meth:`replied`). The engine, before each send, waits while an update is under way (:meth:`room`), and
    leaves the messenger's rate to the replies already sent (:meth:`owed`): answers and broadcasts share one
    event loop and one rate limit, and a broadcast paced at the whole limit pushed replies over it, into 429s
    and their waits (bench/broadcast.py: answers' p95 from 17 ms to 170–200 ms).
    """

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._replies: dict[str, int] = {}

    def replied(self, channel: str, messages: int = 1) -> None:
        """``messages`` replies went out on ``channel``: the engine leaves their share of the rate."""
        self._replies[channel] = self._replies.get(channel, 0) + messages

    def owed(self, channel: str) -> int:
        """Replies sent on ``channel`` since the engine last asked."""
        return self._replies.pop(channel, 0)

    @contextlib.contextmanager
    def one(self) -> Iterator[None]:
        self.count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self.count -= 1
            if not self.count:
                self._idle.set()

    async def room(self, most: float = YIELD_SECONDS) -> None:
        """Return once nothing is being answered, or after ``most`` seconds."""
        if self.count:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), most)


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
