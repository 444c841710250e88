"""The store: one :class:`Database` (the connection, its write lock, the migrations) and one module per
aggregate — people and chats, reports, dialogs and choices, the question log, invites, the audit log,
broadcasts and deliveries — each with typed rows. :func:`open_database` opens SQLite (``sqlite.py``) or
PostgreSQL (``postgres.py``, loaded only for a postgresql:// URL)."""

from __future__ import annotations

import os
from pathlib import Path

from bot.clock import Clock, utc_stamp
from bot.config import is_postgres_url
from bot.store.database import Database, StoreError, migrations
from bot.store.dialogs import DialogState
from bot.store.sql import Written

__all__ = [
    "Database",
    "DialogState",
    "StoreError",
    "Written",
    "migrations",
    "open_database",
    "utc_stamp",
]


async def open_database(
    target: str | os.PathLike[str], clock: Clock | None = None, create: bool = True, write: bool = True
) -> Database:
    """Open (and with ``create``, create) the database — a SQLite path or a postgresql:// URL; one Loa
    cannot write is refused here, at the start, unless ``write`` is False (a backup only reads)."""
    if is_postgres_url(target):
        from bot.store.postgres import PgDatabase

        return await PgDatabase.connect(str(target), clock or Clock(), write=write)
    from bot.store.sqlite import SqliteDatabase

    return await SqliteDatabase.connect(Path(target), clock or Clock(), create, write)
