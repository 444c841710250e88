"""People and chats: who wrote (messenger id, display name; role, unit and confirmed name once registered),
and the chats Loa is in (private or group, subscribed or not, active or not, the unit a group is bound to)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass
class User:
    id: int
    channel: str
    external_id: str
    display_name: str = ""  # what the messenger shows
    full_name: str = ""  # what the person confirmed at registration
    role: str = "anyone"
    unit_code: str | None = None
    registered_at: str | None = None
    created_at: str = ""
    updated_at: str = ""
    digest: int = 1

    @property
    def name(self) -> str:
        """The confirmed name, or the messenger's for someone who never gave one."""
        return self.full_name or self.display_name


@dataclass
class Chat:
    id: int
    channel: str
    external_id: str
    chat_type: str = "private"
    title: str = ""
    unit_code: str | None = None
    subscribed: int = 0
    active: int = 1
    user_external_id: str | None = None  # a private chat's person
    unit_bound_by: str | None = None  # the officer who bound a group to its unit
    created_at: str = ""
    updated_at: str = ""
    audio: int = 0  # the talking points come with the bulletin's voice message too


@dataclass
class Subscriber(Chat):
    """A subscribed, active chat with what selects it for a broadcast."""

    user_role: str | None = None  # the person's role, for a private chat
    scope_unit: str | None = None  # the group's unit, or the person's


