"""The delivery loop: sends what the outbox (:mod:`bot.outbox`) queued, talking points and officers' messages.

The outbox writes a broadcast's per-chat deliveries in one transaction before anything is sent. Workers here
send them within the messenger's limits (overall messages per second and messages per minute to one group,
paced here with aiolimiter's buckets on top of the channel's own limiter), retry rate limits, server errors
and time-outs with back-off, mark a chat inactive when it blocked the bot or is gone, follow a group that
became a supergroup, and pick up unfinished deliveries after a restart.

Deliveries are claimed in batches ("sending", with a claim token, under row locks another worker's engine
skips), the next batch claimed while the last ones are still going out, so the senders never wait for the
database. What went is marked "sent" in batches: one statement for every send that finished while the last
one was written (SQLite's one connection and PostgreSQL alike). A slot of the in-flight window
(``SEND_WORKERS``) is held from before a send until it is marked, so a crash can leave at most that many sent
but unmarked — sent again after a restart (at-least-once), however the marks are batched. No statement of the
engine runs inside a transaction held across a send.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from aiolimiter import AsyncLimiter

from bot import bulletin
from bot.app import App
from bot.clock import utc_stamp
from bot.core import Button
from bot.sending import SEND_WORKERS, Blocked, Limits, Migrated, Rejected, RetryLater, Sender, Transient
from bot.store.broadcasts import Broadcasts, Due

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_BATCH = 200  # deliveries claimed at a time (those not yet tried go back to pending on a stop)
STOP_SECONDS = 8.0  # on stop, sends in flight get this long; one cut off stays "sending" and is resent later


class _Window:
    """At most ``limit`` sends in any ``period`` seconds, the channel's replies counted in.

    Written here rather than taken from aiolimiter: a leaky bucket lets its whole rate *and* its burst into
    one second, which a messenger counting messages per second refuses (bench/broadcast.py: 50 real 429s a
    run, and replies caught among them waited their retry), and a limiter of a library counts only what
    goes through it, not the replies the channel sent on its own. While replies are going out, as many as
    went out in the last period (at least ``headroom``) are kept free for the next ones, so an answer is not
    the message over the limit (bench/broadcast.py: with a fixed 5 %, 75 answers a second met 2–6 429s
    while a broadcast ran, and each held every answer for its retry).
    """

    def __init__(self, limit: int, period: float = 1.0):
        self.limit = max(1, limit)
        self.period = period
        self.headroom = max(1, self.limit // 20)
        self.sent: collections.deque[float] = collections.deque()
        self.replies: collections.deque[float] = collections.deque()
        self._turn = asyncio.Lock()  # waiters go in the order they came

    def replied(self, count: int) -> None:
        """``count`` replies went out just now."""
        if count:
            now = asyncio.get_running_loop().time()
            self.sent.extend([now] * count)
            self.replies.extend([now] * count)

    def _room(self, now: float) -> int:
        """Sends allowed in the window now: the limit less what the replies are expected to take."""
        for times in (self.sent, self.replies):
            while times and now - times[0] >= self.period:
                times.popleft()
        expected = max(self.headroom, len(self.replies)) if self.replies else 0
        return max(1, self.limit - expected)

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._turn:
            while True:
                now = loop.time()
                room = self._room(now)
                if len(self.sent) < room:
                    self.sent.append(now)
                    return
                # until enough of the oldest leave the window
                await asyncio.sleep(max(self.sent[len(self.sent) - room] + self.period - now, 0.001))


class _Pacer:
    """Spaces sends: evenly at the messenger's rate, never more than that rate in any second overall (the
    channel's replies included), and one every 60/rate seconds to a group.

    The evenness is aiolimiter's leaky bucket with room for a tenth of a second's sends (with room for one,
    the event loop's lateness in waking a waiter is lost from the rate: 78 % of the allowed rate, against
    96 %); the count per second is :class:`_Window`'s. A group's own turn is waited for first, so a group
    waiting for its next slot holds up nobody else.
    """

    def __init__(self, limits: Limits):
        burst = max(1.0, limits.per_second / 10)
        self.even = AsyncLimiter(burst, burst / limits.per_second)
        self.overall = _Window(int(limits.per_second))
        self.group_period = 60.0 / limits.group_per_minute
        self.groups: dict[str, AsyncLimiter] = {}

    async def wait(self, chat_id: str, is_group: bool, replies: int = 0) -> None:
        """Until this send's turn; ``replies`` the channel sent meanwhile are counted first."""
        self.overall.replied(replies)
        if is_group:
            group = self.groups.get(chat_id)
            if group is None:
                group = self.groups[chat_id] = AsyncLimiter(1, self.group_period)
            await group.acquire()
        await self.even.acquire()
        await self.overall.acquire()


