"""The officers' inbox: groups of alike unanswered questions, the folded forms each holds, and the chats to
tell when a group is answered (kept only until then)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.questions import Questions
from bot.store.sql import Sql

UNANSWERED = ("suggest", "passage", "none")
_UNANSWERED_SQL = "('suggest', 'passage', 'none')"


@dataclass
class NewKey:
    """A folded question not yet in an open group; ``since``: when the closed group it was in closed."""

    normalized: str
    last_asked: str
    since: str = ""


@dataclass
class GroupCount:
    """How often a group's questions were asked from one unit, and when."""

    group_id: int
    unit_code: str | None
    times: int
    first_asked: str
    last_asked: str


@dataclass
class GroupRow:
    id: int
    state: str
    entry_id: str | None
    created_at: str
    closed_at: str | None
    closed_by: str


@dataclass
class Asker:
    id: int
    channel: str
    chat_external_id: str
    question: str
    asked_at: str
    residents: str = ""  # the code of the village whose residents asked, when a propagandist passed it on


class Inbox:
    def __init__(self, db: Sql, questions: Questions):
        self.db = db
        self.questions = questions  # its buffered log is written before the inbox reads it

    async def new_keys(self) -> list[NewKey]:
        """Folded unanswered questions in no group, or in a closed one but asked again since it closed."""
        await self.questions.flush()
        return await self.db.fetch_all(
            "SELECT q.normalized, MAX(q.asked_at) AS last_asked, COALESCE(MAX(g.closed_at), '') AS since"
            " FROM question_log q"
            " LEFT JOIN inbox_keys k ON k.normalized = q.normalized"
            " LEFT JOIN inbox_groups g ON g.id = k.group_id"
            f" WHERE q.status IN {_UNANSWERED_SQL} AND q.normalized != ''"
            " AND (k.group_id IS NULL OR (g.state != 'open' AND q.asked_at > g.closed_at))"
            " GROUP BY q.normalized",
            (),
            NewKey,
        )

    async def open_keys(self) -> list[tuple[int, str]]:
        """(group, folded question) of every open group."""
        rows = await self.db.fetch_all(
            "SELECT k.group_id, k.normalized FROM inbox_keys k JOIN inbox_groups g ON g.id = k.group_id"
            " WHERE g.state = 'open'",
            (),
        )
        return [(int(r["group_id"]), str(r["normalized"])) for r in rows]

    async def keys_of(self, group_id: int) -> list[tuple[int, str]]:
        """(group, folded question) of one group, whatever its state."""
        rows = await self.db.fetch_all(
            "SELECT group_id, normalized FROM inbox_keys WHERE group_id = ?", (group_id,)
        )
        return [(int(r["group_id"]), str(r["normalized"])) for r in rows]

    async def place(self, keys: dict[str, tuple[int, str]]) -> None:
        """Put each folded question in its group, counting from ``since``; a negative group number stands for
        a new group to create (the same number, the same new group). One transaction."""
        now = self.db.clock.stamp()
        created: dict[int, int] = {}
        async with self.db.transaction() as tx:
            for key, (wanted, since) in keys.items():
                group = created.get(wanted, wanted)
                if group < 0:
                    row = await tx.fetch_one(
                        "INSERT INTO inbox_groups (created_at) VALUES (?) RETURNING id", (now,)
                    )
                    if row is None:
                        raise LookupError("inbox group not created")
                    group = created[wanted] = int(row[0])
                await tx.execute(
                    "INSERT INTO inbox_keys (normalized, group_id, since) VALUES (?, ?, ?)"
                    " ON CONFLICT (normalized) DO UPDATE SET group_id = excluded.group_id,"
                    " since = excluded.since",
                    (key, group, since),
                )

    async def counts(self) -> list[GroupCount]:
        """Per open group and unit: how many times asked, first and last (since the group opened)."""
        return await self.db.fetch_all(
            "SELECT k.group_id, q.unit_code, COUNT(*) AS times, MIN(q.asked_at) AS first_asked,"
            " MAX(q.asked_at) AS last_asked"
            " FROM inbox_groups g JOIN inbox_keys k ON k.group_id = g.id"
            " JOIN question_log q ON q.normalized = k.normalized"
            f" WHERE g.state = 'open' AND q.status IN {_UNANSWERED_SQL} AND q.asked_at > k.since"
            " GROUP BY k.group_id, q.unit_code",
            (),
            GroupCount,
        )

    async def examples(self, group_id: int, limit: int = 20) -> list[str]:
        """The distinct questions of a group, the most recent first."""
        rows = await self.db.fetch_all(
            "SELECT q.question, MAX(q.asked_at) AS last FROM inbox_keys k"
            " JOIN question_log q ON q.normalized = k.normalized"
            f" WHERE k.group_id = ? AND q.status IN {_UNANSWERED_SQL} AND q.asked_at > k.since"
            " GROUP BY q.question ORDER BY last DESC LIMIT ?",
            (group_id, limit),
        )
        return [str(r["question"]) for r in rows]

    async def units(self, group_id: int) -> set[str | None]:
        rows = await self.db.fetch_all(
            "SELECT DISTINCT q.unit_code FROM inbox_keys k JOIN question_log q ON q.normalized = k.normalized"
            f" WHERE k.group_id = ? AND q.status IN {_UNANSWERED_SQL} AND q.asked_at > k.since",
            (group_id,),
        )
        return {r["unit_code"] for r in rows}

    async def group(self, group_id: int) -> GroupRow | None:
        return await self.db.fetch_one("SELECT * FROM inbox_groups WHERE id = ?", (group_id,), GroupRow)

    async def close(self, group_id: int, state: str, by: str, entry_id: str | None = None) -> bool:
        """Close an open group; False when it was not open (closed meanwhile by someone else)."""
        written = await self.db.execute(
            "UPDATE inbox_groups SET state = ?, entry_id = ?, closed_at = ?, closed_by = ?"
            " WHERE id = ? AND state = 'open'",
            (state, entry_id, self.db.clock.stamp(), by, group_id),
        )
        return written.rowcount == 1

    async def add_asker(
        self, normalized: str, channel: str, chat_external_id: str, question: str, residents: str = ""
    ) -> None:
        """Keep whom to tell when an officer answers: deferred (the asker is not waiting for it).
        ``residents``: the village whose residents asked (the chat passes the answer on to them)."""
        await self.db.defer(
            "INSERT INTO inbox_askers (normalized, channel, chat_external_id, question, asked_at, residents)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (normalized[:500], channel, chat_external_id, question[:500], self.db.clock.stamp(), residents),
        )

    async def askers(self, group_id: int) -> list[Asker]:
        """The chats that asked a group's questions (one row per question asked)."""
        return await self.db.fetch_all(
            "SELECT a.id, a.channel, a.chat_external_id, a.question, a.asked_at, a.residents"
            " FROM inbox_askers a JOIN inbox_keys k ON k.normalized = a.normalized"
            " WHERE k.group_id = ? ORDER BY a.asked_at, a.id",
            (group_id,),
            Asker,
        )

    async def forget_askers(self, ids: list[int]) -> None:
        """Told (or nothing to tell): whom to tell is not kept."""
        async with self.db.transaction() as tx:
            await tx.executemany("DELETE FROM inbox_askers WHERE id = ?", [(i,) for i in ids])

    async def forget_before(self, before: str) -> None:
        await self.db.execute("DELETE FROM inbox_askers WHERE asked_at < ?", (before,))
