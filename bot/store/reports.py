"""Activity reports: what a propagandist did, where, for how many people, on which topics, and what residents
asked (masked, never named). Withdrawn reports are kept, marked, and left out of the totals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store.database import Database


@dataclass
class ReportFields:
    """What a report says (the reporter and the bookkeeping aside)."""

    activity_date: str
    form: str
    unit_code: str
    commune_code: str  # the commune it counts for: the reporter's
    place: str
    attendees: int
    topics: list[str]
    concerns: str = ""


@dataclass
class Report:
    id: int
    user_id: int
    activity_date: str
    form: str
    unit_code: str
    place: str = ""
    attendees: int = 0
    topics: list[str] = field(default_factory=list)
    concerns: str = ""
    status: str = "active"
    created_at: str = ""
    updated_at: str = ""
    commune_code: str = ""
    edited_at: str | None = None
    reporter: str = ""  # the reporter's name, where the query joins it
    reporter_channel: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.topics, str):
            self.topics = json.loads(self.topics)


_COLUMNS = "activity_date, form, unit_code, commune_code, place, attendees, topics, concerns"


def _values(f: ReportFields) -> tuple[object, ...]:
    topics = json.dumps(f.topics, ensure_ascii=False)
    return (f.activity_date, f.form, f.unit_code, f.commune_code, f.place, f.attendees, topics, f.concerns)


class Reports:
    def __init__(self, db: Database):
        self.db = db

    async def add(self, user_id: int, fields: ReportFields) -> int:
        now = self.db.clock.stamp()
        row = await self.db.execute_returning(
            f"INSERT INTO reports (user_id, {_COLUMNS}, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (user_id, *_values(fields), now, now),
        )
        return int(row)

    async def update(self, report_id: int, fields: ReportFields) -> None:
        now = self.db.clock.stamp()
        await self.db.execute(
            "UPDATE reports SET activity_date = ?, form = ?, unit_code = ?, commune_code = ?, place = ?,"
            " attendees = ?, topics = ?, concerns = ?, edited_at = ?, updated_at = ? WHERE id = ?",
            (*_values(fields), now, now, report_id),
        )

    async def withdraw(self, report_id: int) -> None:
        await self.db.execute(
            "UPDATE reports SET status = 'withdrawn', updated_at = ? WHERE id = ?",
            (self.db.clock.stamp(), report_id),
        )

    async def get(self, report_id: int) -> Report | None:
        return await self.db.fetch_one("SELECT * FROM reports WHERE id = ?", (report_id,), Report)

    async def of_user(self, user_id: int, limit: int = 5) -> list[Report]:
        return await self.db.fetch_all(
            "SELECT * FROM reports WHERE user_id = ? ORDER BY activity_date DESC, id DESC LIMIT ?",
            (user_id, limit),
            Report,
        )

    async def same(
        self, user_id: int, activity_date: str, unit_code: str, form: str, since: str
    ) -> Report | None:
        """An active report with the same person, date, place and form, filed since ``since``."""
        return await self.db.fetch_one(
            "SELECT * FROM reports WHERE user_id = ? AND activity_date = ? AND unit_code = ? AND form = ?"
            " AND status = 'active' AND created_at >= ? ORDER BY id DESC LIMIT 1",
            (user_id, activity_date, unit_code, form, since),
            Report,
        )

    async def between(self, start: str, end: str) -> list[Report]:
        """Active reports with start <= activity_date <= end, with the reporter's name."""
        return await self.db.fetch_all(
            "SELECT r.*, COALESCE(NULLIF(u.full_name, ''), u.display_name) AS reporter,"
            " u.channel AS reporter_channel FROM reports r JOIN users u ON u.id = r.user_id"
            " WHERE r.status = 'active' AND r.activity_date BETWEEN ? AND ? ORDER BY r.activity_date, r.id",
            (start, end),
            Report,
        )
