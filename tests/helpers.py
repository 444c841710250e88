"""Helpers several test modules share: `loa` as a separate process, people registering and reporting through
the router, Loa on a fake Telegram, and the knowledge base of the repository's content built once.

Not a test module (nothing here is collected); fixtures stay in conftest.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from bot.app import App
from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.content import default_content_dir, load_content
from bot.core import Incoming, Reply
from bot.matcher import KnowledgeBase
from bot.router import Router
from handlers.register import issue_invite
from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


# -- the repository's content, built once --------------------------------------------------------------------
@cache
def shared_kb(today: date) -> KnowledgeBase:
    """The knowledge base of the repository's content folder as of ``today``, built once per session.

    Safe to share: nothing changes a built knowledge base (new content is a new one, swapped in), and the
    repository's folder is never written by a test (those that change content work on a copy).
    """
    content = load_content(default_content_dir())
    assert not content.errors, content.errors
    return KnowledgeBase(content, today=today)


async def open_app(settings: Settings, clock: Callable[[], datetime] | None = None) -> App:
    """``App.open``; on the repository's content folder, with its knowledge base built once a session."""
    if Path(settings.content_dir).resolve() != default_content_dir().resolve():
        return await App.open(settings, clock=clock)
    return await App.open(settings, clock=clock, kb=shared_kb(Clock(settings.zone, clock).today()))


# -- `loa` as a separate process -----------------------------------------------------------------------------
LOA = [sys.executable, "-m", "bot.cli"]


def loa(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    """`loa ARGS` run to its end in a separate process (LOA_* variables only from ``env``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update(env or {})
    command = [*LOA, *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60
    )


async def loa_process(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`loa ARGS` as a separate process (the way an operator runs it), its output piped."""
    return await asyncio.create_subprocess_exec(
        *LOA,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- people in a private chat, through the router ------------------------------------------------------------
class Person:
    """Someone typing and tapping in a private chat, the way a phone user does."""

    def __init__(self, router: Router, user: str, name: str = "Lò Văn A", chat_type: str = "private"):
        self.router, self.user, self.name, self.chat_type = router, user, name, chat_type
        self.last: list[Reply] = []

    async def say(self, text: str) -> str:
        self.last = await self.router.handle(
            Incoming(
                "telegram", "c" + self.user, self.user, self.chat_type, text=text, display_name=self.name
            )
        )
        return "\n".join(r.text for r in self.last)

    async def tap(self, label_part: str) -> str:
        buttons = [b for r in self.last for b in r.options()]
        matches = [b for b in buttons if label_part in b.label]
        assert matches, f"no button with {label_part!r} in {[b.label for b in buttons]}"
        self.last = await self.router.handle(
            Incoming(
                "telegram",
                "c" + self.user,
                self.user,
                self.chat_type,
                data=matches[0].data,
                display_name=self.name,
            )
        )
        return "\n".join(r.text for r in self.last)


async def register_person(
    app: App,
    router: Router,
    user: str,
    role: str = "propagandist",
    unit: str = "12-003",
    name: str = "Lò Văn A",
) -> Person:
    """Someone registered with a fresh invite of ``role`` for ``unit`` (12-003's propagandists in Nà Tăm)."""
    invite = await issue_invite(app, role, unit, 1, 30, "test")
    person = Person(router, user, name)
    await person.say(f"/dangky {invite['code']}")
    await person.tap("Đúng")
    if role == "propagandist" and unit == "12-003":
        await person.tap("Nà Tăm")
    return person


async def file_report(
    person: Person, form: str = "Họp thôn", people: str = "50", topic: str = "Lai Châu"
) -> str:
    """A report filed with taps only; the receipt."""
    await person.say("/baocao")
    await person.tap("Hôm qua")
    await person.tap(form)
    await person.tap("Nà Tăm")
    await person.tap(people)
    await person.tap(topic)
    await person.tap("Xong")
    await person.tap("Bỏ qua")
    return await person.tap("Gửi")


# -- Loa on a fake Telegram ----------------------------------------------------------------------------------
async def start_telegram(database: str, fake: FakeTelegram, **overrides):
    """The Telegram channel `loa run` runs, in this event loop, polling ``fake``."""
    from bot.channels import telegram

    settings = load_settings(
        env_file=None,
        db=database,
        telegram_token=fake.token,
        telegram_api_url=fake.base_url,
        **overrides,
    )
    app = await open_app(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(telegram.run(app, stop=stop, announce=lambda line: None))
    await fake.wait_polling()
    return SimpleNamespace(app=app, stop=stop, task=task)


async def finish_telegram(bot) -> None:
    bot.stop.set()
    await asyncio.wait_for(bot.task, 20)
    await bot.app.close()


async def telegram_replies(fake: FakeTelegram, chat_id: int, count: int = 1) -> list[dict]:
    """What Loa sent to ``chat_id``, once there are at least ``count`` messages."""
    await fake.wait_for(lambda: len(fake.sent(chat_id)) >= count)
    return fake.sent(chat_id)


def telegram_env(fake: FakeTelegram, tmp_path: Path, token: str | None = None) -> dict[str, str]:
    """The environment of a `loa run` on ``fake`` with its database in ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {
            "LOA_TELEGRAM_TOKEN": token or fake.token,
            "LOA_TELEGRAM_API_URL": fake.base_url,
            "LOA_DB": str(tmp_path / "run.db"),
        }
    )
    return env


# -- the web console -----------------------------------------------------------------------------------------
async def console_people(app: App) -> Router:
    """A propagandist with one report (p1), and officers of two communes (o1 of 12-003, o2 of 12-004)."""
    router = Router(app)
    reporter = await register_person(app, router, "p1")
    await reporter.say("/baocao 12/3 họp bản Nà Tăm 45 người KT-XH 2023")
    await reporter.tap("Gửi")
    await register_person(app, router, "o1", role="officer", unit="12-003")
    await register_person(app, router, "o2", role="officer", unit="12-004")
    return router
