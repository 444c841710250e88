"""The delivery loop: sends what the outbox (:mod:`bot.outbox`) queued, talking points and officers' messages.

The outbox writes a broadcast's per-chat deliveries in one transaction before anything is sent. Workers
here send them within the
messenger's limits (overall messages per second and messages per minute to one group, paced here with
aiolimiter's buckets on top of the channel's own limiter), retry rate limits, server errors and time-outs
with back-off,
mark a chat inactive when it blocked the bot or is gone, follow a group that became a supergroup, and pick up
unfinished deliveries after a restart. Deliveries are claimed in batches ("sending", with a claim token, under
row locks that another worker's engine skips) and marked "sent" after each send, so two engines never pick
the same delivery, and after a crash only the sends in flight at that moment can go twice (at-least-once).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from pathlib import Path

from aiolimiter import AsyncLimiter

from bot import bulletin
from bot.app import App
from bot.clock import utc_stamp
from bot.core import Button
from bot.sending import Blocked, Limits, Migrated, Rejected, RetryLater, Sender, Transient
from bot.store.broadcasts import Due

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SEND_WORKERS = 8  # sends in flight at once: what a crash can leave sent but not marked
CLAIM_BATCH = 200  # deliveries claimed at a time (those not yet tried go back to pending on a stop)
STOP_SECONDS = 8.0  # on stop, sends in flight get this long; one cut off stays "sending" and is resent later


class _Pacer:
    """Spaces sends: at the messenger's rate overall, one every 60/rate seconds to a group.

    aiolimiter's leaky buckets, small ones: no bursts up to a whole second's limit (Telegram counts on
    arrival, and a burst sent at the edge of one second can arrive inside the next). A group's own bucket is
    waited for first, so a group waiting for its next slot holds up nobody else.
    """

    def __init__(self, limits: Limits):
        # Room for a tenth of a second's sends: with room for one, the event loop's lateness in waking a
        # waiter is lost from the rate (measured: 78 % of the allowed rate, against 96 %).
        burst = max(1.0, limits.per_second / 10)
        self.overall = AsyncLimiter(burst, burst / limits.per_second)
        self.group_period = 60.0 / limits.group_per_minute
        self.groups: dict[str, AsyncLimiter] = {}

    async def wait(self, chat_id: str, is_group: bool) -> None:
        if is_group:
            group = self.groups.get(chat_id)
            if group is None:
                group = self.groups[chat_id] = AsyncLimiter(1, self.group_period)
            await group.acquire()
        await self.overall.acquire()


def _buttons(stored: str | None) -> list[list[Button]] | None:
    if not stored:
        return None
    return [[Button(label, data) for label, data in row] for row in json.loads(stored)]


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
            sent = [0]
            failures: list[BaseException] = []
            while not self._stopping:
                rows = await self.app.db.broadcasts.claim(stamp, sorted(self.senders), CLAIM_BATCH)
                if not rows:
                    break
                queue: asyncio.Queue[Due] = asyncio.Queue()
                for r in rows:
                    queue.put_nowait(r)
                self._workers = [
                    asyncio.ensure_future(self._worker(queue, sent))
                    for _ in range(min(self.workers, len(rows)))
                ]
                results = await asyncio.gather(*self._workers, return_exceptions=True)
                # A cut-off send is not a failure; what was claimed and not tried goes back at once.
                failures += [r for r in results if isinstance(r, Exception)]
                left = [queue.get_nowait().id for _ in range(queue.qsize())]
                if left:
                    await self.app.db.broadcasts.release(left)
                if failures:
                    break
            await self.app.db.broadcasts.close_finished()
            if failures:
                raise failures[0]
            return sent[0]

    async def _worker(self, queue: asyncio.Queue[Due], sent: list[int]) -> None:
        while not queue.empty() and not self._stopping:
            row = queue.get_nowait()
            if await self._deliver(row):
                sent[0] += 1

    async def _deliver(self, row: Due) -> bool:
        sender = self.senders[row.channel]
        pacer = self.pacers[row.channel]
        deliveries = self.app.db.broadcasts
        chat_id = row.external_id
        attempts = row.attempts
        audio = self._audio(row.audio) if row.audio else None
        while True:
            await pacer.wait(chat_id, row.chat_type == "group")
            try:
                await sender.deliver(chat_id, row.text, _buttons(row.buttons), audio)
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
            await deliveries.mark(row.id, "sent", attempt=True)
            return True
