"""The SQLite store: one file in WAL mode, schema from numbered migrations, async through aiosqlite."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot import texts

QUESTION_BATCH = 64
QUESTION_FLUSH_SECONDS = 1.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utc_stamp(moment: datetime | None = None) -> str:
    """A moment (now by default) as the store writes it: UTC to the second, ``2024-03-15T02:00:00Z``.

    The same form as SQLite's ``strftime('%Y-%m-%dT%H:%M:%SZ', 'now')``, so stamps compare as text.
    """
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    updated_at: str = ""  # when the person last moved it on (UTC stamp); expiry counts from here


class Store:
    """Async access to Loa's SQLite file. Use ``await Store.open(path)`` and ``await store.close()``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        # What is already written about users and active chats, so unchanged ones cost no I/O.
        self._seen_users: dict[tuple[str, str], str] = {}
        # The unit of every registered person (a question is logged with its asker's unit, never the asker).
        self._units: dict[tuple[str, str], str] = {}
        self._seen_chats: dict[tuple[str, str], tuple[str, str]] = {}
        self._question_buffer: list[tuple[Any, ...]] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flush_task: asyncio.Task[None] | None = None
        # Which (channel, chat, user) have a half-done conversation, or a parked one (with its flow): most
        # messages have neither, and cost no read.
        self._dialogs: set[tuple[str, str, str]] = set()
        self._parked: set[tuple[str, str, str, str]] = set()
        # Numbered choices last shown per (channel, chat, user), for messengers without buttons.
        self._options: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | os.PathLike[str], create: bool = True, write: bool = True) -> Store:
        """Open (and with ``create``, create) the database; one Loa cannot write is refused here, at the
        start, unless ``write`` is False (a backup only reads)."""
        path = Path(path)
        _check_path(path, create)
        try:
            if create and not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                # Only Loa's user reads it (SQLite gives the -wal and -shm files the same mode).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = await aiosqlite.connect(path, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StoreError(texts.STORE_CANNOT_OPEN.format(path=path, reason=reason)) from None
        store = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=30000")
            await store.migrate()
            if write:
                await store._check_writable()
            await store._load_seen()
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(texts.STORE_NOT_SQLITE.format(path=path, reason=exc)) from None
        except StoreError:
            await conn.close()
            raise
        return store

    async def _check_writable(self) -> None:
        """A write that changes nothing: a read-only file fails here, not at the first report.

        Busy (another process is writing) proves the file writable: no need to wait for the lock.
        """
        await self.conn.execute("PRAGMA busy_timeout=100")
        try:
            await self.write(
                "UPDATE schema_migrations SET name = name"
                " WHERE version = (SELECT MAX(version) FROM schema_migrations)"
            )
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreError(texts.STORE_READ_ONLY.format(path=self.path, reason=exc)) from None
            await self.conn.rollback()
        finally:
            await self.conn.execute("PRAGMA busy_timeout=30000")

    async def write(self, sql: str, params: Any = ()) -> aiosqlite.Cursor:
        """One statement, committed. Writers take turns: on one shared connection a commit must never
        carry another task's half-done transaction with it."""
        async with self._write_lock:
            cur = await self.conn.execute(sql, params)
            await self.conn.commit()
            return cur

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Several statements that land together or not at all."""
        async with self._write_lock:
            if self.conn.in_transaction:
                await self.conn.commit()
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            await self.conn.commit()

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
        await self.write(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
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
                raise StoreError(texts.STORE_MIGRATION_FAILED.format(version=version, reason=exc)) from None
            applied.append(version)
        return applied

    # -- question log ---------------------------------------------------------------------------
    async def log_question(
        self,
        channel: str,
        question: str,
        normalized: str,
        status: str,
        entry_id: str | None,
        score: float,
        asked_at: str | None = None,
        unit_code: str | None = None,
    ) -> None:
        """Log a question and its outcome (no user; the asker's unit, if registered, for the officers' scope).

        The caller masks residents' names and phone numbers first. Written in batches: within a second, or
        64 at once.

        The log feeds statistics; batching spares each message two database round trips, and at worst a
        crash loses the last second of it. Reports and deliveries are never written this way.
        """
        asked_at = asked_at or utc_stamp()
        self._question_buffer.append(
            (channel, question[:500], normalized[:500], status, entry_id, float(score), asked_at, unit_code)
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
        async with self.transaction() as conn:
            await conn.executemany(
                "INSERT INTO question_log"
                " (channel, question, normalized, status, entry_id, score, asked_at, unit_code)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    async def question_counts(self) -> dict[str, int]:
        await self.flush_questions()
        async with self.conn.execute("SELECT status, COUNT(*) FROM question_log GROUP BY status") as cur:
            return {row[0]: row[1] async for row in cur}

    # -- people and chats ------------------------------------------------------------------------
    async def _load_seen(self) -> None:
        sql = "SELECT channel, external_id, display_name, unit_code FROM users"
        async with self.conn.execute(sql) as cur:
            rows = [r async for r in cur]
        self._seen_users = {(r[0], r[1]): r[2] for r in rows}
        self._units = {(r[0], r[1]): r[3] for r in rows if r[3]}
        async with self.conn.execute(
            "SELECT channel, external_id, chat_type, title FROM chats WHERE active = 1"
        ) as cur:
            self._seen_chats = {(r[0], r[1]): (r[2], r[3]) async for r in cur}
        async with self.conn.execute("SELECT channel, chat_id, user_id FROM dialog_state") as cur:
            self._dialogs = {(r[0], r[1], r[2]) async for r in cur}
        async with self.conn.execute("SELECT channel, chat_id, user_id, flow FROM parked_dialogs") as cur:
            self._parked = {(r[0], r[1], r[2], r[3]) async for r in cur}
        async with self.conn.execute("SELECT channel, chat_id, user_id, options FROM chat_options") as cur:
            self._options = {
                (r[0], r[1], r[2]): [(label, data) for label, data in json.loads(r[3])] async for r in cur
            }

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
        statements = []
        if new_user:
            statements.append(
                (
                    "INSERT INTO users (channel, external_id, display_name) VALUES (?, ?, ?)"
                    " ON CONFLICT (channel, external_id) DO UPDATE SET display_name = excluded.display_name,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                    " WHERE users.display_name != excluded.display_name",
                    (channel, user_id, display_name),
                )
            )
        if new_chat:
            statements.append(
                (
                    "INSERT INTO chats (channel, external_id, chat_type, title, user_external_id)"
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (channel, external_id) DO UPDATE SET active = 1, title = excluded.title,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                    " WHERE chats.active = 0 OR chats.title != excluded.title",
                    (channel, chat_id, chat_type, title, user_id if chat_type == "private" else None),
                )
            )
        if len(statements) == 1:  # the common first contact: one statement, no explicit transaction
            await self.write(*statements[0])
        else:
            async with self.transaction() as conn:
                for sql, params in statements:
                    await conn.execute(sql, params)
        self._seen_users[user_key] = display_name
        self._seen_chats[chat_key] = (chat_type, title)

    async def set_chat_active(
        self, channel: str, external_id: str, active: bool, chat_type: str = "group", title: str = ""
    ) -> None:
        """Record that the bot was added to (active) or removed from / blocked in (inactive) a chat."""
        self._seen_chats.pop((channel, external_id), None)
        await self.write(
            "INSERT INTO chats (channel, external_id, chat_type, title, active) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET active = excluded.active,"
            " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (channel, external_id, chat_type, title[:256], int(active)),
        )

    async def chat(self, channel: str, external_id: str) -> dict[str, Any] | None:
        return await self.fetch_one(
            "SELECT * FROM chats WHERE channel = ? AND external_id = ?", (channel, external_id)
        )

    async def migrate_chat(self, channel: str, old_id: str, new_id: str) -> None:
        """A group became a supergroup with a new id: the group's record (subscription, unit) moves with it.

        If the new id already has a row (a message from the supergroup arrived first), that fresh row is
        folded into the old record, which keeps everything it had.
        """
        if old_id == new_id:
            return
        self._seen_chats.pop((channel, old_id), None)
        self._seen_chats.pop((channel, new_id), None)
        async with self.transaction() as conn:
            async with conn.execute(
                "SELECT id FROM chats WHERE channel = ? AND external_id = ?", (channel, old_id)
            ) as cur:
                old = await cur.fetchone()
            if old is None:
                return
            async with conn.execute(
                "SELECT id FROM chats WHERE channel = ? AND external_id = ?", (channel, new_id)
            ) as cur:
                fresh = await cur.fetchone()
            if fresh is not None:
                # Deliveries of the same broadcast to both ids are one delivery to one group.
                await conn.execute(
                    "UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (old[0], fresh[0])
                )
                await conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (fresh[0],))
                await conn.execute("DELETE FROM chats WHERE id = ?", (fresh[0],))
            await conn.execute(
                "UPDATE chats SET external_id = ?, chat_type = 'group', active = 1,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                (new_id, old[0]),
            )

    # -- roles, invites, audit --------------------------------------------------------------------
    async def user(self, channel: str, external_id: str) -> dict[str, Any] | None:
        return await self.fetch_one(
            "SELECT * FROM users WHERE channel = ? AND external_id = ?", (channel, external_id)
        )

    async def set_role(
        self, channel: str, external_id: str, role: str, unit_code: str, full_name: str
    ) -> None:
        """Register a person: role, unit and the name they confirmed (the messenger's name is kept apart)."""
        await self.write(
            "INSERT INTO users (channel, external_id, full_name, role, unit_code, registered_at)"
            " VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
            " ON CONFLICT (channel, external_id) DO UPDATE SET role = excluded.role,"
            " unit_code = excluded.unit_code, full_name = excluded.full_name,"
            " registered_at = excluded.registered_at, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (channel, external_id, full_name[:128], role, unit_code),
        )
        self._seen_users.pop((channel, external_id), None)
        self._units[(channel, external_id)] = unit_code

    def unit_of(self, channel: str, external_id: str) -> str | None:
        """A registered person's unit, from memory: asking a question costs no database read."""
        return self._units.get((channel, external_id))

    async def subscribers(self) -> list[dict[str, Any]]:
        """Active, subscribed chats, with the role and unit of the person for private chats."""
        return await self.fetch_all(
            "SELECT c.*, u.role AS user_role, COALESCE(c.unit_code, u.unit_code) AS scope_unit"
            " FROM chats c LEFT JOIN users u ON c.chat_type = 'private' AND u.channel = c.channel"
            " AND u.external_id = c.user_external_id WHERE c.active = 1 AND c.subscribed = 1 ORDER BY c.id",
            (),
        )

    async def set_subscribed(
        self,
        channel: str,
        chat_id: str,
        subscribed: bool,
        unit_code: str | None = None,
        chat_type: str = "private",
        bound_by: str | None = None,
    ) -> None:
        """Subscribe a chat or not; a group is bound to ``unit_code`` only with the officer who bound it."""
        await self.write(
            "INSERT INTO chats (channel, external_id, chat_type, subscribed, unit_code, unit_bound_by)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET subscribed = excluded.subscribed,"
            " unit_code = COALESCE(excluded.unit_code, chats.unit_code),"
            " unit_bound_by = COALESCE(excluded.unit_bound_by, chats.unit_bound_by),"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (channel, chat_id, chat_type, int(subscribed), unit_code, bound_by if unit_code else None),
        )

    async def create_invite(
        self, code: str, role: str, unit_code: str, uses: int, expires_at: str | None, created_by: str
    ) -> None:
        await self.write(
            "INSERT INTO invites (code, role, unit_code, uses_left, expires_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code, role, unit_code, uses, expires_at, created_by),
        )

    async def invite(self, code: str) -> dict[str, Any] | None:
        return await self.fetch_one("SELECT * FROM invites WHERE code = ?", (code,))

    async def invite_used_by(self, code: str, channel: str, user_id: str) -> bool:
        row = await self.fetch_one(
            "SELECT 1 AS used FROM invite_uses WHERE code = ? AND channel = ? AND user_id = ?",
            (code, channel, user_id),
        )
        return row is not None

    async def use_invite(self, code: str, channel: str, user_id: str, now: str) -> str | None:
        """Spend one use of an invite for this person, checked again now; None, or why not:
        "unknown", "expired", "used-up" or "used-by-you"."""
        async with self.transaction() as conn:
            async with conn.execute(
                "SELECT uses_left, expires_at FROM invites WHERE code = ?", (code,)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return "unknown"
            if row[1] and row[1] < now:
                return "expired"
            if row[0] <= 0:
                return "used-up"
            cur = await conn.execute(
                "INSERT OR IGNORE INTO invite_uses (code, channel, user_id, used_at) VALUES (?, ?, ?, ?)",
                (code, channel, user_id, now),
            )
            if cur.rowcount != 1:
                return "used-by-you"
            await conn.execute("UPDATE invites SET uses_left = uses_left - 1 WHERE code = ?", (code,))
        return None

    async def audit(self, actor: str, action: str, detail: dict[str, Any], at: str | None = None) -> None:
        await self.write(
            "INSERT INTO audit (actor, action, detail, at) VALUES (?, ?, ?, ?)",
            (actor, action, json.dumps(detail, ensure_ascii=False), at or utc_stamp()),
        )

    async def count_actions(self, actor: str, action: str, since: str) -> int:
        """How many times ``actor`` did ``action`` since ``since`` (a UTC stamp)."""
        row = await self.fetch_one(
            "SELECT COUNT(*) AS n FROM audit WHERE actor = ? AND action = ? AND at >= ?",
            (actor, action, since),
        )
        return int(row["n"]) if row else 0

    async def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        return await self.fetch_all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))

    # -- reports ---------------------------------------------------------------------------------
    async def add_report(self, report: dict[str, Any], created_at: str | None = None) -> int:
        cur = await self.write(
            "INSERT INTO reports (user_id, activity_date, form, unit_code, commune_code, place, attendees,"
            " topics, concerns, created_at, updated_at) VALUES (:user_id, :activity_date, :form, :unit_code,"
            " :commune_code, :place, :attendees, :topics, :concerns, :created_at, :created_at)",
            {
                **report,
                "topics": json.dumps(report["topics"], ensure_ascii=False),
                "created_at": created_at or utc_stamp(),
            },
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    async def update_report(self, report_id: int, report: dict[str, Any]) -> None:
        await self.write(
            "UPDATE reports SET activity_date = :activity_date, form = :form, unit_code = :unit_code,"
            " commune_code = :commune_code, place = :place, attendees = :attendees, topics = :topics,"
            " concerns = :concerns, edited_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id",
            {**report, "topics": json.dumps(report["topics"], ensure_ascii=False), "id": report_id},
        )

    async def withdraw_report(self, report_id: int) -> None:
        """Withdrawn reports are kept, marked, and left out of the totals."""
        await self.write(
            "UPDATE reports SET status = 'withdrawn', updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            " WHERE id = ?",
            (report_id,),
        )

    async def report(self, report_id: int) -> dict[str, Any] | None:
        return _report_row(await self.fetch_one("SELECT * FROM reports WHERE id = ?", (report_id,)))

    async def reports_of(self, user_id: int, limit: int = 5) -> list[dict[str, Any]]:
        rows = await self.fetch_all(
            "SELECT * FROM reports WHERE user_id = ? ORDER BY activity_date DESC, id DESC LIMIT ?",
            (user_id, limit),
        )
        return [r for r in map(_report_row, rows) if r is not None]

    async def same_report(
        self, user_id: int, activity_date: str, unit_code: str, form: str, since: str
    ) -> dict[str, Any] | None:
        """An active report with the same person, date, place and form, filed since ``since``."""
        return _report_row(
            await self.fetch_one(
                "SELECT * FROM reports WHERE user_id = ? AND activity_date = ? AND unit_code = ? AND form = ?"
                " AND status = 'active' AND created_at >= ? ORDER BY id DESC LIMIT 1",
                (user_id, activity_date, unit_code, form, since),
            )
        )

    async def reports_between(self, start: str, end: str) -> list[dict[str, Any]]:
        """Active reports with start <= activity_date <= end, with the reporter's name and unit."""
        rows = await self.fetch_all(
            "SELECT r.*, COALESCE(NULLIF(u.full_name, ''), u.display_name) AS reporter,"
            " u.channel AS reporter_channel"
            " FROM reports r JOIN users u ON u.id = r.user_id"
            " WHERE r.status = 'active' AND r.activity_date BETWEEN ? AND ? ORDER BY r.activity_date, r.id",
            (start, end),
        )
        return [r for r in map(_report_row, rows) if r is not None]

    async def propagandists(self) -> list[dict[str, Any]]:
        return await self.fetch_all(
            "SELECT *, COALESCE(NULLIF(full_name, ''), display_name) AS name FROM users"
            " WHERE role = 'propagandist' ORDER BY name",
            (),
        )

    async def unanswered(self, since: str, until: str) -> list[dict[str, Any]]:
        """Questions asked from ``since`` to ``until`` without a confident answer, grouped alike per unit."""
        await self.flush_questions()
        return await self.fetch_all(
            "SELECT normalized, unit_code, COUNT(*) AS times, MAX(question) AS example,"
            " MAX(asked_at) AS last_asked FROM question_log"
            " WHERE status IN ('suggest', 'passage', 'none') AND asked_at >= ? AND asked_at < ?"
            " AND normalized != '' GROUP BY normalized, unit_code ORDER BY times DESC, last_asked DESC",
            (since, until),
        )

    async def forget_questions(self, before: str) -> int:
        """Drop the question log older than ``before``: kept only as long as the inbox and stats need it."""
        await self.flush_questions()
        cur = await self.write("DELETE FROM question_log WHERE asked_at < ?", (before,))
        return cur.rowcount

    async def fetch_one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        async with self.conn.execute(sql, params) as cur:
            row = await cur.fetchone()
            names = [d[0] for d in cur.description]
        return dict(zip(names, row, strict=True)) if row else None

    async def fetch_all(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        async with self.conn.execute(sql, params) as cur:
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) async for row in cur]

    # -- dialog state ----------------------------------------------------------------------------
    async def get_dialog(self, channel: str, chat_id: str, user_id: str) -> DialogState | None:
        if (channel, chat_id, user_id) not in self._dialogs:
            return None
        async with self.conn.execute(
            "SELECT flow, step, data, updated_at FROM dialog_state"
            " WHERE channel = ? AND chat_id = ? AND user_id = ?",
            (channel, chat_id, user_id),
        ) as cur:
            row = await cur.fetchone()
        return DialogState(row[0], row[1], json.loads(row[2]), row[3]) if row else None

    async def set_dialog(self, channel: str, chat_id: str, user_id: str, state: DialogState) -> None:
        await self.write(
            "INSERT INTO dialog_state (channel, chat_id, user_id, flow, step, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET flow = excluded.flow,"
            " step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            _state_row(channel, chat_id, user_id, state, state.updated_at or utc_stamp()),
        )
        self._dialogs.add((channel, chat_id, user_id))

    async def park_dialog(self, channel: str, chat_id: str, user_id: str, state: DialogState) -> None:
        """Put a draft aside (one per dialog kind), and clear the active dialog."""
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO parked_dialogs"
                " (channel, chat_id, user_id, flow, step, data, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                _state_row(channel, chat_id, user_id, state, utc_stamp()),
            )
            await conn.execute(
                "DELETE FROM dialog_state WHERE channel = ? AND chat_id = ? AND user_id = ?",
                (channel, chat_id, user_id),
            )
        self._dialogs.discard((channel, chat_id, user_id))
        self._parked.add((channel, chat_id, user_id, state.flow))

    async def unpark_dialog(self, channel: str, chat_id: str, user_id: str, flow: str) -> DialogState | None:
        """Take back a parked draft of ``flow`` (it is no longer parked), or None."""
        key = (channel, chat_id, user_id, flow)
        if key not in self._parked:
            return None
        where = "WHERE channel = ? AND chat_id = ? AND user_id = ? AND flow = ?"
        async with self.conn.execute(f"SELECT step, data FROM parked_dialogs {where}", key) as cur:
            row = await cur.fetchone()
        if row is None:
            self._parked.discard(key)
            return None
        cur = await self.write(f"DELETE FROM parked_dialogs {where}", key)
        self._parked.discard(key)
        if cur.rowcount != 1:  # taken meanwhile by another message of the same person
            return None
        return DialogState(flow, row[0], json.loads(row[1]))

    async def clear_dialog(self, channel: str, chat_id: str, user_id: str) -> None:
        await self.write(
            "DELETE FROM dialog_state WHERE channel = ? AND chat_id = ? AND user_id = ?",
            (channel, chat_id, user_id),
        )
        self._dialogs.discard((channel, chat_id, user_id))

    # -- numbered choices and handled updates (messengers without buttons or update ids) ---------
    def options(self, channel: str, chat_id: str, user_id: str) -> list[tuple[str, str]]:
        """The choices last shown to this person in this chat, numbered from 1: (label key, button data)."""
        return self._options.get((channel, chat_id, user_id), [])

    async def set_options(
        self, channel: str, chat_id: str, user_id: str, options: list[tuple[str, str]]
    ) -> None:
        """Remember the choices just shown (an empty list forgets the old ones)."""
        key = (channel, chat_id, user_id)
        if options == self._options.get(key, []):
            return
        if options:
            await self.write(
                "INSERT INTO chat_options (channel, chat_id, user_id, options) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET options = excluded.options,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (channel, chat_id, user_id, json.dumps(options, ensure_ascii=False)),
            )
            self._options[key] = list(options)
        else:
            await self.write(
                "DELETE FROM chat_options WHERE channel = ? AND chat_id = ? AND user_id = ?", key
            )
            self._options.pop(key, None)

    async def claim_update(self, channel: str, update_key: str) -> bool:
        """True the first time an update is seen, False for a repeat (a webhook retried, a re-poll)."""
        cur = await self.write(
            "INSERT OR IGNORE INTO handled_updates (channel, update_key) VALUES (?, ?)", (channel, update_key)
        )
        return cur.rowcount == 1

    async def forget_handled(self, before: datetime) -> int:
        """Drop handled-update ids older than ``before`` (a messenger repeats an update within minutes)."""
        cur = await self.write(
            "DELETE FROM handled_updates WHERE handled_at < ?",
            (utc_stamp(before),),
        )
        return cur.rowcount

    # -- backup ----------------------------------------------------------------------------------
    async def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent copy through SQLite's online backup API, written beside ``dest`` then renamed."""
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".part")
        if tmp.exists():
            tmp.unlink()
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, 0o600))  # a copy is as private as the original
        target = await aiosqlite.connect(tmp)
        try:
            await self.conn.backup(target)
        finally:
            await target.close()
        os.replace(tmp, dest)
        return dest


def _state_row(channel: str, chat_id: str, user_id: str, state: DialogState, stamp: str) -> tuple[str, ...]:
    data = json.dumps(state.data, ensure_ascii=False)
    return (channel, chat_id, user_id, state.flow, state.step, data, stamp)


SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


def _check_path(path: Path, create: bool) -> None:
    """Refuse what is not a database file: a folder, SQLite's side files, a missing file when not creating."""
    if not str(path).strip() or path.is_dir():
        raise StoreError(texts.STORE_NOT_A_FILE.format(path=path))
    if path.name.endswith(_SIDE_FILES):
        raise StoreError(texts.STORE_SIDE_FILE.format(path=path))
    if not create and not path.is_file():
        raise StoreError(texts.STORE_MISSING.format(path=path))
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(texts.STORE_NOT_SQLITE.format(path=path, reason="file is not a database"))


def _report_row(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None and isinstance(row.get("topics"), str):
        row["topics"] = json.loads(row["topics"])
    return row
