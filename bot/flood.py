"""One chat cannot flood Loa: past a rate, it gets one polite line and then nothing until the rate eases.

Updates of different chats are handled side by side (each channel keeps one chat's updates in order), so a
busy chat only slows itself; this guard keeps it from slowing itself into minutes of queued answers. By
default a group may send 10 commands a minute (Telegram lets a bot post 20 messages a minute there) and a
private chat 30 messages (a person tapping through a whole report sends about 10); both are settings.
Written by hand: it is a sliding window per chat, a few lines, and aiolimiter's leaky bucket waits instead of
telling whether to answer at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]
_MAX_TRACKED = 20_000  # chats remembered before the idle ones are forgotten


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: float


PRIVATE = Rate(30, 60.0)
GROUP = Rate(10, 60.0)


class FloodGuard:
    """Per chat: "ok" within the rate, "warn" once when it is passed, "drop" until the window frees."""

    def __init__(
        self, private: Rate = PRIVATE, group: Rate = GROUP, clock: Callable[[], float] = time.monotonic
    ):
        self.rates = {"private": private, "group": group}
        self.clock = clock
        # A list, not a deque: at most ``count`` times each, and an empty deque costs 600 bytes a chat.
        self._seen: dict[tuple[str, str], list[float]] = {}
        self._quiet_until: dict[tuple[str, str], float] = {}

    def check(self, channel: str, chat_id: str, chat_type: str) -> Verdict:
        rate = self.rates.get(chat_type, self.rates["private"])
        key = (channel, chat_id)
        now = self.clock()
        seen = self._seen.get(key)
        if seen is None:
            if len(self._seen) >= _MAX_TRACKED:
                self._forget(now)
            seen = self._seen[key] = []
        expired = 0
        while expired < len(seen) and seen[expired] <= now - rate.seconds:
            expired += 1
        del seen[:expired]
        if len(seen) < rate.count:
            seen.append(now)
            return "ok"
        if self._quiet_until.get(key, 0.0) > now:
            return "drop"
        self._quiet_until[key] = seen[0] + rate.seconds  # one warning per window
        return "warn"

    def _forget(self, now: float) -> None:
        longest = max(r.seconds for r in self.rates.values())
        for key in [k for k, seen in self._seen.items() if not seen or seen[-1] <= now - longest]:
            self._seen.pop(key, None)
            self._quiet_until.pop(key, None)
