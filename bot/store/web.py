"""The web console's one-time login links and sessions; only hashes of their secrets are stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.store.sql import Sql


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class Session:
    actor: str
    csrf: str
    expires_at: str


class Web:
    def __init__(self, db: Sql):
        self.db = db

    async def add_link(self, token: str, actor: str, expires_at: str) -> None:
        await self.db.execute(
            "INSERT INTO web_links (token_hash, actor, expires_at) VALUES (?, ?, ?)",
            (digest(token), actor, expires_at),
        )

    async def use_link(self, token: str, now: str) -> str | None:
        """The actor of an unused, unexpired link, which is used up now; None otherwise."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
                " RETURNING actor",
                (now, digest(token), now),
            )
        return str(row[0]) if row is not None else None

    async def add_session(self, session_id: str, actor: str, csrf: str, expires_at: str) -> None:
        await self.db.execute(
            "INSERT INTO web_sessions (id_hash, actor, csrf, expires_at) VALUES (?, ?, ?, ?)",
            (digest(session_id), actor, csrf, expires_at),
        )

    async def session(self, session_id: str, now: str) -> Session | None:
        return await self.db.fetch_one(
            "SELECT actor, csrf, expires_at FROM web_sessions WHERE id_hash = ? AND expires_at > ?",
            (digest(session_id), now),
            Session,
        )

    async def end_session(self, session_id: str) -> None:
        await self.db.execute("DELETE FROM web_sessions WHERE id_hash = ?", (digest(session_id),))

    async def forget_expired(self, now: str) -> None:
        await self.db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (now,))
        await self.db.execute("DELETE FROM web_links WHERE expires_at <= ?", (now,))
