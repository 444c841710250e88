"""The question log: what people asked and what Loa did with it — never who asked, only the asker's unit —
with residents' names and phone numbers masked by the caller, kept only as long as the settings say."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.store.sql import Sql

BATCH = 64
FLUSH_SECONDS = 1.0


@dataclass
class Unanswered:
    """Alike questions of one unit that got no confident answer."""

    normalized: str
    unit_code: str | None
    times: int
    example: str
    last_asked: str


class Questions:
    """Written in batches (within a second, or 64 at once): the log feeds statistics, batching spares each
    message two round trips, and a crash loses at most the last second. Reports are never written this way."""

    def __init__(self, db: Sql):
        self.db = db
        self._buffer: list[tuple[object, ...]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    async def log(
        self,
        channel: str,
        question: str,
        normalized: str,
        status: str,
        entry_id: str | None,
        score: float,
        unit_code: str | None = None,
    ) -> None:
        """Log a question and its outcome, stamped now."""
        row = (
            channel,
            question[:500],
            normalized[:500],
            status,
            entry_id,
            float(score),
            self.db.clock.stamp(),
            unit_code,
        )
        self._buffer.append(row)
        if len(self._buffer) >= BATCH:
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._flush_soon)

    def _flush_soon(self) -> None:
        self._timer = None
        self._task = asyncio.get_running_loop().create_task(self.flush())

    async def flush(self) -> None:
        """Write the buffered log now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        rows, self._buffer = self._buffer, []
        if not rows:
            return
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO question_log (channel, question, normalized, status, entry_id, score, asked_at,"
                " unit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    async def counts(self) -> dict[str, int]:
        """How many questions got each outcome."""
        await self.flush()
        rows = await self.db.fetch_all("SELECT status, COUNT(*) AS n FROM question_log GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    async def unanswered(self, since: str, until: str) -> list[Unanswered]:
        """Questions asked from ``since`` to ``until`` without a confident answer, grouped alike per unit."""
        await self.flush()
        return await self.db.fetch_all(
            "SELECT normalized, unit_code, COUNT(*) AS times, MAX(question) AS example,"
            " MAX(asked_at) AS last_asked FROM question_log"
            " WHERE status IN ('suggest', 'passage', 'none') AND asked_at >= ? AND asked_at < ?"
            " AND normalized != '' GROUP BY normalized, unit_code ORDER BY times DESC, last_asked DESC",
            (since, until),
            Unanswered,
        )

    async def forget(self, before: str) -> int:
        """Drop the log older than ``before``: kept only as long as the inbox and the statistics need it."""
        await self.flush()
        return (await self.db.execute("DELETE FROM question_log WHERE asked_at < ?", (before,))).rowcount
