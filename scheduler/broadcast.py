"""The broadcast engine: one for scheduled talking points and officers' ad-hoc messages.

A broadcast has an idempotency key, so creating it twice creates it once. Its per-chat deliveries are
written to the store, in the same transaction, before anything is sent. Workers then send them within the
messenger's limits (overall messages per second and messages per minute to one group, paced here with token
buckets on top of the channel's own limiter), retry rate limits, server errors and time-outs with back-off,
mark a chat inactive when it blocked the bot or is gone, follow a group that became a supergroup, and pick up
unfinished deliveries after a restart. A delivery is marked "sending" before the send and "sent" after it, so
after a crash only those in flight at that moment can be sent twice (at-least-once).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.app import App
from bot.content import Audience
from bot.store import utc_stamp
from scheduler import audience as audiences

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STOP_SECONDS = 8.0  # on stop, sends in flight get this long; one cut off stays "sending" and is resent later


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
    """What a channel adapter provides to deliver one message (mapping its errors to the ones above)."""

    async def deliver(self, chat_id: str, text: str) -> None: ...


@dataclass(frozen=True)
class Limits:
    """Sending limits of a messenger (Telegram: 30 messages/s overall, 20 messages/min to one group)."""

    per_second: float = 30.0
    group_per_minute: float = 20.0


class _Pacer:
    """Spaces sends evenly: one every 1/rate seconds overall, one every 60/rate seconds to a group.

    Even spacing rather than bursts up to the limit: Telegram counts on arrival, and a burst sent at the edge
    of one second can arrive inside the next. A slot is reserved under the lock; the wait happens outside it,
    so a group waiting for its next minute does not hold up anyone else.
    """

    def __init__(self, limits: Limits):
        self.interval = 1.0 / limits.per_second
        self.group_interval = 60.0 / limits.group_per_minute
        self.next_slot = 0.0
        self.group_next: dict[str, float] = {}
        self.lock = asyncio.Lock()

    async def wait(self, chat_id: str, is_group: bool) -> None:
        while True:
            async with self.lock:
                now = time.monotonic()
                group_at = self.group_next.get(chat_id, 0.0) if is_group else 0.0
                if group_at <= now:
                    slot = max(now, self.next_slot)
                    self.next_slot = slot + self.interval
                    if is_group:
                        self.group_next[chat_id] = max(slot, group_at) + self.group_interval
                    delay = slot - now
                    break
            await asyncio.sleep(group_at - now)
        if delay > 0:
            await asyncio.sleep(delay)


async def create(
    app: App, key: str, kind: str, text: str, audience: Audience, send_at: datetime, created_by: str
) -> tuple[int, bool]:
    """Create a broadcast and its deliveries in one transaction; (id, created). An existing key is reused."""
    store = app.store
    existing = await store.fetch_one("SELECT id FROM broadcasts WHERE idempotency_key = ?", (key,))
    if existing is not None:
        return int(existing["id"]), False
    chats = await audiences.select(app, audience)
    async with store.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO broadcasts (idempotency_key, kind, text, audience, send_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                key,
                kind,
                text,
                json.dumps(audience.model_dump(), ensure_ascii=False),
                utc_stamp(send_at),
                created_by,
            ),
        )
        created = cur.rowcount == 1
        if created:
            broadcast_id = int(cur.lastrowid or 0)
            # The deliveries are in the store before the first send.
            await conn.executemany(
                "INSERT OR IGNORE INTO deliveries (broadcast_id, chat_id) VALUES (?, ?)",
                [(broadcast_id, c["id"]) for c in chats],
            )
    if not created:  # another task created it between the check and here
        row = await store.fetch_one("SELECT id FROM broadcasts WHERE idempotency_key = ?", (key,))
        assert row is not None
        return int(row["id"]), False
    return broadcast_id, True


async def status(app: App, limit: int = 20) -> list[dict[str, Any]]:
    """Broadcasts, newest first, with their delivery counts by state."""
    rows = await app.store.fetch_all(
        "SELECT b.id, b.idempotency_key, b.kind, b.send_at, b.status, b.created_by, b.audience,"
        " SUM(d.status = 'pending') AS pending, SUM(d.status = 'sending') AS sending,"
        " SUM(d.status = 'sent') AS sent, SUM(d.status = 'failed') AS failed, COUNT(d.id) AS total"
        " FROM broadcasts b LEFT JOIN deliveries d ON d.broadcast_id = b.id"
        " GROUP BY b.id ORDER BY b.id DESC LIMIT ?",
        (limit,),
    )
    for r in rows:
        for k in ("pending", "sending", "sent", "failed"):
            r[k] = int(r[k] or 0)
    return rows


async def recipients(app: App, broadcast_id: int) -> int:
    """How many chats a broadcast goes to (its deliveries)."""
    row = await app.store.fetch_one(
        "SELECT COUNT(*) AS n FROM deliveries WHERE broadcast_id = ?", (broadcast_id,)
    )
    return int(row["n"]) if row else 0


async def recover(app: App) -> int:
    """After a restart: deliveries left "sending" were in flight at the crash; send them again."""
    cur = await app.store.write("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'")
    return cur.rowcount


class Engine:
    """Sends due broadcasts through the channels' senders, within limits; safe to run again at any time."""

    def __init__(
        self,
        app: App,
        senders: dict[str, Sender],
        limits: dict[str, Limits] | None = None,
        workers: int = 8,
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
        async with self._lock:  # one pass at a time: a delivery is never picked twice
            due = utc_stamp(now)
            # Chats that left or blocked the bot since the broadcast was created get nothing.
            await self.app.store.write(
                "UPDATE deliveries SET status = 'failed', last_error = 'chat inactive'"
                " WHERE status = 'pending' AND chat_id IN (SELECT id FROM chats WHERE active = 0)"
            )
            rows = await self.app.store.fetch_all(
                "SELECT d.id, d.attempts, b.id AS broadcast_id, b.text, c.channel, c.external_id,"
                " c.chat_type, c.id AS chat_row FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
                " JOIN chats c ON c.id = d.chat_id WHERE d.status = 'pending' AND b.send_at <= ?"
                " AND c.active = 1 ORDER BY b.id, d.id",
                (due,),
            )
            rows = [r for r in rows if r["channel"] in self.senders]
            queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
            for r in rows:
                queue.put_nowait(r)
            sent = [0]
            self._workers = [
                asyncio.ensure_future(self._worker(queue, sent))
                for _ in range(min(self.workers, max(1, len(rows))))
            ]
            results = await asyncio.gather(*self._workers, return_exceptions=True)
            await self._close_finished()
            failures = [r for r in results if isinstance(r, Exception)]  # a cut-off send is not a failure
            if failures:
                raise failures[0]
            return sent[0]

    async def _worker(self, queue: asyncio.Queue[dict[str, Any]], sent: list[int]) -> None:
        while not queue.empty() and not self._stopping:
            row = queue.get_nowait()
            if await self._deliver(row):
                sent[0] += 1

    async def _mark(self, delivery_id: int, status: str, error: str = "", attempt: bool = False) -> None:
        await self.app.store.write(
            "UPDATE deliveries SET status = ?, last_error = ?, attempts = attempts + ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
            (status, error[:200], int(attempt), status, utc_stamp(), delivery_id),
        )

    async def _deliver(self, row: dict[str, Any]) -> bool:
        sender = self.senders[row["channel"]]
        pacer = self.pacers[row["channel"]]
        chat_id = row["external_id"]
        attempts = row["attempts"]
        await self._mark(row["id"], "sending")
        while True:
            await pacer.wait(chat_id, row["chat_type"] == "group")
            try:
                await sender.deliver(chat_id, row["text"])
            except RetryLater as exc:
                await asyncio.sleep(exc.seconds)
                continue
            except Migrated as exc:
                await self.app.store.migrate_chat(row["channel"], chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
                continue
            except Blocked as exc:
                await self.app.store.set_chat_active(
                    row["channel"], chat_id, False, chat_type=row["chat_type"]
                )
                await self._mark(row["id"], "failed", f"blocked: {exc}", attempt=True)
                return False
            except Rejected as exc:
                await self._mark(row["id"], "failed", f"rejected: {exc}", attempt=True)
                return False
            except Transient as exc:
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    await self._mark(row["id"], "failed", f"gave up: {exc}", attempt=True)
                    return False
                await self.app.store.write(
                    "UPDATE deliveries SET attempts = ? WHERE id = ?", (attempts, row["id"])
                )
                await asyncio.sleep(self.backoff * 2 ** (attempts - 1))
                continue
            await self._mark(row["id"], "sent", attempt=True)
            return True

    async def _close_finished(self) -> None:
        await self.app.store.write(
            "UPDATE broadcasts SET status = 'done' WHERE status != 'done' AND NOT EXISTS ("
            " SELECT 1 FROM deliveries d WHERE d.broadcast_id = broadcasts.id"
            " AND d.status IN ('pending', 'sending'))"
        )
