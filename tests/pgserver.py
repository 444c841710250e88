"""A real PostgreSQL server for tests and benchmarks: initdb and pg_ctl into a temporary folder, on a free
port of 127.0.0.1, as the ``postgres`` user when run as root (the server refuses to run as root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import asyncpg

from bot.store.postgres import pg_tool

USER = "loa"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl (Debian keeps them off the PATH), or None when not installed."""
    initdb = pg_tool("initdb")
    folder = Path(initdb).resolve().parent if initdb else None
    return folder if folder is not None and (folder / "pg_ctl").exists() else None


async def leader_pid(url: str) -> int | None:
    """The `loa run` holding the scheduler's leader lock (its lock connection is named after its pid)."""
    conn = await asyncpg.connect(url)
    try:
        name = await conn.fetchval(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'loa-leader-%'"
        )
    finally:
        await conn.close()
    return int(name.rsplit("-", 1)[1]) if name else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """``start()``, ``url(name)``, ``create(name, template)``, ``stop()``."""

    def __init__(self, durable: bool = False, options: str = ""):
        bindir = binaries()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bin = bindir
        self.durable = durable
        self.options = options
        # In memory where there is a tmpfs: a test's databases are made and removed by the hundred (on a disk
        # mounted with discard, removing them took 12 s); a durable server stays on the disk.
        memory = Path("/dev/shm")
        in_memory = not durable and memory.is_dir() and os.access(memory, os.W_OK)
        self.root = Path(tempfile.mkdtemp(prefix="loa-pg-", dir=memory if in_memory else None))
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> PgServer:
        data = self.root / "data"
        self._run(
            "initdb", "-D", str(data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300"
        if not self.durable:  # a test's data need not survive a power cut
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options += f" {self.options}"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        self._run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url(database), "-c", statement)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