class People:
    """Users and chats. On SQLite (one process) what this process wrote about them is remembered, so the
    common message — a person in a chat already noted since the start — costs no I/O at all; on a shared
    database another worker may change them at any time, so nothing is remembered.

    Only registered people's units are read at the start: every user and chat would cost memory in
    proportion to everyone who ever wrote (7 MiB for 10,000), for the one upsert that changes nothing which
    each of them costs after a restart."""

    def __init__(self, db: Sql):
        self.db = db
        self._seen_users: dict[tuple[str, str], str] = {}
        self._units: dict[tuple[str, str], str] = {}  # registered people's units
        self._seen_chats: dict[tuple[str, str], tuple[str, str]] = {}

    async def load(self) -> None:
        if self.db.shared:
            return
        rows = await self.db.fetch_all(
            "SELECT channel, external_id, unit_code FROM users"
            " WHERE unit_code IS NOT NULL AND unit_code != ''"
        )
        self._units = {(r["channel"], r["external_id"]): r["unit_code"] for r in rows}

    async def note_contact(
        self, channel: str, user_id: str, display_name: str, chat_id: str, chat_type: str, title: str = ""
    ) -> None:
        """Create or refresh the sender (messenger id and display name only) and the chat of a message."""
        display_name, title = display_name[:128], title[:256]
        user_key, chat_key = (channel, user_id), (channel, chat_id)
        shared = self.db.shared
        new_user = shared or self._seen_users.get(user_key) != display_name
        new_chat = shared or self._seen_chats.get(chat_key) != (chat_type, title)
        if not (new_user or new_chat):
            return
        now = self.db.clock.stamp()
        statements: list[tuple[str, tuple[object, ...]]] = []
        if new_user:
            statements.append(
                (
                    "INSERT INTO users (channel, external_id, display_name) VALUES (?, ?, ?)"
                    " ON CONFLICT (channel, external_id) DO UPDATE SET display_name = excluded.display_name,"
                    " updated_at = ? WHERE users.display_name != excluded.display_name",
                    (channel, user_id, display_name, now),
                )
            )
        if new_chat:
            statements.append(
                (
                    "INSERT INTO chats (channel, external_id, chat_type, title, user_external_id)"
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (channel, external_id) DO UPDATE SET active = 1, title = excluded.title,"
                    " updated_at = ? WHERE chats.active = 0 OR chats.title != excluded.title",
                    (channel, chat_id, chat_type, title, user_id if chat_type == "private" else None, now),
                )
            )
        # Batched with other writes nobody waits for on SQLite (every later statement still sees them); on a
        # shared database each upsert stands alone (they need not land together).
        for sql, params in statements:
            await self.db.defer(sql, params)
        if not shared:
            self._seen_users[user_key] = display_name
            self._seen_chats[chat_key] = (chat_type, title)

    async def user(self, channel: str, external_id: str) -> User | None:
        return await self.db.fetch_one(
            "SELECT * FROM users WHERE channel = ? AND external_id = ?", (channel, external_id), User
        )

    async def set_role(
        self, channel: str, external_id: str, role: str, unit_code: str, full_name: str
    ) -> None:
        """Register a person: role, unit and the name they confirmed (the messenger's name is kept apart)."""
        now = self.db.clock.stamp()
        await self.db.execute(
            "INSERT INTO users (channel, external_id, full_name, role, unit_code, registered_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET role = excluded.role,"
            " unit_code = excluded.unit_code, full_name = excluded.full_name,"
            " registered_at = excluded.registered_at, updated_at = excluded.registered_at",
            (channel, external_id, full_name[:128], role, unit_code, now),
        )
        self._seen_users.pop((channel, external_id), None)
        self._units[(channel, external_id)] = unit_code

    async def unit_of(self, channel: str, external_id: str) -> str | None:
        """A registered person's unit; on SQLite from memory: asking a question costs no database read."""
        if self.db.shared:
            return await self.db.fetch_value(
                "SELECT unit_code FROM users WHERE channel = ? AND external_id = ?", (channel, external_id)
            )
        return self._units.get((channel, external_id))

    async def digest_readers(self) -> list[User]:
        """Officers with a scope who have not stopped the weekly digest."""
        return await self.db.fetch_all(
            "SELECT * FROM users WHERE role = 'officer' AND unit_code IS NOT NULL AND digest = 1 ORDER BY id",
            (),
            User,
        )

    async def set_digest(self, channel: str, external_id: str, on: bool) -> None:
        await self.db.execute(
            "UPDATE users SET digest = ? WHERE channel = ? AND external_id = ?",
            (int(on), channel, external_id),
        )

    async def private_chat_ids(self, user_ids: list[int]) -> list[int]:
        """The private chats (still active) of these people, for a message to each."""
        found: list[int] = []
        for at in range(0, len(user_ids), 500):
            chunk = user_ids[at : at + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self.db.fetch_all(
                "SELECT c.id FROM chats c JOIN users u ON u.channel = c.channel"
                " AND u.external_id = c.user_external_id"
                f" WHERE c.chat_type = 'private' AND c.active = 1 AND u.id IN ({marks})",
                chunk,
            )
            found += [int(r["id"]) for r in rows]
        return found

    async def officers(self) -> list[User]:
        """Officers with a scope (the officers a commune's news goes to are picked from them)."""
        return await self.db.fetch_all(
            "SELECT * FROM users WHERE role = 'officer' AND unit_code IS NOT NULL ORDER BY id", (), User
        )

    async def propagandists(self) -> list[User]:
        return await self.db.fetch_all(
            "SELECT * FROM users WHERE role = 'propagandist'"
            " ORDER BY COALESCE(NULLIF(full_name, ''), display_name)",
            (),
            User,
        )

    # -- chats ---------------------------------------------------------------------------------------------
    async def chat(self, channel: str, external_id: str) -> Chat | None:
        return await self.db.fetch_one(
            "SELECT * FROM chats WHERE channel = ? AND external_id = ?", (channel, external_id), Chat
        )

    async def private_chat_of(self, channel: str, user_external_id: str) -> str:
        """The id of a person's private chat with the bot (on Telegram and Zalo, the person's own id)."""
        found = await self.db.fetch_value(
            "SELECT external_id FROM chats WHERE channel = ? AND user_external_id = ?"
            " AND chat_type = 'private' ORDER BY id DESC LIMIT 1",
            (channel, user_external_id),
        )
        return str(found) if found is not None else user_external_id

    async def set_active(
        self, channel: str, external_id: str, active: bool, chat_type: str = "group", title: str = ""
    ) -> None:
        """Record that the bot was added to (active) or removed from / blocked in (inactive) a chat."""
        self._seen_chats.pop((channel, external_id), None)
        await self.db.execute(
            "INSERT INTO chats (channel, external_id, chat_type, title, active) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET active = excluded.active,"
            " title = CASE WHEN excluded.title != '' THEN excluded.title ELSE chats.title END,"
            " updated_at = ?",
            (channel, external_id, chat_type, title[:256], int(active), self.db.clock.stamp()),
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
        find = "SELECT id FROM chats WHERE channel = ? AND external_id = ?"
        async with self.db.transaction() as tx:
            old = await tx.fetch_one(find, (channel, old_id))
            if old is None:
                return
            fresh = await tx.fetch_one(find, (channel, new_id))
            if fresh is not None:
                # Deliveries of one broadcast to both ids are one delivery to one group: the old one stays.
                await tx.execute(
                    "DELETE FROM deliveries WHERE chat_id = ? AND broadcast_id IN"
                    " (SELECT broadcast_id FROM deliveries WHERE chat_id = ?)",
                    (fresh[0], old[0]),
                )
                await tx.execute("UPDATE deliveries SET chat_id = ? WHERE chat_id = ?", (old[0], fresh[0]))
                await tx.execute("DELETE FROM chats WHERE id = ?", (fresh[0],))
            await tx.execute(
                "UPDATE chats SET external_id = ?, chat_type = 'group', active = 1, updated_at = ?"
                " WHERE id = ?",
                (new_id, self.db.clock.stamp(), old[0]),
            )

    async def subscribers(self) -> list[Subscriber]:
        """Active, subscribed chats, with the role and unit of the person for private chats."""
        return await self.db.fetch_all(
            "SELECT c.*, u.role AS user_role, COALESCE(c.unit_code, u.unit_code) AS scope_unit"
            " FROM chats c LEFT JOIN users u ON c.chat_type = 'private' AND u.channel = c.channel"
            " AND u.external_id = c.user_external_id WHERE c.active = 1 AND c.subscribed = 1 ORDER BY c.id",
            (),
            Subscriber,
        )

    async def set_audio(self, channel: str, chat_id: str, on: bool) -> bool:
        """A subscribed chat takes the talking points with their audio (or not); False: not subscribed."""
        written = await self.db.execute(
            "UPDATE chats SET audio = ? WHERE channel = ? AND external_id = ? AND subscribed = 1",
            (int(on), channel, chat_id),
        )
        return written.rowcount > 0

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
        await self.db.execute(
            "INSERT INTO chats (channel, external_id, chat_type, subscribed, unit_code, unit_bound_by)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET subscribed = excluded.subscribed,"
            " unit_code = COALESCE(excluded.unit_code, chats.unit_code),"
            " unit_bound_by = COALESCE(excluded.unit_bound_by, chats.unit_bound_by), updated_at = ?",
            (
                channel,
                chat_id,
                chat_type,
                int(subscribed),
                unit_code,
                bound_by if unit_code else None,
                self.db.clock.stamp(),
            ),
        )
