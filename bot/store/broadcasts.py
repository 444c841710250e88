"""Broadcasts and their deliveries: one row a message (with a unique idempotency key), one row a chat it goes
to, written together before anything is sent; the delivery states the engine moves them through."""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from bot.store.sql import Sql


@dataclass
class Progress:
    """A broadcast with its deliveries counted by state."""

    id: int
    idempotency_key: str
    kind: str
    send_at: str
    status: str
    created_by: str
    audience: str
    text: str = ""
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    withdrawn: int = 0
    total: int = 0

    def __post_init__(self) -> None:
        for name in ("pending", "sending", "sent", "failed", "withdrawn", "total"):
            setattr(self, name, int(getattr(self, name) or 0))

    @property
    def units(self) -> list[str]:
        """The units its audience names (none: everyone)."""
        return list(json.loads(self.audience or "{}").get("units") or [])


@dataclass
class Due:
    """A delivery to send now."""

    id: int
    attempts: int
    broadcast_id: int
    text: str
    channel: str
    external_id: str
    chat_type: str
    buttons: str | None = None  # a notice's own choices, JSON rows of [label, data]
    audio: str | None = None  # the key of a spoken bulletin to send after the text


#: A broadcast to this many chats or more refreshes the planner's statistics once it is queued.
_BULK = 100

# A broadcast with its deliveries counted by state (GROUP BY b.id to follow).
_PROGRESS = (
    "SELECT b.id, b.idempotency_key, b.kind, b.send_at, b.status, b.created_by, b.audience, b.text, "
    + ", ".join(
        f"SUM(CASE WHEN d.status = '{state}' THEN 1 ELSE 0 END) AS {state}"
        for state in ("pending", "sending", "sent", "failed", "withdrawn")
    )
    + ", COUNT(d.id) AS total FROM broadcasts b LEFT JOIN deliveries d ON d.broadcast_id = b.id"
)

# A delivery with what sending it needs (its text: the notice's own, or the broadcast's).
_DUE = (
    "SELECT d.id, d.attempts, b.id AS broadcast_id, COALESCE(d.text, b.text) AS text, c.channel,"
    " c.external_id, c.chat_type, d.buttons, CASE WHEN d.audio = 1 THEN b.audio END AS audio"
    " FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id JOIN chats c ON c.id = d.chat_id"
)


