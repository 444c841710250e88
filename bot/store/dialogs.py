"""Conversations under way: the active dialog per person and chat, drafts parked to resume, the numbered
choices last shown (messengers without buttons), and the updates already handled (messengers without ids)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.store.sql import Sql

Key = tuple[str, str, str]  # channel, chat id, user id
# Messengers repeat an update within minutes (a webhook retried): its id need not be kept longer than this.
HANDLED_KEEP = timedelta(days=2)


@dataclass(frozen=True)
class Offered:
    """The choices last shown to a person, numbered from 1 — (label key, button data) — and whether several
    may be picked at once («6 4»: the topics of a report)."""

    options: list[tuple[str, str]]
    several: bool = False


def _offered(stored: str) -> Offered:
    """Read back what :meth:`Dialogs.set_options` wrote: a list of pairs, or with ``several`` an object."""
    raw = json.loads(stored)
    several = isinstance(raw, dict) and bool(raw.get("several"))
    pairs = raw.get("options", []) if isinstance(raw, dict) else raw
    return Offered([(label, data) for label, data in pairs], several)


@dataclass
class DialogState:
    flow: str
    step: str
    data: dict[str, Any]
    updated_at: str = ""  # when the person last moved it on (UTC stamp); expiry counts from here


_WHERE = "WHERE channel = ? AND chat_id = ? AND user_id = ?"


class Dialogs:
    """On SQLite, which people have a dialog, a parked draft or choices is known in memory: most messages
    have none of them, and cost no read. On a shared database a dialog started on one worker goes on on
    another, so the database is asked every time."""

    def __init__(self, db: Sql):
        self.db = db
        self._active: set[Key] = set()
        self._parked: set[tuple[str, str, str, str]] = set()
        self._options: dict[Key, Offered] = {}

    async def load(self) -> None:
        if self.db.shared:
            return
        rows = await self.db.fetch_all("SELECT channel, chat_id, user_id FROM dialog_state")
        self._active = {(r["channel"], r["chat_id"], r["user_id"]) for r in rows}
        rows = await self.db.fetch_all("SELECT channel, chat_id, user_id, flow FROM parked_dialogs")
        self._parked = {(r["channel"], r["chat_id"], r["user_id"], r["flow"]) for r in rows}
        rows = await self.db.fetch_all("SELECT channel, chat_id, user_id, options FROM chat_options")
        self._options = {(r["channel"], r["chat_id"], r["user_id"]): _offered(r["options"]) for r in rows}

    # -- the active dialog ---------------------------------------------------------------------------------
    async def get(self, channel: str, chat_id: str, user_id: str) -> DialogState | None:
        if not self.db.shared and (channel, chat_id, user_id) not in self._active:
            return None
        row = await self.db.fetch_one(
            f"SELECT flow, step, data, updated_at FROM dialog_state {_WHERE}", (channel, chat_id, user_id)
        )
        if row is None:
            return None
        return DialogState(row["flow"], row["step"], json.loads(row["data"]), row["updated_at"])

    async def set(self, channel: str, chat_id: str, user_id: str, state: DialogState) -> None:
        await self.db.execute(
            "INSERT INTO dialog_state (channel, chat_id, user_id, flow, step, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET flow = excluded.flow,"
            " step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            _state_row(channel, chat_id, user_id, state, state.updated_at or self.db.clock.stamp()),
        )
        self._active.add((channel, chat_id, user_id))

    async def clear(self, channel: str, chat_id: str, user_id: str) -> None:
        await self.db.execute(f"DELETE FROM dialog_state {_WHERE}", (channel, chat_id, user_id))
        self._active.discard((channel, chat_id, user_id))

    # -- parked drafts -------------------------------------------------------------------------------------
    async def park(self, channel: str, chat_id: str, user_id: str, state: DialogState) -> None:
        """Put a draft aside (one per dialog kind), and clear the active dialog."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO parked_dialogs (channel, chat_id, user_id, flow, step, data, parked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, user_id, flow) DO UPDATE SET"
                " step = excluded.step, data = excluded.data, parked_at = excluded.parked_at",
                _state_row(channel, chat_id, user_id, state, self.db.clock.stamp()),
            )
            await tx.execute(f"DELETE FROM dialog_state {_WHERE}", (channel, chat_id, user_id))
        self._active.discard((channel, chat_id, user_id))
        self._parked.add((channel, chat_id, user_id, state.flow))

    async def unpark(self, channel: str, chat_id: str, user_id: str, flow: str) -> DialogState | None:
        """Take back a parked draft of ``flow`` (it is no longer parked), or None."""
        key = (channel, chat_id, user_id, flow)
        if not self.db.shared and key not in self._parked:
            return None
        where = f"{_WHERE} AND flow = ?"
        row = await self.db.fetch_one(f"SELECT step, data FROM parked_dialogs {where}", key)
        written = await self.db.execute(f"DELETE FROM parked_dialogs {where}", key) if row else None
        self._parked.discard(key)
        if row is None or written is None or written.rowcount != 1:  # taken meanwhile by another message
            return None
        return DialogState(flow, row["step"], json.loads(row["data"]))

    async def parked(self, channel: str, chat_id: str, user_id: str) -> list[str]:
        """The dialogs this person has a draft of put aside."""
        if self.db.shared:
            rows = await self.db.fetch_all(
                f"SELECT flow FROM parked_dialogs {_WHERE}", (channel, chat_id, user_id)
            )
            return sorted(r["flow"] for r in rows)
        return [k[3] for k in self._parked if k[:3] == (channel, chat_id, user_id)]

    # -- numbered choices and handled updates --------------------------------------------------------------
    async def options(self, channel: str, chat_id: str, user_id: str) -> list[tuple[str, str]]:
        """The choices last shown to this person in this chat, numbered from 1: (label key, button data)."""
        return (await self.offered(channel, chat_id, user_id)).options

    async def offered(self, channel: str, chat_id: str, user_id: str) -> Offered:
        """The choices last shown to this person in this chat, and whether several may be picked at once."""
        if self.db.shared:
            stored = await self.db.fetch_value(
                f"SELECT options FROM chat_options {_WHERE}", (channel, chat_id, user_id)
            )
            return _offered(stored) if stored else Offered([])
        return self._options.get((channel, chat_id, user_id), Offered([]))

    async def set_options(
        self, channel: str, chat_id: str, user_id: str, options: list[tuple[str, str]], several: bool = False
    ) -> None:
        """Remember the choices just shown (an empty list forgets the old ones)."""
        key = (channel, chat_id, user_id)
        offered = Offered(list(options), several and bool(options))
        if not self.db.shared and offered == self._options.get(key, Offered([])):
            return
        if options:
            # A plain list of pairs, as before there were choices to pick several of; an object only then.
            stored = {"several": True, "options": options} if offered.several else options
            await self.db.execute(
                "INSERT INTO chat_options (channel, chat_id, user_id, options, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET options = excluded.options,"
                " updated_at = excluded.updated_at",
                (*key, json.dumps(stored, ensure_ascii=False), self.db.clock.stamp()),
            )
            self._options[key] = offered
        else:
            await self.db.execute(f"DELETE FROM chat_options {_WHERE}", key)
            self._options.pop(key, None)

    async def claim_update(self, channel: str, update_key: str) -> bool:
        """True the first time an update is seen, False for a repeat (a webhook retried, a re-poll)."""
        written = await self.db.execute(
            "INSERT INTO handled_updates (channel, update_key, handled_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, update_key) DO NOTHING",
            (channel, update_key, self.db.clock.stamp()),
        )
        return written.rowcount == 1

    async def forget_handled(self, before: str) -> int:
        """Drop handled-update ids stamped before ``before`` (a messenger repeats within minutes)."""
        written = await self.db.execute("DELETE FROM handled_updates WHERE handled_at < ?", (before,))
        return written.rowcount


def _state_row(channel: str, chat_id: str, user_id: str, state: DialogState, stamp: str) -> tuple[str, ...]:
    data = json.dumps(state.data, ensure_ascii=False)
    return (channel, chat_id, user_id, state.flow, state.step, data, stamp)