class Engine:
    """Sends due broadcasts through the channels' senders, within limits; safe to run again at any time."""

    def __init__(
        self,
        app: App,
        senders: dict[str, Sender],
        limits: dict[str, Limits] | None = None,
        workers: int = SEND_WORKERS,
        backoff: float = 1.0,
    ):
        self.app = app
        self.senders = senders
        self.pacers = {ch: _Pacer((limits or {}).get(ch, Limits())) for ch in senders}
        self.workers = workers
        self.backoff = backoff
        self._lock = asyncio.Lock()
        self._stopping = False
        self._workers: list[asyncio.Task[None]] = []
        self._audio_files: dict[str, Path | None] = {}
        self._button_rows: dict[str, list[list[Button]]] = {}

    def _audio(self, key: str) -> Path | None:
        """A bulletin's voice file, looked up once for all its deliveries."""
        if key not in self._audio_files:
            self._audio_files[key] = bulletin.audio_path(self.app, key, "ogg")
        return self._audio_files[key]

    async def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Start no new send; let those in flight finish within ``seconds``, then cut them off.

        A send cut off stays "sending" in the store and is sent again at the next start (at least once).
        """
        self._stopping = True
        try:
            await asyncio.wait_for(self._lock.acquire(), seconds)
        except TimeoutError:
            late = [t for t in self._workers if not t.done()]
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=2.0)
            log.warning("stopped: %d send(s) cut off, to be sent again at the next start", len(late))
        else:
            self._lock.release()

    async def run_due(self, now: datetime | None = None) -> int:
        """Send every pending delivery of broadcasts that are due; return how many were sent."""
        if self._stopping:
            return 0
        async with self._lock:  # one pass at a time in this process; claims keep other workers apart
            stamp = utc_stamp(now or self.app.clock.now())
            deliveries = self.app.db.broadcasts
            feed = _Feed(lambda: deliveries.claim(stamp, sorted(self.senders), CLAIM_BATCH), self.workers)
            marks = _Marks(deliveries, self.workers)
            sent = [0]
            self._workers = [
                asyncio.ensure_future(self._worker(feed, marks, sent)) for _ in range(self.workers)
            ]
            results = await asyncio.gather(*self._workers, return_exceptions=True)
            # A cut-off send is not a failure; what was claimed and not tried goes back at once.
            failures = [r for r in results if isinstance(r, Exception)]
            await feed.settle()
            if feed.left():
                await deliveries.release(feed.left())
            await marks.flush()
            await deliveries.close_finished()
            if failures:
                raise failures[0]
            return sent[0]

    async def _worker(self, feed: _Feed, marks: _Marks, sent: list[int]) -> None:
        while not self._stopping:
            row = await feed.next()
            if row is None:
                return
            await marks.slots.acquire()
            try:
                went = await self._deliver(row)
            except BaseException:
                marks.slots.release()
                raise
            if went:
                sent[0] += 1
                await marks.sent(row.id)  # its slot is given back once the mark is written
            else:
                marks.slots.release()

    async def _deliver(self, row: Due) -> bool:
        """Send one delivery until it went (True) or failed for good (False, marked so)."""
        sender = self.senders[row.channel]
        pacer = self.pacers[row.channel]
        deliveries = self.app.db.broadcasts
        chat_id = row.external_id
        attempts = row.attempts
        audio = self._audio(row.audio) if row.audio else None
        buttons = self._buttons(row.buttons)
        answering = self.app.answering
        while True:
            # People's messages go first: a send waits a moment for a lull in answering, and the replies'
            # share of the rate is left to them.
            await answering.room()
            await pacer.wait(chat_id, row.chat_type == "group", answering.owed(row.channel))
            try:
                await sender.deliver(chat_id, row.text, buttons, audio)
            except RetryLater as exc:
                await asyncio.sleep(exc.seconds)
                continue
            except Migrated as exc:
                await self.app.db.people.migrate_chat(row.channel, chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
                continue
            except Blocked as exc:
                await self.app.db.people.set_active(row.channel, chat_id, False, chat_type=row.chat_type)
                await deliveries.mark(row.id, "failed", f"blocked: {exc}", attempt=True)
                return False
            except Rejected as exc:
                await deliveries.mark(row.id, "failed", f"rejected: {exc}", attempt=True)
                return False
            except Transient as exc:
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    await deliveries.mark(row.id, "failed", f"gave up: {exc}", attempt=True)
                    return False
                await deliveries.set_attempts(row.id, attempts)  # the count survives a restart
                await asyncio.sleep(self.backoff * 2 ** (attempts - 1))
                continue
            return True

    def _buttons(self, stored: str | None) -> list[list[Button]] | None:
        """A notice's buttons, read once for all its deliveries."""
        if not stored:
            return None
        if stored not in self._button_rows:
            rows = [[Button(label, data) for label, data in row] for row in json.loads(stored)]
            self._button_rows = {stored: rows}  # one broadcast at a time: the last one's are kept
        return self._button_rows[stored]


