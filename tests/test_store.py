import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.store import DialogState, StoreError, migrations, open_database

BACKENDS = ("sqlite", "postgresql")


async def _scalar(database: str, sql: str) -> object:
    """A value read by a connection of its own (another process's view), outside Loa's store."""
    if database.startswith("postgresql://"):
        conn = await asyncpg.connect(database)
        try:
            return await conn.fetchval(sql)
        finally:
            await conn.close()
    with sqlite3.connect(database) as conn:
        return conn.execute(sql).fetchone()[0]


TABLES = {
    "users",
    "chats",
    "reports",
    "dialog_state",
    "broadcasts",
    "deliveries",
    "question_log",
    "invites",
    "audit",
    "schema_migrations",
    "parked_dialogs",
    "invite_uses",
}


@pytest.mark.sqlite_only
async def test_migrations_create_the_schema_in_wal_mode(tmp_path: Path) -> None:
    store = await open_database(tmp_path / "a.db")
    try:
        async with store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'") as cur:
            names = {row[0] async for row in cur}
        assert names >= TABLES
        async with store.conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        assert await store.schema_version() == len(migrations())
    finally:
        await store.close()


async def test_migrations_create_the_same_tables_on_both(database: str) -> None:
    store = await open_database(database)
    try:
        if store.dialect == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        names = {r["name"] for r in await store.fetch_all(sql)}
        assert names >= TABLES | {"inbox_groups", "web_sessions"}
        assert await store.schema_version() == len(migrations())
    finally:
        await store.close()


async def test_reopening_applies_nothing_twice(database: str) -> None:
    first = await open_database(database)
    await first.questions.log("console", "q", "q", "none", None, 0.0)
    await first.close()
    again = await open_database(database)
    try:
        assert await again.migrate() == []
        assert await again.questions.counts() == {"none": 1}
    finally:
        await again.close()


async def test_a_new_migration_upgrades_an_existing_store_and_keeps_data(database: str, monkeypatch) -> None:
    store = await open_database(database)
    await store.people.note_contact("telegram", "42", "Lò Văn A", "42", "private")
    await store.close()
    shipped = migrations()
    extra = (len(shipped) + 1, "0099_note.sql", "ALTER TABLE users ADD COLUMN note TEXT NOT NULL DEFAULT '';")
    monkeypatch.setattr("bot.store.database.migrations", lambda: [*shipped, extra])
    reopened = await open_database(database)
    try:
        assert await reopened.schema_version() == extra[0]
        rows = await reopened.fetch_all("SELECT display_name, note FROM users")
        assert rows == [{"display_name": "Lò Văn A", "note": ""}]
    finally:
        await reopened.close()


async def test_a_failing_migration_changes_nothing(database: str, monkeypatch) -> None:
    await (await open_database(database)).close()
    shipped = migrations()
    sql = "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;"
    broken = (len(shipped) + 1, "0099_broken.sql", sql)
    monkeypatch.setattr("bot.store.database.migrations", lambda: [*shipped, broken])
    with pytest.raises(StoreError, match=str(broken[0])):
        await open_database(database)
    assert await _scalar(database, "SELECT MAX(version) FROM schema_migrations") == len(shipped)
    with pytest.raises((sqlite3.OperationalError, asyncpg.UndefinedTableError)):
        await _scalar(database, "SELECT COUNT(*) FROM half")


async def test_dialog_state_round_trips_and_clears(database: str) -> None:
    store = await open_database(database)
    try:
        state = DialogState(
            "report", "attendees", {"form": "họp bản", "topics": ["tinh-lai-chau"]}, "2024-03-15T02:00:00Z"
        )
        await store.dialogs.set("zalo", "c1", "u1", state)
        assert await store.dialogs.get("zalo", "c1", "u1") == state
        await store.dialogs.clear("zalo", "c1", "u1")
        assert await store.dialogs.get("zalo", "c1", "u1") is None
    finally:
        await store.close()


async def test_a_file_that_is_not_sqlite_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        await open_database(path)


@pytest.mark.sqlite_only
async def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    live = await open_database(tmp_path / "live.db")
    try:
        for i in range(50):
            await live.questions.log("telegram", f"câu {i}", f"cau {i}", "answer", "x", 0.9)
        await live.questions.flush()
        # An open write transaction on the live file must not leak into the copy.
        await live.conn.execute("BEGIN")
        await live.conn.execute(
            "INSERT INTO question_log (channel, question, normalized, status)"
            " VALUES ('t', 'half', 'half', 'none')"
        )
        reader = await open_database(tmp_path / "live.db")
        try:
            dest = await reader.backup(tmp_path / "copy.db")
        finally:
            await reader.close()
        await live.conn.rollback()
    finally:
        await live.close()
    with sqlite3.connect(dest) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM question_log").fetchone()[0] == 50
    assert not (tmp_path / "copy.db.part").exists()


async def test_note_contact_writes_new_and_changed_only_and_reactivates_a_chat(database: str) -> None:
    store = await open_database(database)
    try:
        await store.people.note_contact("telegram", "1", "Lò Văn A", "1", "private")
        await store.people.note_contact("telegram", "1", "Lò Văn A", "1", "private")
        await store.people.note_contact("telegram", "1", "Lò Thị A", "-5", "group", "Bản Nà Tăm")
        assert await store.fetch_all("SELECT display_name FROM users") == [{"display_name": "Lò Thị A"}]
        await store.people.set_active("telegram", "1", False)
        assert (await store.people.chat("telegram", "1")).active == 0
        await store.people.note_contact("telegram", "1", "Lò Thị A", "1", "private")  # wrote again: unblocked
        assert (await store.people.chat("telegram", "1")).active == 1
        assert (await store.people.chat("telegram", "-5")).title == "Bản Nà Tăm"
    finally:
        await store.close()


async def test_migrating_a_group_keeps_its_record(database: str) -> None:
    store = await open_database(database)
    try:
        await store.people.note_contact("telegram", "7", "A", "-5", "group", "Xã X")
        await store.execute("UPDATE chats SET subscribed = 1, unit_code = 'U1' WHERE external_id = '-5'")
        await store.people.note_contact(
            "telegram", "7", "A", "-1005", "group", "Xã X"
        )  # supergroup spoke first
        await store.people.migrate_chat("telegram", "-5", "-1005")
        moved = await store.people.chat("telegram", "-1005")
        assert (moved.subscribed, moved.unit_code) == (1, "U1")
        assert await store.people.chat("telegram", "-5") is None
    finally:
        await store.close()


async def test_question_log_is_written_within_a_second_and_on_close(database: str) -> None:
    import asyncio

    store = await open_database(database)
    await store.questions.log("zalo", "câu 1", "cau 1", "none", None, 0.1)
    await asyncio.sleep(1.3)
    assert await _scalar(database, "SELECT COUNT(*) FROM question_log") == 1
    await store.questions.log("zalo", "câu 2", "cau 2", "none", None, 0.1)
    await store.close()
    assert await _scalar(database, "SELECT COUNT(*) FROM question_log") == 2
