"""Helpers several test modules share: `loa` as a separate process, people registering and reporting through
the router, Loa on a fake Telegram, and the knowledge base of the repository's content built once.

Not a test module (nothing here is collected); fixtures stay in conftest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from bot.app import App
from bot.channels import load_settings
from bot.clock import Clock
from bot.config import Settings
from bot.content import default_content_dir, load_content
from bot.core import Incoming, Reply
from bot.invites import issue_invite
from bot.matcher import KnowledgeBase
from bot.router import Router
from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parent.parent
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
# A fresh interpreter: for the tests that kill `loa` with SIGKILL or need its pid.
LOA = [sys.executable, "-m", "bot.cli"]
_zygote: list[tuple[subprocess.Popen, Path]] = []


def loa_command(env: dict[str, str] | None = None) -> list[str]:
    """The command of a `loa` process: a separate process forked from one with the imports done.

    See tests/loa_zygote.py; a run costs a few milliseconds to start instead of a second of imports. With
    ``TESTS_FRESH_LOA=1`` in the environment every run is a fresh ``python -m bot.cli`` (``LOA``), and so is
    a run whose ``env`` sets the interpreter up otherwise (a PYTHON* variable of its own).
    """
    if os.environ.get("TESTS_FRESH_LOA") == "1":
        return LOA
    if env is not None and any(
        env.get(name) != os.environ.get(name) for name in {*env, *os.environ} if name.startswith("PYTHON")
    ):
        return LOA
    if not _zygote:
        folder = Path(tempfile.mkdtemp(prefix="loa-zygote-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        with (folder / "log").open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "tests.loa_zygote", str(folder / "socket")],
                cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
            )  # fmt: skip
        assert server.stdout is not None
        ready = server.stdout.readline()
        assert ready == b"ready\n", (folder / "log").read_text(errors="replace")
        _zygote.append((server, folder))
    shim = Path(__file__).parent / "loa_shim.py"
    return [sys.executable, "-I", "-S", str(shim), str(_zygote[0][1] / "socket")]


class LoaChild:
    """`loa ARGS` forked by the fork server with no stand-in between: ``pid`` is the process that runs `loa`.

    For a test that kills `loa` with SIGKILL (a stand-in would die, not `loa`): ``send_signal`` reaches `loa`
    itself, and ``wait`` returns once it has ended and been reaped. Its standard streams are pipes
    (``stdin``, ``stdout``, ``stderr``, as text) or, ``quiet``, /dev/null.
    """

    def __init__(self, *args: str, env: dict[str, str], cwd: Path | None = None, quiet: bool = False):
        import pickle
        import struct

        loa_command()  # the fork server is running
        self.returncode: int | None = None
        self._conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._conn.connect(str(_zygote[0][1] / "socket"))
        if quiet:
            theirs = [os.open(os.devnull, os.O_RDWR) for _ in range(3)]
            ours: list[int] = []
        else:
            pipes = [os.pipe() for _ in range(3)]  # stdin: they read; stdout, stderr: they write
            theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
            ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        request = {"args": list(args), "cwd": str(cwd or os.getcwd()), "env": {
            os.fsencode(k): os.fsencode(v) for k, v in env.items()
        }}  # fmt: skip
        payload = pickle.dumps(request)
        socket.send_fds(self._conn, [b"r"], theirs)
        self._conn.sendall(struct.pack("!I", len(payload)) + payload)
        for fd in theirs:
            os.close(fd)
        (self.pid,) = struct.unpack("!i", self._recv(4))
        self.stdin = self.stdout = self.stderr = None
        if ours:
            self.stdin = open(ours[0], "w", encoding="utf-8")  # noqa: SIM115 (closed in wait)
            self.stdout = open(ours[1], encoding="utf-8")  # noqa: SIM115
            self.stderr = open(ours[2], encoding="utf-8")  # noqa: SIM115

    def _recv(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self._conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the fork server went away")
            data += chunk
        return data

    def send_signal(self, signum: int) -> None:
        """As ``Popen.send_signal``: nothing if it has ended already."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def wait(self, timeout: float | None = None) -> int:
        import struct

        if self.returncode is None:
            self._conn.settimeout(timeout)
            (self.returncode,) = struct.unpack("!i", self._recv(4))
            self._conn.close()
            for stream in (self.stdin, self.stdout, self.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        return self.returncode


def spawn_loa(*args: str, env: dict[str, str], cwd: Path | None = None, quiet: bool = False):
    """`loa ARGS` started, not waited for, to be killed with SIGKILL: a :class:`LoaChild`, or with
    ``TESTS_FRESH_LOA=1`` a ``subprocess.Popen`` of a fresh interpreter (the same ``pid``, ``stdin``,
    ``stdout``, ``send_signal`` and ``wait``)."""
    if loa_command(env) is LOA:
        out = subprocess.DEVNULL if quiet else subprocess.PIPE
        encoding = None if quiet else "utf-8"
        return subprocess.Popen(
            [*LOA, *args], env=env, cwd=cwd, stdin=out, stdout=out, stderr=out, encoding=encoding
        )
    return LoaChild(*args, env=env, cwd=cwd, quiet=quiet)


def stop_loa_zygote() -> None:
    """At the end of the session: the fork server stops and its folder goes."""
    while _zygote:
        server, folder = _zygote.pop()
        server.terminate()
        server.wait(30)
        assert server.stdout is not None
        server.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


def loa(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    """`loa ARGS` run to its end in a separate process (LOA_* variables only from ``env``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update(env or {})
    command = [*loa_command(full_env), *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60
    )


async def loa_process(
    *args: str, env: dict[str, str], cwd: Path, fresh: bool = False
) -> asyncio.subprocess.Process:
    """`loa ARGS` as a separate process (the way an operator runs it), its output piped; ``fresh``: a new
    interpreter whose pid is the one `loa` reports (``LOA``)."""
    return await asyncio.create_subprocess_exec(
        *(LOA if fresh else loa_command(env)),
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
    await person.tap("Không có")
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
@contextlib.asynccontextmanager
async def serve_console(tmp_path: Path, clock: Callable[[], datetime]) -> AsyncIterator[tuple[App, str]]:
    """An App on a copy of the content with the web console served by uvicorn on a free port; (app, base
    URL). The ``console`` fixture."""
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
    try:
        yield app, base
    finally:
        stop.set()
        await task
        await app.close()


async def console_people(app: App) -> Router:
    """A propagandist with one report (p1), and officers of two communes (o1 of 12-003, o2 of 12-004)."""
    router = Router(app)
    reporter = await register_person(app, router, "p1")
    await reporter.say("/baocao 12/3 họp bản Nà Tăm 45 người KT-XH 2023")
    await reporter.tap("Gửi")
    await register_person(app, router, "o1", role="officer", unit="12-003")
    await register_person(app, router, "o2", role="officer", unit="12-004")
    return router
