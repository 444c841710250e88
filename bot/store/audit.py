"""The audit log: what officers, admins, the command line and the scheduler did, when, with what."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.store.sql import Sql


@dataclass
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.detail, str):
            self.detail = json.loads(self.detail or "{}")


class Audit:
    def __init__(self, db: Sql):
        self.db = db

    async def add(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO audit (actor, action, detail, at) VALUES (?, ?, ?, ?)",
            (actor, action, json.dumps(detail, ensure_ascii=False), self.db.clock.stamp()),
        )

    async def count(self, actor: str, action: str, since: str) -> int:
        """How many times ``actor`` did ``action`` since ``since`` (a UTC stamp)."""
        return int(
            await self.db.fetch_value(
                "SELECT COUNT(*) FROM audit WHERE actor = ? AND action = ? AND at >= ?",
                (actor, action, since),
            )
            or 0
        )

    async def latest(self, limit: int = 100) -> list[AuditEntry]:
        return await self.db.fetch_all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,), AuditEntry)

    async def search(
        self,
        since: str | None = None,
        until: str | None = None,
        actors: list[str] | None = None,
        prefixes: tuple[str, ...] = (),
        limit: int = 200,
    ) -> list[AuditEntry]:
        """The newest entries within [since, until) (UTC stamps), of ``actors`` (None: anyone), whose action
        starts with one of ``prefixes`` (none: any)."""
        where, params = ["1 = 1"], []
        if since:
            where.append("at >= ?")
            params.append(since)
        if until:
            where.append("at < ?")
            params.append(until)
        if actors is not None:
            where.append(f"actor IN ({', '.join('?' * len(actors)) or 'NULL'})")
            params += actors
        if prefixes:
            where.append("(" + " OR ".join("action LIKE ?" for _ in prefixes) + ")")
            params += [f"{p}%" for p in prefixes]
        sql = f"SELECT * FROM audit WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?"
        return await self.db.fetch_all(sql, (*params, limit), AuditEntry)

    async def actors(self) -> list[str]:
        """Everyone who has a line in the log."""
        return [
            r["actor"] for r in await self.db.fetch_all("SELECT DISTINCT actor FROM audit ORDER BY actor")
        ]
