"""`loa db copy --to postgresql://…`: a province's SQLite data moved into an empty PostgreSQL database.

Every table (parents before the tables that refer to them), ids kept, in one PostgreSQL transaction with
COPY; the identity counters moved past the copied ids; the row counts of both sides compared before the
commit, so the target holds either all of it, counted, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import LoaError
from bot.store import dialect
from bot.store.postgres import PgDatabase
from bot.store.sqlite import SqliteDatabase

CHUNK = 5000
# Tables whose rows show the target is in use: a copy goes only into an empty database.
_IN_USE = ("users", "chats", "reports", "broadcasts", "question_log")


class CopyError(LoaError):
    """The copy cannot be made or did not verify; nothing was written. The message is one line."""


@dataclass
class Copied:
    table: str
    source: int
    target: int


async def tables(source: SqliteDatabase) -> list[str]:
    """The source's tables, each after the tables its foreign keys point to."""
    names = [
        r["name"]
        for r in await source.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name"
        )
    ]
    parents = {
        n: {r["table"] for r in await source.fetch_all(f'PRAGMA foreign_key_list("{n}")')} for n in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] - {n} <= set(ordered)]
        if not ready:
            raise CopyError("foreign keys form a cycle")
        ordered += ready
    return ordered


async def copy(
    source: SqliteDatabase, target: PgDatabase, progress: Callable[[str, int], None] | None = None
) -> list[Copied]:
    """Copy every table; return the counts of both sides (equal, or CopyError and nothing written)."""
    if await source.schema_version() != await target.schema_version():
        raise CopyError("schema versions differ")
    for name in _IN_USE:
        if await target.fetch_value(f"SELECT COUNT(*) FROM {name}"):
            raise CopyError(f"the target database is not empty ({name})")
    order = await tables(source)
    result: list[Copied] = []
    async with target.pool.acquire() as conn, conn.transaction():
        for name in order:
            columns = await conn.fetch(
                "SELECT column_name, udt_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                name,
            )
            kinds = {c["column_name"]: c["udt_name"] for c in columns}
            async with source.conn.execute(f'SELECT * FROM "{name}"') as cur:
                names = [d[0] for d in cur.description if d[0] in kinds]
                types = [kinds[n] for n in names]
                index = [i for i, d in enumerate(cur.description) if d[0] in kinds]
                while rows := await cur.fetchmany(CHUNK):
                    records = [tuple(dialect.coerce([r[i] for i in index], types)) for r in rows]
                    await conn.copy_records_to_table(name, records=records, columns=names)
                    if progress is not None:
                        progress(name, len(records))
            if kinds.get("id") == "int8":
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1),"
                    f" MAX(id) IS NOT NULL) FROM {name}"
                )
            copied = Copied(
                name,
                int(await source.fetch_value(f'SELECT COUNT(*) FROM "{name}"') or 0),
                int(await conn.fetchval(f"SELECT COUNT(*) FROM {name}") or 0),
            )
            if copied.source != copied.target:
                raise CopyError(f"{name}: {copied.source} rows in the source, {copied.target} copied")
            result.append(copied)
    return result
