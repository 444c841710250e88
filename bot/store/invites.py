"""Invite codes: a role and a unit to register with, a number of uses and an expiry; who used which."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass
class Invite:
    code: str
    role: str
    unit_code: str
    uses_left: int = 1
    expires_at: str | None = None
    created_by: str = ""
    created_at: str = ""


class Invites:
    def __init__(self, db: Sql):
        self.db = db

    async def create(
        self, code: str, role: str, unit_code: str, uses: int, expires_at: str | None, created_by: str
    ) -> None:
        await self.db.execute(
            "INSERT INTO invites (code, role, unit_code, uses_left, expires_at, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, role, unit_code, uses, expires_at, created_by, self.db.clock.stamp()),
        )

    async def get(self, code: str) -> Invite | None:
        return await self.db.fetch_one("SELECT * FROM invites WHERE code = ?", (code,), Invite)

    async def used_by(self, code: str, channel: str, user_id: str) -> bool:
        return (
            await self.db.fetch_value(
                "SELECT 1 FROM invite_uses WHERE code = ? AND channel = ? AND user_id = ?",
                (code, channel, user_id),
            )
            is not None
        )

    async def use(self, code: str, channel: str, user_id: str) -> str | None:
        """Spend one use of an invite for this person, checked again now; None, or why not:
        "unknown", "expired", "used-up" or "used-by-you"."""
        now = self.db.clock.stamp()
        async with self.db.transaction() as tx:
            row = await tx.fetch_one("SELECT uses_left, expires_at FROM invites WHERE code = ?", (code,))
            if row is None:
                return "unknown"
            if row[1] and row[1] < now:
                return "expired"
            if row[0] <= 0:
                return "used-up"
            written = await tx.execute(
                "INSERT INTO invite_uses (code, channel, user_id, used_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (code, channel, user_id) DO NOTHING",
                (code, channel, user_id, now),
            )
            if written.rowcount != 1:
                return "used-by-you"
            await tx.execute("UPDATE invites SET uses_left = uses_left - 1 WHERE code = ?", (code,))
        return None
