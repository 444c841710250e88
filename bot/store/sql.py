"""The SQL surface every aggregate writes through: statements, typed rows, one transaction at a time.

:class:`~bot.store.database.Database` is this with the aggregates on it (SQLite here, PostgreSQL in
``postgres.py``); an aggregate sees only this, so the modules of the store import in one direction.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from bot.clock import Clock

T = TypeVar("T")


@dataclass(frozen=True)
class Written:
    """What a write did: rows touched, and the id of a row inserted."""

    rowcount: int
    lastrowid: int | None = None


def as_row(kind: type[T], names: Sequence[str], values: Sequence[Any]) -> T:
    """A typed row from a database row; columns the type does not know (a newer schema's) are left out."""
    fields = _fields(kind)
    return kind(**{n: v for n, v in zip(names, values, strict=True) if n in fields})


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(kind: type) -> frozenset[str]:
    known = _FIELDS.get(kind)
    if known is None:
        known = _FIELDS[kind] = frozenset(f.name for f in dataclasses.fields(kind))
    return known


class Sql:
    """Statements and rows; what differs between SQLite and PostgreSQL is in the subclasses."""

    #: Several processes may share it (PostgreSQL): nothing is remembered per process, and the scheduler
    #: runs on the one worker holding the leader lock.
    shared = False
    dialect = "sqlite"

    def __init__(self, clock: Clock):
        self.clock = clock

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Written:
        raise NotImplementedError

    async def execute_returning(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Any]:
        raise NotImplementedError

    async def defer(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A write nobody waits for (a contact noted, an asker kept): here at once; SQLite batches it."""
        await self.execute(sql, params)

    async def refresh_statistics(self, *tables: str) -> None:
        """Tell the planner how many rows ``tables`` hold now, after a bulk insert; SQLite needs nothing."""

    async def fetch_rows(
        self, sql: str, params: Sequence[Any], limit: int | None
    ) -> tuple[list[str], list[Any]]:
        """Column names and rows (sequences of values); at most ``limit`` rows."""
        raise NotImplementedError

    @overload
    async def fetch_one(self, sql: str, params: Sequence[Any], kind: type[T]) -> T | None: ...
    @overload
    async def fetch_one(
        self, sql: str, params: Sequence[Any] = ..., kind: None = None
    ) -> dict[str, Any] | None: ...
    async def fetch_one(self, sql: str, params: Sequence[Any] = (), kind: type[Any] | None = None) -> Any:
        """The first row: typed as ``kind`` (a dataclass), or a dict."""
        names, rows = await self.fetch_rows(sql, params, 1)
        if not rows:
            return None
        return as_row(kind, names, rows[0]) if kind is not None else dict(zip(names, rows[0], strict=True))

    @overload
    async def fetch_all(self, sql: str, params: Sequence[Any], kind: type[T]) -> list[T]: ...
    @overload
    async def fetch_all(
        self, sql: str, params: Sequence[Any] = ..., kind: None = None
    ) -> list[dict[str, Any]]: ...
    async def fetch_all(
        self, sql: str, params: Sequence[Any] = (), kind: type[Any] | None = None
    ) -> list[Any]:
        """Every row: typed as ``kind`` (a dataclass), or dicts."""
        names, rows = await self.fetch_rows(sql, params, None)
        if kind is not None:
            return [as_row(kind, names, r) for r in rows]
        return [dict(zip(names, r, strict=True)) for r in rows]

    async def fetch_value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        _, rows = await self.fetch_rows(sql, params, 1)
        return rows[0][0] if rows else None
