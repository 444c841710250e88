"""Shared fixtures: an App on a temporary database with the repository's content."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import Settings, load_settings
from bot.content import Content, default_content_dir, load_content
from bot.matcher import KnowledgeBase
from bot.router import Router
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


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


async def loa_process(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`loa ARGS` as a separate process (the way an operator runs it), its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.fixture(scope="session")
def content() -> Content:
    loaded = load_content(default_content_dir())
    assert not loaded.errors, loaded.errors
    return loaded


@pytest.fixture(scope="session")
def kb(content: Content) -> KnowledgeBase:
    return KnowledgeBase(content)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env_file=None, db=tmp_path / "loa.db", admins="console:admin")


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
    application = await App.open(settings, clock=clock)
    yield application
    await application.close()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    fixed = datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    application = await App.open(settings, clock=lambda: fixed)
    yield application
    await application.close()


@pytest.fixture
def router(app: App) -> Router:
    return Router(app)


# -- the web console on 127.0.0.1 (tests/test_web*.py) -------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def console(tmp_path: Path, clock):
    """An App with the web console served by uvicorn on a free port; (app, base URL)."""
    import shutil

    import httpx

    from bot import web

    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    settings = load_settings(
        env_file=None, db=tmp_path / "w.db", content_dir=content, admins="console:admin", web_port=free_port()
    )
    app = await App.open(settings, clock=clock)
    stop = asyncio.Event()
    task = asyncio.create_task(web.serve(app, stop))
    base = f"http://127.0.0.1:{settings.web_port}"
    async with httpx.AsyncClient(base_url=base) as probe:
        for _ in range(100):
            try:
                await probe.get("/dang-nhap")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    yield app, base
    stop.set()
    await task
    await app.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """Where the console's screenshots went, when the browser tests ran."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.endswith("test_web_browser") and getattr(module, "TAKEN", False):
            terminalreporter.write_line(f"screenshots of the console: {module.SHOTS}")
            return
