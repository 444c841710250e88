"""PostgreSQL (asyncpg) for several workers sharing one database.

The same aggregates and migrations as SQLite, translated by ``bot/store/dialect.py``. A pool of connections;
a statement outside a transaction commits on its own. ``transaction()`` first takes one transaction-level
advisory lock, so that, as on SQLite (``BEGIN IMMEDIATE``), transactions that write run one at a time
across all workers: the aggregates' read-then-write transactions (an invite's last use, a report's
duplicate check) stay correct without each choosing an isolation level. Migrations run under a session
advisory lock, so workers started together upgrade the schema once. ``hold_lock`` keeps a session advisory
lock on a connection of its own, for the scheduler's leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from bot import texts
from bot.clock import Clock
from bot.store import database as _database
from bot.store import dialect
from bot.store.database import Database, StoreError
from bot.store.sql import Written

# -- what it says --------------------------------------------------------------------------------------------
STORE_NO_PG_DUMP = "Không tìm thấy pg_dump (gói postgresql-client) để sao lưu PostgreSQL"
STORE_PG_DUMP_FAILED = "pg_dump không sao lưu được: {reason}"
STORE_PG_CANNOT_OPEN = "Không kết nối được PostgreSQL {url}: {reason}"
STORE_PG_READ_ONLY = "PostgreSQL {url} chỉ cho đọc (máy dự phòng?); Loa cần ghi được vào cơ sở dữ liệu"

# Advisory lock keys (any bigint; these spell "LOA" and a purpose).
WRITE_LOCK = 0x4C4F41_0001
MIGRATE_LOCK = 0x4C4F41_0002
LEADER_LOCK = 0x4C4F41_0003
POOL_SIZE = 10


def redacted(url: str, mask: str = "***") -> str:
    """The URL without its password (``mask`` in its place; none with an empty mask), for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{parts.username or ''}{':' + mask if mask else ''}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def pg_tool(name: str) -> str | None:
    """A PostgreSQL client program: on the PATH, or Debian's newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if os.access(Path(folder, name), os.X_OK):
            return str(Path(folder, name))
    return None


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


async def _init(conn: asyncpg.Connection) -> None:
    # A SUM of integers is numeric in PostgreSQL (Decimal in Python); SQLite gives an int.
    await conn.set_type_codec(
        "numeric", encoder=str, decoder=dialect.numeric, schema="pg_catalog", format="text"
    )


#: Tables a bulk insert refreshes the statistics of; names are never taken from input.
_ANALYZED = frozenset({"deliveries", "chats"})


def _count(status: str) -> int:
    """Rows touched, from a command tag ("UPDATE 3", "INSERT 0 1"); 0 for other commands."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PgTx:
    """Statements inside one transaction (see :meth:`PgDatabase.transaction`)."""

    def __init__(self, db: PgDatabase, conn: asyncpg.Connection):
        self._db = db
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Written:
        return Written(_count(await self._db._call(self._conn, "execute", sql, params)))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        query = dialect.postgres(sql)
        rows = list(rows)
        if not rows:
            return
        types = await self._db._types(self._conn, query)
        await self._conn.executemany(query, [dialect.coerce(r, types) for r in rows])

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = await self._db._call(self._conn, "fetchrow", sql, params)
        return tuple(row) if row is not None else None


