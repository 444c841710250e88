"""The Database: SQLite (one file in WAL mode, one connection, one write lock) or PostgreSQL
(``bot/store/postgres.py``), with the same numbered migrations.

The aggregates (people and chats, reports, dialogs, questions, invites, audit, broadcasts) each live in
their own module and run their SQL only through the few methods here — ``execute``, ``fetch_*`` and
``transaction`` — never through a connection: this is the seam the other engine plugs into. They write one
SQL, SQLite's with ``?`` placeholders; what differs for PostgreSQL is translated in ``bot/store/dialect.py``.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import TypeVar

from bot.clock import Clock
from bot.errors import Unavailable
from bot.store.audit import Audit
from bot.store.broadcasts import Broadcasts
from bot.store.dialogs import Dialogs
from bot.store.inbox import Inbox
from bot.store.invites import Invites
from bot.store.people import People
from bot.store.questions import Questions
from bot.store.reports import Reports
from bot.store.sql import Sql
from bot.store.voices import Voices
from bot.store.web import Web

T = TypeVar("T")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Unavailable):
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


class Database(Sql):
    """Loa's database. ``await Database.open(path_or_url, clock)``; the aggregates are attributes."""

    def __init__(self, clock: Clock):
        super().__init__(clock)
        self.people = People(self)
        self.reports = Reports(self)
        self.dialogs = Dialogs(self)
        self.questions = Questions(self)
        self.inbox = Inbox(self, self.questions)
        self.invites = Invites(self)
        self.audit = Audit(self)
        self.broadcasts = Broadcasts(self)
        self.web = Web(self)
        self.voices = Voices(self)

    @property
    def path(self) -> str | Path:
        """Where the data is, as it may be shown: a file, or a URL without its password."""
        raise NotImplementedError

    async def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A consistent copy at ``dest`` (while Loa runs), written whole or not at all."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def migrate(self) -> list[int]:
        raise NotImplementedError

    async def schema_version(self) -> int:
        raise NotImplementedError
