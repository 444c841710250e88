"""Shared fixtures: an App on a temporary database with the repository's content."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import clock as clocks
from bot.app import App
from bot.channels import load_settings
from bot.config import Settings
from bot.content import Content, default_content_dir, load_content
from bot.matcher import KnowledgeBase
from bot.router import Router
from tests import pgserver
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.helpers import open_app, serve_console, stop_loa_zygote
from tests.pgserver import PgServer


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's LOA_* variables or .env file."""
    import os

    for name in list(os.environ):
        if name.startswith("LOA_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram Bot API server on 127.0.0.1."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def zfake() -> AsyncIterator[FakeZalo]:
    """A fake Zalo Bot API server on 127.0.0.1."""
    server = FakeZalo()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def content() -> Content:
    loaded = load_content(default_content_dir())
    assert not loaded.errors, loaded.errors
    return loaded


@pytest.fixture(scope="session")
def kb(content: Content) -> KnowledgeBase:
    return KnowledgeBase(content, clocks.Clock().today())


# -- both backends ------------------------------------------------------------------------------------
# A test module with ``BACKENDS = ("sqlite", "postgresql")`` runs its tests that use a database (the
# ``database`` fixture, or ``settings`` / ``app`` built on it) on both: SQLite in the test's folder, and a
# real PostgreSQL server this session starts (tests/pgserver.py), a fresh database per test. The PostgreSQL
# runs are skipped only where the server's binaries are missing — loudly — and never under CI.
REQUIRE_POSTGRES = bool(os.environ.get("CI"))
_databases = itertools.count()
_pg_missing: list[str] = []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = getattr(metafunc.module, "BACKENDS", ("sqlite",))
        if metafunc.definition.get_closest_marker("sqlite_only"):
            backends = ("sqlite",)
        if metafunc.definition.get_closest_marker("postgresql_only"):
            backends = ("postgresql",)
        metafunc.parametrize("backend", backends)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the session, with a template database already migrated."""
    if pgserver.binaries() is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found: the PostgreSQL runs are SKIPPED"
        if REQUIRE_POSTGRES:
            pytest.fail(reason + " — and CI never skips them", pytrace=False)
        _pg_missing.append(reason)
        pytest.skip(reason)
    server = PgServer().start()
    try:
        server.sql("CREATE DATABASE loa_template")
        asyncio.run(_migrate(server.url("loa_template")))
        yield server
    finally:
        server.stop()


async def _migrate(url: str) -> None:
    from bot.store import open_database

    await (await open_database(url)).close()


@pytest.fixture
def database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the test's data lives: a SQLite file, or a fresh PostgreSQL database (already migrated)."""
    if backend == "sqlite":
        return str(tmp_path / "loa.db")
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"test_{next(_databases)}"
    server.sql(f"CREATE DATABASE {name} TEMPLATE loa_template")
    return server.url(name)


@pytest.fixture
def settings(database: str) -> Settings:
    return load_settings(env_file=None, db=database, admins="console:admin")


class Clock:
    """A clock the test moves: ``clock.advance(hours=25)``."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))


@pytest.fixture
async def moving_app(settings: Settings, clock: Clock) -> AsyncIterator[App]:
    """An App whose clock the test moves."""
    application = await open_app(settings, clock=clock)
    yield application
    await application.close()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    fixed = datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    application = await open_app(settings, clock=lambda: fixed)
    yield application
    await application.close()


@pytest.fixture
def router(app: App) -> Router:
    return Router(app)


# -- the web console on 127.0.0.1 (tests/test_web*.py) -------------------------------------------------------
@pytest.fixture
async def console(tmp_path: Path, clock):
    """An App with the web console served by uvicorn on a free port; (app, base URL)."""
    async with serve_console(tmp_path, clock) as served:
        yield served


def pytest_sessionfinish(session: pytest.Session) -> None:
    stop_loa_zygote()


def pytest_terminal_summary(terminalreporter) -> None:
    """Where the console's screenshots went, when the browser tests ran; PostgreSQL runs skipped, loudly."""
    for reason in _pg_missing[:1]:
        terminalreporter.write_sep("!", reason, red=True, bold=True)
    for name, module in list(sys.modules.items()):
        if name.endswith("test_web_browser") and getattr(module, "TAKEN", False):
            terminalreporter.write_line(f"screenshots of the console: {module.SHOTS}")
            return
