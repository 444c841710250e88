"""What residents said (``voices``): written when heard, read by period for the pulse and the quarter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.sql import Sql

WAITING, ANSWERED_AT_ONCE, ANSWERED_LATER = 0, 1, 2


@dataclass
class Voice:
    """One item residents said, as stored."""

    id: int
    heard_at: str
    heard_on: str
    unit_code: str
    commune_code: str
    source: str
    report_id: int | None
    text: str
    normalized: str
    answered: int


@dataclass(frozen=True)
class NewVoice:
    """One item to store."""

    heard_on: str
    unit_code: str
    commune_code: str
    source: str
    report_id: int | None
    text: str
    normalized: str
    answered: int


class Voices:
    """The ``voices`` table: added per capture, read by period."""

    def __init__(self, db: Sql):
        self.db = db

    async def add(self, voices: Sequence[NewVoice], replacing_report: int | None = None) -> None:
        """Store what was heard in one transaction (a report's items replace those it held before)."""
        now = self.db.clock.stamp()
        async with self.db.transaction() as tx:
            if replacing_report is not None:
                await tx.execute("DELETE FROM voices WHERE report_id = ?", (replacing_report,))
            await tx.executemany(
                "INSERT INTO voices (heard_at, heard_on, unit_code, commune_code, source, report_id, text,"
                " normalized, answered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        now,
                        v.heard_on,
                        v.unit_code,
                        v.commune_code,
                        v.source,
                        v.report_id,
                        v.text[:500],
                        v.normalized[:500],
                        v.answered,
                    )
                    for v in voices
                ],
            )

    async def between(self, start: str, end: str) -> list[Voice]:
        """Everything heard from ``start`` to ``end`` (local dates, both included), oldest first."""
        return await self.db.fetch_all(
            "SELECT * FROM voices WHERE heard_on >= ? AND heard_on <= ? ORDER BY heard_on, id",
            (start, end),
            Voice,
        )

    async def forget_before(self, before: str) -> None:
        """What residents said is kept as long as the question log (``LOA_QUESTION_RETENTION_DAYS``)."""
        await self.db.execute("DELETE FROM voices WHERE heard_at < ?", (before,))

    async def of_report(self, report_id: int) -> list[Voice]:
        """The items a report holds now."""
        return await self.db.fetch_all(
            "SELECT * FROM voices WHERE report_id = ? ORDER BY id", (report_id,), Voice
        )

    async def withdraw_report(self, report_id: int) -> None:
        """A withdrawn report's items no longer count."""
        await self.db.execute("DELETE FROM voices WHERE report_id = ?", (report_id,))

    async def answered(self, keys: Sequence[str]) -> None:
        """Officers answered the questions with these folded forms: their items are answered now."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE voices SET answered = 2 WHERE answered = 0 AND normalized = ?", [(k,) for k in keys]
            )
