"""Activity reports: what a propagandist did, where, for how many people, on which topics, and what residents
asked (masked, never named). Withdrawn reports are kept, marked, and left out of the totals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.store.sql import Sql


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
    extra: dict[str, Any] = field(default_factory=dict)  # the declared fields (bot/report_fields.py)


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
    review: str = "submitted"  # submitted, accepted or returned
    review_reason: str = ""
    reviewed_by: str = ""
    reviewed_at: str | None = None
    returned_by: str = ""  # the officer who last returned it: told when it comes back
    reporter: str = ""  # the reporter's name, where the query joins it
    reporter_channel: str = ""
    reporter_id: str = ""  # the reporter's id on their channel, where the query joins it
    extra: dict[str, Any] = field(default_factory=dict)  # the declared fields (bot/report_fields.py)

    @property
    def state(self) -> str:
        """submitted, accepted, returned or withdrawn."""
        return "withdrawn" if self.status == "withdrawn" else self.review

    def __post_init__(self) -> None:
        if isinstance(self.topics, str):
            self.topics = json.loads(self.topics)
        if isinstance(self.extra, str):
            self.extra = json.loads(self.extra)


_REPORTER = (
    "COALESCE(NULLIF(u.full_name, ''), u.display_name) AS reporter, u.channel AS reporter_channel,"
    " u.external_id AS reporter_id"
)
_COLUMNS = "activity_date, form, unit_code, commune_code, place, attendees, topics, concerns, extra"


def _values(f: ReportFields) -> tuple[object, ...]:
    topics = json.dumps(f.topics, ensure_ascii=False)
    extra = json.dumps(f.extra, ensure_ascii=False)
    return (
        f.activity_date,
        f.form,
        f.unit_code,
        f.commune_code,
        f.place,
        f.attendees,
        topics,
        f.concerns,
        extra,
    )


class Reports:
    def __init__(self, db: Sql):
        self.db = db

    async def add(self, user_id: int, fields: ReportFields) -> int:
        now = self.db.clock.stamp()
        row = await self.db.execute_returning(
            f"INSERT INTO reports (user_id, {_COLUMNS}, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (user_id, *_values(fields), now, now),
        )
        return int(row)

    async def update(self, report_id: int, fields: ReportFields) -> None:
        """Save an edit; a returned report edited is submitted again."""
        now = self.db.clock.stamp()
        await self.db.execute(
            "UPDATE reports SET activity_date = ?, form = ?, unit_code = ?, commune_code = ?, place = ?,"
            " attendees = ?, topics = ?, concerns = ?, extra = ?, edited_at = ?, updated_at = ?,"
            " review = CASE WHEN review = 'returned' THEN 'submitted' ELSE review END WHERE id = ?",
            (*_values(fields), now, now, report_id),
        )

    async def review_as(self, report_id: int, state: str, by: str, reason: str = "") -> bool:
        """Accept or return (``state``) a submitted, active report; False when it is not one (any more)."""
        now = self.db.clock.stamp()
        written = await self.db.execute(
            "UPDATE reports SET review = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?,"
            " returned_by = CASE WHEN ? = 'returned' THEN ? ELSE returned_by END, updated_at = ?"
            " WHERE id = ? AND status = 'active' AND review = 'submitted'",
            (state, reason[:500], by, now, state, by, now, report_id),
        )
        return written.rowcount == 1

    async def with_reporter(self, report_id: int) -> Report | None:
        """A report with its reporter's name, channel and id."""
        return await self.db.fetch_one(
            f"SELECT r.*, {_REPORTER} FROM reports r JOIN users u ON u.id = r.user_id WHERE r.id = ?",
            (report_id,),
            Report,
        )

    async def listing(self, start: str, end: str) -> list[Report]:
        """Every report (withdrawn and returned included) with start <= activity_date <= end."""
        return await self.db.fetch_all(
            f"SELECT r.*, {_REPORTER} FROM reports r JOIN users u ON u.id = r.user_id"
            " WHERE r.activity_date BETWEEN ? AND ? ORDER BY r.activity_date, r.id",
            (start, end),
            Report,
        )

    async def submitted(self) -> list[Report]:
        """Active reports waiting for review, the oldest first: by the day held (the date every list shows),
        then as filed."""
        return await self.db.fetch_all(
            f"SELECT r.*, {_REPORTER} FROM reports r JOIN users u ON u.id = r.user_id"
            " WHERE r.status = 'active' AND r.review = 'submitted'"
            " ORDER BY r.activity_date, r.created_at, r.id",
            (),
            Report,
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
        """Active reports with start <= activity_date <= end, with the reporter's name; returned reports
        are left out until they are submitted again."""
        return await self.db.fetch_all(
            f"SELECT r.*, {_REPORTER} FROM reports r JOIN users u ON u.id = r.user_id"
            " WHERE r.status = 'active' AND r.review != 'returned' AND r.activity_date BETWEEN ? AND ?"
            " ORDER BY r.activity_date, r.id",
            (start, end),
            Report,
        )