class _Feed:
    """Claimed deliveries for the workers, the next batch claimed while fewer than ``low`` are left."""

    def __init__(self, claim: Callable[[], Awaitable[list[Due]]], low: int):
        self._claim = claim
        self._low = low
        self._rows: collections.deque[Due] = collections.deque()
        self._claiming: asyncio.Future[None] | None = None
        self._done = False
        self._error: Exception | None = None

    async def next(self) -> Due | None:
        """The next delivery to send; None when nothing due is left."""
        while True:
            if len(self._rows) <= self._low and not self._done and self._claiming is None:
                self._claiming = asyncio.ensure_future(self._refill())
            if self._rows:
                return self._rows.popleft()
            if self._error is not None:
                raise self._error
            if self._done or self._claiming is None:
                return None
            await asyncio.shield(self._claiming)  # a worker cut off leaves the claim to the others

    async def _refill(self) -> None:
        try:
            rows = await self._claim()
            self._rows.extend(rows)
            self._done = not rows
        except Exception as exc:  # the pass ends (once what was claimed before went); the workers say why
            self._error, self._done = exc, True
        finally:
            self._claiming = None

    async def settle(self) -> None:
        """Wait for a claim under way, so what it claimed is released too."""
        claiming = self._claiming
        if claiming is not None:
            await asyncio.gather(claiming, return_exceptions=True)

    def left(self) -> list[int]:
        return [row.id for row in self._rows]


class _Marks:
    """Sent deliveries marked in batches: whatever went while the last batch was written goes in the next.

    ``slots`` is the in-flight window: a worker takes a slot before a send, and it is given back once that
    send is marked (or failed), so sent-but-unmarked never exceeds the window.
    """

    def __init__(self, deliveries: Broadcasts, window: int):
        self.deliveries = deliveries
        self.slots = asyncio.Semaphore(window)
        self._ids: list[int] = []
        self._writing = False

    async def sent(self, delivery_id: int) -> None:
        self._ids.append(delivery_id)
        if not self._writing:  # else the worker writing takes it with its next batch
            await self.flush()

    async def flush(self) -> None:
        if self._writing:
            return
        self._writing = True
        try:
            while self._ids:
                ids, self._ids = self._ids, []
                try:
                    await self.deliveries.mark_sent(ids)
                finally:
                    for _ in ids:
                        self.slots.release()
        finally:
            self._writing = False
