"""Loa's database on SQLite: one file in WAL mode, one connection, one write lock (aiosqlite)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot import texts
from bot.clock import Clock
from bot.store import database as _database
from bot.store import dialect
from bot.store.database import Database, StoreError
from bot.store.sql import Written

# -- what it says --------------------------------------------------------------------------------------------
STORE_CANNOT_OPEN = "Không mở được cơ sở dữ liệu {path}: {reason}"
STORE_NOT_SQLITE = "Tệp {path} hỏng hoặc không phải cơ sở dữ liệu SQLite ({reason})"
STORE_READ_ONLY = (
    "Cơ sở dữ liệu {path} chỉ đọc được, Loa không ghi được ({reason}). Kiểm tra quyền ghi của tệp và thư mục."
)
STORE_NOT_A_FILE = "«{path}» không phải một tệp cơ sở dữ liệu (trống hoặc là thư mục)"
STORE_SIDE_FILE = (
    "{path} là tệp phụ của SQLite (-wal, -shm, -journal), không phải cơ sở dữ liệu; dùng tệp chính"
)
STORE_MISSING = "Không có cơ sở dữ liệu {path}"

log = logging.getLogger(__name__)

# Deferred writes (:meth:`SqliteDatabase.defer`) land within this long, or once this many wait, or before any
# other statement, whichever comes first.
DEFER_SECONDS = 1.0
DEFER_BATCH = 64
SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class Tx:
    """Statements inside one transaction (see :meth:`Database.transaction`)."""

    def __init__(self, conn: aiosqlite.Connection):
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Written:
        cur = await self._conn.execute(dialect.sqlite(sql), params)
        return Written(cur.rowcount, cur.lastrowid)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(dialect.sqlite(sql), rows)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        async with self._conn.execute(dialect.sqlite(sql), params) as cur:
            row = await cur.fetchone()
        return tuple(row) if row is not None else None


class SqliteDatabase(Database):
    """One SQLite file in WAL mode: one connection, one write lock."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, clock: Clock):
        super().__init__(clock)
        self.conn = conn
        self.file = path
        self._write_lock = asyncio.Lock()
        self._deferred: list[tuple[str, Sequence[Any]]] = []
        self._defer_timer: asyncio.TimerHandle | None = None
        self._deferring: asyncio.Future[None] | None = None  # a batch being written
        self._flushing: set[asyncio.Task[None]] = set()
        self._in_transaction: asyncio.Task[Any] | None = None  # the task inside transaction(), if any

    @classmethod
    async def connect(cls, path: Path, clock: Clock, create: bool = True, write: bool = True) -> Database:
        """Open (and with ``create``, create) a SQLite database file."""
        _check_path(path, create)
        try:
            if create and not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                # Only Loa's user reads it (SQLite gives the -wal and -shm files the same mode).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            # Autocommit: a statement on its own commits as it runs (one trip to SQLite's thread, not two
            # with the write lock held between them); transactions begin explicitly (BEGIN IMMEDIATE).
            conn = await aiosqlite.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StoreError(STORE_CANNOT_OPEN.format(path=path, reason=reason)) from None
        db = cls(conn, path, clock)
        try:
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=30000"):
                await conn.execute(f"PRAGMA {pragma}")
            await db.migrate()
            if write:
                await db._check_writable()
            await db.people.load()
            await db.dialogs.load()
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(STORE_NOT_SQLITE.format(path=path, reason=exc)) from None
        except StoreError:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.flush_deferred()
        await self.questions.flush()
        await self.conn.close()

    # -- deferred writes -----------------------------------------------------------------------------------
    async def defer(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A write committed with others in one transaction: within ``DEFER_SECONDS``, at ``DEFER_BATCH``,
        and always before any other statement of this database runs, so every read sees it.

        A message from someone new costs a transaction (four trips to SQLite's thread and a commit); batched,
        a burst of newcomers costs one. A crash loses at most the last second of them, and only what the next
        message writes again. Deferred statements of different SQL must not depend on each other's order
        (those of one SQL keep theirs): each SQL is written as one ``executemany``.
        """
        self._deferred.append((dialect.sqlite(sql), params))
        if len(self._deferred) >= DEFER_BATCH:
            await self._settle()
        elif self._defer_timer is None:
            self._defer_timer = asyncio.get_running_loop().call_later(DEFER_SECONDS, self._flush_soon)

    def _flush_soon(self) -> None:
        self._defer_timer = None
        task = asyncio.get_running_loop().create_task(self.flush_deferred())
        self._flushing.add(task)  # held until done: the loop keeps only a weak reference
        task.add_done_callback(self._flushing.discard)

    async def flush_deferred(self) -> None:
        """Write the deferred statements now (after a batch already under way)."""
        while self._deferring is not None:
            await asyncio.shield(self._deferring)
        if self._defer_timer is not None:
            self._defer_timer.cancel()
            self._defer_timer = None
        if not self._deferred:
            return
        done = self._deferring = asyncio.get_running_loop().create_future()
        rows: list[tuple[str, Sequence[Any]]] = []
        try:
            async with self._write_lock:
                rows, self._deferred = self._deferred, []
                by_sql: dict[str, list[Sequence[Any]]] = {}
                for sql, params in rows:
                    by_sql.setdefault(sql, []).append(params)
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, group in by_sql.items():
                        await self.conn.executemany(sql, group)
                except BaseException:
                    await self.conn.rollback()
                    raise
                await self.conn.commit()
        except sqlite3.Error:
            # Not the next statement's failure: the rows are lost (logged), the statement goes on its own.
            log.exception("%d deferred write(s) lost", len(rows))
        except asyncio.CancelledError:
            self._deferred[:0] = rows  # rolled back or never begun: the next flush writes them
            if self._deferred and self._defer_timer is None:
                self._defer_timer = asyncio.get_running_loop().call_later(DEFER_SECONDS, self._flush_soon)
            raise
        finally:
            self._deferring = None
            done.set_result(None)

    async def _settle(self) -> None:
        """Deferred writes land before the statement that follows them. A read inside a transaction does
        not wait: the transaction holds the write lock, and what was deferred meanwhile comes after it."""
        if (self._deferred or self._deferring is not None) and (
            self._in_transaction is None or self._in_transaction is not asyncio.current_task()
        ):
            await self.flush_deferred()

    # -- statements ----------------------------------------------------------------------------------------
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Written:
        """One statement, committed. Writers take turns: on one shared connection a commit must never
        carry another task's half-done transaction with it."""
        await self._settle()
        async with self._write_lock:
            cur = await self.conn.execute(dialect.sqlite(sql), params)
            return Written(cur.rowcount, cur.lastrowid)

    async def execute_returning(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """One statement with RETURNING, committed; the first column of what it returned."""
        await self._settle()
        async with self._write_lock:
            async with self.conn.execute(dialect.sqlite(sql), params) as cur:
                row = await cur.fetchone()
            return row[0] if row is not None else None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Several statements that land together or not at all."""
        await self._settle()
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            self._in_transaction = asyncio.current_task()
            try:
                yield Tx(self.conn)
            except BaseException:
                await self.conn.rollback()
                raise
            finally:
                self._in_transaction = None
            await self.conn.commit()

    async def fetch_rows(
        self, sql: str, params: Sequence[Any], limit: int | None
    ) -> tuple[list[str], list[Any]]:
        await self._settle()
        async with self.conn.execute(dialect.sqlite(sql), params) as cur:
            names = [d[0] for d in cur.description]
            rows = await (cur.fetchall() if limit is None else cur.fetchmany(limit))
        return names, list(rows)

    # -- schema ----------------------------------------------------------------------------------------------
    async def schema_version(self) -> int:
        exists = await self.fetch_value(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        )
        if exists is None:
            return 0
        return int(await self.fetch_value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") or 0)

    async def migrate(self) -> list[int]:
        """Apply the migrations this file has not seen, each in its own transaction; return them."""
        await self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        current = await self.schema_version()
        applied = []
        for version, name, sql in _database.migrations():
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

    async def _check_writable(self) -> None:
        """A write that changes nothing: a read-only file fails here, not at the first report.

        Busy (another process is writing) proves the file writable: no need to wait for the lock.
        """
        await self.conn.execute("PRAGMA busy_timeout=100")
        try:
            await self.execute(
                "UPDATE schema_migrations SET name = name"
                " WHERE version = (SELECT MAX(version) FROM schema_migrations)"
            )
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreError(STORE_READ_ONLY.format(path=self.file, reason=exc)) from None
            await self.conn.rollback()
        finally:
            await self.conn.execute("PRAGMA busy_timeout=30000")

    @property
    def path(self) -> Path:
        return self.file

    # -- backup ----------------------------------------------------------------------------------------------
    async def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent copy through SQLite's online backup API, written beside ``dest`` then renamed."""
        await self.flush_deferred()
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


def _check_path(path: Path, create: bool) -> None:
    """Refuse what is not a database file: a folder, SQLite's side files, a missing file when not creating."""
    if not str(path).strip() or path.is_dir():
        raise StoreError(STORE_NOT_A_FILE.format(path=path))
    if path.name.endswith(_SIDE_FILES):
        raise StoreError(STORE_SIDE_FILE.format(path=path))
    if not create and not path.is_file():
        raise StoreError(STORE_MISSING.format(path=path))
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(STORE_NOT_SQLITE.format(path=path, reason="file is not a database"))