class Broadcasts:
    def __init__(self, db: Sql):
        self.db = db

    async def find(self, key: str) -> int | None:
        found = await self.db.fetch_value("SELECT id FROM broadcasts WHERE idempotency_key = ?", (key,))
        return int(found) if found is not None else None

    async def create(
        self,
        key: str,
        kind: str,
        text: str,
        audience: dict[str, Any],
        send_at: str,
        by: str,
        chat_ids: list[int],
        personal: dict[int, tuple[str, str | None]] | None = None,
        audio: str | None = None,
        audio_chats: Collection[int] = (),
    ) -> tuple[int, bool]:
        """The broadcast and its deliveries in one transaction; (id, created). An existing key is reused.

        ``personal``: for some chats a text of their own (a notice) and its buttons (JSON), instead of the
        broadcast's text.
        """
        personal = personal or {}
        wanted = set(audio_chats) if audio else set()
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "INSERT INTO broadcasts"
                " (idempotency_key, kind, text, audience, send_at, created_by, created_at, audio)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                (
                    key,
                    kind,
                    text,
                    json.dumps(audience, ensure_ascii=False),
                    send_at,
                    by,
                    self.db.clock.stamp(),
                    audio,
                ),
            )
            if row is not None:
                await tx.executemany(
                    "INSERT INTO deliveries (broadcast_id, chat_id, text, buttons, audio)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (broadcast_id, chat_id) DO NOTHING",
                    [(row[0], c, *personal.get(c, (None, None)), int(c in wanted)) for c in chat_ids],
                )
        if row is not None:
            if len(chat_ids) >= _BULK:
                await self.db.refresh_statistics("deliveries", "chats")
            return int(row[0]), True
        existing = await self.find(key)  # another task created it between the caller's check and here
        if existing is None:
            raise LookupError(key)
        return existing, False

    async def progress(self, limit: int = 20) -> list[Progress]:
        """Broadcasts, newest first, with their delivery counts by state."""
        return await self.db.fetch_all(
            f"{_PROGRESS} GROUP BY b.id ORDER BY b.id DESC LIMIT ?", (limit,), Progress
        )

    async def one(self, broadcast_id: int) -> Progress | None:
        """One broadcast with its counts."""
        rows = await self.db.fetch_all(f"{_PROGRESS} WHERE b.id = ? GROUP BY b.id", (broadcast_id,), Progress)
        return rows[0] if rows else None

    async def withdraw(self, broadcast_id: int) -> int:
        """Withdraw a broadcast's deliveries not yet claimed for sending (the engine claims only pending
        ones, in one statement, so each delivery is either sent or withdrawn); how many."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE broadcasts SET status = 'cancelled' WHERE id = ?", (broadcast_id,))
            withdrawn = await tx.execute(
                "UPDATE deliveries SET status = 'withdrawn' WHERE broadcast_id = ? AND status = 'pending'",
                (broadcast_id,),
            )
        return withdrawn.rowcount

    async def reach(self, broadcast_ids: list[int]) -> list[dict[str, Any]]:
        """Deliveries counted by broadcast, the unit of the chat (the group's, or its person's) and state."""
        if not broadcast_ids:
            return []
        marks = ", ".join("?" * len(broadcast_ids))
        return await self.db.fetch_all(
            "SELECT d.broadcast_id, COALESCE(c.unit_code, u.unit_code, '') AS unit, d.status, COUNT(*) AS n"
            " FROM deliveries d JOIN chats c ON c.id = d.chat_id LEFT JOIN users u ON c.chat_type = 'private'"
            " AND u.channel = c.channel AND u.external_id = c.user_external_id"
            f" WHERE d.broadcast_id IN ({marks})"
            " GROUP BY d.broadcast_id, COALESCE(c.unit_code, u.unit_code, ''), d.status",
            broadcast_ids,
        )

    async def beat(self, channels: list[str]) -> None:
        """This process sends on ``channels`` now."""
        for channel in channels:
            await self.db.execute(
                "INSERT INTO senders (channel, seen_at) VALUES (?, ?)"
                " ON CONFLICT (channel) DO UPDATE SET seen_at = excluded.seen_at",
                (channel, self.db.clock.stamp()),
            )

    async def forget_senders(self, channels: list[str]) -> None:
        """This process stopped sending on ``channels``."""
        for channel in channels:
            await self.db.execute("DELETE FROM senders WHERE channel = ?", (channel,))

    async def senders_since(self, stamp: str) -> list[str]:
        """The channels some process sent on since ``stamp``."""
        rows = await self.db.fetch_all(
            "SELECT channel FROM senders WHERE seen_at >= ? ORDER BY channel", (stamp,)
        )
        return [r["channel"] for r in rows]

    async def recipients(self, broadcast_id: int) -> int:
        """How many chats a broadcast goes to (its deliveries)."""
        return int(
            await self.db.fetch_value(
                "SELECT COUNT(*) FROM deliveries WHERE broadcast_id = ?", (broadcast_id,)
            )
            or 0
        )

    async def recover(self) -> int:
        """After a restart: deliveries left "sending" were in flight at the crash; they are pending again."""
        return (
            await self.db.execute("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'")
        ).rowcount

    async def claim(self, now: str, channels: list[str], limit: int = 200) -> list[Due]:
        """Claim up to ``limit`` pending deliveries of broadcasts due by ``now``, to active chats on
        ``channels``: they are "sending" from here on, and no other engine picks them (row locks, rows
        another engine is claiming are skipped). Those to chats that left or blocked the bot since the
        broadcast was made are failed first."""
        if not channels:
            return []
        await self.db.execute(
            "UPDATE deliveries SET status = 'failed', last_error = 'chat inactive'"
            " WHERE status = 'pending' AND chat_id IN (SELECT id FROM chats WHERE active = 0)"
        )
        token = secrets.token_hex(8)
        marks = ", ".join("?" * len(channels))
        await self.db.execute(
            "UPDATE deliveries SET status = 'sending', claim = ? WHERE id IN ("
            " SELECT d.id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " JOIN chats c ON c.id = d.chat_id"
            f" WHERE d.status = 'pending' AND b.send_at <= ? AND c.active = 1 AND c.channel IN ({marks})"
            " ORDER BY b.id, d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED)",
            (token, now, *channels, limit),
        )
        return await self.db.fetch_all(
            f"{_DUE} WHERE d.claim = ? AND d.status = 'sending' ORDER BY b.id, d.id", (token,), Due
        )

    async def pending(self, now: str) -> list[Due]:
        """Pending deliveries of broadcasts due by ``now`` (to look at: nothing is claimed)."""
        return await self.db.fetch_all(
            f"{_DUE} WHERE d.status = 'pending' AND b.send_at <= ? AND c.active = 1 ORDER BY b.id, d.id",
            (now,),
            Due,
        )

    async def release(self, delivery_ids: list[int]) -> None:
        """Claimed deliveries not attempted (the engine is stopping) are pending again."""
        for i in range(0, len(delivery_ids), 500):
            chunk = delivery_ids[i : i + 500]
            await self.db.execute(
                "UPDATE deliveries SET status = 'pending', claim = NULL"
                f" WHERE status = 'sending' AND id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )

    async def mark(self, delivery_id: int, status: str, error: str = "", attempt: bool = False) -> None:
        """Move a delivery to ``status`` ("sending", "sent", "failed"), counting an attempt if made."""
        sent_at = self.db.clock.stamp() if status == "sent" else None
        await self.db.execute(
            "UPDATE deliveries SET status = ?, last_error = ?, attempts = attempts + ?,"
            " sent_at = COALESCE(?, sent_at) WHERE id = ?",
            (status, error[:200], int(attempt), sent_at, delivery_id),
        )

    async def mark_sent(self, delivery_ids: list[int]) -> None:
        """Deliveries that went, marked together in one statement (an attempt each)."""
        stamp = self.db.clock.stamp()
        for i in range(0, len(delivery_ids), 500):
            chunk = delivery_ids[i : i + 500]
            await self.db.execute(
                "UPDATE deliveries SET status = 'sent', last_error = '', attempts = attempts + 1, sent_at = ?"
                f" WHERE id IN ({', '.join('?' * len(chunk))})",
                (stamp, *chunk),
            )

    async def set_attempts(self, delivery_id: int, attempts: int) -> None:
        await self.db.execute("UPDATE deliveries SET attempts = ? WHERE id = ?", (attempts, delivery_id))

    async def close_finished(self) -> None:
        """Broadcasts with nothing pending or in flight are done."""
        await self.db.execute(
            "UPDATE broadcasts SET status = 'done' WHERE status NOT IN ('done', 'cancelled') AND NOT EXISTS ("
            " SELECT 1 FROM deliveries d WHERE d.broadcast_id = broadcasts.id"
            " AND d.status IN ('pending', 'sending'))"
        )