class PgDatabase(Database):
    """Loa's database on PostgreSQL."""

    shared = True
    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str, clock: Clock):
        super().__init__(clock)
        self.pool = pool
        self.url = url
        self._param_types: dict[str, tuple[str, ...]] = {}

    @property
    def path(self) -> str:
        return redacted(self.url)

    @classmethod
    async def connect(cls, url: str, clock: Clock, write: bool = True) -> PgDatabase:
        """Connect (a pool), upgrade the schema, check that it can be written (not a standby)."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=POOL_SIZE, init=_init, timeout=10, command_timeout=60
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError, ValueError) as exc:
            reason = _reason(exc)
            raise StoreError(STORE_PG_CANNOT_OPEN.format(url=redacted(url), reason=reason)) from None
        db = cls(pool, url, clock)
        try:
            if write and await db.fetch_value("SHOW transaction_read_only") == "on":
                raise StoreError(STORE_PG_READ_ONLY.format(url=redacted(url)))
            if write:
                await db.migrate()
        except asyncpg.PostgresError as exc:  # no rights on the schema, a broken migration …
            await pool.close()
            raise StoreError(STORE_PG_CANNOT_OPEN.format(url=redacted(url), reason=_reason(exc))) from None
        except BaseException:
            await pool.close()
            raise
        return db

    async def close(self) -> None:
        await self.questions.flush()
        await self.pool.close()

    # -- statements ----------------------------------------------------------------------------------------
    async def _types(self, conn: asyncpg.Connection, query: str) -> tuple[str, ...]:
        """The parameter types the server infers for ``query`` (asked once per statement and process)."""
        known = self._param_types.get(query)
        if known is None:
            statement = await conn.prepare(query)
            known = self._param_types[query] = tuple(t.name for t in statement.get_parameters())
        return known

    async def _call(self, conn: asyncpg.Connection, method: str, sql: str, params: Sequence[Any]) -> Any:
        query = dialect.postgres(sql)
        args = dialect.coerce(params, await self._types(conn, query)) if params else []
        return await getattr(conn, method)(query, *args)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Written:
        async with self.pool.acquire() as conn:
            return Written(_count(await self._call(conn, "execute", sql, params)))

    async def execute_returning(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self.pool.acquire() as conn:
            row = await self._call(conn, "fetchrow", sql, params)
        return row[0] if row is not None else None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgTx]:
        """Several statements that land together or not at all; one such transaction at a time."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            yield PgTx(self, conn)

    async def refresh_statistics(self, *tables: str) -> None:
        """ANALYZE ``tables`` now: autovacuum comes minutes later, and until then the planner takes a table
        filled moments ago for empty and loops over it (the first claims of a 5,000-chat broadcast took
        1–2.5 s each instead of 15 ms)."""
        unknown = set(tables) - _ANALYZED
        if unknown:
            raise ValueError(f"not a table to analyze: {sorted(unknown)}")
        async with self.pool.acquire() as conn:
            for table in tables:
                await conn.execute(f"ANALYZE {table}")

    async def fetch_rows(
        self, sql: str, params: Sequence[Any], limit: int | None
    ) -> tuple[list[str], list[Any]]:
        async with self.pool.acquire() as conn:
            if limit == 1:
                row = await self._call(conn, "fetchrow", sql, params)
                return (list(row.keys()), [tuple(row)]) if row is not None else ([], [])
            rows = await self._call(conn, "fetch", sql, params)
        if not rows:
            return [], []
        names = list(rows[0].keys())
        return names, [tuple(r) for r in (rows if limit is None else rows[:limit])]

    # -- schema ----------------------------------------------------------------------------------------------
    async def schema_version(self) -> int:
        exists = await self.fetch_value("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not exists:
            return 0
        return int(await self.fetch_value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") or 0)

    async def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen, each in its own transaction; return them."""
        applied = []
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATE_LOCK)
            try:
                await conn.execute(
                    dialect.postgres_schema(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                        " name TEXT NOT NULL,"
                        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
                    )
                )
                current = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                for version, name, sql in _database.migrations():
                    if version <= current:
                        continue
                    try:
                        async with conn.transaction():
                            await conn.execute(dialect.postgres_schema(sql))
                            await conn.execute(
                                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, name
                            )
                    except asyncpg.PostgresError as exc:
                        raise StoreError(
                            texts.STORE_MIGRATION_FAILED.format(version=version, reason=_reason(exc))
                        ) from None
                    applied.append(version)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATE_LOCK)
        return applied

    # -- backup ----------------------------------------------------------------------------------------------
    async def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent dump (pg_dump's custom format, for pg_restore), written beside ``dest`` then renamed.

        The password goes to pg_dump in its environment, never on its command line (which ``ps`` shows).
        """
        tool = pg_tool("pg_dump")
        if tool is None:
            raise StoreError(STORE_NO_PG_DUMP)
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".part")
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, 0o600))  # a copy is as private as the original
        parts = urlsplit(self.url)
        env = dict(os.environ)
        if parts.password is not None:
            env["PGPASSWORD"] = unquote(parts.password)
        proc = await asyncio.create_subprocess_exec(
            tool, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={redacted(self.url, '')}",
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await proc.communicate()
        if proc.returncode != 0:
            tmp.unlink(missing_ok=True)
            reason = err.decode("utf-8", "replace").strip().splitlines()
            raise StoreError(STORE_PG_DUMP_FAILED.format(reason=(reason or ["?"])[-1][:200]))
        os.replace(tmp, dest)
        return dest

    # -- the leader lock -----------------------------------------------------------------------------------
    async def try_lock(self, key: int = LEADER_LOCK) -> SessionLock | None:
        """A session advisory lock on a connection of its own (not the pool's), or None if another holds it.

        The server drops the lock when that connection ends: a worker killed, or its machine gone (keepalives
        find a dead peer within about 25 s).
        """
        conn = await asyncpg.connect(
            self.url,
            timeout=10,
            server_settings={
                "tcp_keepalives_idle": "10",
                "tcp_keepalives_interval": "5",
                "tcp_keepalives_count": "3",
                "application_name": f"loa-leader-{os.getpid()}",  # operators see which worker leads
            },
        )
        try:
            if await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
                return SessionLock(conn)
        except BaseException:
            await conn.close()
            raise
        await conn.close()
        return None


class SessionLock:
    """An advisory lock held by one connection; ``alive()`` checks the connection still holds it."""

    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def alive(self, timeout: float = 5.0) -> bool:
        try:
            return bool(await self.conn.fetchval("SELECT 1", timeout=timeout))
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            return False

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.conn.close(), 5)


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
