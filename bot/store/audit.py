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
