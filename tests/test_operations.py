"""What an operator (or a careless one) does with `loa` on the server: files, bytes, locks, logs.

Each test runs `loa` as a separate process, the way it runs on a server.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from bot.answers import MAX_QUESTION_CHARS, TOO_LONG
from bot.cli import CLI_NO_PATH
from bot.content import default_content_dir
from tests.fake_telegram import FakeTelegram
from tests.helpers import loa, loa_command, loa_process

ALICE = 501


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("loa: "), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- files -----------------------------------------------------------------------------------------------
def test_the_database_its_side_files_and_backups_are_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "loa.db"
    env = {"LOA_DB": str(db)}
    conn = None
    try:
        assert loa("ask", "thu ngan sach 2023", env=env, cwd=tmp_path).returncode == 0
        conn = sqlite3.connect(db)  # keep the WAL files there while we look
        conn.execute("SELECT COUNT(*) FROM question_log").fetchone()
        for name in ("loa.db", "loa.db-wal", "loa.db-shm"):
            assert _mode(db.with_name(name)) == 0o600, name
        assert loa("db", "backup", str(tmp_path / "copy.db"), env=env, cwd=tmp_path).returncode == 0
        assert _mode(tmp_path / "copy.db") == 0o600
    finally:
        if conn is not None:
            conn.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["report", "export", "-o", "{dir}"], "là một thư mục"),
        (["db", "backup", "{dir}"], "là một thư mục"),
        (["db", "backup", ""], CLI_NO_PATH),
        (["report", "export", "--quarter", "9999Q4"], "9999"),
        (["report", "export", "--quarter", "0000Q1"], "Năm 0"),
        (["report", "stats", "--quarter", "2024Q9"], ""),
        (["report", "export", "-o", "/dev/full"], "Không ghi được /dev/full"),
        (["report", "export", "-o", "{dir}/no/such/folder/x.xlsx"], "Không có thư mục"),
    ],
)
def test_bad_targets_and_periods_are_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    env = {"LOA_DB": str(tmp_path / "loa.db")}
    result = loa(*[a.format(dir=tmp_path) for a in args], env=env, cwd=tmp_path)
    assert says in _one_line_error(result)


def test_a_device_is_written_to_never_replaced(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "loa.db")}
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    loa("report", "export", "-o", "/dev/full", env=env, cwd=tmp_path)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "/dev/full is still the device"
    assert loa("report", "export", "-o", "/dev/null", env=env, cwd=tmp_path).returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert loa("report", "export", "--format", "csv", "-o", str(fifo), env=env, cwd=tmp_path).returncode == 0
    assert reader.communicate(timeout=30)[0].decode("utf-8-sig").startswith("Số,Ngày")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_backing_up_something_that_is_not_the_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    assert loa("ask", "thu ngan sach", env={"LOA_DB": str(db)}, cwd=tmp_path).returncode == 0
    (tmp_path / "loa.db-wal").write_bytes(b"")
    side = _one_line_error(loa("db", "backup", "x.db", env={"LOA_DB": f"{db}-wal"}, cwd=tmp_path))
    assert "LOA_DB" in side and "tệp phụ" in side
    missing = _one_line_error(
        loa("db", "backup", "x.db", env={"LOA_DB": str(tmp_path / "none.db")}, cwd=tmp_path)
    )
    assert "Không có cơ sở dữ liệu" in missing and not (tmp_path / "none.db").exists()
    (tmp_path / "notes.txt").write_text("không phải cơ sở dữ liệu\n" * 10)
    other = _one_line_error(
        loa("db", "backup", "y.db", env={"LOA_DB": str(tmp_path / "notes.txt")}, cwd=tmp_path)
    )
    assert "không phải cơ sở dữ liệu SQLite" in other
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "y.db").exists()
    for value in (
        "mysql://u@h/db",
        "postgresql:",
        "sqlite:///x.db",
        "postgresql://u@h:port/db",
        "postgres://h",
    ):
        url = _one_line_error(loa("ask", "x", env={"LOA_DB": value}, cwd=tmp_path))
        assert "LOA_DB" in url and "postgresql://" in url, value
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loa.db", "loa.db-wal", "notes.txt"]
    # A PostgreSQL URL is taken; a server that is not there is one line, and the password never shows.
    down = _one_line_error(
        loa("ask", "x", env={"LOA_DB": "postgresql://u:hunter2@127.0.0.1:1/db"}, cwd=tmp_path)
    )
    assert "PostgreSQL postgresql://u:***@127.0.0.1:1/db" in down and "hunter2" not in down


# -- content and database that cannot serve ------------------------------------------------------------
def test_an_empty_units_file_fails_the_content_check_and_the_start(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    (content / "units.yaml").write_text("# emptied by mistake\n", encoding="utf-8")
    env = {"LOA_CONTENT_DIR": str(content), "LOA_DB": str(tmp_path / "loa.db")}
    check = loa("content", "check", "--json", env=env, cwd=tmp_path)
    report = json.loads(check.stdout)
    assert check.returncode == 1 and not report["ok"]
    assert [e["file"] for e in report["errors"]] == ["units.yaml"]
    start = loa("run", stdin="", env=env, cwd=tmp_path)
    assert start.returncode == 2 and "units.yaml" in start.stderr


def test_a_read_only_database_is_refused_at_the_start(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    env = {"LOA_DB": str(db)}
    assert loa("ask", "thu ngan sach", env=env, cwd=tmp_path).returncode == 0
    locked = subprocess.run(["chattr", "+i", str(db)], capture_output=True, text=True)
    assert locked.returncode == 0, f"this check makes the file immutable with chattr: {locked.stderr}"
    try:
        for args in (["ask", "thu ngan sach"], ["chat"], ["report", "stats"]):
            said = _one_line_error(loa(*args, stdin="xin chào\n", env=env, cwd=tmp_path))
            assert "chỉ đọc được" in said, args
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


# -- bytes that are not UTF-8, numbers that are not numbers ----------------------------------------------
def _loa_bytes(*args: str, stdin: bytes, db: Path) -> subprocess.CompletedProcess:
    """`loa ARGS` fed raw bytes on stdin (what a pipe can carry that a str cannot)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["LOA_DB"] = str(db)
    result = subprocess.run(
        [*loa_command(env), *args], input=stdin, capture_output=True, env=env, cwd=db.parent, timeout=60
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    return result


def test_bytes_that_are_not_utf8_are_questions_like_any_other(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    lines = b"thu ngan sach 2023\n\xff\xfe h\xe1i g\xec\nkl 64 ngay nao\n"
    for args in (["ask"], ["ask", "--json"]):
        out = _loa_bytes(*args, stdin=lines, db=db).stdout.decode("utf-8")
        assert "2.000 tỷ" in out and "Kết luận" in out, "the questions after the bad bytes are answered"
        if "--json" in args:
            queries = [json.loads(line)["query"] for line in out.splitlines()]
            assert len(queries) == 3 and "\ufffd" in queries[1]
    logged = sqlite3.connect(db).execute("SELECT COUNT(*) FROM question_log").fetchone()[0]
    assert logged == 6, "every question is in the log, the ones after the bad bytes too"


def test_chat_survives_odd_digits_and_bad_bytes(tmp_path: Path) -> None:
    typed = "²\n" + "9" * 4301 + "\n\udcff\n/chude\n1\n"
    out = _loa_bytes("chat", stdin=typed.encode("utf-8", "surrogateescape"), db=tmp_path / "loa.db").stdout
    out = out.decode("utf-8")
    assert TOO_LONG.format(length=4301, limit=MAX_QUESTION_CHARS) in out
    assert "Chủ đề «" in out, "after all that, '1' still picks the first topic shown"


# -- one `loa run` per database; logs without people's words or secrets ----------------------------------
def _env(fake: FakeTelegram, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {
            "LOA_TELEGRAM_TOKEN": fake.token,
            "LOA_TELEGRAM_API_URL": fake.base_url,
            "LOA_DB": str(tmp_path / "r.db"),
        }
    )
    env.update(extra)
    return env


async def test_a_second_loa_run_on_the_same_database_refuses_to_start(tmp_path: Path, fake) -> None:
    first = await loa_process("run", env=_env(fake, tmp_path), cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        second = await loa_process("run", env=_env(fake, tmp_path), cwd=tmp_path)
        _out, err = await asyncio.wait_for(second.communicate(), 60)
        assert second.returncode == 2
        line = err.decode()
        assert line.count("\n") == 1 and "loa run" in line and "Traceback" not in line
        await fake.send_text(ALICE, ALICE, "thu ngan sach 2023")
        await fake.wait_for(lambda: fake.sent(ALICE), timeout=20)
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), 30)
    assert first.returncode == 0
    assert stat.S_IMODE((tmp_path / "r.db.lock").stat().st_mode) == 0o600


async def test_verbose_logs_carry_no_user_text_and_no_random_webhook_secret(tmp_path: Path, fake) -> None:
    import aiohttp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = _env(
        fake,
        tmp_path,
        LOA_TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        LOA_TELEGRAM_WEBHOOK_PORT=str(port),
    )
    proc = await loa_process("-v", "run", env=env, cwd=tmp_path)
    marker = "Lò Văn Bímật hỏi thu ngân sách 2023"
    try:
        await fake.wait_for(lambda: fake.called("setWebhook"), timeout=30)
        secret = fake.called("setWebhook")[0]["secret_token"]
        update = {
            "update_id": 9,
            "message": {"message_id": 1, "date": 0, "chat": fake.chat(ALICE), "from": fake.user(ALICE),
                        "text": marker},
        }  # fmt: skip
        async with aiohttp.ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.post(
                        f"http://127.0.0.1:{port}/hook",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                    ) as response:
                        assert response.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.2)
        await fake.wait_for(lambda: fake.sent(ALICE), timeout=20)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    log = err.decode()
    assert proc.returncode == 0, log[-2000:]
    assert " DEBUG " in log, "-v logs at DEBUG"
    assert "2.000 tỷ" in fake.texts(ALICE)[0]
    for leak in (marker, "Bímật", "thu ngân sách", secret, fake.token, fake.token.split(":")[1]):
        assert leak not in log, leak
