"""Beyond one machine: a province's SQLite data copied into PostgreSQL, PostgreSQL backed up and migrated from
the command line, and several `loa run` workers sharing one PostgreSQL with one scheduler leader."""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import asyncpg

from bot.channels import load_settings
from bot.router import Router
from bot.serve import LEADER_POLL_SECONDS
from bot.store import migrations
from tests.fake_telegram import FakeTelegram
from tests.helpers import file_report, free_port, loa_command, loa_process, open_app, register_person
from tests.pgserver import leader_pid

BACKENDS = ("postgresql",)


def _loa(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    return subprocess.run(
        [*loa_command({**base, **env}), *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _province(path: Path) -> list[tuple]:
    """A SQLite province with two registered propagandists, their reports and a question; its report rows."""
    app = await open_app(load_settings(env_file=None, db=path, admins="console:admin"))
    try:
        router = Router(app)
        for user, name in (("701", "Lò Văn A"), ("702", "Tòng Thị B")):
            person = await register_person(app, router, user, name=name)
            await file_report(person)
            await person.say("đại hội đảng bộ tỉnh lần thứ mấy")
        rows = await app.db.fetch_all(
            "SELECT id, user_id, unit_code, attendees, topics FROM reports ORDER BY id"
        )
        return [tuple(r.values()) for r in rows]
    finally:
        await app.close()


async def test_a_province_moves_to_postgresql_verified_by_counts(tmp_path: Path, database: str) -> None:
    source = tmp_path / "prov.db"
    reports = await _province(source)
    assert len(reports) == 2
    done = _loa("db", "copy", "--to", database, env={"LOA_DB": str(source)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = dict(line.strip().split(": ") for line in done.stdout.splitlines() if line.startswith("  "))
    assert lines["reports"] == "2 → 2" and lines["users"] == "2 → 2" and "khớp" in done.stdout
    assert all(a == b for a, b in (v.split(" → ") for v in lines.values()))
    # Loa on PostgreSQL sees the same reports, and new rows get new ids (the counters moved past the copy).
    app = await open_app(load_settings(env_file=None, db=database, admins="console:admin"))
    try:
        rows = await app.db.fetch_all(
            "SELECT id, user_id, unit_code, attendees, topics FROM reports ORDER BY id"
        )
        assert [tuple(r.values()) for r in rows] == reports
        router = Router(app)
        third = await register_person(app, router, "703", name="Lường Văn C")
        await file_report(third)
        assert await app.db.fetch_value("SELECT COUNT(DISTINCT id) FROM reports") == 3
    finally:
        await app.close()
    again = _loa("db", "copy", "--to", database, env={"LOA_DB": str(source)}, cwd=tmp_path)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "không trống" not in again.stdout
    assert "chưa ghi gì" in again.stderr and "Traceback" not in again.stderr


async def test_backup_and_migrate_on_postgresql(tmp_path: Path, database: str) -> None:
    env = {"LOA_DB": database}
    migrated = _loa("db", "migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0 and f"phiên bản {len(migrations())}" in migrated.stdout
    app = await open_app(load_settings(env_file=None, db=database))
    await app.db.people.note_contact("telegram", "5", "A", "5", "private")
    await app.close()
    dump = tmp_path / "loa.dump"
    done = _loa("db", "backup", str(dump), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert dump.read_bytes()[:5] == b"PGDMP" and stat.S_IMODE(dump.stat().st_mode) == 0o600
    from bot.store.postgres import pg_tool

    listing = subprocess.run([pg_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True)
    assert "TABLE DATA public users" in listing.stdout
    # Restored into an empty database, the data is there.
    conn = await asyncpg.connect(database)
    try:
        await conn.execute("CREATE DATABASE restored")
    finally:
        await conn.close()
    restored = database.rsplit("/", 1)[0] + "/restored"
    subprocess.run([pg_tool("pg_restore"), "--no-owner", "-d", restored, str(dump)], check=True)
    conn = await asyncpg.connect(restored)
    try:
        assert await conn.fetchval("SELECT display_name FROM users") == "A"
    finally:
        await conn.close()


# -- several workers ---------------------------------------------------------------------------------------
async def _wait(predicate, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if await predicate():
            return time.monotonic() - start
        await asyncio.sleep(0.2)
    raise TimeoutError


async def test_one_leader_among_workers_and_a_standby_takes_over_after_kill_9(
    tmp_path: Path, database: str, fake: FakeTelegram
) -> None:
    app = await open_app(load_settings(env_file=None, db=database))
    for chat in (901, 902):
        fake.chat(chat)
        await app.db.people.set_subscribed("telegram", str(chat), True)
    await app.close()
    base = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env = {
        **base,
        "LOA_DB": database,
        "LOA_TELEGRAM_TOKEN": fake.token,
        "LOA_TELEGRAM_API_URL": fake.base_url,
        "LOA_TELEGRAM_WEBHOOK_URL": "http://127.0.0.1:1/hook",
        "LOA_TELEGRAM_WEBHOOK_SECRET": "shared-Secret-1",
    }
    workers = []
    for _ in range(2):
        port = str(free_port())
        # Fresh interpreters: the leader is known by its pid, and one of them is killed with SIGKILL.
        worker_env = {**env, "LOA_TELEGRAM_WEBHOOK_PORT": port}
        workers.append(await loa_process("run", env=worker_env, cwd=tmp_path, fresh=True))
    try:
        await _wait(lambda: _has_leader(database), 30)
        leader = await leader_pid(database)
        assert leader in {w.pid for w in workers}
        await asyncio.sleep(LEADER_POLL_SECONDS + 1)
        assert await leader_pid(database) == leader, "one leader; the standby does not take the lock"
        standby = next(w for w in workers if w.pid != leader)
        os.kill(leader, signal.SIGKILL)
        took = await _wait(lambda: _took_over(database, standby.pid), 30)
        assert took < 30
        cli = await loa_process("broadcast", "send", "--text", "Tin sau khi đổi máy", env=env, cwd=tmp_path)
        await cli.communicate()
        await fake.wait_delivered(901, 1, timeout=30)  # the new leader's engine sends it
        await fake.wait_delivered(902, 1, timeout=30)
        assert fake.texts(901) == fake.texts(902) == ["Tin sau khi đổi máy"]
    finally:
        for w in workers:
            if w.returncode is None:
                w.send_signal(signal.SIGTERM)
        for w in workers:
            await asyncio.wait_for(w.communicate(), 30)
    survivor = next(w for w in workers if w.pid != leader)
    assert survivor.returncode == 0


async def _has_leader(database: str) -> bool:
    return await leader_pid(database) is not None


async def _took_over(database: str, pid: int) -> bool:
    return await leader_pid(database) == pid
