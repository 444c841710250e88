"""The SQLite store: one file in WAL mode, schema from numbered migrations, async through aiosqlite."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

QUESTION_BATCH = 64
QUESTION_FLUSH_SECONDS = 1.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """The database cannot be opened or upgraded; the message is one clear line."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration shipped with the package, in order."""
    found = []
    for item in resources.files("bot.migrations").iterdir():
        m = _MIGRATION_NAME.match(item.name)
        if m:
            found.append((int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations are not numbered 1..N without gaps: {versions}")
    return found


@dataclass
class DialogState:
    flow: str
    step: str
    data: dict[str, Any]


class Store:
    """Async access to Loa's SQLite file. Use ``await Store.open(path)`` and ``await store.close()``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        # What is already written about users and active chats, so unchanged ones cost no I/O.
        self._seen_users: dict[tuple[str, str], str] = {}
        self._seen_chats: dict[tuple[str, str], tuple[str, str]] = {}
        self._question_buffer: list[tuple[Any, ...]] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flush_task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str | os.PathLike[str]) -> Store:
        path = Path(path)
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}") from None
        store = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=30000")
            await store.migrate()
            await store._load_seen()
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(f"Cơ sở dữ liệu {path} hỏng hoặc không phải SQLite: {exc}") from None
        except StoreError:
            await conn.close()
            raise
        return store

    async def close(self) -> None:
        await self.flush_questions()
        await self.conn.close()

    async def schema_version(self) -> int:
        async with self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ) as cur:
            if await cur.fetchone() is None:
                return 0
        async with self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply the migrations this file has not seen, each in its own transaction; return them."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        await self.conn.commit()
        current = await self.schema_version()
        applied = []
        for version, name, sql in migrations():
            if version <= current:
                continue
            # executescript commits what came before it; the script itself runs as one transaction.
            script = (
                f"BEGIN;\n{sql}\n;INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');"
                "\nCOMMIT;"
            )
            try:
                await self.conn.executescript(script)
            except sqlite3.Error as exc:
                await self.conn.rollback()
                raise StoreError(f"Nâng cấp cơ sở dữ liệu lên phiên bản {version} thất bại: {exc}") from None
            applied.append(version)
        return applied

    # -- question log ---------------------------------------------------------------------------
    async def log_question(
        self, channel: str, question: str, normalized: str, status: str, entry_id: str | None, score: float
    ) -> None:
        """Log a question and its outcome (no user). Written in batches: within a second, or 64 at once.

        The log feeds statistics; batching spares each message two database round trips, and at worst a
        crash loses the last second of it. Reports and deliveries are never written this way.
        """
        self._question_buffer.append(
            (channel, question[:500], normalized[:500], status, entry_id, float(score))
        )
        if len(self._question_buffer) >= QUESTION_BATCH:
            await self.flush_questions()
        elif self._flush_timer is None:
            loop = asyncio.get_running_loop()
            self._flush_timer = loop.call_later(QUESTION_FLUSH_SECONDS, self._flush_soon)

    def _flush_soon(self) -> None:
        self._flush_timer = None
        self._flush_task = asyncio.get_running_loop().create_task(self.flush_questions())

    async def flush_questions(self) -> None:
        """Write the buffered question log now."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        rows, self._question_buffer = self._question_buffer, []
        if not rows:
            return
        await self.conn.executemany(
            "INSERT INTO question_log (channel, question, normalized, status, entry_id, score)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        await self.conn.commit()

    async def question_counts(self) -> dict[str, int]:
        await self.flush_questions()
        async with self.conn.execute("SELECT status, COUNT(*) FROM question_log GROUP BY status") as cur:
            return {row[0]: row[1] async for row in cur}

    # -- people and chats ------------------------------------------------------------------------
    async def _load_seen(self) -> None:
        async with self.conn.execute("SELECT channel, external_id, display_name FROM users") as cur:
            self._seen_users = {(r[0], r[1]): r[2] async for r in cur}
        async with self.conn.execute(
            "SELECT channel, external_id, chat_type, title FROM chats WHERE active = 1"
        ) as cur:
            self._seen_chats = {(r[0], r[1]): (r[2], r[3]) async for r in cur}

    async def note_contact(
        self, channel: str, user_id: str, display_name: str, chat_id: str, chat_type: str, title: str = ""
    ) -> None:
        """Create or refresh the sender (messenger id and display name only) and the chat of a message.

        Known and unchanged ones cost nothing: the store remembers what it has written, so the common
        case, a known person in a known chat, does no I/O at all.
        """
        display_name, title = display_name[:128], title[:256]
        user_key, chat_key = (channel, user_id), (channel, chat_id)
        new_user = self._seen_users.get(user_key) != display_name
        new_chat = self._seen_chats.get(chat_key) != (chat_type, title)
        if not (new_user or new_chat):
            return
        if new_user:
            await self.conn.execute(
                "INSERT INTO users (channel, external_id, display_name) VALUES (?, ?, ?)"
                " ON CONFLICT (channel, external_id) DO UPDATE SET display_name = excluded.display_name,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                " WHERE users.display_name != excluded.display_name",
                (channel, user_id, display_name),
            )
        if new_chat:
            await self.conn.execute(
                "INSERT INTO chats (channel, external_id, chat_type, title) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (channel, external_id) DO UPDATE SET active = 1, title = excluded.title,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                " WHERE chats.active = 0 OR chats.title != excluded.title",
                (channel, chat_id, chat_type, title),
            )
        await self.conn.commit()
        self._seen_users[user_key] = display_name
        self._seen_chats[chat_key] = (chat_type, title)

    async def user_id(self, channel: str, external_id: str) -> int | None:
        async with self.conn.execute(
            "SELECT id FROM users WHERE channel = ? AND external_id = ?", (channel, external_id)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def set_chat_active(
        self, channel: str, external_id: str, active: bool, chat_type: str = "group", title: str = ""
    ) -> None:
        """Record that the bot was added to (active) or removed from / blocked in (inactive) a chat."""
        self._seen_chats.pop((channel, external_id), None)
        await self.conn.execute(
            "INSERT INTO chats (channel, external_id, chat_type, title, active) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET active = excluded.active,"
            " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (channel, external_id, chat_type, title[:256], int(active)),
        )
        await self.conn.commit()

    async def chat(self, channel: str, external_id: str) -> dict[str, Any] | None:
        async with self.conn.execute(
            "SELECT * FROM chats WHERE channel = ? AND external_id = ?", (channel, external_id)
        ) as cur:
            row = await cur.fetchone()
            names = [d[0] for d in cur.description]
        return dict(zip(names, row, strict=True)) if row else None

    async def migrate_chat(self, channel: str, old_id: str, new_id: str) -> None:
        """A group became a supergroup with a new id: the group's record (subscription, unit) moves with it.

        If the new id already has a row (a message from the supergroup arrived first), that fresh row is
        folded into the old record, which keeps everything it had.
        """
        if old_id == new_id:
            return
        self._seen_chats.pop((channel, old_id), None)
        self._seen_chats.pop((channel, new_id), None)
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            async with self.conn.execute(
                "SELECT id FROM chats WHERE channel = ? AND external_id = ?", (channel, old_id)
            ) as cur:
                old = await cur.fetchone()
            if old is not None:
                async with self.conn.execute(
                    "SELECT id FROM chats WHERE channel = ? AND external_id = ?", (channel, new_id)
                ) as cur:
                    fresh = await cur.fetchone()
                if fresh is not None:
                    # Deliveries of the same broadcast to both ids are one delivery to one group.
                    await self.conn.execute(
                        "UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (old[0], fresh[0])
                    )
                    await self.conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (fresh[0],))
                    await self.conn.execute("DELETE FROM chats WHERE id = ?", (fresh[0],))
                await self.conn.execute(
                    "UPDATE chats SET external_id = ?, chat_type = 'group', active = 1,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                    (new_id, old[0]),
                )
            await self.conn.commit()
        except BaseException:
            await self.conn.rollback()
            raise

    # -- dialog state ----------------------------------------------------------------------------
    async def get_dialog(self, channel: str, chat_id: str, user_id: str) -> DialogState | None:
        async with self.conn.execute(
            "SELECT flow, step, data FROM dialog_state WHERE channel = ? AND chat_id = ? AND user_id = ?",
            (channel, chat_id, user_id),
        ) as cur:
            row = await cur.fetchone()
        return DialogState(row[0], row[1], json.loads(row[2])) if row else None

    async def set_dialog(self, channel: str, chat_id: str, user_id: str, state: DialogState) -> None:
        await self.conn.execute(
            "INSERT INTO dialog_state (channel, chat_id, user_id, flow, step, data) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET flow = excluded.flow,"
            " step = excluded.step, data = excluded.data, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (channel, chat_id, user_id, state.flow, state.step, json.dumps(state.data, ensure_ascii=False)),
        )
        await self.conn.commit()

    async def clear_dialog(self, channel: str, chat_id: str, user_id: str) -> None:
        await self.conn.execute(
            "DELETE FROM dialog_state WHERE channel = ? AND chat_id = ? AND user_id = ?",
            (channel, chat_id, user_id),
        )
        await self.conn.commit()

    # -- backup ----------------------------------------------------------------------------------
    async def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent copy through SQLite's online backup API, written beside ``dest`` then renamed."""
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".part")
        if tmp.exists():
            tmp.unlink()
        target = await aiosqlite.connect(tmp)
        try:
            await self.conn.backup(target)
        finally:
            await target.close()
        os.replace(tmp, dest)
        return dest
